/**
 * Runs an embedded PostgreSQL server in the foreground until told to stop.
 *
 *   node dist/infra/src/postgres-server.js [--data-dir .data/test-pg] [--port 5434] [--database name]
 *
 * Prints `DATABASE_URL=postgres://…` on stdout once the server accepts connections (with
 * --database, that database is created if absent and the URL names it; otherwise the URL names the
 * `postgres` admin database). Stops the server and exits 0 on SIGINT/SIGTERM/SIGHUP or when its
 * stdin closes — so a parent that holds its stdin open (infra/test.sh, up.ts) cannot leave it behind,
 * even if the parent is killed. Use `--ignore-stdin` to run it detached from any input.
 *
 * Used by infra/test.sh (test database server) and infra/src/up.ts (development database server).
 */
import path from 'node:path';
import { ensureDatabase, startEmbeddedPostgres, withDatabase, type PostgresHandle } from './postgres.js';
import { repoRoot } from './repo.js';

// Plain lines: whoever runs this adds a prefix (up.ts prints them as `[postgres] …`) or a log file.
const log = {
  info: (m: string) => process.stdout.write(`${m}\n`),
  error: (m: string) => process.stderr.write(`ERROR: ${m}\n`),
};

function parseArgs(argv: string[]) {
  const opts = { dataDir: '.data/test-pg', port: 5434, database: undefined as string | undefined, ignoreStdin: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`missing value for ${a}`);
      return v;
    };
    if (a === '--data-dir') opts.dataDir = value();
    else if (a === '--port') opts.port = Number(value());
    else if (a === '--database') opts.database = value();
    else if (a === '--ignore-stdin') opts.ignoreStdin = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) throw new Error('--port must be a TCP port');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const dataDir = path.resolve(repoRoot(), opts.dataDir);

  let starting: Promise<PostgresHandle | undefined> | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (why: string, code = 0) => {
    stopping ??= (async () => {
      log.info(`${why}: stopping PostgreSQL`);
      try {
        // A stop request during start waits for the start to finish, then stops the server.
        const handle = await starting;
        await handle?.stop();
      } catch (e) {
        log.error(`stop failed: ${(e as Error).message}`);
        code = 1;
      }
      process.exit(code);
    })();
    return stopping;
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => void shutdown(sig));
  if (!opts.ignoreStdin) {
    process.stdin.on('end', () => void shutdown('stdin closed'));
    process.stdin.on('error', () => void shutdown('stdin error'));
    process.stdin.resume();
  }

  starting = startEmbeddedPostgres({ dataDir, port: opts.port, onLog: log.info }).catch((e: unknown) => {
    log.error((e as Error).message);
    process.exit(1);
  });
  const handle = await starting;
  if (!handle || stopping) return; // a stop request arrived during start; shutdown() handles it

  let url = handle.url;
  if (opts.database) {
    if (await ensureDatabase(handle.url, opts.database)) log.info(`created database ${opts.database}`);
    url = withDatabase(handle.url, opts.database);
  }
  const rel = path.relative(repoRoot(), dataDir);
  log.info(`PostgreSQL ready on 127.0.0.1:${opts.port} (data: ${rel && !rel.startsWith('..') ? rel : dataDir})`);
  process.stdout.write(`DATABASE_URL=${url}\n`);

  await handle.exited;
  if (!stopping) {
    log.error('PostgreSQL exited unexpectedly');
    process.exit(1);
  }
}

main().catch((e) => {
  log.error((e as Error).stack ?? String(e));
  process.exit(1);
});

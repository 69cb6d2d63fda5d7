/**
 * Brings the whole system up in the foreground (run through `bash infra/up.sh`, which installs,
 * builds and then execs `node dist/infra/src/up.js`):
 *
 *   1. Temporal dev server (SQLite .data/temporal.sqlite, 127.0.0.1:7233, UI 8233) — or TEMPORAL_ADDRESS
 *   2. embedded PostgreSQL (.data/pg, 127.0.0.1:5433, database ketnap)    — or DATABASE_URL
 *      With KETNAP_TEMPORAL=server (the scale-out topology), PostgreSQL comes first and Temporal is the real
 *      server (.tools/bin/temporal-server, infra/src/temporal-server.ts) with its state in databases temporal
 *      and temporal_visibility on that PostgreSQL server, frontend on 127.0.0.1:7233, no UI.
 *   3. migrations   node dist/libs/persistence/src/cli.js migrate
 *   4. worker       node dist/apps/worker/src/main.js
 *   5. API          node dist/apps/api/src/main.js   (waits for GET /api/health → 200)
 *   6. demo data    node dist/infra/src/seed-demo.js (through the API; idempotent)
 *
 * Ctrl-C / SIGTERM / SIGHUP stop everything this process started, newest first, and exit 0. If a
 * child dies unexpectedly, the rest is stopped and the exit code is 1. Children run in their own
 * process groups so a terminal Ctrl-C reaches only this process, which then stops them in order.
 *
 * Environment: PORT (3000), TEMPORAL_ADDRESS, DATABASE_URL, KETNAP_TEMPORAL_PORT (7233),
 * KETNAP_TEMPORAL_UI_PORT (8233), KETNAP_PG_PORT (5433), TEMPORAL_BIN (.tools/bin/temporal),
 * KETNAP_ADMIN_USERNAME (admin), KETNAP_ADMIN_PASSWORD (ketnap-admin-2026), KETNAP_CLOCK_SPEED (passed on),
 * KETNAP_TEMPORAL (dev | server; default dev).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-data.js';
import { databaseName, ensureDatabase, redactUrl, withDatabase } from './postgres.js';
import { assertPortFree, describeExit, logger, spawnManaged, waitFor, type ManagedProcess } from './processes.js';
import { repoRoot } from './repo.js';
import { RECOMMENDED_DYNAMIC_CONFIG, RECOMMENDED_SQLITE_PRAGMAS, startTemporalDevServer, type TemporalHandle } from './temporal-dev.js';
import { startTemporalServer } from './temporal-server.js';

const root = repoRoot(path.dirname(fileURLToPath(import.meta.url)));
const log = logger('up');
const env = process.env;

function intEnv(name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`${name} must be a TCP port number, got "${raw}"`);
  return n;
}

const config = {
  apiPort: intEnv('PORT', 3000),
  temporalPort: intEnv('KETNAP_TEMPORAL_PORT', 7233),
  temporalUiPort: intEnv('KETNAP_TEMPORAL_UI_PORT', 8233),
  pgPort: intEnv('KETNAP_PG_PORT', 5433),
  temporalBin: env.TEMPORAL_BIN || path.join(root, '.tools/bin/temporal'),
  temporalAddress: env.TEMPORAL_ADDRESS || undefined,
  databaseUrl: env.DATABASE_URL || undefined,
  namespace: env.TEMPORAL_NAMESPACE || 'default',
  adminUsername: env.KETNAP_ADMIN_USERNAME || 'admin',
  adminPassword: env.KETNAP_ADMIN_PASSWORD || 'ketnap-admin-2026',
  dbName: 'ketnap',
  topology: topologyEnv(),
};

function topologyEnv(): 'dev' | 'server' {
  const v = env.KETNAP_TEMPORAL || 'dev';
  if (v !== 'dev' && v !== 'server') throw new Error(`KETNAP_TEMPORAL must be "dev" (the dev server on SQLite) or "server" (the scale-out server on PostgreSQL), got "${v}"`);
  return v;
}

const dist = (rel: string) => path.join(root, 'dist', rel);

/** Everything started so far, in start order; stopped in reverse. */
const started: { name: string; stop: () => Promise<unknown> }[] = [];
const children: ManagedProcess[] = [];
const abort = new AbortController();
let shuttingDown: Promise<void> | undefined;
let interrupts = 0;

function shutdown(code: number, reason: string): Promise<void> {
  shuttingDown ??= (async () => {
    abort.abort();
    log.info(`${reason} — stopping ${started.length ? started.map((s) => s.name).reverse().join(', ') : 'nothing (nothing started yet)'}`);
    for (const s of [...started].reverse()) {
      try {
        await s.stop();
      } catch (e) {
        log.warn(`stopping ${s.name} failed: ${(e as Error).message}`);
      }
    }
    log.info(code === 0 ? 'everything stopped, bye' : `everything stopped; exiting with code ${code}`);
    process.exit(code);
  })();
  return shuttingDown;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    interrupts++;
    if (interrupts > 1 && sig === 'SIGINT') {
      log.warn('second Ctrl-C: killing all children now');
      for (const c of children) if (!c.exitInfo) c.child.pid && tryKill(-c.child.pid);
      process.exit(130);
    }
    void shutdown(0, `received ${sig}`);
  });
}

function tryKill(pid: number) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

/** Starts a long-running child; its unexpected exit stops everything with exit code 1. */
function startChild(name: string, args: string[], extraEnv: NodeJS.ProcessEnv, opts: { stdin?: 'pipe'; onLine?: (l: string) => void; stopTimeoutMs?: number } = {}) {
  const proc = spawnManaged(name, process.execPath, args, {
    cwd: root,
    env: { ...env, ...extraEnv },
    detached: true,
    stdin: opts.stdin,
    onLine: opts.onLine,
    stopTimeoutMs: opts.stopTimeoutMs ?? 15_000,
  });
  children.push(proc);
  started.push({ name, stop: () => proc.stop() });
  void proc.exited.then((info) => {
    if (!proc.stopping && !shuttingDown) {
      log.error(`${name} exited unexpectedly (${describeExit(info)})`);
      void shutdown(1, `${name} died`);
    }
  });
  return proc;
}

/** Runs a one-shot child to completion (stopped too if we are interrupted meanwhile). */
async function runStep(name: string, args: string[], extraEnv: NodeJS.ProcessEnv): Promise<boolean> {
  const proc = spawnManaged(name, process.execPath, args, { cwd: root, env: { ...env, ...extraEnv }, detached: true, stopTimeoutMs: 10_000 });
  children.push(proc);
  const entry = { name, stop: () => proc.stop() };
  started.push(entry);
  const info = await proc.exited;
  started.splice(started.indexOf(entry), 1);
  if (abort.signal.aborted) throw new Error(`${name} interrupted`);
  if (info.code !== 0) log.error(`${name} failed (${describeExit(info)})`);
  return info.code === 0;
}

function requireBuilt(rel: string, what: string) {
  if (!fs.existsSync(dist(rel))) {
    throw new Error(`${what} not found at dist/${rel} — run \`npm run build\` first (or use \`bash infra/up.sh\`)`);
  }
}

/** Registers a Temporal server process at once, so a Ctrl-C while it boots stops it gracefully too. */
function trackTemporal(proc: ManagedProcess): void {
  children.push(proc);
  started.push({ name: 'temporal', stop: () => proc.stop() });
  void proc.exited.then((info) => {
    if (!proc.stopping && !shuttingDown) {
      log.error(`temporal exited unexpectedly (${describeExit(info)})`);
      void shutdown(1, 'temporal died');
    }
  });
}

/** The scale-out topology: the real Temporal server with its state on the PostgreSQL server of `databaseUrl`. */
async function startScaleOutTemporal(databaseUrl: string): Promise<TemporalHandle> {
  log.info(`Temporal: starting the scale-out server on 127.0.0.1:${config.temporalPort}, state in databases temporal and temporal_visibility of that PostgreSQL server (KETNAP_TEMPORAL=server)…`);
  const temporal = await startTemporalServer({
    binDir: path.join(root, '.tools/bin'),
    workDir: path.join(root, '.data/temporal-server'),
    postgresUrl: withDatabase(databaseUrl, 'postgres'),
    database: 'temporal',
    port: config.temporalPort,
    namespace: config.namespace,
    logName: 'temporal',
    detached: true,
    signal: abort.signal,
    onSpawn: trackTemporal,
  });
  log.info(`Temporal: ready at ${temporal.address}`);
  return temporal;
}

async function startTemporal(): Promise<TemporalHandle> {
  if (config.temporalAddress) {
    log.info(`Temporal: using the existing server at ${config.temporalAddress} (TEMPORAL_ADDRESS)`);
  } else {
    log.info(`Temporal: starting the dev server on 127.0.0.1:${config.temporalPort} (UI :${config.temporalUiPort}, state in .data/temporal.sqlite)…`);
  }
  const temporal = await startTemporalDevServer({
    bin: config.temporalBin,
    dbFile: path.join(root, '.data/temporal.sqlite'),
    port: config.temporalPort,
    uiPort: config.temporalUiPort,
    namespace: config.namespace,
    dynamicConfig: RECOMMENDED_DYNAMIC_CONFIG,
    sqlitePragmas: RECOMMENDED_SQLITE_PRAGMAS,
    existingAddress: config.temporalAddress ?? null,
    detached: true,
    signal: abort.signal,
    onSpawn: trackTemporal,
  });
  log.info(`Temporal: ready at ${temporal.address}`);
  return temporal;
}

async function startPostgres(): Promise<string> {
  if (config.databaseUrl) {
    log.info(`PostgreSQL: using DATABASE_URL ${redactUrl(config.databaseUrl)}`);
    const name = databaseName(config.databaseUrl);
    try {
      if (await ensureDatabase(withDatabase(config.databaseUrl, 'postgres'), name)) log.info(`PostgreSQL: created database ${name}`);
    } catch (e) {
      log.warn(`could not check/create database ${name} through the "postgres" database (${(e as Error).message}); assuming it exists`);
    }
    return config.databaseUrl;
  }
  log.info(`PostgreSQL: starting the embedded server on 127.0.0.1:${config.pgPort} (data in .data/pg)…`);
  requireBuilt('infra/src/postgres-server.js', 'the PostgreSQL helper');
  let url: string | undefined;
  const proc = startChild(
    'postgres',
    ['--enable-source-maps', dist('infra/src/postgres-server.js'), '--data-dir', '.data/pg', '--port', String(config.pgPort), '--database', config.dbName],
    {},
    {
      // The helper stops PostgreSQL when its stdin closes: even if this process is killed.
      stdin: 'pipe',
      onLine: (line) => {
        const m = /^DATABASE_URL=(\S+)$/.exec(line);
        if (m) url = m[1];
      },
      stopTimeoutMs: 30_000,
    },
  );
  await waitFor(async () => url !== undefined, { timeoutMs: 180_000, intervalMs: 200, process: proc, signal: abort.signal, what: 'embedded PostgreSQL' });
  log.info(`PostgreSQL: ready, database ${config.dbName}`);
  return url!;
}

async function waitForHealth(api: ManagedProcess) {
  const url = `http://127.0.0.1:${config.apiPort}/api/health`;
  log.info(`waiting for ${url} …`);
  await waitFor(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer().catch(() => undefined);
      return res.status === 200;
    },
    { timeoutMs: 180_000, intervalMs: 500, process: api, signal: abort.signal, what: `${url} to answer 200` },
  );
}

function banner(temporal: TemporalHandle, databaseUrl: string, seeded: boolean) {
  const apiUrl = `http://127.0.0.1:${config.apiPort}/api`;
  const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
  const lines = [
    '',
    '════════════════════════════════════════════════════════════════════════',
    '  ketnap is up',
    '',
    fs.existsSync(path.join(root, 'dist/web/index.html'))
      ? `  Open           http://127.0.0.1:${config.apiPort}/   (web app: sign in as a demo user below)`
      : '  Web app        not built (npm run build:web)',
    `  API            ${apiUrl}   (health: ${apiUrl}/health)`,
    temporal.uiUrl
      ? `  Temporal UI    ${temporal.uiUrl}   (gRPC ${temporal.address})`
      : temporal.external
        ? `  Temporal       ${temporal.address} (external server; its UI is not managed here)`
        : `  Temporal       ${temporal.address} (scale-out server, state in PostgreSQL databases temporal + temporal_visibility; no UI)`,
    `  PostgreSQL     ${redactUrl(databaseUrl)}`,
    '',
    `  Admin          ${config.adminUsername} / ${config.adminPassword}`,
    seeded ? `  Demo users (password ${DEMO_PASSWORD}):` : '  Demo users (seeding FAILED — see the [seed] lines above; they may be missing):',
    ...DEMO_USERS.map((u) => `    ${u.username.padEnd(width)}  ${DEMO_PASSWORD}   ${u.role.padEnd(20)} ${u.description}`),
    '',
    '  Ctrl-C stops everything.',
    '════════════════════════════════════════════════════════════════════════',
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

async function main() {
  log.info(`repository ${root}`);
  log.info(`admin account for this demo: ${config.adminUsername} / ${config.adminPassword} (KETNAP_ADMIN_USERNAME / KETNAP_ADMIN_PASSWORD)`);
  requireBuilt('libs/persistence/src/cli.js', 'the persistence CLI (migrations)');
  requireBuilt('apps/worker/src/main.js', 'the worker');
  requireBuilt('apps/api/src/main.js', 'the API');
  await assertPortFree('127.0.0.1', config.apiPort, 'set PORT to use another API port');

  // The scale-out server keeps its state in PostgreSQL, so that server comes first there.
  const scaleOut = config.topology === 'server' && !config.temporalAddress;
  const temporal = scaleOut ? undefined : await startTemporal();
  const databaseUrl = await startPostgres();
  const temporalHandle = temporal ?? (await startScaleOutTemporal(databaseUrl));

  const appEnv: NodeJS.ProcessEnv = {
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporalHandle.address,
    TEMPORAL_NAMESPACE: config.namespace,
    PORT: String(config.apiPort),
    KETNAP_ADMIN_USERNAME: config.adminUsername,
    KETNAP_ADMIN_PASSWORD: config.adminPassword,
  };
  // Children write into pipes; ask for plain output unless we print to a terminal.
  if (!process.stdout.isTTY && env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) appEnv.NO_COLOR = '1';
  if (env.KETNAP_CLOCK_SPEED) log.info(`KETNAP_CLOCK_SPEED=${env.KETNAP_CLOCK_SPEED} (passed to the worker and API)`);

  log.info('running database migrations…');
  if (!(await runStep('migrate', ['--enable-source-maps', dist('libs/persistence/src/cli.js'), 'migrate'], appEnv))) {
    throw new Error('migrations failed');
  }

  log.info('starting the worker…');
  startChild('worker', ['--enable-source-maps', dist('apps/worker/src/main.js')], appEnv);
  log.info(`starting the API on port ${config.apiPort}…`);
  const api = startChild('api', ['--enable-source-maps', dist('apps/api/src/main.js')], appEnv);
  await waitForHealth(api);
  log.info('API is healthy');

  log.info('seeding demo data through the API…');
  const seeded = await runStep('seed', ['--enable-source-maps', dist('infra/src/seed-demo.js')], {
    ...appEnv,
    KETNAP_API_URL: `http://127.0.0.1:${config.apiPort}`,
  });
  if (!seeded) log.warn('demo data seeding failed; the system keeps running');

  banner(temporalHandle, databaseUrl, seeded);
}

main().catch((e: unknown) => {
  if (shuttingDown) return; // interrupted: shutdown() exits
  log.error(e instanceof Error ? e.message : String(e));
  void shutdown(1, 'start-up failed');
});

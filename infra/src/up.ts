/**
 * Brings the whole system up in the foreground (run through `bash infra/up.sh`, which installs,
 * builds and then execs `node dist/infra/src/up.js`):
 *
 *   1. Temporal dev server (SQLite .data/temporal.sqlite, 127.0.0.1:7233, UI 8233) — or TEMPORAL_ADDRESS
 *   2. embedded PostgreSQL (.data/pg, 127.0.0.1:5433, database ketnap)    — or DATABASE_URL
 *      With KETNAP_TEMPORAL=server (the scale-out topology), PostgreSQL comes first and Temporal is the real
 *      server (.tools/bin/temporal-server, infra/src/temporal-server.ts) with its state in databases temporal
 *      and temporal_visibility on that PostgreSQL server, frontend on 127.0.0.1:7233, no UI.
 *   3. migrations   node dist/libs/persistence/src/cli.js migrate   (as the owner: the server's admin role)
 *      then the app's login role <database>_app_login, member of ketnap_app, password in .data/<role>.password
 *      (created once, reset each start); KETNAP_DEV_DATABASE=true skips it and runs the app as the owner
 *   4. worker       node dist/apps/worker/src/main.js   (as the app's login role)
 *   5. API          node dist/apps/api/src/main.js      (as the app's login role; waits for GET /api/health → 200)
 *   6. demo data    node dist/infra/src/seed-demo.js (through the API; idempotent)
 *
 * Ctrl-C / SIGTERM / SIGHUP stop everything this process started, newest first, and exit 0. If a
 * child dies unexpectedly, the rest is stopped and the exit code is 1. Children run in their own
 * process groups so a terminal Ctrl-C reaches only this process, which then stops them in order.
 *
 * Environment: PORT (3000), TEMPORAL_ADDRESS, DATABASE_URL (a role that may create roles: migrations run as it),
 * KETNAP_DEV_DATABASE (true: the app runs as that role too), KETNAP_TEMPORAL_PORT (7233),
 * KETNAP_TEMPORAL_UI_PORT (8233), KETNAP_PG_PORT (5433), TEMPORAL_BIN (.tools/bin/temporal),
 * KETNAP_ADMIN_USERNAME (admin), KETNAP_ADMIN_PASSWORD (ketnap-admin-2026), KETNAP_CLOCK_SPEED (passed on),
 * KETNAP_TEMPORAL (dev | server; default dev).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-data.js';
import { APP_ROLE } from '../../libs/persistence/src/roles.js';
import { databaseName, ensureDatabase, ensureLoginRole, redactUrl, withCredentials, withDatabase } from './postgres.js';
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
  /** KETNAP_DEV_DATABASE=true: the app runs as the owner (the variable reaches the API and worker too). */
  devDatabase: env.KETNAP_DEV_DATABASE === 'true',
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

/**
 * The app's login role on the database of `ownerUrl`: <database>_app_login, a member of ketnap_app (which
 * `migrate` created and granted), with a password generated once and kept in .data/<role>.password (0600).
 */
async function appDatabaseUrl(ownerUrl: string): Promise<string> {
  const role = `${databaseName(ownerUrl).replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_app_login`;
  const file = path.join(root, '.data', `${role}.password`);
  let password = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : '';
  if (!password) {
    password = randomBytes(24).toString('base64url');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  }
  try {
    await ensureLoginRole(ownerUrl, role, password, APP_ROLE);
  } catch (e) {
    throw new Error(
      `cannot create the app's login role ${role} (${(e as Error).message}): give DATABASE_URL's role CREATEROLE, ` +
        'or set KETNAP_DEV_DATABASE=true to run the API and worker as that role (a development machine only)',
    );
  }
  log.info(`PostgreSQL: the API and worker connect as ${role} (member of ${APP_ROLE}; password in ${path.relative(root, file)})`);
  return withCredentials(ownerUrl, role, password);
}

/**
 * The demo runs with Temporal payloads encrypted (README, Security): unless KETNAP_PAYLOAD_KEYS is set, a dev
 * key generated once into .data/payload-keys (0600, `id:base64`). When that key is new but Temporal already
 * has state (cases possibly recorded in clear), the worker keeps accepting unencrypted payloads
 * (KETNAP_REQUIRE_ENCRYPTED_PAYLOADS=false, remembered in .data/payload-keys.accept-plaintext) so those cases
 * still replay; delete that file, or .data, to require encryption.
 */
function payloadKeyEnv(earlierTemporalState: boolean): NodeJS.ProcessEnv {
  if (env.KETNAP_PAYLOAD_KEYS) {
    log.info('Temporal payloads: encrypted with KETNAP_PAYLOAD_KEYS');
    return {};
  }
  const file = path.join(root, '.data', 'payload-keys');
  const acceptPlaintext = `${file}.accept-plaintext`;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const id = `dev-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
    fs.writeFileSync(file, `${id}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    if (earlierTemporalState) fs.writeFileSync(acceptPlaintext, 'cases recorded before payload encryption may exist\n');
    log.info(`Temporal payloads: generated a dev encryption key into ${path.relative(root, file)}`);
  }
  const keys = fs.readFileSync(file, 'utf8').trim();
  const plaintextToo = fs.existsSync(acceptPlaintext);
  if (plaintextToo) log.warn(`Temporal payloads: unencrypted ones still accepted (older cases; delete ${path.relative(root, acceptPlaintext)} to refuse them)`);
  return { KETNAP_PAYLOAD_KEYS: keys, ...(plaintextToo && !env.KETNAP_REQUIRE_ENCRYPTED_PAYLOADS ? { KETNAP_REQUIRE_ENCRYPTED_PAYLOADS: 'false' } : {}) };
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

  // Temporal state from earlier runs may hold cases recorded in clear (before payload encryption).
  const earlierTemporalState = !!config.temporalAddress || fs.existsSync(path.join(root, '.data/temporal.sqlite')) || fs.existsSync(path.join(root, '.data/temporal-server'));
  // The scale-out server keeps its state in PostgreSQL, so that server comes first there.
  const scaleOut = config.topology === 'server' && !config.temporalAddress;
  const temporal = scaleOut ? undefined : await startTemporal();
  const ownerUrl = await startPostgres();
  const temporalHandle = temporal ?? (await startScaleOutTemporal(ownerUrl));

  const appEnv: NodeJS.ProcessEnv = {
    DATABASE_URL: ownerUrl,
    TEMPORAL_ADDRESS: temporalHandle.address,
    TEMPORAL_NAMESPACE: config.namespace,
    PORT: String(config.apiPort),
    KETNAP_ADMIN_USERNAME: config.adminUsername,
    KETNAP_ADMIN_PASSWORD: config.adminPassword,
    ...payloadKeyEnv(earlierTemporalState),
  };
  // Children write into pipes; ask for plain output unless we print to a terminal.
  if (!process.stdout.isTTY && env.NO_COLOR === undefined && env.FORCE_COLOR === undefined) appEnv.NO_COLOR = '1';
  if (env.KETNAP_CLOCK_SPEED) log.info(`KETNAP_CLOCK_SPEED=${env.KETNAP_CLOCK_SPEED} (passed to the worker and API)`);

  log.info('running database migrations (as the owner)…');
  if (!(await runStep('migrate', ['--enable-source-maps', dist('libs/persistence/src/cli.js'), 'migrate'], { ...appEnv, KETNAP_MIGRATION_DATABASE_URL: ownerUrl }))) {
    throw new Error('migrations failed');
  }
  // The API and worker run least-privileged, as in production (README, Security).
  if (config.devDatabase) log.warn('KETNAP_DEV_DATABASE=true: the API and worker connect as the owner, like migrations');
  else appEnv.DATABASE_URL = await appDatabaseUrl(ownerUrl);

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

  banner(temporalHandle, appEnv.DATABASE_URL!, seeded);
}

main().catch((e: unknown) => {
  if (shuttingDown) return; // interrupted: shutdown() exits
  log.error(e instanceof Error ? e.message : String(e));
  void shutdown(1, 'start-up failed');
});

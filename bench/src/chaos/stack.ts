/**
 * The real parts of ketnap as separate OS processes, each of which the chaos run can `kill -9` and start again:
 * - PostgreSQL: an embedded server of the run's own (cluster in .data/chaos-pg, a free port) — the machine's
 *   server cannot be killed by us — with a fresh database ketnap_chaos_<timestamp>_<pid>, migrated as the
 *   owner, and a login role <database>_app (member of ketnap_app) the API and worker connect as;
 * - a TCP proxy in front of it (pg-proxy.ts) the API and worker connect through, to make PostgreSQL slow;
 * - Temporal: the dev server on a fresh SQLite file (default) or, with `--temporal server`, the scale-out server
 *   with its state in the same PostgreSQL server (databases temporal_chaos_<timestamp>_<pid>{,_visibility});
 * - the API (dist/apps/api/src/main.js) and the worker (dist/apps/worker/src/main.js), with a compressed
 *   business clock (KETNAP_CLOCK_SPEED) and e-mail to an SMTP sink in this process (smtp-sink.ts).
 * Children run in process groups of their own; their output goes to <run folder>/<name>.log.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { migrate } from '../../../libs/persistence/src/migrate.js';
import { APP_ROLE } from '../../../libs/persistence/src/roles.js';
import { delay, findFreePort, spawnManaged, waitFor, type ManagedProcess } from '../../../infra/src/processes.js';
import {
  dropDatabase,
  dropRole,
  ensureDatabase,
  ensureLoginRole,
  isAlive,
  startEmbeddedPostgres,
  withClient,
  withCredentials,
  withDatabase,
  type PostgresHandle,
} from '../../../infra/src/postgres.js';
import { startTemporalDevServer, RECOMMENDED_DYNAMIC_CONFIG, RECOMMENDED_SQLITE_PRAGMAS } from '../../../infra/src/temporal-dev.js';
import { startTemporalServer } from '../../../infra/src/temporal-server.js';
import { Api } from '../http.js';
import { startPgProxy, type PgProxy } from './pg-proxy.js';
import { startSmtpSink, type SmtpSink } from './smtp-sink.js';
import { say } from './log.js';

export type Part = 'api' | 'worker' | 'temporal' | 'postgres';

export interface StackOptions {
  root: string;
  temporal: 'dev' | 'server';
  clockSpeed: number;
  signal: AbortSignal;
}

export const ADMIN = { username: 'chaos-admin', password: 'chaos-admin-password' };

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Environment of a child without the caller's ketnap, database, Temporal and SMTP settings. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(KETNAP_|TEMPORAL_|SMTP_|DATABASE_URL$|PORT$|LOG_LEVEL$)/.test(k)) continue;
    env[k] = v;
  }
  return env;
}

export class ChaosStack {
  readonly runId = `${timestamp()}_${process.pid}`;
  readonly dataDir: string;
  readonly runDir: string;
  readonly dbName = `ketnap_chaos_${this.runId}`;
  readonly temporalDbName = `temporal_chaos_${this.runId}`;
  readonly taskQueue = `chaos-${this.runId}`;

  pg!: PostgresHandle;
  pgPort!: number;
  adminUrl!: string;
  /** This run's database as its owner (direct, not through the proxy): what the checks read with. */
  dbUrl!: string;
  /** The same database as the app's role, through the proxy: what the API and worker use. */
  appDbUrl!: string;
  proxy!: PgProxy;
  smtp!: SmtpSink;
  temporalAddress!: string;
  temporalPort!: number;
  apiPort!: number;
  apiUrl!: string;
  client!: Client;
  connection!: Connection;
  procs: Partial<Record<'api' | 'worker' | 'temporal', ManagedProcess>> = {};
  /** Restarts per part. */
  restarts: Record<Part, number> = { api: 0, worker: 0, temporal: 0, postgres: 0 };

  private cleanups: { name: string; fn: () => Promise<void> }[] = [];
  private logs = new Map<string, fs.WriteStream>();

  constructor(private readonly o: StackOptions) {
    this.dataDir = path.join(o.root, '.data', 'chaos');
    this.runDir = path.join(this.dataDir, `run-${this.runId}`);
  }

  private defer(name: string, fn: () => Promise<void>): void {
    this.cleanups.push({ name, fn });
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.runDir, { recursive: true });
    this.removeStaleRuns();

    this.pgPort = await findFreePort();
    say(`PostgreSQL: embedded server on 127.0.0.1:${this.pgPort} (cluster .data/chaos-pg), so that it can be killed`);
    this.pg = await startEmbeddedPostgres({
      dataDir: path.join(this.o.root, '.data', 'chaos-pg'),
      port: this.pgPort,
      onLog: (line) => this.log('postgres', line),
    });
    this.defer('embedded PostgreSQL', () => this.pg.stop());
    this.adminUrl = this.pg.url;
    await this.dropStaleDatabases();

    await ensureDatabase(this.adminUrl, this.dbName);
    this.defer(`database ${this.dbName}`, () => dropDatabase(this.adminUrl, this.dbName));
    this.dbUrl = withDatabase(this.adminUrl, this.dbName);
    await migrate(this.dbUrl);
    const appRole = `${this.dbName}_app`;
    const password = randomBytes(18).toString('base64url');
    this.defer(`role ${appRole}`, () => dropRole(this.adminUrl, appRole));
    await ensureLoginRole(this.adminUrl, appRole, password, APP_ROLE);
    this.proxy = await startPgProxy({ host: '127.0.0.1', port: this.pgPort });
    this.defer('PostgreSQL proxy', () => this.proxy.close());
    const appUrl = new URL(withCredentials(this.dbUrl, appRole, password));
    appUrl.port = String(this.proxy.port);
    this.appDbUrl = appUrl.toString();
    say(`database ${this.dbName} migrated; the API and worker connect as ${appRole} through a proxy on port ${this.proxy.port}`);

    this.smtp = await startSmtpSink();
    this.defer('SMTP sink', () => this.smtp.close());
    say(`SMTP sink on 127.0.0.1:${this.smtp.port}`);

    await this.startTemporal();
    this.connection = await Connection.connect({ address: this.temporalAddress });
    this.defer('Temporal client', () => this.connection.close());
    this.client = new Client({ connection: this.connection, namespace: 'default' });

    this.apiPort = await findFreePort();
    this.apiUrl = `http://127.0.0.1:${this.apiPort}`;
    await this.startWorker();
    await this.startApi();
  }

  /** Runs every cleanup step, newest first; never throws. */
  async stop(): Promise<void> {
    for (const name of ['api', 'worker', 'temporal'] as const) {
      await this.procs[name]?.stop(15_000).catch(() => undefined);
    }
    while (this.cleanups.length) {
      const c = this.cleanups.pop()!;
      try {
        await c.fn();
      } catch (e) {
        say(`cleanup of ${c.name} failed: ${(e as Error).message}`);
      }
    }
    for (const s of this.logs.values()) s.end();
  }

  log(name: string, line: string): void {
    let s = this.logs.get(name);
    if (!s) {
      s = fs.createWriteStream(path.join(this.runDir, `${name}.log`), { flags: 'a' });
      this.logs.set(name, s);
    }
    s.write(`${new Date().toISOString()} ${line}\n`);
  }

  private appEnv(): NodeJS.ProcessEnv {
    return {
      ...cleanEnv(),
      DATABASE_URL: this.appDbUrl,
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      KETNAP_TASK_QUEUE: this.taskQueue,
      KETNAP_ADMIN_USERNAME: ADMIN.username,
      KETNAP_ADMIN_PASSWORD: ADMIN.password,
      KETNAP_CLOCK_SPEED: String(this.o.clockSpeed),
      KETNAP_PUBLIC_URL: this.apiUrl,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(this.smtp.port),
      // The checks call verify and the run certifies and updates the calendar more often than a person would.
      KETNAP_RATE_LIMITS: JSON.stringify({
        audit_verify: { limit: 100_000, windowSeconds: 60 },
        class_certify: { limit: 100_000, windowSeconds: 60 },
        calendar_update: { limit: 100_000, windowSeconds: 60 },
      }),
      PORT: String(this.apiPort),
      LOG_LEVEL: 'warn',
    };
  }

  private spawnNode(name: 'api' | 'worker', script: string, onLine?: (line: string) => void): ManagedProcess {
    const p = spawnManaged(name, process.execPath, ['--enable-source-maps', path.join(this.o.root, 'dist', script)], {
      cwd: this.o.root,
      env: this.appEnv(),
      detached: true,
      quiet: true,
      stopTimeoutMs: 15_000,
      onLine: (line) => {
        this.log(name, line);
        onLine?.(line);
      },
    });
    this.procs[name] = p;
    return p;
  }

  /** Starts the API and waits until /api/health answers 200 (PostgreSQL and Temporal reachable). */
  async startApi(wait = true): Promise<void> {
    const p = this.spawnNode('api', 'apps/api/src/main.js');
    if (!wait) return;
    await waitFor(async () => (await new Api(this.apiUrl).get('/api/health')).status === 200, {
      timeoutMs: 120_000,
      intervalMs: 250,
      process: p,
      signal: this.o.signal,
      what: 'the API to answer /api/health',
    });
  }

  /** Starts the worker; with `wait`, until it polls its task queue. */
  async startWorker(wait = true): Promise<void> {
    let ready = false;
    const p = this.spawnNode('worker', 'apps/worker/src/main.js', (line) => {
      if (line.includes('polling task queue')) ready = true;
    });
    if (!wait) return;
    await waitFor(async () => ready, { timeoutMs: 180_000, intervalMs: 200, process: p, signal: this.o.signal, what: 'the worker to poll its task queue' });
  }

  async startTemporal(): Promise<void> {
    if (this.o.temporal === 'server') {
      const h = await startTemporalServer({
        binDir: process.env.TEMPORAL_SERVER_BIN_DIR ?? path.join(this.o.root, '.tools', 'bin'),
        workDir: path.join(this.runDir, 'temporal-server'),
        postgresUrl: this.adminUrl,
        database: this.temporalDbName,
        namespace: 'default',
        retentionDays: 1,
        logLevel: 'error',
        logName: 'temporal',
        detached: true,
        signal: this.o.signal,
        onSpawn: (p) => {
          this.procs.temporal = p;
          if (!this.temporalAddress) {
            this.defer(`Temporal databases ${this.temporalDbName}`, async () => {
              await dropDatabase(this.adminUrl, `${this.temporalDbName}_visibility`).catch(() => undefined);
              await dropDatabase(this.adminUrl, this.temporalDbName).catch(() => undefined);
            });
          }
        },
      });
      this.temporalAddress = h.address;
    } else {
      const dbFile = path.join(this.runDir, 'temporal.sqlite');
      if (!this.temporalPort) {
        this.temporalPort = await findFreePort();
        this.defer('Temporal SQLite file', async () => {
          for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbFile + suffix, { force: true });
        });
      }
      const h = await startTemporalDevServer({
        bin: process.env.TEMPORAL_BIN ?? path.join(this.o.root, '.tools', 'bin', 'temporal'),
        dbFile,
        port: this.temporalPort,
        headless: true,
        namespace: 'default',
        dynamicConfig: { ...RECOMMENDED_DYNAMIC_CONFIG },
        sqlitePragmas: RECOMMENDED_SQLITE_PRAGMAS,
        logLevel: 'error',
        logName: 'temporal',
        detached: true,
        existingAddress: null,
        signal: this.o.signal,
        onSpawn: (p) => (this.procs.temporal = p),
      });
      this.temporalAddress = h.address;
    }
  }

  /** `kill -9` of a part (its whole process group; for PostgreSQL the postmaster). Resolves once it is gone. */
  async kill(part: Part): Promise<void> {
    if (part === 'postgres') {
      const pid = this.pg.pid?.();
      if (!pid) throw new Error('PostgreSQL is not running');
      process.kill(pid, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      while (isAlive(pid) && Date.now() < deadline) await delay(20);
      return;
    }
    const p = this.procs[part];
    if (!p || p.exitInfo) throw new Error(`${part} is not running`);
    try {
      process.kill(-p.pid, 'SIGKILL');
    } catch {
      p.child.kill('SIGKILL');
    }
    await p.exited;
  }

  /** Starts a part again (after kill), waiting until it serves. */
  async restart(part: Part): Promise<void> {
    this.restarts[part]++;
    if (part === 'postgres') return this.pg.restart!();
    if (part === 'temporal') return this.startTemporal();
    if (part === 'api') return this.startApi();
    return this.startWorker();
  }

  /** Whether each part's process is alive. */
  alive(part: Part): boolean {
    if (part === 'postgres') return this.pg.pid?.() !== undefined;
    const p = this.procs[part];
    return Boolean(p && !p.exitInfo);
  }

  /** Restarts whatever is not running (a part that died on its own, e.g. the worker when Temporal went away). */
  async ensureAllRunning(): Promise<Part[]> {
    const restarted: Part[] = [];
    for (const part of ['postgres', 'temporal', 'worker', 'api'] as const) {
      if (!this.alive(part)) {
        say(`${part} is not running: starting it again`);
        await this.restart(part);
        restarted.push(part);
      }
    }
    return restarted;
  }

  /** Folders of earlier runs that were killed (their pid is gone). */
  private removeStaleRuns(): void {
    for (const f of fs.readdirSync(this.dataDir)) {
      const pid = Number(/^run-\d+_(\d+)$/.exec(f)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(this.dataDir, f), { recursive: true, force: true });
    }
  }

  private async dropStaleDatabases(): Promise<void> {
    const names: string[] = await withClient(this.adminUrl, async (c) =>
      (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'ketnap\\_chaos\\_%' OR datname LIKE 'temporal\\_chaos\\_%'`)).rows.map((r) => r.datname),
    );
    for (const name of names) {
      const pid = Number(/_(\d+)(?:_visibility)?$/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await dropDatabase(this.adminUrl, name).catch(() => undefined);
    }
    const roles: string[] = await withClient(this.adminUrl, async (c) => (await c.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'ketnap\\_chaos\\_%\\_app'`)).rows.map((r) => r.rolname));
    for (const role of roles) {
      const pid = Number(/_(\d+)_app$/.exec(role)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await dropRole(this.adminUrl, role).catch(() => undefined);
    }
  }
}

/**
 * What the scenarios run on, started on demand and stopped in reverse order:
 * - a Temporal dev server of our own (fresh SQLite file under .data/bench/) unless TEMPORAL_ADDRESS is set;
 *   with BENCH_TEMPORAL=server the scale-out server instead (infra/src/temporal-server.ts), its state in
 *   databases temporal_bench_<timestamp>_<pid>{,_visibility} on the PostgreSQL server below, dropped at the end;
 * - PostgreSQL: DATABASE_URL's server if set, else an embedded one (.data/bench-pg); either way a fresh
 *   database ketnap_bench_<timestamp>_<pid>, migrated as the admin, dropped at the end, and a login role
 *   ketnap_bench_<timestamp>_<pid>_app (member of ketnap_app) the API and worker connect as, as in production;
 * - the ketnap API and worker in this process (createApi / startWorker, own task queue);
 * - a bare Temporal worker on its own task queue running bench/src/workflows.ts (the baselines).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplication } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Worker } from '@temporalio/worker';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { startWorker, type RunningWorker } from '../../apps/worker/src/run-worker.js';
import { loadConfig, type KetnapConfig } from '../../libs/config/src/config.js';
import { temporalConnectionOptions, temporalDataConverter } from '../../libs/temporal/src/connection.js';
import { migrate } from '../../libs/persistence/src/migrate.js';
import { APP_ROLE } from '../../libs/persistence/src/roles.js';
import { bundlerOptions, workflowsEntry } from '../../libs/temporal/src/worker-factory.js';
import { digestScheduleId } from '../../workflows/digest/digest.messages.js';
import { findFreePort } from '../../infra/src/processes.js';
import {
  databaseName,
  dropDatabase,
  dropRole,
  ensureDatabase,
  ensureLoginRole,
  isAlive,
  postgresFromEnvOrEmbedded,
  redactUrl,
  withClient,
  withCredentials,
  withDatabase,
  type PostgresHandle,
} from '../../infra/src/postgres.js';
import { repoRoot } from '../../infra/src/repo.js';
import { RECOMMENDED_DYNAMIC_CONFIG, RECOMMENDED_SQLITE_PRAGMAS, startTemporalDevServer, type TemporalHandle } from '../../infra/src/temporal-dev.js';
import { startTemporalServer, TEMPORAL_SERVER_VERSION } from '../../infra/src/temporal-server.js';
import { Api } from './http.js';
import { progress } from './log.js';

export const BENCH_PASSWORD = 'bench-password-1';

/**
 * Server settings of the bench's own dev server: ketnap's recommended ones (eager activity dispatch, see
 * infra/src/temporal-dev.ts), as `npm run up` uses them; BENCH_NO_EAGER_ACTIVITIES=1 turns eager dispatch
 * off for comparison. A server named by TEMPORAL_ADDRESS keeps its own settings.
 */
export function benchDynamicConfig(): Record<string, boolean> {
  return process.env.BENCH_NO_EAGER_ACTIVITIES === '1' ? {} : { ...RECOMMENDED_DYNAMIC_CONFIG };
}

/**
 * Which Temporal the bench starts when TEMPORAL_ADDRESS is not set: 'dev' (default: the CLI's dev server on a
 * fresh SQLite file, the single-machine default) or 'server' (BENCH_TEMPORAL=server: the scale-out server,
 * infra/src/temporal-server.ts, on the bench's PostgreSQL server, in databases of its own dropped at the end).
 */
export function benchTopology(): 'dev' | 'server' {
  const v = process.env.BENCH_TEMPORAL ?? 'dev';
  if (v !== 'dev' && v !== 'server') throw new Error(`BENCH_TEMPORAL=${v}: expected dev or server`);
  return v;
}

/** The dev server's SQLite settings (WAL, synchronous=normal; infra/src/temporal-dev.ts); BENCH_SQLITE_DEFAULTS=1: the CLI's own. */
export function benchSqlitePragmas(): string[] {
  return process.env.BENCH_SQLITE_DEFAULTS === '1' ? [] : [...RECOMMENDED_SQLITE_PRAGMAS];
}

export interface KetnapTree {
  units: { province: string; superior: string; grassroots: string; cell: string; centre: string };
  /** One user per approver role, logged in. */
  users: { cell_secretary: Api; training_centre: Api; grassroots_committee: Api; superior_board: Api };
}

/** The username of the bench tree's approver with `role` (one per role, see `BenchEnv.ketnap()`). */
export function benchUsername(role: keyof KetnapTree['users']): string {
  return `bench-${role}`;
}

interface Cleanup {
  name: string;
  fn: () => Promise<void>;
}

function timestamp(d = new Date()): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function isLoopback(url: string): boolean {
  try {
    return ['127.0.0.1', 'localhost', '::1', '[::1]'].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

export class BenchEnv {
  readonly runId = timestamp();
  readonly root = repoRoot(path.dirname(fileURLToPath(import.meta.url)));
  readonly dataDir = path.join(this.root, '.data', 'bench');
  readonly runDir = path.join(this.dataDir, `run-${this.runId}-${process.pid}`);
  readonly dbName = `ketnap_bench_${this.runId}_${process.pid}`;
  /** The scale-out server's databases (BENCH_TEMPORAL=server): this name and `<name>_visibility`. */
  readonly temporalDbName = `temporal_bench_${this.runId}_${process.pid}`;

  temporal!: TemporalHandle;
  pg!: PostgresHandle;
  /** Admin URL of the PostgreSQL server (database `postgres` or DATABASE_URL's). */
  adminUrl!: string;
  /** URL of this run's own database, as the admin (its tables' owner): what scenarios read behind the app with. */
  dbUrl!: string;
  /** The same database as the app's least-privileged login role: what the ketnap API and worker connect as. */
  appDbUrl!: string;
  connection!: Connection;
  client!: Client;

  private cleanups: Cleanup[] = [];
  /** Workflows left open by the scenarios: terminated at the end when the server is not our own. */
  private openWorkflows = new Set<string>();
  private bare?: Promise<string>;
  /** stormBaselineWorkflow's activity: id → when it ran (epoch ms). */
  readonly stormTicks = new Map<string, number>();
  private ketnapApi?: Promise<{ app: INestApplication; anon: Api; admin: Api; config: KetnapConfig }>;
  private ketnapWorker?: Promise<RunningWorker>;
  private tree?: Promise<KetnapTree>;
  private bundles = new Map<string, Promise<string>>();

  constructor(readonly signal: AbortSignal) {}

  /** Registers a cleanup step; steps run last-registered first. */
  defer(name: string, fn: () => Promise<void>): void {
    this.cleanups.push({ name, fn });
  }

  get namespace(): string {
    return process.env.TEMPORAL_NAMESPACE || 'default';
  }

  async start(): Promise<void> {
    fs.mkdirSync(this.runDir, { recursive: true });
    this.defer('run folder', async () => fs.rmSync(this.runDir, { recursive: true, force: true }));
    this.removeStaleFiles();

    const external = process.env.TEMPORAL_ADDRESS;
    const scaleOut = !external && benchTopology() === 'server';
    // The scale-out server keeps its state in PostgreSQL: that server comes first.
    if (scaleOut) await this.startPostgres();
    if (external) progress(`Temporal: using TEMPORAL_ADDRESS=${external}`);
    else if (scaleOut) progress(`Temporal: starting the scale-out server (v${TEMPORAL_SERVER_VERSION}) on PostgreSQL, databases ${this.temporalDbName}{,_visibility} (BENCH_TEMPORAL=server)`);
    else progress('Temporal: starting a dev server of our own (fresh SQLite file)');
    if (scaleOut) {
      const workDir = path.join(this.runDir, 'temporal-server');
      this.temporal = await startTemporalServer({
        binDir: process.env.TEMPORAL_SERVER_BIN_DIR ?? path.join(this.root, '.tools', 'bin'),
        workDir,
        postgresUrl: this.adminUrl,
        database: this.temporalDbName,
        namespace: this.namespace,
        dynamicConfig: benchDynamicConfig(),
        retentionDays: 1,
        logLevel: 'error',
        logName: 'temporal-server',
        detached: true,
        signal: this.signal,
        onSpawn: (p) => {
          // Registered before the databases' drop (cleanups run newest first): the server stops first.
          this.defer(`Temporal databases ${this.temporalDbName}`, async () => {
            await dropDatabase(this.adminUrl, `${this.temporalDbName}_visibility`);
            await dropDatabase(this.adminUrl, this.temporalDbName);
          });
          this.defer('Temporal server', async () => void (await p.stop()));
        },
      });
    } else {
      const dbFile = path.join(this.dataDir, `temporal-${this.runId}-${process.pid}.sqlite`);
      this.temporal = await startTemporalDevServer({
        bin: process.env.TEMPORAL_BIN ?? path.join(this.root, '.tools', 'bin', 'temporal'),
        dbFile,
        port: await findFreePort(),
        headless: true,
        namespace: this.namespace,
        dynamicConfig: benchDynamicConfig(),
        sqlitePragmas: benchSqlitePragmas(),
        logName: 'temporal',
        detached: true, // Ctrl-C reaches only us; we stop it after the workers
        signal: this.signal,
        onSpawn: (p) =>
          this.defer('Temporal dev server', async () => {
            await p.stop();
            for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(dbFile + suffix, { force: true });
          }),
      });
    }
    progress(`Temporal at ${this.temporal.address}`);

    if (!scaleOut) await this.startPostgres();
    await ensureDatabase(this.adminUrl, this.dbName);
    this.defer(`database ${this.dbName}`, () => dropDatabase(this.adminUrl, this.dbName));
    this.dbUrl = withDatabase(this.adminUrl, this.dbName);
    await migrate(this.dbUrl);
    const appRole = `${this.dbName}_app`;
    const password = randomBytes(18).toString('base64url');
    this.defer(`role ${appRole}`, () => dropRole(this.adminUrl, appRole));
    await ensureLoginRole(this.adminUrl, appRole, password, APP_ROLE);
    this.appDbUrl = withCredentials(this.dbUrl, appRole, password);
    progress(`database ${this.dbName} created and migrated; the API and worker connect as ${appRole} (member of ${APP_ROLE})`);

    // Payloads encrypted as the ketnap worker expects them when KETNAP_PAYLOAD_KEYS is set (unset: in clear).
    this.connection = await Connection.connect(temporalConnectionOptions(this.ketnapConfig().temporal));
    this.defer('Temporal client', () => this.connection.close());
    this.client = new Client({ connection: this.connection, namespace: this.namespace, dataConverter: temporalDataConverter(this.ketnapConfig(), { requireEncrypted: false }) });
    this.defer('open workflows', () => this.terminateOpenWorkflows());
  }

  /** PostgreSQL: DATABASE_URL's server or an embedded one; databases left by killed runs are dropped. */
  private async startPostgres(): Promise<void> {
    const pgPort = process.env.DATABASE_URL ? 0 : await findFreePort();
    this.pg = await postgresFromEnvOrEmbedded({
      dataDir: path.join(this.root, '.data', 'bench-pg'),
      port: pgPort,
      onLog: (line) => process.stderr.write(`[postgres] ${line}\n`),
    });
    if (this.pg.embedded) this.defer('embedded PostgreSQL', () => this.pg.stop());
    this.adminUrl = this.pg.url;
    progress(`PostgreSQL: ${this.pg.embedded ? 'embedded' : 'DATABASE_URL'} ${redactUrl(this.adminUrl)}`);
    await this.dropStaleDatabases();
  }

  /** Notes a workflow a scenario leaves open (a case, a waiting baseline workflow). */
  track(workflowId: string): void {
    this.openWorkflows.add(workflowId);
  }

  /** On a server of our own nothing is needed (it is deleted); on TEMPORAL_ADDRESS, terminate what we left open. */
  private async terminateOpenWorkflows(): Promise<void> {
    if (!this.temporal.external || this.openWorkflows.size === 0) return;
    progress(`terminating ${this.openWorkflows.size} workflows the bench left open on ${this.temporal.address}`);
    const ids = [...this.openWorkflows];
    let next = 0;
    const deadline = Date.now() + 300_000;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < ids.length && Date.now() < deadline) {
          const id = ids[next++];
          await this.client.workflow
            .getHandle(id)
            .terminate('ketnap bench finished')
            .catch(() => undefined); // already closed
        }
      }),
    );
  }

  /** Runs every cleanup step, newest first; never throws. */
  async stop(): Promise<void> {
    while (this.cleanups.length) {
      const c = this.cleanups.pop()!;
      try {
        await c.fn();
      } catch (e) {
        progress(`cleanup of ${c.name} failed: ${(e as Error).message}`);
      }
    }
  }

  /** Database and SQLite files of earlier bench runs that were killed (their pid is gone). */
  private removeStaleFiles(): void {
    if (!fs.existsSync(this.dataDir)) return;
    for (const f of fs.readdirSync(this.dataDir)) {
      const m = /^(?:temporal-\d+-(\d+)\.sqlite.*|run-\d+-(\d+))$/.exec(f);
      const pid = m ? Number(m[1] ?? m[2]) : NaN;
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) fs.rmSync(path.join(this.dataDir, f), { recursive: true, force: true });
    }
  }

  private async dropStaleDatabases(): Promise<void> {
    if (!this.pg.embedded && !isLoopback(this.adminUrl)) return;
    const names: string[] = await withClient(this.adminUrl, async (c) =>
      (await c.query(`SELECT datname FROM pg_database WHERE datname LIKE 'ketnap\\_bench\\_%' OR datname LIKE 'temporal\\_bench\\_%'`)).rows.map((r) => r.datname),
    );
    for (const name of names) {
      const pid = Number(/_(\d+)(?:_visibility)?$/.exec(name)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) {
        progress(`dropping ${name} (left by a killed bench run)`);
        await dropDatabase(this.adminUrl, name).catch(() => undefined);
      }
    }
    const roles: string[] = await withClient(this.adminUrl, async (c) => (await c.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE 'ketnap\\_bench\\_%\\_app'`)).rows.map((r) => r.rolname));
    for (const role of roles) {
      const pid = Number(/_(\d+)_app$/.exec(role)?.[1]);
      if (Number.isInteger(pid) && pid !== process.pid && !isAlive(pid)) await dropRole(this.adminUrl, role).catch(() => undefined);
    }
  }

  /** Path of the compiled bench workflows (dist/bench/src/workflows.js). */
  benchWorkflowsPath(): string {
    return fileURLToPath(new URL('./workflows.js', import.meta.url));
  }

  /**
   * The libs/domain modules the candidate bundle preloads into the reusable V8 context, as the production
   * worker does (bundlerOptions.preloadModules in libs/temporal/src/worker-factory.ts); none with
   * BENCH_NO_PRELOAD=1, an experiment that rebuilds the bundle as it was before the preload, for comparison
   * (bench-built bundles only: replay, worker-memory; the in-process ketnap worker always preloads).
   */
  preloadedDomainModules(): string[] {
    return process.env.BENCH_NO_PRELOAD === '1' ? [] : (bundlerOptions!.preloadModules ?? []);
  }

  /**
   * A prebuilt workflow bundle written under the run folder: 'candidate' (the current ketnap workflows,
   * bundled exactly as the worker does) or 'bench' (bench/src/workflows.ts). Returns the file path.
   */
  bundle(kind: 'candidate' | 'bench'): Promise<string> {
    let p = this.bundles.get(kind);
    if (!p) {
      p = (async () => {
        const t0 = Date.now();
        const b = await bundleWorkflowCode({
          workflowsPath: kind === 'candidate' ? workflowsEntry() : this.benchWorkflowsPath(),
          ...(kind === 'candidate'
            ? { webpackConfigHook: bundlerOptions!.webpackConfigHook, ignoreModules: bundlerOptions!.ignoreModules, preloadModules: this.preloadedDomainModules() }
            : {}),
          logger: new DefaultLogger('WARN'),
        });
        const file = path.join(this.runDir, `${kind}-bundle.js`);
        fs.writeFileSync(file, b.code);
        const preload = kind !== 'candidate' ? '' : this.preloadedDomainModules().length ? `, ${this.preloadedDomainModules().length} domain modules preloaded` : ', EXPERIMENT: no preload';
        progress(`bundled ${kind} workflows (${Math.round(b.code.length / 1024)} KiB, ${Date.now() - t0} ms${preload})`);
        return file;
      })();
      this.bundles.set(kind, p);
    }
    return p;
  }

  /** The bare worker (bench workflows; its one activity records storm ticks) on its own task queue; returns the task queue. */
  bareTaskQueue(): Promise<string> {
    this.bare ??= (async () => {
      const taskQueue = `bench-bare-${this.runId}-${process.pid}`;
      const connection = await NativeConnection.connect(temporalConnectionOptions(this.ketnapConfig().temporal));
      const worker = await Worker.create({
        connection,
        namespace: this.namespace,
        taskQueue,
        workflowBundle: { codePath: await this.bundle('bench') },
        dataConverter: temporalDataConverter(this.ketnapConfig(), { requireEncrypted: false }),
        activities: { stormTick: async (id: string) => void this.stormTicks.set(id, Date.now()) },
        shutdownGraceTime: '5 seconds',
      });
      const done = worker.run();
      this.defer('bare worker', async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await done.catch(() => undefined);
        await connection.close();
      });
      progress(`bare worker running on ${taskQueue}`);
      return taskQueue;
    })();
    return this.bare;
  }

  ketnapConfig(): KetnapConfig {
    return {
      ...loadConfig({
        DATABASE_URL: this.appDbUrl,
        TEMPORAL_ADDRESS: this.temporal.address,
        TEMPORAL_NAMESPACE: this.namespace,
        KETNAP_TASK_QUEUE: `bench-ketnap-${this.runId}-${process.pid}`,
        KETNAP_ADMIN_USERNAME: 'bench-admin',
        KETNAP_ADMIN_PASSWORD: 'bench-admin-password',
        KETNAP_CLOCK_SPEED: process.env.KETNAP_CLOCK_SPEED ?? '1',
        KETNAP_WORKER_CACHE_SIZE: process.env.KETNAP_WORKER_CACHE_SIZE,
        KETNAP_WORKFLOW_THREADS: process.env.KETNAP_WORKFLOW_THREADS,
        // Unset by default: the bench measures the workflow, not the cipher (set it to measure both).
        KETNAP_PAYLOAD_KEYS: process.env.KETNAP_PAYLOAD_KEYS,
        KETNAP_PAYLOAD_KEY_ID: process.env.KETNAP_PAYLOAD_KEY_ID,
        LOG_LEVEL: 'warn',
      }),
      port: 0,
    };
  }

  /** The ketnap API in this process, listening on a free loopback port. */
  api(): Promise<{ app: INestApplication; anon: Api; admin: Api; config: KetnapConfig }> {
    this.ketnapApi ??= (async () => {
      const config = this.ketnapConfig();
      // createApi enables Nest's shutdown hooks, which close the app on SIGINT/SIGTERM and then re-raise the
      // signal. The bench stops the API itself (in order, after the running scenario): drop those listeners.
      const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2', 'SIGBREAK'] as NodeJS.Signals[];
      const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
      const app = await createApi(config, { logger: ['error', 'warn'] });
      await app.listen(0, '127.0.0.1');
      for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
      this.defer('ketnap API', () => app.close());
      const anon = new Api(`http://127.0.0.1:${app.getHttpServer().address().port}`);
      const admin = await anon.login('bench-admin', 'bench-admin-password');
      progress(`ketnap API at ${anon.baseUrl}`);
      return { app, anon, admin, config };
    })();
    return this.ketnapApi;
  }

  /** The ketnap worker (production module, real projection into this run's database) in this process. */
  worker(): Promise<RunningWorker> {
    this.ketnapWorker ??= (async () => {
      const w = await startWorker(this.ketnapConfig(), { identity: `bench-${process.pid}` });
      this.defer('ketnap worker', () => w.stop());
      // startWorker creates the daily digest schedule for its task queue; on a server that outlives the run, remove it.
      if (this.temporal.external) {
        const id = digestScheduleId(this.ketnapConfig().temporal.taskQueue);
        this.defer('digest schedule', () => this.client.schedule.getHandle(id).delete().catch(() => undefined));
      }
      progress(`ketnap worker running on ${this.ketnapConfig().temporal.taskQueue}`);
      return w;
    })();
    return this.ketnapWorker;
  }

  /** API + worker, plus a small org tree with one user per approver role (created through the API). */
  ketnap(): Promise<KetnapTree> {
    this.tree ??= (async () => {
      await this.worker();
      const { admin, anon } = await this.api();
      const units = {} as KetnapTree['units'];
      const unit = async (key: keyof KetnapTree['units'], name: string, kind: string, parent?: keyof KetnapTree['units']) => {
        const r = await admin.post('/api/org-units', { name: `${name} bench`, kind, parentId: parent ? units[parent] : undefined });
        if (r.status !== 201) throw new Error(`org unit ${key}: ${r.status} ${JSON.stringify(r.body)}`);
        units[key] = r.body.id;
      };
      await unit('province', 'Tỉnh ủy', 'province');
      await unit('superior', 'Đảng ủy phường', 'superior', 'province');
      await unit('grassroots', 'Đảng ủy trường', 'grassroots_committee', 'superior');
      await unit('cell', 'Chi bộ giáo viên', 'cell', 'grassroots');
      await unit('centre', 'Trung tâm chính trị', 'training_centre', 'superior');
      const users = {} as KetnapTree['users'];
      const user = async (role: keyof KetnapTree['users'], unitKey: keyof KetnapTree['units']) => {
        const username = benchUsername(role);
        const r = await admin.post('/api/users', { username, password: BENCH_PASSWORD, fullName: `Bench ${role}`, roles: [{ role, orgUnitId: units[unitKey] }] });
        if (r.status !== 201) throw new Error(`user ${role}: ${r.status} ${JSON.stringify(r.body)}`);
        users[role] = await anon.login(username, BENCH_PASSWORD);
      };
      await user('cell_secretary', 'cell');
      await user('training_centre', 'centre');
      await user('grassroots_committee', 'grassroots');
      await user('superior_board', 'superior');
      progress('org tree and approvers seeded through the API');
      return { units, users };
    })();
    return this.tree;
  }

  /** PostgreSQL server version, for the report. */
  async postgresVersion(): Promise<string> {
    return withClient(this.adminUrl, async (c) => (await c.query('SHOW server_version')).rows[0].server_version);
  }

  describe(): Record<string, unknown> {
    return {
      ...(this.preloadedDomainModules().length ? {} : { experiment: 'BENCH_NO_PRELOAD=1: candidate bundle without libs/domain preloaded (bench-built bundles: replay, worker-memory)' }),
      temporal: {
        address: this.temporal?.address,
        external: this.temporal?.external,
        topology: this.temporal?.external ? 'external (TEMPORAL_ADDRESS)' : benchTopology() === 'server' ? `scale-out server v${TEMPORAL_SERVER_VERSION} on PostgreSQL` : 'dev server (SQLite file)',
        dynamicConfig: this.temporal?.external ? undefined : benchDynamicConfig(),
        sqlitePragmas: this.temporal?.external || benchTopology() === 'server' ? undefined : benchSqlitePragmas(),
      },
      postgres: { embedded: this.pg?.embedded, server: this.adminUrl ? redactUrl(this.adminUrl) : undefined, database: this.dbUrl ? databaseName(this.dbUrl) : undefined },
    };
  }
}

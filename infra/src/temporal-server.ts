/**
 * The scale-out topology: the real Temporal server (`go.temporal.io/server/cmd/server`, built by
 * infra/install-temporal-server.sh into .tools/bin/temporal-server) with its state in PostgreSQL instead of
 * the dev server's SQLite file. One process runs the four services (frontend, history, matching, worker),
 * each on its own ports, as a cluster node does; more nodes join through the same database (membership), and
 * the history shards spread over them.
 *
 * What `startTemporalServer` does, each step idempotent:
 *   1. creates the two databases (`<database>` and `<database>_visibility`) on the PostgreSQL server;
 *   2. loads and migrates their schemas with .tools/bin/temporal-sql-tool (the schema files are embedded in
 *      it: `setup-schema -v 0.0` once, then `update-schema --schema-name postgresql/v12/…` to the newest);
 *   3. writes the server's config (`<workDir>/config/ketnap.yaml`) and dynamic config
 *      (`<workDir>/config/dynamic.yaml`: ketnap's RECOMMENDED_DYNAMIC_CONFIG), and starts the server;
 *   4. registers the namespace (retention 30 days unless told) and waits until the frontend serves it.
 *
 * Loadable as ESM and as CommonJS (see processes.ts): no `import.meta`, no top-level await.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import { withClient, withDatabase } from './postgres.js';
import { describeExit, findFreePort, findFreePortIn, isPortOpen, runToCompletion, spawnManaged, waitForPort, type ManagedProcess } from './processes.js';
import { RECOMMENDED_DYNAMIC_CONFIG, serverEnv, waitForTemporal, type TemporalHandle } from './temporal-dev.js';

/** The server version infra/install-temporal-server.sh pins: the one inside the pinned CLI (v1.5.1). */
export const TEMPORAL_SERVER_VERSION = '1.29.1';

export interface TemporalServerOptions {
  /** Folder with `temporal-server` and `temporal-sql-tool` (default <repo>/.tools/bin, set by the caller). */
  binDir: string;
  /** Folder for the generated config files (created). */
  workDir: string;
  /** Admin URL of the PostgreSQL server that holds Temporal's state (postgres://user:pw@host:port/db). */
  postgresUrl: string;
  /** Name of the main database; visibility goes to `<database>_visibility`. Default 'temporal'. */
  database?: string;
  /** History shards: fixed for the life of the databases. Default 4 (the dev server has 1). */
  numHistoryShards?: number;
  /** Frontend gRPC port. Default: a free one. The other services' ports are always free ones. */
  port?: number;
  namespace?: string;
  /** Workflow history retention of a namespace this call registers. Default 30 days. */
  retentionDays?: number;
  /** Dynamic config on top of RECOMMENDED_DYNAMIC_CONFIG. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** Server log level: debug, info, warn, error. Default warn. */
  logLevel?: string;
  logName?: string;
  /** Own process group (see spawnManaged). Default false. */
  detached?: boolean;
  startTimeoutMs?: number;
  signal?: AbortSignal;
  onSpawn?: (proc: ManagedProcess) => void;
}

export interface TemporalServerHandle extends TemporalHandle {
  /** The databases holding Temporal's state. */
  databases: { main: string; visibility: string };
}

interface PgTarget {
  host: string;
  port: number;
  user: string;
  password: string;
}

function pgTarget(url: string): PgTarget {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port || 5432), user: decodeURIComponent(u.username || 'postgres'), password: decodeURIComponent(u.password) };
}

const IDENT = /^[a-z_][a-z0-9_]{0,40}$/;

async function sqlTool(binDir: string, pgt: PgTarget, database: string, args: string[], what: string): Promise<void> {
  const lines: string[] = [];
  const exit = await runToCompletion(
    'temporal-sql-tool',
    path.join(binDir, 'temporal-sql-tool'),
    ['--plugin', 'postgres12', '--ep', pgt.host, '-p', String(pgt.port), '-u', pgt.user, ...(pgt.password ? ['--pw', pgt.password] : []), '--db', database, ...args],
    { env: serverEnv(), quiet: true, onLine: (l) => lines.push(l) },
  );
  if (exit.code !== 0) throw new Error(`temporal-sql-tool: ${what} of ${database} failed (${describeExit(exit)}):\n${lines.slice(-15).join('\n')}`);
}

/** Creates `database` unless it exists and brings its schema (`schemaName`, embedded in the tool) to the newest version. */
async function ensureSchema(options: TemporalServerOptions, pgt: PgTarget, database: string, schemaName: string): Promise<void> {
  const created = await withClient(options.postgresUrl, async (c) => {
    if ((await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount) return false;
    await c.query(`CREATE DATABASE ${c.escapeIdentifier(database)} ENCODING 'UTF8' TEMPLATE template0`);
    return true;
  });
  const versioned = await withClient(withDatabase(options.postgresUrl, database), async (c) =>
    Boolean((await c.query(`SELECT 1 FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'schema_version'`)).rowCount),
  );
  if (created || !versioned) await sqlTool(options.binDir, pgt, database, ['setup-schema', '-v', '0.0'], 'setup-schema');
  await sqlTool(options.binDir, pgt, database, ['update-schema', '--schema-name', schemaName], 'update-schema');
}

function yamlString(s: string): string {
  return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
}

interface Ports {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

/** The server's static config: PostgreSQL persistence and visibility, one node with the four services on loopback. */
export function serverConfigYaml(o: { pg: PgTarget; main: string; visibility: string; shards: number; ports: Ports; logLevel: string; dynamicConfigFile: string }): string {
  const store = (db: string, maxConns: number) => `      sql:
        pluginName: "postgres12"
        databaseName: ${yamlString(db)}
        connectAddr: ${yamlString(`${o.pg.host}:${o.pg.port}`)}
        connectProtocol: "tcp"
        user: ${yamlString(o.pg.user)}
        password: ${yamlString(o.pg.password)}
        maxConns: ${maxConns}
        maxIdleConns: ${maxConns}
        maxConnLifetime: "1h"`;
  const service = (grpc: number, membership: number, http?: number) => `    rpc:
      grpcPort: ${grpc}
      membershipPort: ${membership}
      bindOnLocalHost: true${http ? `\n      httpPort: ${http}` : ''}`;
  return `# Written by infra/src/temporal-server.ts: do not edit (regenerated at every start).
log:
  stdout: true
  level: ${yamlString(o.logLevel)}

persistence:
  defaultStore: postgres-default
  visibilityStore: postgres-visibility
  numHistoryShards: ${o.shards}
  datastores:
    postgres-default:
${store(o.main, 20)}
    postgres-visibility:
${store(o.visibility, 4)}

global:
  membership:
    maxJoinDuration: 30s
    broadcastAddress: "127.0.0.1"

services:
  frontend:
${service(o.ports.frontend, o.ports.frontendMembership, o.ports.frontendHttp)}
  matching:
${service(o.ports.matching, o.ports.matchingMembership)}
  history:
${service(o.ports.history, o.ports.historyMembership)}
  worker:
${service(o.ports.worker, o.ports.workerMembership)}

clusterMetadata:
  enableGlobalNamespace: false
  failoverVersionIncrement: 10
  masterClusterName: "active"
  currentClusterName: "active"
  clusterInformation:
    active:
      enabled: true
      initialFailoverVersion: 1
      rpcName: "frontend"
      rpcAddress: ${yamlString(`127.0.0.1:${o.ports.frontend}`)}

dcRedirectionPolicy:
  policy: "noop"

dynamicConfigClient:
  filepath: ${yamlString(o.dynamicConfigFile)}
  pollInterval: "10s"
`;
}

/** Dynamic config file: every key once, unconstrained. */
export function dynamicConfigYaml(values: Record<string, string | number | boolean>): string {
  return (
    '# Written by infra/src/temporal-server.ts: ketnap\'s recommended settings (RECOMMENDED_DYNAMIC_CONFIG).\n' +
    Object.entries(values)
      .map(([k, v]) => `${k}:\n  - value: ${typeof v === 'string' ? yamlString(v) : String(v)}\n    constraints: {}\n`)
      .join('')
  );
}

async function registerNamespace(address: string, namespace: string, retentionDays: number): Promise<void> {
  const connection = await Connection.connect({ address, connectTimeout: 5_000 });
  try {
    await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) });
  } catch (e) {
    if ((e as { code?: number }).code !== 6) throw e; // ALREADY_EXISTS: a restart on the same databases
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/**
 * The node's ports: those of its last start in this workDir when they are free again (a node that comes back
 * on other ports leaves its old membership rows pointing nowhere, and the ring waits for them to expire),
 * otherwise free ones. Membership ports are stored in a smallint column (cluster_membership.rpc_port), so
 * they stay below 32768, out of the OS's ephemeral range.
 */
async function choosePorts(options: TemporalServerOptions): Promise<Ports> {
  const file = path.join(path.resolve(options.workDir), 'config', 'ports.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let last: Partial<Ports> = {};
  try {
    last = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<Ports>;
  } catch {
    /* first start */
  }
  const taken = new Set<number>();
  const pick = async (key: keyof Ports, fixed?: number): Promise<number> => {
    let port = fixed ?? last[key];
    if (fixed === undefined && (port === undefined || taken.has(port) || (await isPortOpen('127.0.0.1', port)))) {
      do port = key.endsWith('Membership') ? await findFreePortIn(20_000, 32_000) : await findFreePort();
      while (taken.has(port));
    }
    taken.add(port!);
    return port!;
  };
  const ports = {} as Ports;
  for (const key of ['frontend', 'frontendHttp', 'frontendMembership', 'history', 'historyMembership', 'matching', 'matchingMembership', 'worker', 'workerMembership'] as const) {
    ports[key] = await pick(key, key === 'frontend' ? options.port : undefined);
  }
  fs.writeFileSync(file, JSON.stringify(ports, null, 2) + '\n');
  return ports;
}

export async function startTemporalServer(options: TemporalServerOptions): Promise<TemporalServerHandle> {
  const main = options.database ?? 'temporal';
  const visibility = `${main}_visibility`;
  if (!IDENT.test(main)) throw new Error(`Temporal database name "${main}": lower-case letters, digits and _ only`);
  for (const b of ['temporal-server', 'temporal-sql-tool']) {
    if (!fs.existsSync(path.join(options.binDir, b))) throw new Error(`${b} not found in ${options.binDir} — run: bash infra/install-temporal-server.sh`);
  }
  const namespace = options.namespace ?? 'default';
  const pgt = pgTarget(options.postgresUrl);
  await ensureSchema(options, pgt, main, 'postgresql/v12/temporal');
  await ensureSchema(options, pgt, visibility, 'postgresql/v12/visibility');

  const ports = await choosePorts(options);
  const configDir = path.join(path.resolve(options.workDir), 'config');
  const dynamicConfigFile = path.join(configDir, 'dynamic.yaml');
  fs.writeFileSync(dynamicConfigFile, dynamicConfigYaml({ ...RECOMMENDED_DYNAMIC_CONFIG, ...options.dynamicConfig }));
  fs.writeFileSync(
    path.join(configDir, 'ketnap.yaml'),
    serverConfigYaml({ pg: pgt, main, visibility, shards: options.numHistoryShards ?? 4, ports, logLevel: options.logLevel ?? 'warn', dynamicConfigFile }),
    { mode: 0o600 }, // it holds the database password
  );

  const proc = spawnManaged(
    options.logName ?? 'temporal-server',
    path.join(options.binDir, 'temporal-server'),
    ['--root', path.resolve(options.workDir), '--config', 'config', '--env', 'ketnap', '--allow-no-auth', 'start'],
    { env: serverEnv(), detached: options.detached ?? false, stopTimeoutMs: 20_000, muteOnStop: true },
  );
  options.onSpawn?.(proc);
  const address = `127.0.0.1:${ports.frontend}`;
  try {
    const timeoutMs = options.startTimeoutMs ?? 120_000;
    const started = Date.now();
    await waitForPort('127.0.0.1', ports.frontend, { timeoutMs, process: proc, signal: options.signal, what: `Temporal server port ${ports.frontend}` });
    await waitForTemporal(address, 'temporal-system', { timeoutMs, process: proc, signal: options.signal });
    await registerNamespace(address, namespace, options.retentionDays ?? 30);
    await waitForTemporal(address, namespace, { timeoutMs: Math.max(5_000, timeoutMs - (Date.now() - started)), process: proc, signal: options.signal });
    // The frontend learns a new namespace on its next registry refresh (2 s): wait until it serves one.
    await waitForNamespaceServed(address, namespace, proc, options.signal);
  } catch (e) {
    const crashed = proc.exitInfo;
    await proc.stop(5_000);
    if (crashed) throw new Error(`Temporal server exited during start (${describeExit(crashed)}); see the [${options.logName ?? 'temporal-server'}] lines above`);
    throw e;
  }
  return { address, namespace, external: false, process: proc, databases: { main, visibility }, stop: async () => void (await proc.stop()) };
}

/** Until a namespace-scoped call that goes through the frontend's namespace registry succeeds. */
async function waitForNamespaceServed(address: string, namespace: string, proc: ManagedProcess, signal?: AbortSignal): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        await connection.workflowService.describeTaskQueue({ namespace, taskQueue: { name: 'ketnap-readiness' }, taskQueueType: 1 });
        return;
      } catch (e) {
        if (proc.exitInfo || signal?.aborted || Date.now() > deadline) throw new Error(`namespace "${namespace}" not served by ${address}: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  } finally {
    await connection.close().catch(() => undefined);
  }
}

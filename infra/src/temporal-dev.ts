/**
 * The Temporal dev server (`temporal server start-dev`, from the pinned CLI in .tools/bin) with a
 * SQLite file for persistence — or an existing server named by TEMPORAL_ADDRESS.
 *
 * Loadable as ESM and as CommonJS (see processes.ts): no `import.meta`, no top-level await.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { assertPortFree, describeExit, spawnManaged, waitFor, waitForPort, type ManagedProcess, type WaitOptions } from './processes.js';

/**
 * Server settings ketnap recommends for any Temporal server it runs on (dev server here; on a cluster, its
 * dynamic config). Eager activity dispatch: the server hands an activity scheduled by a workflow task back
 * in its answer to that task when the same worker can run it, instead of through the activity task queue —
 * one poll round trip less for every projection (measured in BENCHMARKS.md, decision-round-trip).
 */
export const RECOMMENDED_DYNAMIC_CONFIG: Readonly<Record<string, boolean>> = { 'system.enableActivityEagerExecution': true };

/**
 * SQLite settings ketnap gives the dev server: write-ahead logging, and `synchronous=normal` (a sync at each
 * checkpoint, not at each commit). The CLI's default (rollback journal, a sync per commit) caps the server
 * at one fsync-bound transaction after another: 500 timers due at once drained at 69/s with it and 166–193/s
 * with these, on the same machine (BENCHMARKS.md, timer-storm). What it trades: a power cut (not a crash
 * of the process) may lose the last transactions before a checkpoint; the file stays consistent. The dev
 * server is the single-machine default; the scale-out topology keeps Temporal's state in PostgreSQL.
 */
export const RECOMMENDED_SQLITE_PRAGMAS: readonly string[] = ['journal_mode=wal', 'synchronous=normal'];

export interface TemporalDevServerOptions {
  /** Path to the `temporal` CLI binary. */
  bin: string;
  /** SQLite file for the server's state (its folder is created). */
  dbFile: string;
  /** Frontend gRPC port. */
  port: number;
  /** Web UI port; the CLI's default is port + 1000. Ignored when headless. */
  uiPort?: number;
  /** Namespace the application uses; 'default' always exists, others are created at launch. */
  namespace?: string;
  /** Disable the Web UI. */
  headless?: boolean;
  /** Interface to bind. Default 127.0.0.1. */
  ip?: string;
  /** Server log level: debug, info, warn, error, never. Default warn. */
  logLevel?: string;
  /** Name used to prefix the server's output. Default 'temporal'. */
  logName?: string;
  /** Dynamic config values for the server (`--dynamic-config-value key=value`), e.g. { 'system.enableActivityEagerExecution': true }. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** SQLite pragmas for the server's file (`--sqlite-pragma name=value`), e.g. RECOMMENDED_SQLITE_PRAGMAS. */
  sqlitePragmas?: readonly string[];
  /** Own process group (see spawnManaged). Default false. */
  detached?: boolean;
  /** How long to wait for the server to answer. Default 120 s. */
  startTimeoutMs?: number;
  /**
   * An already running server to use instead of starting one. Defaults to process.env.TEMPORAL_ADDRESS;
   * pass null to always start a server.
   */
  existingAddress?: string | null;
  /** Abort the start (e.g. on Ctrl-C). */
  signal?: AbortSignal;
  /** Called right after the server process is spawned (before it is ready), e.g. to register it for shutdown. */
  onSpawn?: (proc: ManagedProcess) => void;
}

export interface TemporalHandle {
  /** host:port of the frontend gRPC service. */
  address: string;
  namespace: string;
  /** Web UI URL, when this process started the server with a UI. */
  uiUrl?: string;
  /** True when the server was already running (TEMPORAL_ADDRESS): stop() then does nothing. */
  external: boolean;
  /** The server process, when this process started it. */
  process?: ManagedProcess;
  stop(): Promise<void>;
}

/**
 * Waits until the frontend at `address` answers GetSystemInfo and knows `namespace`.
 * Each attempt opens a fresh Connection (the first attempts fail while the server boots).
 */
export async function waitForTemporal(address: string, namespace = 'default', options: WaitOptions = {}): Promise<void> {
  await waitFor(
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        const deadline = () => new Date(Date.now() + 5_000);
        await connection.withDeadline(deadline(), () => connection.workflowService.getSystemInfo({}));
        await connection.withDeadline(deadline(), () => connection.workflowService.describeNamespace({ namespace }));
        return true;
      } finally {
        await connection.close().catch(() => undefined);
      }
    },
    { timeoutMs: 120_000, intervalMs: 500, what: `Temporal at ${address} (namespace "${namespace}") to answer`, ...options },
  );
}

/** Env for a Temporal binary without TEMPORAL_* variables (the CLI and the server read some as their own settings). */
export function serverEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TEMPORAL_')) env[k] = v;
  return env;
}

export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalHandle> {
  const namespace = options.namespace ?? 'default';
  const existing = options.existingAddress === undefined ? process.env.TEMPORAL_ADDRESS : options.existingAddress;
  if (existing) {
    await waitForTemporal(existing, namespace, { timeoutMs: options.startTimeoutMs ?? 30_000, signal: options.signal });
    return { address: existing, namespace, external: true, stop: async () => undefined };
  }

  if (!fs.existsSync(options.bin)) {
    throw new Error(`Temporal CLI not found at ${options.bin} — run: bash infra/install-temporal.sh`);
  }
  const ip = options.ip ?? '127.0.0.1';
  await assertPortFree(ip, options.port, 'is another Temporal server running? Set TEMPORAL_ADDRESS to use it, or stop it');
  if (!options.headless && options.uiPort !== undefined) {
    await assertPortFree(ip, options.uiPort, 'choose another Temporal UI port');
  }
  fs.mkdirSync(path.dirname(path.resolve(options.dbFile)), { recursive: true });

  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.resolve(options.dbFile),
    '--ip',
    ip,
    '--port',
    String(options.port),
    '--log-level',
    options.logLevel ?? 'warn',
  ];
  if (options.headless) args.push('--headless');
  else if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));
  if (namespace !== 'default') args.push('--namespace', namespace);
  for (const [key, value] of Object.entries(options.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  for (const pragma of options.sqlitePragmas ?? []) args.push('--sqlite-pragma', pragma);

  const proc = spawnManaged(options.logName ?? 'temporal', options.bin, args, {
    env: serverEnv(),
    detached: options.detached ?? false,
    stopTimeoutMs: 15_000,
    // While stopping, the dev server logs a burst of harmless "context canceled"/"graceful_stop" lines.
    muteOnStop: true,
  });
  options.onSpawn?.(proc);
  const address = `${ip}:${options.port}`;
  const handle: TemporalHandle = {
    address,
    namespace,
    external: false,
    process: proc,
    uiUrl: options.headless ? undefined : `http://${ip}:${options.uiPort ?? options.port + 1000}`,
    stop: async () => {
      await proc.stop();
    },
  };
  try {
    const timeoutMs = options.startTimeoutMs ?? 120_000;
    const started = Date.now();
    await waitForPort(ip, options.port, { timeoutMs, process: proc, signal: options.signal, what: `Temporal port ${options.port}` });
    await waitForTemporal(address, namespace, {
      timeoutMs: Math.max(5_000, timeoutMs - (Date.now() - started)),
      process: proc,
      signal: options.signal,
    });
  } catch (e) {
    const crashed = proc.exitInfo;
    await proc.stop(5_000);
    if (crashed) {
      throw new Error(`Temporal dev server exited during start (${describeExit(crashed)}); see the [temporal] lines above`);
    }
    throw e;
  }
  return handle;
}

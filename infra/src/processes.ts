/**
 * Small process helpers for the dev/test tooling: spawn children with prefixed, line-buffered
 * output, wait for TCP ports, find free ports, and stop children gracefully (SIGTERM, then SIGKILL
 * after a timeout) in reverse start order.
 *
 * This module must stay loadable both as ESM (compiled to dist/) and as CommonJS (jest loads
 * test/support/global-setup.ts through a require hook), so: no `import.meta`, no top-level await.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnManagedOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * Start the child in its own process group. It then does not receive the terminal's Ctrl-C
   * directly (the parent decides the shutdown order) and stop() signals the whole group, so
   * grandchildren are stopped too. Default false.
   */
  detached?: boolean;
  /** What the child's stdin is: 'ignore' (default) or 'pipe' (kept open until the child is stopped). */
  stdin?: 'ignore' | 'pipe';
  /** Called for every complete output line (without the prefix), stdout and stderr alike. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Do not echo the child's output (onLine is still called). */
  quiet?: boolean;
  /** Stop echoing output once stop() was called (servers that log noise while shutting down). */
  muteOnStop?: boolean;
  /** Milliseconds between SIGTERM and SIGKILL in stop(). Default 10000. */
  stopTimeoutMs?: number;
  /** Signal sent first by stop(). Default SIGTERM. */
  stopSignal?: NodeJS.Signals;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves once the child has exited (never rejects). */
  readonly exited: Promise<ExitInfo>;
  /** Set once the child has exited. */
  readonly exitInfo: ExitInfo | undefined;
  /** True once stop() was called: an exit after that is expected. */
  readonly stopping: boolean;
  /** SIGTERM (or stopSignal), wait up to the timeout, then SIGKILL. Safe to call repeatedly. */
  stop(timeoutMs?: number): Promise<ExitInfo>;
}

const COLOURS = [36, 35, 33, 32, 34, 96, 95, 93];
let colourIndex = 0;
const useColour = (stream: NodeJS.WriteStream) => Boolean(stream.isTTY) && !process.env.NO_COLOR;

/** `[name] ` in a stable colour per process when writing to a terminal. */
export function prefixFor(name: string, stream: NodeJS.WriteStream = process.stdout, colour?: number): string {
  const tag = `[${name}]`;
  return useColour(stream) && colour !== undefined ? `\x1b[${colour}m${tag}\x1b[0m ` : `${tag} `;
}

/** Prints `[tag] message` lines: the tooling's own progress output. */
export function logger(tag: string) {
  return {
    info: (msg: string) => process.stdout.write(`${prefixFor(tag, process.stdout, 1)}${msg}\n`),
    warn: (msg: string) => process.stderr.write(`${prefixFor(tag, process.stderr, 33)}WARNING: ${msg}\n`),
    error: (msg: string) => process.stderr.write(`${prefixFor(tag, process.stderr, 31)}ERROR: ${msg}\n`),
  };
}

/**
 * Splits a byte stream into lines: handles partial chunks, UTF-8 characters split across chunks
 * (Vietnamese text!) and a final line without newline.
 */
function lineSplitter(onLine: (line: string) => void) {
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  return {
    push(chunk: Buffer | string) {
      buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        onLine(line);
      }
    },
    flush() {
      buffer += decoder.end();
      if (buffer.length > 0) {
        const rest = buffer;
        buffer = '';
        onLine(rest);
      }
    },
  };
}

/** Running children, with a synchronous kill for the exit hook. */
const live = new Map<ManagedProcess, () => void>();
let exitHookInstalled = false;

/**
 * Last resort: when this Node process exits (normally, via process.exit or an uncaught exception)
 * with children still running, SIGKILL them so nothing is left behind. Graceful shutdown is the
 * caller's job (stopAll); this only catches what was missed. It cannot help against SIGKILL of the
 * parent itself.
 */
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [p, killNow] of live) {
      if (p.exitInfo) continue;
      try {
        killNow();
      } catch {
        /* already gone */
      }
    }
  });
}

function signalProcess(p: { pid: number; child: ChildProcess }, signal: NodeJS.Signals, group = false) {
  if (group) {
    try {
      process.kill(-p.pid, signal);
      return;
    } catch {
      /* fall through to the single process */
    }
  }
  p.child.kill(signal);
}

/** Spawns `command args` and echoes its output line by line as `[name] line`. */
export function spawnManaged(name: string, command: string, args: readonly string[], options: SpawnManagedOptions = {}): ManagedProcess {
  const spawnOptions: SpawnOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    detached: options.detached ?? false,
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  };
  const child = spawn(command, [...args], spawnOptions);
  const colour = COLOURS[colourIndex++ % COLOURS.length];

  let exitInfo: ExitInfo | undefined;
  let stopping = false;
  let resolveExited!: (info: ExitInfo) => void;
  const exited = new Promise<ExitInfo>((resolve) => (resolveExited = resolve));

  const echo = (stream: 'stdout' | 'stderr') => {
    const target = stream === 'stdout' ? process.stdout : process.stderr;
    return lineSplitter((line) => {
      try {
        options.onLine?.(line, stream);
      } catch {
        /* a listener's bug must not kill the log pipe */
      }
      if (options.quiet || (stopping && options.muteOnStop)) return;
      // A child that already prefixes its lines with the same `[name] ` is not prefixed twice.
      const text = line.startsWith(`[${name}] `) ? line.slice(name.length + 3) : line;
      target.write(`${prefixFor(name, target, colour)}${text}\n`);
    });
  };
  const out = echo('stdout');
  const err = echo('stderr');
  child.stdout?.on('data', (c) => out.push(c));
  child.stderr?.on('data', (c) => err.push(c));
  child.stdin?.on('error', () => {
    /* EPIPE when the child exits first */
  });

  let spawnError: Error | undefined;
  child.on('error', (e) => {
    // ENOENT/EACCES: the child never started; 'close' may not follow, so settle here too.
    spawnError = e;
    if (!exitInfo && child.pid === undefined) finish({ code: 127, signal: null });
  });
  child.on('close', (code, signal) => finish({ code, signal }));

  const handle: ManagedProcess = {
    name,
    pid: child.pid ?? -1,
    child,
    exited,
    get exitInfo() {
      return exitInfo;
    },
    get stopping() {
      return stopping;
    },
    stop: (timeoutMs = options.stopTimeoutMs ?? 10_000) => stopOne(timeoutMs),
  };

  function finish(info: ExitInfo) {
    if (exitInfo) return;
    out.flush();
    err.flush();
    if (spawnError && child.pid === undefined) {
      process.stderr.write(`${prefixFor(name, process.stderr, colour)}failed to start ${command}: ${spawnError.message}\n`);
    }
    exitInfo = info;
    live.delete(handle);
    resolveExited(info);
  }

  let stopPromise: Promise<ExitInfo> | undefined;
  function stopOne(timeoutMs: number): Promise<ExitInfo> {
    stopping = true;
    if (exitInfo) return Promise.resolve(exitInfo);
    if (stopPromise) return stopPromise;
    stopPromise = (async () => {
      const group = options.detached ?? false;
      try {
        child.stdin?.end();
      } catch {
        /* ignore */
      }
      try {
        signalProcess(handle, options.stopSignal ?? 'SIGTERM', group);
      } catch {
        /* already gone */
      }
      const timer = new AbortController(); // cleared below, so a pending timeout never holds the event loop
      const timedOut = await Promise.race([exited.then(() => false), delay(timeoutMs, timer.signal).then(() => !exitInfo)]);
      timer.abort();
      if (timedOut && !exitInfo) {
        process.stderr.write(`${prefixFor(name, process.stderr, colour)}did not stop within ${timeoutMs} ms, sending SIGKILL\n`);
        try {
          signalProcess(handle, 'SIGKILL', group);
        } catch {
          /* already gone */
        }
      }
      return exited;
    })();
    return stopPromise;
  }

  if (child.pid !== undefined) {
    live.set(handle, () => signalProcess(handle, 'SIGKILL', options.detached ?? false));
    installExitHook();
  }
  return handle;
}

/** Stops the given processes one after the other, last started first. Never throws. */
export async function stopAll(processes: readonly ManagedProcess[], timeoutMs?: number): Promise<void> {
  for (const p of [...processes].reverse()) {
    await p.stop(timeoutMs).catch(() => undefined);
  }
}

/** Runs a command to completion with prefixed output; resolves with its exit info. */
export async function runToCompletion(name: string, command: string, args: readonly string[], options: SpawnManagedOptions = {}): Promise<ExitInfo> {
  return spawnManaged(name, command, args, options).exited;
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** One connection attempt: resolves true when something accepts on host:port. */
export function isPortOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.removeAllListeners();
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Stop waiting early (e.g. on Ctrl-C). */
  signal?: AbortSignal;
  /** A process whose exit means the wait can never succeed. */
  process?: ManagedProcess;
  /** What is being waited for, for error messages. */
  what?: string;
}

/** Polls `check` until it returns true; throws on timeout, abort, or when `process` exits. */
export async function waitFor(check: () => Promise<boolean>, options: WaitOptions = {}): Promise<void> {
  const { timeoutMs = 60_000, intervalMs = 250, signal, process: proc, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (signal?.aborted) throw new Error(`aborted while waiting for ${what}`);
    if (proc?.exitInfo) {
      throw new Error(`${proc.name} exited (${describeExit(proc.exitInfo)}) while waiting for ${what}`);
    }
    try {
      if (await check()) return;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const detail = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${detail}`);
    }
    await delay(intervalMs, signal);
  }
}

/** Waits until something accepts TCP connections on host:port. */
export function waitForPort(host: string, port: number, options: WaitOptions = {}): Promise<void> {
  return waitFor(() => isPortOpen(host, port), { what: `${host}:${port} to accept connections`, ...options });
}

/** A TCP port that was free a moment ago (bind to port 0, read the port, release it). */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return listenAndRelease(host, 0).then((port) => {
    if (!port) throw new Error('could not determine a free port');
    return port;
  });
}

/** Binds host:port (0: any), reads the port and releases it; 0 when the port is taken. */
function listenAndRelease(host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', (e: NodeJS.ErrnoException) => (port && e.code === 'EADDRINUSE' ? resolve(0) : reject(e)));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A free port in [low, high] (random tries): for servers that store their ports in narrow columns, such as
 * Temporal's cluster membership (a signed 16-bit port, so below 32768, where the OS's own ephemeral range starts).
 */
export async function findFreePortIn(low: number, high: number, host = '127.0.0.1'): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const candidate = low + Math.floor(Math.random() * (high - low + 1));
    if (await listenAndRelease(host, candidate)) return candidate;
  }
  throw new Error(`no free port between ${low} and ${high} on ${host}`);
}

/** Fails with a clear message when something already listens on host:port. */
export async function assertPortFree(host: string, port: number, hint = ''): Promise<void> {
  if (await isPortOpen(host, port)) {
    throw new Error(`port ${host}:${port} is already in use${hint ? ` — ${hint}` : ''}`);
  }
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
}

/**
 * Load drivers. Every loop is bounded in count AND time, and stops early when the run is aborted.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export class Aborted extends Error {
  constructor() {
    super('aborted');
    this.name = 'Aborted';
  }
}

export function checkAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new Aborted();
}

export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return;
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    /* aborted: the caller checks the signal */
  }
}

export interface LoopResult {
  /** Successful operations. */
  count: number;
  errors: number;
  firstError?: string;
  /** Latency of each successful operation, ms. */
  latencies: number[];
  elapsedMs: number;
  /** Successful operations per second over the whole loop. */
  perSecond: number;
}

/**
 * Closed loop: `clients` workers, each running `op` back to back until `durationMs` has passed or
 * `maxCount` operations were started in total.
 */
export async function closedLoop(o: {
  clients: number;
  durationMs: number;
  maxCount: number;
  signal: AbortSignal;
  op: (client: number, i: number) => Promise<void>;
}): Promise<LoopResult> {
  const latencies: number[] = [];
  let started = 0;
  let errors = 0;
  let firstError: string | undefined;
  const t0 = performance.now();
  const end = t0 + o.durationMs;
  const worker = async (client: number) => {
    while (!o.signal.aborted && performance.now() < end && started < o.maxCount) {
      const i = started++;
      const s = performance.now();
      try {
        await o.op(client, i);
        latencies.push(performance.now() - s);
      } catch (e) {
        errors++;
        firstError ??= (e as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: o.clients }, (_, c) => worker(c)));
  checkAborted(o.signal);
  const elapsedMs = performance.now() - t0;
  return { count: latencies.length, errors, firstError, latencies, elapsedMs, perSecond: (latencies.length / elapsedMs) * 1000 };
}

/**
 * Open loop: operation i is launched at t0 + i/rate whatever the earlier ones are doing (no coordinated
 * omission); `op` gets its scheduled time and returns the latency it measured from it, or throws.
 * Waits for every launched operation, at most `drainMs` after the last launch.
 */
export async function openLoop(o: {
  rate: number;
  count: number;
  signal: AbortSignal;
  drainMs?: number;
  /** Stop launching (then drain) once this returns true; checked before each launch. */
  until?: () => boolean;
  op: (i: number, scheduledAt: number) => Promise<number>;
}): Promise<LoopResult & { lateStartsMs: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let lateStartsMs = 0;
  const inflight = new Set<Promise<void>>();
  const interval = 1000 / o.rate;
  const t0 = performance.now();
  const stop = () => o.signal.aborted || (o.until?.() ?? false);
  for (let i = 0; i < o.count && !stop(); i++) {
    const at = t0 + i * interval;
    await delay(at - performance.now(), o.signal);
    if (stop()) break;
    lateStartsMs = Math.max(lateStartsMs, performance.now() - at);
    const p: Promise<void> = o
      .op(i, at)
      .then((ms) => void latencies.push(ms))
      .catch((e) => {
        errors++;
        firstError ??= (e as Error).message;
      })
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }
  const drainEnd = performance.now() + (o.drainMs ?? 30_000);
  while (inflight.size && performance.now() < drainEnd && !o.signal.aborted) await Promise.race([...inflight, delay(100)]);
  checkAborted(o.signal);
  if (inflight.size) {
    errors += inflight.size;
    firstError ??= `${inflight.size} operations still running ${o.drainMs ?? 30_000} ms after the last launch`;
  }
  const elapsedMs = performance.now() - t0;
  return { count: latencies.length, errors, firstError, latencies, elapsedMs, perSecond: (latencies.length / elapsedMs) * 1000, lateStartsMs };
}

/** Runs `fn` over items with at most `concurrency` at a time (bounded by the items given). */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, signal: AbortSignal, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      checkAborted(signal);
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}

export function now(): number {
  return performance.now();
}

/** Several loops' results as one (rounds of the same measurement). */
export function mergeLoops(parts: LoopResult[]): LoopResult {
  const count = parts.reduce((s, p) => s + p.count, 0);
  const elapsedMs = parts.reduce((s, p) => s + p.elapsedMs, 0);
  return {
    count,
    errors: parts.reduce((s, p) => s + p.errors, 0),
    firstError: parts.find((p) => p.firstError)?.firstError,
    latencies: parts.flatMap((p) => p.latencies),
    elapsedMs,
    perSecond: (count / elapsedMs) * 1000,
  };
}

/**
 * Bench-only workflows: the bare-Temporal baselines the ketnap scenarios are compared with. Bundled on its
 * own (dist/bench/src/workflows.js), so it imports nothing but the workflow SDK.
 */
import { allHandlersFinished, condition, defineUpdate, proxyActivities, setHandler, sleep } from '@temporalio/workflow';

/** A no-op update: the handler only counts. */
export const pingUpdate = defineUpdate<number>('ping');

/** Returns at once: the cheapest workflow start there is. */
export async function noopWorkflow(): Promise<void> {
  // nothing
}

/** Waits until it has received `n` no-op updates, then returns how many it got. */
export async function waitForUpdatesWorkflow(n: number): Promise<number> {
  let count = 0;
  setHandler(pingUpdate, () => ++count);
  await condition(() => count >= n);
  await condition(allHandlersFinished);
  return count;
}

/**
 * The full-path baseline: waits for `before` no-op updates, then one durable timer of `timerMs` (the
 * probation's real duration under the fast clock), then `after` more updates, and returns the count.
 */
export async function pathBaselineWorkflow(before: number, timerMs: number, after: number): Promise<number> {
  let count = 0;
  setHandler(pingUpdate, () => ++count);
  await condition(() => count >= before);
  await sleep(timerMs);
  await condition(() => count >= before + after);
  await condition(allHandlersFinished);
  return count;
}

/** The bare worker's one activity: records that it ran (bench/src/env.ts). */
export interface BareActivities {
  stormTick(id: string): Promise<void>;
}
const { stormTick } = proxyActivities<BareActivities>({ startToCloseTimeout: '30 seconds' });

/**
 * The timer-storm baseline: a durable timer to the real instant `atMs`, then one activity (a reminder's
 * write and delivery, as ketnap's one activity per reminder), then it stays open, as a case does, until the
 * bench terminates it.
 */
export async function stormBaselineWorkflow(atMs: number, id: string): Promise<void> {
  const wait = atMs - Date.now();
  if (wait > 0) await sleep(wait);
  await stormTick(id);
  await condition(() => false);
}

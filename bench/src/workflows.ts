/**
 * Bench-only workflows: the bare-Temporal baselines the ketnap scenarios are compared with. Bundled on its
 * own (dist/bench/src/workflows.js), so it imports nothing but the workflow SDK.
 */
import { allHandlersFinished, condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

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

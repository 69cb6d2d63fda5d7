import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { completeTaskUpdate, requestEnvelope, type TaskSnapshot } from '../../workflows/candidate/candidate.messages.js';
import { CaseDriver, TEST_ACTOR } from '../support/case-driver.js';
import { validDecision } from '../support/decisions.js';
import { fastClock, newCandidate, routingOf } from '../support/fixtures.js';
import { WorkflowTestEnv } from '../support/workflow-env.js';

/**
 * Issue 17, the morning run's 10–12 s decisions (BENCHMARKS.md §9). With a cache smaller than the cases in
 * play and as many workflow-task slots as cache entries (or more: the SDK's default is 40), the SDK's
 * core makes room for a buffered task by evicting a case whose own task is still running — one waiting for its
 * projection's local activity loses its completion, and the server times that task out 10 s later. The worker
 * now holds at most half its cache in tasks (workflowTaskSlots); here a burst of decisions on more cases than
 * the cache holds must all complete without a single workflow task timing out.
 */
const CACHE = 4;
const CASES = 24;
/** A slow database (each projection write waits first): the local activity's wait is when the core evicts. */
const PROJECTION_DELAY_MS = 300;
let env: WorkflowTestEnv;

beforeAll(async () => {
  env = await WorkflowTestEnv.start('wf-small-cache');
  await env.stopWorker();
  // The slots derived from the cache (2). With `workflowTaskSlots: CACHE` this
  // test failed in each of 3 runs here (1 of 24 tasks timed out each time; core: "…only an eviction. This is an SDK bug.").
  await env.startWorker({ maxCachedWorkflows: CACHE, projectionDelayMs: PROJECTION_DELAY_MS });
});

afterAll(async () => {
  await env?.stop();
});

it('decides a burst of cases that do not fit in the cache without a workflow task timing out', async () => {
  const cases: { c: CaseDriver; task: TaskSnapshot }[] = await Promise.all(
    Array.from({ length: CASES }, async () => {
      const c = await CaseDriver.start(env.client, env.taskQueue, await newCandidate(env.ds, routingOf(env.tree), fastClock()));
      return { c, task: await c.openTask('recognize_sympathiser', 60_000) };
    }),
  );
  // Every case at once, most of them out of the cache (4 of 16 at most are in it).
  const answers = await Promise.all(
    cases.map(({ c, task }) => {
      const p = validDecision('recognize_sympathiser', c.today());
      return c.handle.executeUpdate(completeTaskUpdate, { args: [{ ...requestEnvelope(c.handle.workflowId, randomUUID()), taskId: task.id, outcome: p.outcome, data: p.data, actor: TEST_ACTOR }] });
    }),
  );
  expect(answers.every((a) => a.openTasks.some((t) => t.type === 'record_training_certificate'))).toBe(true);

  const timedOut: string[] = [];
  for (const { c } of cases) {
    const history = await c.handle.fetchHistory();
    const n = (history.events ?? []).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT).length;
    if (n) timedOut.push(`${c.handle.workflowId}: ${n}`);
  }
  expect(timedOut).toEqual([]);
});

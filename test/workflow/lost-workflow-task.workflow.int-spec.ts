import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AuditRepository } from '../../libs/persistence/src/repositories/audit.repository.js';
import { projectionBatches } from '../../libs/temporal/src/candidate-history.js';
import { completeTaskUpdate, requestEnvelope, stateQuery } from '../../workflows/candidate/candidate.messages.js';
import { CaseDriver, TEST_ACTOR } from '../support/case-driver.js';
import { validDecision } from '../support/decisions.js';
import { fastClock, newCandidate, routingOf, waitFor } from '../support/fixtures.js';
import { WorkflowTestEnv } from '../support/workflow-env.js';

/**
 * Issue 17, patch `local-projection-v1`: the projection is a local activity, so its rows are in PostgreSQL
 * before the workflow task that made them is recorded in Temporal. Here that task is lost right after the
 * write (test/support/lose-task-after-local-projection.ts: the state `kill -9` of the worker leaves), again and
 * again until a sound worker takes the case over. The read model must end up exactly as the history says
 * (what the audit replay compares), with the lost writes kept aside, the hash chain whole, and the decision
 * applied once.
 */
let env: WorkflowTestEnv;
const losing = [fileURLToPath(new URL('../support/lose-task-after-local-projection.ts', import.meta.url))];

beforeAll(async () => {
  env = await WorkflowTestEnv.start('wf-lost-task');
});

afterAll(async () => {
  await env?.stop();
});

const rows = async (id: string) =>
  (await env.ds.query(`SELECT seq, type, at, data FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`, [id])) as { seq: number; type: string; at: Date; data: unknown }[];

it('keeps the retry’s rows and withdraws the lost task’s when a worker dies between the local projection write and its workflow task', async () => {
  const c = await CaseDriver.start(env.client, env.taskQueue, await newCandidate(env.ds, routingOf(env.tree), fastClock()));
  const task = await c.openTask('recognize_sympathiser');
  const before = await waitFor('the case projected', async () => {
    const r = await rows(c.input.candidateId);
    return r.length && r.at(-1)!.seq === (await c.handle.query(stateQuery)).version ? r : undefined;
  });

  // A worker that loses every workflow task right after its projection write.
  await env.stopWorker();
  await env.startWorker({ workflowInterceptorModules: losing });
  const p = validDecision('recognize_sympathiser', c.today());
  const decided = c.handle.executeUpdate(completeTaskUpdate, { args: [{ ...requestEnvelope(c.handle.workflowId, randomUUID()), taskId: task.id, outcome: p.outcome, data: p.data, actor: TEST_ACTOR }] });
  decided.catch(() => undefined);
  const lost = await waitFor('the lost task’s write', async () => {
    const r = await rows(c.input.candidateId);
    return r.length > before.length ? r : undefined;
  });
  expect(lost.slice(before.length).map((e) => e.type)).toContain('decision_recorded');
  // Let it lose a few more attempts (each writes again, at its own workflow time), then a sound worker takes over.
  await new Promise((r) => setTimeout(r, 1500));
  await env.stopWorker();
  await env.startWorker();
  const summary = await decided;
  expect(summary.openTasks.map((t) => t.type)).toContain('record_training_certificate');

  // The read model is the history's, event by event (the audit replay's comparison), times included.
  const history = await c.handle.fetchHistory();
  const recorded = (await projectionBatches(history)).flatMap((b) => b.batch.events);
  const projected = await waitFor('the retry’s write', async () => {
    const r = await rows(c.input.candidateId);
    return r.length === recorded.length ? r : undefined;
  });
  expect(projected.map((e) => [e.seq, e.type, e.at.toISOString(), e.data])).toEqual(recorded.map((e) => [e.seq, e.type, new Date(e.at).toISOString(), e.data]));
  expect(projected.filter((e) => e.type === 'decision_recorded')).toHaveLength(1);

  // What the lost attempts wrote is kept aside, not lost: the write seen above among them, with its own (earlier) times.
  const withdrawn: { seq: number; at: Date; type: string }[] = await env.ds.query(
    `SELECT seq, at, type FROM candidate_events_withdrawn WHERE candidate_id = $1 ORDER BY withdrawn_at, seq`,
    [c.input.candidateId],
  );
  const seen = lost.slice(before.length).map((e) => [e.seq, e.type, e.at.getTime()]);
  expect(withdrawn.map((w) => [w.seq, w.type, w.at.getTime()])).toEqual(expect.arrayContaining(seen));
  expect(Math.min(...withdrawn.map((w) => w.at.getTime()))).toBeLessThan(Math.min(...projected.slice(before.length).map((e) => e.at.getTime())));

  // The chain verifies, and the open tasks are the workflow's.
  expect((await new AuditRepository(env.ds).verify(env.tree.cell.path, { limit: 10_000, offset: 0 })).ok).toBe(true);
  const state = await c.handle.query(stateQuery);
  const open: { id: string }[] = await env.ds.query(`SELECT id FROM tasks WHERE candidate_id = $1 AND status = 'open' ORDER BY id`, [c.input.candidateId]);
  expect(open.map((t) => t.id)).toEqual(state.openTasks.map((t) => t.id).sort());
  const [row] = await env.ds.query(`SELECT version, stage FROM candidates WHERE id = $1`, [c.input.candidateId]);
  expect(row).toEqual({ version: state.version, stage: state.stage });
});

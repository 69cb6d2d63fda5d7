import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { reorganiseUpdate, type ReorganisationRequest } from '../../workflows/candidate/candidate.messages.js';
import { CaseDriver } from '../support/case-driver.js';
import { ADMISSION_STEPS, RECOGNITION_STEPS } from '../support/decisions.js';
import { fastClock, newCandidate, routingOf, type OrgTree } from '../support/fixtures.js';
import { WorkflowTestEnv, refusalCode } from '../support/workflow-env.js';

/**
 * The `reorganise` update (issue 16) on the real Temporal server: a case whose superior was dissolved moves its
 * open step to the new superior, records `org_restructured`, and runs to its end on the new units. Its history
 * is stored for the replay test (KETNAP_RECORD_HISTORIES=1 KETNAP_HISTORY_SUFFIX=.reorg-v1).
 */
let env: WorkflowTestEnv;
let ds: DataSource;
let tree: OrgTree;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  env = await WorkflowTestEnv.start('wf-reorg');
  ({ ds, tree, client, taskQueue } = env);
});

afterAll(async () => {
  await env?.stop();
});


describe('reorganise update on the real Temporal server', () => {
  it('moves the open superior step to the superior that replaced a dissolved one, once, and the case runs on to its end there', async () => {
    const c = await CaseDriver.start(client, taskQueue, await newCandidate(ds, routingOf(tree), fastClock()));
    await c.decideAll(ADMISSION_STEPS.slice(0, 7));
    const before = await c.openTask('superior_admission_decision');
    expect(before.orgUnitId).toBe(tree.superior.id);

    const routing = { ...routingOf(tree), superiorId: tree.otherSuperior.id };
    const reorganisationId = randomUUID();
    const request = (requestId: string, r = routing): ReorganisationRequest => ({
      workflowId: c.handle.workflowId,
      requestId,
      reorganisationId,
      action: 'dissolve',
      routing: r,
      unitNames: { [tree.superior.id]: tree.superior.name, [tree.otherSuperior.id]: tree.otherSuperior.name },
      actor: { userId: '00000000-0000-4000-8000-000000000002', username: 'admin', role: 'admin' },
    });
    await expect(refusalCode(c.handle.executeUpdate(reorganiseUpdate, { args: [request(randomUUID(), routingOf(tree))] }))).resolves.toBe('org_restructure_no_change');
    const updateId = `reorg-${reorganisationId}`;
    const s = await c.handle.executeUpdate(reorganiseUpdate, { updateId, args: [request(updateId)] });
    expect(s.routing).toEqual(routing);
    expect(s.openTasks.find((t) => t.id === before.id)).toMatchObject({ orgUnitId: tree.otherSuperior.id, role: 'superior_board', dueAt: before.dueAt });
    // The same update again (a retried job chunk) is the first one's answer, applied once.
    await c.handle.executeUpdate(reorganiseUpdate, { updateId, args: [request(updateId)] });
    const [task] = await ds.query(`SELECT org_unit_id AS "orgUnitId" FROM tasks WHERE id = $1`, [before.id]);
    expect(task.orgUnitId).toBe(tree.otherSuperior.id);
    const [cand] = await ds.query(`SELECT routing FROM candidates WHERE id = $1`, [c.input.candidateId]);
    expect(cand.routing).toEqual(routing);

    await c.decideAll(ADMISSION_STEPS.slice(7));
    await c.decide('record_new_member_training');
    await c.decideAll(RECOGNITION_STEPS);
    expect((await c.result()).status).toBe('official');
    const evs = await ds.query(`SELECT type, data FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`, [c.input.candidateId]);
    const restructured = evs.filter((e: { type: string }) => e.type === 'org_restructured');
    expect(restructured).toHaveLength(1);
    expect(restructured[0].data).toMatchObject({ reorganisationId, units: [{ slot: 'superiorId', from: tree.superior.id, to: tree.otherSuperior.id, fromName: tree.superior.name, toName: tree.otherSuperior.name }] });
    const [recognition] = await ds.query(`SELECT org_unit_id AS "orgUnitId" FROM tasks WHERE candidate_id = $1 AND type = 'superior_recognition_decision'`, [c.input.candidateId]);
    expect(recognition.orgUnitId).toBe(tree.otherSuperior.id);
    await c.recordHistory('reorganised-superior-dissolved');
  });
});

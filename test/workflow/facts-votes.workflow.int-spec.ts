import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { updateFactsUpdate, type UpdateFactsRequest } from '../../workflows/candidate/candidate.messages.js';
import { CaseDriver, TEST_ACTOR } from '../support/case-driver.js';
import { ADMISSION_STEPS, RECOGNITION_STEPS } from '../support/decisions.js';
import { fastClock, newCandidate, routingOf, type OrgTree } from '../support/fixtures.js';
import { WorkflowTestEnv, refusalCode } from '../support/workflow-env.js';

/**
 * Issue 16 on the real Temporal server: the `updateFacts` update (facts changing over a long path, checked by every
 * later decision; the read-model row follows) and cell votes counted against official members less those the
 * rules leave out (§3.2 S6). Its history is stored for the replay test
 * (KETNAP_RECORD_HISTORIES=1 KETNAP_HISTORY_SUFFIX=.facts-votes-v1).
 */
let env: WorkflowTestEnv;
let ds: DataSource;
let tree: OrgTree;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  env = await WorkflowTestEnv.start('wf-facts-votes');
  ({ ds, tree, client, taskQueue } = env);
});

afterAll(async () => {
  await env?.stop();
});


describe('facts and vote denominators on the real Temporal server', () => {
  it('refuses the cell vote on the old education, records the new facts once, counts the votes over the denominator, and runs to the end', async () => {
    const c = await CaseDriver.start(client, taskQueue, await newCandidate(ds, routingOf(tree), fastClock(), { education: 'primary' }));
    await c.decideAll(ADMISSION_STEPS.slice(0, 5));
    // Primary education outside a hardship area: the cell vote is refused (§2.2).
    await expect(refusalCode(c.decide('cell_admission_vote'))).resolves.toBe('education_insufficient');

    const request = (requestId: string, changes: UpdateFactsRequest['changes']): UpdateFactsRequest => ({
      workflowId: c.handle.workflowId,
      requestId,
      changes,
      reason: 'Bằng tốt nghiệp THCS số 45/2025',
      actor: TEST_ACTOR,
    });
    await expect(refusalCode(c.handle.executeUpdate(updateFactsUpdate, { args: [request(randomUUID(), { education: 'primary' })] }))).resolves.toBe('facts_unchanged');
    const updateId = randomUUID();
    const s = await c.handle.executeUpdate(updateFactsUpdate, { updateId, args: [request(updateId, { education: 'lower_secondary' })] });
    expect(s.facts).toEqual({ education: 'lower_secondary', youthUnionMember: true, hardshipArea: false, placeId: null });
    // The same update id again is the first one's answer, applied once.
    await c.handle.executeUpdate(updateFactsUpdate, { updateId, args: [request(updateId, { education: 'lower_secondary' })] });
    const [row] = await ds.query(`SELECT education FROM candidates WHERE id = $1`, [c.input.candidateId]);
    expect(row.education).toBe('lower_secondary');

    // 12 − 1 suspended − 2 exempted and absent = 9 counted; 6 of 9 reaches two thirds.
    await expect(refusalCode(c.decide('cell_admission_vote', { data: { officialMembers: 12, exclusions: { suspended: 1, exemptedAbsent: 2 }, inFavour: 5 } }))).resolves.toBe('two_thirds_not_reached');
    await c.decide('cell_admission_vote', { data: { officialMembers: 12, exclusions: { suspended: 1, exemptedAbsent: 2 }, inFavour: 6 } });
    await c.decideAll(ADMISSION_STEPS.slice(6));
    await c.decide('record_new_member_training');
    await c.decide('probation_review');
    // 9 − 3 temporarily attached elsewhere = 6 counted; 4 of 6 recognise.
    await c.decide('cell_recognition_vote', { data: { officialMembers: 9, exclusions: { temporarilyAttached: 3 }, inFavour: 4 } });
    await c.decideAll(RECOGNITION_STEPS.slice(2));
    expect((await c.result()).status).toBe('official');

    const evs = await ds.query(`SELECT type, data FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`, [c.input.candidateId]);
    const changed = evs.filter((e: { type: string }) => e.type === 'candidate_facts_changed');
    expect(changed).toHaveLength(1);
    expect(changed[0].data).toMatchObject({ changes: [{ field: 'education', from: 'primary', to: 'lower_secondary' }], reason: 'Bằng tốt nghiệp THCS số 45/2025' });
    const votes = evs.filter((e: { type: string; data: { taskType?: string } }) => e.type === 'decision_recorded' && e.data.taskType?.startsWith('cell_'));
    expect(votes.map((e: { data: { decision: { denominator: number } } }) => e.data.decision.denominator)).toEqual([9, 6]);
    await c.recordHistory('facts-and-denominators');
  });
});

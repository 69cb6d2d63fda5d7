import type { DataSource } from 'typeorm';
import { Client } from '@temporalio/client';
import { OrgUnitRepository } from '../../libs/persistence/src/repositories/org-unit.repository.js';
import { stateQuery } from '../../workflows/candidate/candidate.messages.js';
import { CaseDriver } from '../support/case-driver.js';
import { ADMISSION_STEPS } from '../support/decisions.js';
import { businessToday, fastClock, newCandidate, routingOf, waitFor, type OrgTree } from '../support/fixtures.js';
import { WorkflowTestEnv } from '../support/workflow-env.js';

/**
 * The structures of issue 16 on the real Temporal server, in one case: a re-admission (§2.4) in a cell under a
 * partial committee (7-KNĐ, §3.2 S7) of a grassroots committee authorised to admit (§3.2 S8–S9), the province's
 * written approval, then, on probation, a transfer to an ordinary cell (T9, T10, §7.7) and recognition there.
 * Its history is stored for the replay test (KETNAP_RECORD_HISTORIES=1 KETNAP_HISTORY_SUFFIX=.structures-v1).
 */
let env: WorkflowTestEnv;
let ds: DataSource;
let tree: OrgTree;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  env = await WorkflowTestEnv.start('wf-structures');
  ({ ds, tree, client, taskQueue } = env);
});

afterAll(async () => {
  await env?.stop();
});

describe('partial committee, authorised grassroots committee, re-admission and a probationary transfer', () => {
  it('runs the whole path on those routes and records each', async () => {
    const units = new OrgUnitRepository(ds);
    const grassroots = (await units.get(tree.grassroots.id))!;
    const partial = await units.create(`Đảng ủy bộ phận ${grassroots.id.slice(0, 6)}`, 'partial_committee', grassroots);
    const routing = { ...routingOf(tree), partialCommitteeId: partial.id, grassrootsAuthorised: true };
    const clock = fastClock();
    const input = await newCandidate(ds, routing, clock);
    input.readmission = { leftOn: '2019-06-03', leftHow: 'resigned_hardship', previouslyReadmitted: false, firstAdmittedOn: '2008-05-19' };
    const c = await CaseDriver.start(client, taskQueue, input);

    await c.decideAll(ADMISSION_STEPS.slice(0, 6)); // up to the cell's resolution
    expect(await c.openTask('partial_admission_appraisal')).toMatchObject({ orgUnitId: partial.id, role: 'partial_committee' });
    await c.decide('partial_admission_appraisal');
    // Authorised: no proposal to the superior; the re-admission first needs the province's written approval.
    expect(await c.openTask('province_readmission_approval')).toMatchObject({ orgUnitId: tree.province.id, role: 'superior_board' });
    await c.decide('province_readmission_approval');
    expect(await c.openTask('superior_admission_decision')).toMatchObject({ orgUnitId: tree.grassroots.id, role: 'grassroots_committee' });
    await c.decide('superior_admission_decision');
    await c.decide('admission_ceremony');

    // On probation: moved to an ordinary cell of another superior (its routing as the API resolves it).
    const other = (await units.get(tree.otherCell.id))!;
    const otherRouting = (await units.routingOf(other))!;
    expect(otherRouting).not.toHaveProperty('grassrootsAuthorised');
    await c.transfer(otherRouting, 'Chuyển công tác');
    const receipt = await c.openTask('receive_transfer');
    expect(receipt).toMatchObject({ orgUnitId: other.id, role: 'cell_secretary' });
    // At this clock's speed the 30 working days pass in well under a second: the letter comes late, with reasons.
    await waitFor('T10 to pass', async () => (businessToday(clock) > receipt.dueDate! ? true : undefined));
    await c.decide('receive_transfer', { data: { presentedOn: c.today(), lateReason: 'Chờ quyết định điều động' } });

    await c.decide('record_new_member_training');
    await c.decideAll(['probation_review', 'cell_recognition_vote', 'grassroots_recognition_review']);
    expect(await c.openTask('superior_recognition_decision')).toMatchObject({ orgUnitId: otherRouting.superiorId, role: 'superior_board' });
    const end = await c.decide('superior_recognition_decision');
    expect(end.status).toBe('official');

    const events = (await c.handle.query(stateQuery)).tasks;
    expect(events.map((t) => t.type)).toEqual(expect.arrayContaining(['partial_admission_appraisal', 'province_readmission_approval', 'receive_transfer']));
    expect(events.map((t) => t.type)).not.toContain('grassroots_admission_review');
    await c.recordHistory('structures-readmission-transfer');
  });
});

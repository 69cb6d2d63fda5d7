import { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { checkImportRow, IMPORT_COLUMNS, parseImportFile } from '../../libs/domain/src/candidate-import.js';
import type { CandidateWorkflowInput } from '../../workflows/candidate/candidate.messages.js';
import { CaseDriver } from '../support/case-driver.js';
import { businessToday, fastClock, routingOf, waitFor, type OrgTree } from '../support/fixtures.js';
import { WorkflowTestEnv } from '../support/workflow-env.js';

/**
 * An imported case (input.imported, issue 16) on the real Temporal server: it starts at its stage with its past
 * applied, the clock of its open step runs from the real past date (overdue at once), and it goes on as any
 * case. Its history is stored for the replay test (KETNAP_RECORD_HISTORIES=1 KETNAP_HISTORY_SUFFIX=.imported-v1;
 * the case imported past its probation: KETNAP_HISTORY_SUFFIX=.imported-recognition-v1).
 */
let env: WorkflowTestEnv;
let ds: DataSource;
let tree: OrgTree;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  env = await WorkflowTestEnv.start('wf-import');
  ({ ds, tree, client, taskQueue } = env);
});

afterAll(async () => {
  await env?.stop();
});

const ROW: Record<string, string> = {
  fullName: 'Nguyễn Thị Lan', dateOfBirth: '12/04/1999', gender: 'nữ', ethnicity: 'Kinh', education: 'university', youthUnionMember: 'có',
  cell: 'x', sourceOrganization: 'Đoàn trường', introducedOn: '06/01/2025',
  sympathiserMeetingDate: '06/01/2025', mentorName: 'Trần Thị Bình', certificateNo: '12/CN-2025', certificateIssuedOn: '20/01/2025',
  applicationDate: '03/02/2025', cvSubmittedOn: '03/02/2025', backgroundConcludedOn: '03/03/2025', relativesChecked: 'father:clear',
  introducer1Name: 'Lê Văn Cường', introducer1MonthsTogether: '24', introducer2Name: 'Phạm Thị Dung', introducer2MonthsTogether: '14', youthUnionAtGrassroots: 'không',
  opinionsMassOrganizations: 'Nhất trí', opinionsResidence: 'Nhất trí', dossierCompiledOn: '17/03/2025',
  cellMeetingDate: '07/04/2025', cellOfficialMembers: '9', cellInFavour: '7',
  grassrootsResolutionDate: '21/04/2025', grassrootsCommitteeMembers: '7', grassrootsInFavour: '6',
  admissionDecisionNo: '123-QĐ/ĐU', admissionDecisionDate: '12/05/2025', superiorBoardMembers: '9', superiorInFavour: '7',
};

describe('an imported case on the real Temporal server', () => {
  it('starts waiting for its ceremony, overdue at once, and goes on as any case', async () => {
    const clock = fastClock(1);
    const keys = IMPORT_COLUMNS.map((c) => c.key);
    const file = parseImportFile([keys.join(','), keys.map((k) => ROW[k] ?? '').join(',')].join('\n'));
    const row = checkImportRow(file.rows[0], businessToday(clock));
    expect(row.errors).toEqual([]);
    const importer = { userId: randomUUID(), username: 'nhaplieu', fullName: 'Đỗ Thị Nhập' };
    const input: CandidateWorkflowInput = {
      candidateId: randomUUID(),
      fullName: row.fullName,
      facts: { dateOfBirth: row.dateOfBirth!, youthUnionMember: true, education: 'university', hardshipArea: false },
      routing: routingOf(tree),
      clock,
      source: row.source!,
      createdBy: importer,
      profile: { gender: 'female', ethnicity: 'Kinh' },
      imported: { source: { fileName: 'dang-bo.csv', sha256: 'ab'.repeat(32), row: 2 }, importedBy: importer, stage: row.stage!, steps: row.steps },
    };
    const c = await CaseDriver.start(client, taskQueue, input);
    const id = input.candidateId;
    // The first projection writes the row, the imported past and the open step; the missed deadline follows at once.
    const types = await waitFor('the missed deadline', async () => {
      const evs: { type: string }[] = await ds.query(`SELECT type FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`, [id]);
      return evs.some((e) => e.type === 'deadline_missed') ? evs.map((e) => e.type) : undefined;
    });
    expect(types.slice(0, 3)).toEqual(['candidate_created', 'task_opened', 'case_imported']);
    expect(types.filter((t) => t === 'decision_recorded')).toHaveLength(8);
    const [cand] = await ds.query(`SELECT stage, status, full_name AS "fullName" FROM candidates WHERE id = $1`, [id]);
    expect(cand).toEqual({ stage: 'ceremony', status: 'active', fullName: 'Nguyễn Thị Lan' });
    const open: { type: string; due_date: string }[] = await ds.query(`SELECT type, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM tasks WHERE candidate_id = $1 AND status = 'open' ORDER BY type`, [id]);
    expect(open.map((t) => t.type)).toEqual(['admission_ceremony', 'overdue_escalation']);
    expect(open[0].due_date < businessToday(clock)).toBe(true);

    // A ceremony this late needs the superior's consent first (T4); the case goes on as any other: here it is withdrawn.
    const after = await c.withdraw('Chuyển công tác');
    expect(after.status).toBe('withdrawn');
    expect((await c.result()).status).toBe('withdrawn');
    await c.recordHistory('imported-waiting-for-ceremony');
  });

  it('starts a member past probation at the cell recognition vote after two votes without two thirds, overdue on T6, and goes on to official', async () => {
    const clock = fastClock(1);
    const past: Record<string, string> = {
      ...ROW,
      ceremonyDate: '26/05/2025',
      newMemberCertificateNo: '45/CN-ĐVM',
      newMemberCertificateIssuedOn: '15/09/2025',
      probationSelfReviewOn: '01/06/2026',
      probationMentorReviewOn: '02/06/2026',
      probationOpinionsMassOrganizations: 'Tốt',
      probationOpinionsResidence: 'Tốt',
      recognitionInconclusiveVotes: '08/06/2026:9:5:3; 22/06/2026:9:5:2',
    };
    const keys = IMPORT_COLUMNS.map((c) => c.key);
    const file = parseImportFile([keys.join(','), keys.map((k) => past[k] ?? '').join(',')].join('\n'));
    const row = checkImportRow(file.rows[0], businessToday(clock));
    expect(row).toMatchObject({ errors: [], stage: 'cell_recognition_vote' });
    const importer = { userId: randomUUID(), username: 'nhaplieu', fullName: 'Đỗ Thị Nhập' };
    const input: CandidateWorkflowInput = {
      candidateId: randomUUID(),
      fullName: row.fullName,
      facts: { dateOfBirth: row.dateOfBirth!, youthUnionMember: true, education: 'university', hardshipArea: false },
      routing: routingOf(tree),
      clock,
      source: row.source!,
      createdBy: importer,
      profile: { gender: 'female', ethnicity: 'Kinh' },
      imported: { source: { fileName: 'dang-bo.csv', sha256: 'cd'.repeat(32), row: 2 }, importedBy: importer, stage: row.stage!, steps: row.steps },
    };
    const c = await CaseDriver.start(client, taskQueue, input);
    const id = input.candidateId;
    // T6 ran from the end of the 12 months (2026-05-26): the vote is overdue at once.
    const events = await waitFor('the missed T6', async () => {
      const evs: { type: string; business_date: string; data: any }[] = await ds.query(
        `SELECT type, to_char(business_date, 'YYYY-MM-DD') AS business_date, data FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`,
        [id],
      );
      return evs.some((e) => e.type === 'deadline_missed' && e.data.taskType === 'cell_recognition_vote') ? evs : undefined;
    });
    expect(events.find((e) => e.type === 'probation_ended')).toMatchObject({ business_date: '2026-05-26' });
    const decided = events.filter((e) => e.type === 'decision_recorded').slice(8);
    expect(decided.map((e) => `${e.data.taskType}:${e.data.outcome}@${e.business_date}`)).toEqual([
      'admission_ceremony:held@2025-05-26',
      'record_new_member_training:pass@2025-09-15',
      'probation_review:submit@2026-06-02',
      'cell_recognition_vote:inconclusive@2026-06-08',
      'cell_recognition_vote:inconclusive@2026-06-22',
    ]);
    expect(decided.every((e) => e.data.imported?.sha256 === 'cd'.repeat(32))).toBe(true);
    const [cand] = await ds.query(`SELECT stage, to_char(probation_ends_on, 'YYYY-MM-DD') AS "probationEndsOn" FROM candidates WHERE id = $1`, [id]);
    expect(cand).toEqual({ stage: 'cell_recognition_vote', probationEndsOn: '2026-05-26' });
    const vote = await c.openTask('cell_recognition_vote');
    expect(vote).toMatchObject({ attempt: 3, dueRule: { anchorDate: '2026-05-26' } });

    // The third vote reaches two thirds; the path goes on as any case, official from the end of the 12 months.
    await c.decideAll(['cell_recognition_vote', 'grassroots_recognition_review', 'superior_recognition_decision']);
    const done = await c.result();
    expect(done).toMatchObject({ status: 'official', officialFrom: '2026-05-26', partyAgeFrom: '2025-05-12' });
    await c.recordHistory('imported-at-recognition-vote');
  });
});

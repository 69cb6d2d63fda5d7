import { randomUUID } from 'node:crypto';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { ClockService } from '../../apps/api/src/clock/clock.service.js';
import type { Routing } from '../../libs/domain/src/procedure.js';
import { temporalConnectionOptions, temporalDataConverter } from '../../libs/temporal/src/connection.js';
import { CANDIDATE_WORKFLOW_TYPE, candidateWorkflowId, syncUpdate, type CandidateWorkflowInput } from '../../workflows/candidate/candidate.messages.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * Writes interrupted by a dead API process (what `npm run chaos` kills with -9): a case whose workflow started
 * has its read-model row whatever happened to the API (the API writes none itself, so a failed start leaves
 * nothing behind: the orphan the chaos run found with PostgreSQL killed mid-creation), and a keyed
 * creation, transfer or withdrawal left unanswered is answered to its retry (after the takeover delay) without
 * being applied twice.
 */
const sys = new TestSystem();
let ds: DataSource;
let connection: Connection;
let temporal: Client;

beforeAll(async () => {
  await sys.start();
  ds = await openDataSource();
  connection = await Connection.connect(temporalConnectionOptions(sys.config.temporal));
  temporal = new Client({ connection, namespace: sys.config.temporal.namespace, dataConverter: temporalDataConverter(sys.config, { requireEncrypted: false }) });
});

afterAll(async () => {
  await connection?.close();
  await ds?.destroy();
  await sys.stop();
});

/** What a kill -9 after the request reached Temporal leaves behind: the key without an answer, past the takeover delay. */
async function forgetAnswer(key: string): Promise<void> {
  await ds.query(`UPDATE idempotency_keys SET status_code = NULL, response = NULL, created_at = now() - interval '10 minutes' WHERE key = $1`, [key]);
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1 AND status_code IS NULL`, [key]);
  expect(n).toBe(1);
}

const candidateBody = async (fullName: string) => ({
  cellId: sys.units.cell,
  fullName,
  dateOfBirth: '2000-02-29',
  gender: 'female',
  ethnicity: 'Tày',
  religion: 'Phật giáo',
  education: 'university',
  youthUnionMember: true,
  occupation: 'public_employee',
  source: { organization: 'Đoàn trường', introducedOn: await sys.today() },
});

describe('a case whose API process died mid-creation', () => {
  it('gets its read-model row from its own workflow when the API started it and wrote nothing', async () => {
    // Exactly what the API sends (update-with-start), and then nothing: the process is gone.
    const candidateId = randomUUID();
    const fullName = `Lò Thị Sáng ${sys.tag}`;
    const secretary = (await sys.users.secretary.get('/api/auth/me')).body;
    const u = sys.units;
    const routing: Routing = { cellId: u.cell, provinceId: u.province, grassrootsId: u.grassroots, grassrootsIsCell: false, superiorId: u.superior, trainingCentreId: u.centre };
    const input: CandidateWorkflowInput = {
      candidateId,
      fullName,
      facts: { dateOfBirth: '2001-07-19', youthUnionMember: true, education: 'upper_secondary' },
      routing,
      clock: sys.app.get(ClockService).current(),
      source: { organization: 'Chi đoàn thôn', introducedOn: await sys.today() },
      createdBy: { userId: secretary.id, username: secretary.username },
      profile: { gender: 'female', ethnicity: 'Thái', religion: null, occupation: 'farmer', sector: null, professionalQualification: null, placeId: null },
    };
    const start = new WithStartWorkflowOperation(CANDIDATE_WORKFLOW_TYPE, {
      taskQueue: sys.config.temporal.taskQueue,
      workflowId: candidateWorkflowId(candidateId),
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    });
    await temporal.workflow.startUpdateWithStart(syncUpdate, { startWorkflowOperation: start, waitForStage: 'ACCEPTED' });

    const row = await waitFor('the candidate row', async () => (await ds.query(`SELECT * FROM candidates WHERE id = $1`, [candidateId]))[0]);
    expect(row).toMatchObject({ full_name: fullName, gender: 'female', ethnicity: 'Thái', occupation: 'farmer', education: 'upper_secondary', cell_id: sys.units.cell, created_by: secretary.id, workflow_id: candidateWorkflowId(candidateId) });
    expect(new Date(row.created_at).getTime()).toBe((await temporal.workflow.getHandle(candidateWorkflowId(candidateId)).describe()).startTime.getTime());
    // The case is whole: visible in its jurisdiction with its first step open, and its history starts at seq 1.
    const task = await sys.openTask(sys.users.secretary, candidateId, 'recognize_sympathiser');
    expect(task.candidateName).toBe(fullName);
    expect((await sys.users.secretary.get(`/api/candidates/${candidateId}`)).body).toMatchObject({ fullName, stage: 'source_review', status: 'active' });
    expect((await sys.history(candidateId))[0]).toMatchObject({ seq: 1 });
  });

  it('answers the retry of a keyed creation with the case the first attempt started: one case, the same id', async () => {
    const body = await candidateBody(`Vi Thị Lan ${sys.tag}`);
    const key = `create-${sys.tag}`;
    const first = await sys.users.secretary.post('/api/candidates', body, { 'idempotency-key': key });
    expect(first.body).toMatchObject({ stage: 'source_review' });
    expect(first.status).toBe(201);
    await forgetAnswer(key);
    const retry = await sys.users.secretary.post('/api/candidates', body, { 'idempotency-key': key });
    expect(retry.status).toBe(201);
    expect(retry.body).toMatchObject({ id: first.body.id, stage: 'source_review', status: 'active' });
    const rows = await ds.query(`SELECT id FROM candidates WHERE full_name = $1`, [body.fullName]);
    expect(rows).toEqual([{ id: first.body.id }]);
    const created = (await sys.history(first.body.id)).filter((e) => e.type === 'candidate_created');
    expect(created).toHaveLength(1);
    // A fresh unanswered key is still 409: the first attempt may be running.
    await ds.query(`UPDATE idempotency_keys SET status_code = NULL, response = NULL, created_at = now() WHERE key = $1`, [key]);
    expect((await sys.users.secretary.post('/api/candidates', body, { 'idempotency-key': key })).status).toBe(409);
    // Another user's same key names another case.
    const other = await sys.users.grassroots.post('/api/candidates', body, { 'idempotency-key': key });
    expect(other.status).toBe(201);
    expect(other.body.id).not.toBe(first.body.id);
  });

  it('answers the retry of a keyed transfer and of a keyed withdrawal, each applied once', async () => {
    const id = await sys.newCandidate(sys.users.secretary, `Sầm Văn Chuyển ${sys.tag}`);
    await sys.openTask(sys.users.secretary, id, 'recognize_sympathiser');
    const transfer = { toCellId: sys.units.otherCell, reason: 'Chuyển công tác' };
    const tKey = `transfer-${sys.tag}`;
    const moved = await sys.users.provinceBoard.post(`/api/candidates/${id}/transfer`, transfer, { 'idempotency-key': tKey });
    expect(moved.status).toBe(200);
    await forgetAnswer(tKey);
    const movedAgain = await sys.users.provinceBoard.post(`/api/candidates/${id}/transfer`, transfer, { 'idempotency-key': tKey });
    expect(movedAgain.status).toBe(200);
    expect(movedAgain.body).toMatchObject({ id, stage: moved.body.stage });

    const wKey = `withdraw-${sys.tag}`;
    const withdrawn = await sys.users.provinceBoard.post(`/api/candidates/${id}/withdraw`, { reason: 'Xin rút' }, { 'idempotency-key': wKey });
    expect(withdrawn.status).toBe(200);
    await forgetAnswer(wKey);
    // The withdrawal ended the case (and its workflow): the retry still gets the first outcome, not a 409.
    const retried = await sys.users.provinceBoard.post(`/api/candidates/${id}/withdraw`, { reason: 'Xin rút' }, { 'idempotency-key': wKey });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(withdrawn.body);
    // Another withdrawal of the ended case is refused.
    expect((await sys.users.provinceBoard.post(`/api/candidates/${id}/withdraw`, { reason: 'Lần nữa' }, { 'idempotency-key': `${wKey}-2` })).body.code).toBe('candidate_ended');

    const events = (await sys.users.auditor.get(`/api/candidates/${id}/history`)).body.events as { type: string }[];
    expect(events.filter((e) => e.type === 'candidate_transferred')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'candidate_withdrawn')).toHaveLength(1);
  });
});

import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { certifyUpdateId } from '../../apps/worker/src/job.activities.js';
import { addWorkingDays } from '../../libs/domain/src/calendar/index.js';
import { JobRepository } from '../../libs/persistence/src/repositories/job.repository.js';
import { temporalConnectionOptions, temporalDataConverter } from '../../libs/temporal/src/connection.js';
import { calendarUpdatedSignal, candidateWorkflowId, completeTaskUpdate, requestEnvelope, syncUpdate } from '../../workflows/candidate/candidate.messages.js';
import { jobWorkflowId } from '../../workflows/jobs/jobs.messages.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import { awaitJob } from '../support/jobs.js';
import { TestSystem } from '../support/system.js';

/**
 * Fan-outs run as durable jobs (workflows/jobs): a class's certification and a calendar update are answered
 * 202 with a job that the worker carries out chunk by chunk, whatever happens to the API process that
 * started it or to the worker, and each item's effect happens once.
 */
const sys = new TestSystem();
let ds: DataSource;
let connection: Connection;
let temporal: Client;
let today: string;

beforeAll(async () => {
  await sys.start();
  ds = await openDataSource();
  connection = await Connection.connect(temporalConnectionOptions(sys.config.temporal));
  temporal = new Client({ connection, namespace: sys.config.temporal.namespace, dataConverter: temporalDataConverter(sys.config, { requireEncrypted: false }) });
  today = await sys.today();
});

afterAll(async () => {
  await connection?.close();
  await ds?.destroy();
  await sys.stop();
});

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** The job's row, read straight from PostgreSQL (the API may be down). */
async function jobRow(id: string): Promise<any> {
  const [row] = await ds.query(`SELECT id, kind, status, total, done, failed, errors, result, input FROM jobs WHERE id = $1`, [id]);
  return row;
}

/** `n` sympathisers waiting on the party-awareness class, enrolled in a class of their own with a pass. */
async function classOf(n: number, name: string): Promise<{ classId: string; ids: string[] }> {
  const { users, units } = sys;
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await sys.newCandidate(users.secretary, `${name} ${String(i + 1).padStart(2, '0')}`);
    await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
    ids.push(id);
  }
  const cls = await ok(users.centre.post('/api/training-classes', { kind: 'party_awareness', name: `${name} ${sys.tag}`, startsOn: today, endsOn: today, capacity: n, orgUnitId: units.centre }), 201);
  await ok(users.grassroots.post(`/api/training-classes/${cls.id}/proposals`, { candidateIds: ids }));
  await ok(users.centre.post(`/api/training-classes/${cls.id}/enrolments`, { candidateIds: ids, status: 'enrolled' }));
  await ok(users.centre.post(`/api/training-classes/${cls.id}/attendance`, { records: ids.map((candidateId) => ({ candidateId, attendance: 'full', result: 'pass' })) }));
  return { classId: cls.id, ids };
}

/** Certificate decisions in each candidate's business history. */
async function certificateDecisions(ids: string[]): Promise<Map<string, number>> {
  const rows = await ds.query(
    `SELECT candidate_id AS id, count(*)::int AS n FROM candidate_events
      WHERE candidate_id = ANY($1::uuid[]) AND type = 'decision_recorded' AND data->>'taskType' = 'record_training_certificate' GROUP BY 1`,
    [ids],
  );
  return new Map(rows.map((r: { id: string; n: number }) => [r.id, r.n]));
}

function expectOncePerCandidate(counts: Map<string, number>, ids: string[]) {
  expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
}

describe('class certification as a durable job', () => {
  it('finishes a certification of 30 when the API goes down right after answering 202: every result applied once, 30/30', async () => {
    const { classId, ids } = await classOf(30, 'Lớp A');
    const key = `certify-${sys.tag}-a`;
    const r = await sys.users.centre.post(`/api/training-classes/${classId}/certify`, { issuedOn: today }, { 'idempotency-key': key });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'running', total: 30, done: 0, kind: 'class_certify', classId, issuedOn: today });
    const jobId: string = r.body.jobId;

    // The API process goes away at once; the job is the worker's.
    const port = sys.app.getHttpServer().address().port;
    await sys.app.close();
    const atClose = await jobRow(jobId);
    expect(atClose.done).toBeLessThan(30);
    const finished = await waitFor('the job to finish with the API down', async () => {
      const j = await jobRow(jobId);
      return j.status === 'running' ? undefined : j;
    }, 120_000);
    expect(finished).toMatchObject({ status: 'succeeded', total: 30, done: 30, failed: 0 });
    expect(finished.result).toMatchObject({ classId, applied: 30, alreadyApplied: 0, refused: 0 });
    expectOncePerCandidate(await certificateDecisions(ids), ids);

    // The API comes back: the same request (same key) answers the same job and starts nothing new.
    sys.app = await createApi(sys.config, { logger: ['error'] });
    await sys.app.listen(port, '127.0.0.1');
    const again = await sys.users.centre.post(`/api/training-classes/${classId}/certify`, { issuedOn: today }, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.body.jobId).toBe(jobId);
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM jobs WHERE input->'subject'->>'classId' = $1`, [classId]);
    expect(n).toBe(1);

    // Progress and each participant's line, for the centre that started it, admins and auditors over the unit.
    const view = await ok(sys.users.centre.get(`/api/jobs/${jobId}`));
    expect(view).toMatchObject({ jobId, status: 'succeeded', total: 30, done: 30, failed: 0 });
    expect(view.result.results).toHaveLength(30);
    expect(view.result.results.every((l: any) => l.status === 'applied' && l.stage === 'application' && /\/CN-/.test(l.certificateNo))).toBe(true);
    expect((await sys.admin.get(`/api/jobs/${jobId}`)).status).toBe(200);
    expect((await sys.users.auditor.get(`/api/jobs/${jobId}`)).status).toBe(200);
    for (const other of [sys.users.secretary, sys.users.board, sys.users.otherAuditor]) expect((await other.get(`/api/jobs/${jobId}`)).status).toBe(404);
  });

  it('resumes a certification of 60 when the worker stops mid-job and comes back, applying nothing twice', async () => {
    const { classId, ids } = await classOf(60, 'Lớp B');
    const r = await sys.users.centre.post(`/api/training-classes/${classId}/certify`, { issuedOn: today });
    expect(r.status).toBe(202);
    const jobId: string = r.body.jobId;

    await waitFor('the first chunk', async () => ((await jobRow(jobId)).done > 0 ? true : undefined), 60_000, 20);
    await sys.stopWorker();
    const stopped = await jobRow(jobId);
    expect(stopped.status).toBe('running');
    expect(stopped.done).toBeGreaterThan(0);
    expect(stopped.done).toBeLessThan(60);
    // Progress is visible while the job waits for a worker.
    expect(await ok(sys.users.centre.get(`/api/jobs/${jobId}`))).toMatchObject({ status: 'running', total: 60, done: stopped.done });
    await new Promise((res) => setTimeout(res, 1000));
    expect((await jobRow(jobId)).done).toBe(stopped.done);

    await sys.startWorker();
    const job = await awaitJob(sys.users.centre, jobId, 120_000);
    expect(job).toMatchObject({ status: 'succeeded', total: 60, done: 60, failed: 0 });
    expect(job.result).toMatchObject({ applied: 60, refused: 0 });
    expectOncePerCandidate(await certificateDecisions(ids), ids);

    // A chunk retried after a crash between a decision and its record sends the same update again: Temporal
    // answers the first outcome and the workflow records nothing new. (Another update ID is refused: the
    // task is closed.)
    const [task] = await ds.query(`SELECT id FROM tasks WHERE candidate_id = $1 AND type = 'record_training_certificate' AND status = 'done'`, [ids[0]]);
    const handle = temporal.workflow.getHandle(candidateWorkflowId(ids[0]));
    const decision = { ...requestEnvelope(candidateWorkflowId(ids[0]), certifyUpdateId(classId)), taskId: task.id, outcome: 'pass', data: { issuedOn: today }, actor: { userId: 'test', username: 'test', role: 'training_centre' as const } };
    const repeat = await handle.executeUpdate(completeTaskUpdate, { updateId: certifyUpdateId(classId), args: [decision] });
    expect(repeat.stage).toBe('application');
    await expect(handle.executeUpdate(completeTaskUpdate, { updateId: `other-${sys.tag}`, args: [decision] })).rejects.toThrow();
    await handle.executeUpdate(syncUpdate);
    expectOncePerCandidate(await certificateDecisions([ids[0]]), [ids[0]]);
  });
});

describe('a job whose API died between writing it and starting its workflow', () => {
  it('is started by the next API process to boot, and finishes', async () => {
    // As the API leaves it when it dies right after the job's transaction: the row and its items, no workflow.
    const { classId, ids } = await classOf(2, 'Lớp C');
    const r = await sys.users.centre.post(`/api/training-classes/${classId}/certify`, { issuedOn: today });
    await awaitJob(sys.users.centre, r.body.jobId);
    const orphan = randomUUID();
    const [centreUser] = await ds.query(`SELECT created_by FROM jobs WHERE id = $1`, [r.body.jobId]);
    await new JobRepository(ds).create(
      { id: orphan, kind: 'class_certify', createdBy: centreUser.created_by, orgUnitId: sys.units.centre, input: { ...(await jobRow(r.body.jobId)).input, taskQueue: sys.config.temporal.taskQueue } },
      { ids },
    );
    await ds.query(`UPDATE jobs SET created_at = now() - interval '5 minutes' WHERE id = $1`, [orphan]);
    await expect(temporal.workflow.getHandle(jobWorkflowId(orphan)).describe()).rejects.toThrow();

    const port = sys.app.getHttpServer().address().port;
    await sys.app.close();
    sys.app = await createApi(sys.config, { logger: ['error'] });
    await sys.app.listen(port, '127.0.0.1');
    const job = await awaitJob(sys.users.centre, orphan);
    expect(job).toMatchObject({ status: 'succeeded', total: 2, done: 2, failed: 0, result: { applied: 0, alreadyApplied: 2 } });
    expectOncePerCandidate(await certificateDecisions(ids), ids);
  });
});

describe('calendar update as a durable job', () => {
  const history = (candidateId: string) => sys.history(candidateId);
  const toCellResolution = (name: string) => sys.toCellResolution(name);

  it('tells every active case once: one calendar_changed where a clock moved, none where none runs, nothing on a repeat', async () => {
    const { users, admin } = sys;
    const withClock: { id: string; task: any }[] = [];
    for (const name of ['Đào Văn Một', 'Đào Văn Hai', 'Đào Văn Ba']) {
      const id = await toCellResolution(name);
      withClock.push({ id, task: await sys.openTask(users.grassroots, id, 'grassroots_admission_review') });
    }
    const noClock = await sys.newCandidate(users.secretary, 'Đào Văn Bốn');
    await sys.openTask(users.secretary, noClock, 'recognize_sympathiser');

    const dayOff = addWorkingDays(today, 20);
    const y = Number(dayOff.slice(0, 4));
    const current = (await users.secretary.get(`/api/calendar/${y}`)).body;
    const holidays = [...current.holidays.map(({ derived: _d, ...h }: any) => h), { date: dayOff, name_vi: 'Ngày nghỉ đặc biệt', name_en: 'Special day off', kind: 'special' }];
    const key = `calendar-${sys.tag}`;
    const body = { source: 'Thông báo nghỉ đặc biệt (kiểm thử tác vụ)', holidays, extraWorkingDays: current.extraWorkingDays };
    const r = await admin.call('PUT', `/api/calendar/${y}`, body, { 'idempotency-key': key });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ kind: 'calendar_update', status: 'running', year: y, done: 0 });
    expect(r.body.total).toBeGreaterThanOrEqual(4);
    const version = r.body.version;

    const job = await awaitJob(admin, r.body.jobId, 120_000);
    expect(job.status).toBe('succeeded');
    expect(job.done).toBe(job.total);
    expect(job.result).toMatchObject({ year: y, version, signalled: job.total - job.failed });
    // Other test files' read-model rows without a workflow are the only ones that may fail.
    const mine = [...withClock.map((c) => c.id), noClock].map(candidateWorkflowId);
    expect(job.errors.filter((e: any) => mine.includes(e.item))).toEqual([]);

    // The same calendar told again (a chunk retried after a crash) changes nothing: the workflow has it.
    const years = (await ds.query(`SELECT DISTINCT ON (year) data FROM calendar_years ORDER BY year, version DESC`)).map((x: any) => x.data);
    for (const c of withClock) await temporal.workflow.getHandle(candidateWorkflowId(c.id)).signal(calendarUpdatedSignal, years);
    for (const id of mine) await temporal.workflow.getHandle(id).executeUpdate(syncUpdate);

    for (const c of withClock) {
      const changed = (await history(c.id)).filter((e) => e.type === 'calendar_changed');
      expect(changed).toHaveLength(1);
      expect(changed[0].data.changes).toEqual([expect.objectContaining({ taskId: c.task.id, previousDueAt: c.task.dueAt })]);
      const moved = await sys.openTask(users.grassroots, c.id, 'grassroots_admission_review');
      expect(moved.dueDate > c.task.dueDate).toBe(true);
    }
    expect((await history(noClock)).filter((e) => e.type === 'calendar_changed')).toEqual([]);

    // The same request again: the same job, no second version.
    const again = await admin.call('PUT', `/api/calendar/${y}`, body, { 'idempotency-key': key });
    expect(again.status).toBe(202);
    expect(again.body.jobId).toBe(r.body.jobId);
    const versions = (await users.secretary.get(`/api/calendar/${y}`)).body.versions.filter((v: any) => v.source === body.source);
    expect(versions).toHaveLength(1);
    // A job over the whole system: its creator and administrators only.
    expect((await users.auditor.get(`/api/jobs/${r.body.jobId}`)).status).toBe(404);
  });
});

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { fastClock, insertCandidateRow, newCandidate, openDataSource, routingOf, seedOrgTree, type OrgTree } from '../../../../test/support/fixtures.js';
import type { CaseEvent, ProjectionBatch, TaskSnapshot } from '../../../../workflows/candidate/candidate.messages.js';
import { AuditRepository } from './audit.repository.js';
import { ProjectionRepository, type TemporalRef } from './projection.repository.js';

/**
 * The projection on real PostgreSQL with the real migrations (issue 17, patch `local-projection-v1`): a local
 * activity writes before its workflow task commits, so a lost task's rows meet its retry's. The retry's rows
 * stay, the lost task's are withdrawn into `candidate_events_withdrawn` (never lost), and the hash chain holds.
 */
let ds: DataSource;
let tree: OrgTree;
let projection: ProjectionRepository;
let audit: AuditRepository;

beforeAll(async () => {
  ds = await openDataSource();
  tree = await seedOrgTree(ds);
  projection = new ProjectionRepository(ds);
  audit = new AuditRepository(ds);
});

afterAll(async () => {
  await ds?.destroy();
});

async function newCase(): Promise<string> {
  const input = await newCandidate(ds, routingOf(tree), fastClock());
  await insertCandidateRow(ds, input);
  return input.candidateId;
}

const T0 = Date.parse('2026-12-04T02:00:00Z');
const ev = (seq: number, atMs: number, type: CaseEvent['type'], data: Record<string, unknown> = {}): CaseEvent => ({
  seq,
  type,
  at: new Date(atMs).toISOString(),
  businessDate: '2026-12-04',
  recordedOn: '2026-12-04',
  data,
});
const task = (candidateId: string, id: string, version: number, status: TaskSnapshot['status'] = 'open'): TaskSnapshot => ({
  id,
  candidateId,
  type: 'recognize_sympathiser',
  role: 'cell_secretary',
  orgUnitId: tree.cell.id,
  status,
  attempt: 1,
  openedAt: new Date(T0).toISOString(),
  openedOn: '2026-12-04',
  version,
});
const batch = (candidateId: string, events: CaseEvent[], tasks: TaskSnapshot[], stage: ProjectionBatch['candidate']['stage'] = 'source_review'): ProjectionBatch => ({
  candidate: { candidateId, stage, status: 'active', version: Math.max(...events.map((e) => e.seq)), openTasks: [] },
  events,
  tasks,
});
const ref = (candidateId: string, attempt: number, local: boolean): TemporalRef => ({
  workflowId: `candidate-${candidateId}`,
  runId: 'run-1',
  activityId: String(attempt),
  attempt: 1,
  ...(local ? { local: true } : {}),
});

const events = async (id: string) =>
  (await ds.query(`SELECT seq, type, at, temporal_ref->>'activityId' AS activity FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`, [id])) as {
    seq: number;
    type: string;
    at: Date;
    activity: string;
  }[];
const withdrawn = async (id: string) =>
  (await ds.query(`SELECT seq, at, temporal_ref->>'activityId' AS activity, withdrawn_for->>'activityId' AS "for" FROM candidate_events_withdrawn WHERE candidate_id = $1 ORDER BY seq`, [id])) as {
    seq: number;
    at: Date;
    activity: string;
    for: string;
  }[];
const tasks = async (id: string) => (await ds.query(`SELECT id, status, version FROM tasks WHERE candidate_id = $1 ORDER BY id`, [id])) as { id: string; status: string; version: number }[];
const row = async (id: string) => (await ds.query(`SELECT stage, version FROM candidates WHERE id = $1`, [id]))[0] as { stage: string; version: number };
const chainOk = async () => (await audit.verify(tree.cell.path, { limit: 10_000, offset: 0 })).ok;

/** The case's first event, written by an ordinary activity (committed with its task). */
async function started(id: string): Promise<void> {
  await projection.apply(batch(id, [ev(1, T0, 'candidate_created', { source: { organization: 'Đoàn', introducedOn: '2026-12-04' } })], []), ref(id, 0, false));
}

describe('ProjectionRepository and the writes of lost workflow tasks', () => {
  it('withdraws a lost task’s local rows when its retry writes the same seqs: the retry stays, the lost rows are kept aside, the chain holds', async () => {
    const id = await newCase();
    await started(id);
    // The lost attempt: at T0+1 s it opened task A (seq 2, 3).
    const lost = batch(id, [ev(2, T0 + 1000, 'task_opened', { taskId: `${id}-a` }), ev(3, T0 + 1000, 'stage_changed', { to: 'mentoring' })], [task(id, `${id}-a`, 2)], 'awareness_training');
    expect(await projection.apply(lost, ref(id, 1, true))).toEqual({ applied: true, withdrawn: 0 });
    // Its retry, 10 s later, saw a signal first: other events at seq 2-4, and task B instead of A.
    const retry = batch(
      id,
      [ev(2, T0 + 11_000, 'calendar_changed'), ev(3, T0 + 11_000, 'task_opened', { taskId: `${id}-b` }), ev(4, T0 + 11_000, 'stage_changed', { to: 'mentoring' })],
      [task(id, `${id}-b`, 3)],
      'awareness_training',
    );
    expect(await projection.apply(retry, ref(id, 2, true))).toEqual({ applied: true, withdrawn: 2 });

    expect((await events(id)).map((e) => [e.seq, e.type, e.at.getTime(), e.activity])).toEqual([
      [1, 'candidate_created', T0, '0'],
      [2, 'calendar_changed', T0 + 11_000, '2'],
      [3, 'task_opened', T0 + 11_000, '2'],
      [4, 'stage_changed', T0 + 11_000, '2'],
    ]);
    expect((await withdrawn(id)).map((w) => [w.seq, w.at.getTime(), w.activity, w.for])).toEqual([
      [2, T0 + 1000, '1', '2'],
      [3, T0 + 1000, '1', '2'],
    ]);
    expect(await tasks(id)).toEqual([{ id: `${id}-b`, status: 'open', version: 3 }]);
    expect(await row(id)).toEqual({ stage: 'awareness_training', version: 4 });
    expect(await chainOk()).toBe(true);

    // The lost attempt's activity finishing late (after its retry): superseded, nothing written.
    expect(await projection.apply(lost, ref(id, 1, true))).toEqual({ applied: false, reason: 'superseded' });
    // The retry's own local activity retried (same task, same content): nothing new.
    expect(await projection.apply(retry, ref(id, 2, true))).toEqual({ applied: true, withdrawn: 0 });
    expect((await events(id)).map((e) => e.activity)).toEqual(['0', '2', '2', '2']);
    expect(await withdrawn(id)).toHaveLength(2);
    expect(await tasks(id)).toEqual([{ id: `${id}-b`, status: 'open', version: 3 }]);
    expect(await chainOk()).toBe(true);
  });

  it('rewrites a task the lost rows changed at the same version, and the milestones the lost rows set', async () => {
    const id = await newCase();
    await started(id);
    await projection.apply(batch(id, [ev(2, T0 + 500, 'task_opened', { taskId: `${id}-a` })], [task(id, `${id}-a`, 2)]), ref(id, 1, false));
    const decided = (at: number, outcome: string): CaseEvent => ({ ...ev(3, at, 'decision_recorded', { taskType: 'recognize_sympathiser', outcome }), businessDate: outcome === 'approve' ? '2026-12-04' : '2026-12-05' });
    await projection.apply(batch(id, [decided(T0 + 1000, 'approve')], [{ ...task(id, `${id}-a`, 3, 'done'), outcome: 'approve' }]), ref(id, 2, true));
    const sympathiser = async () => (await ds.query(`SELECT to_char(sympathiser_on, 'YYYY-MM-DD') AS d FROM candidate_milestones WHERE candidate_id = $1`, [id]))[0]?.d ?? null;
    expect(await sympathiser()).toBe('2026-12-04');
    // The retry decided otherwise (another update came first): the task's outcome and the milestone follow it.
    await projection.apply(batch(id, [decided(T0 + 9000, 'reject')], [{ ...task(id, `${id}-a`, 3, 'done'), outcome: 'reject' }]), ref(id, 3, true));
    expect((await ds.query(`SELECT outcome, version FROM tasks WHERE id = $1`, [`${id}-a`]))[0]).toEqual({ outcome: 'reject', version: 3 });
    expect(await sympathiser()).toBeNull();
    expect(await chainOk()).toBe(true);
  });

  it('lets the committed history win over a local row whatever its time (reconcile), and never withdraws what an ordinary activity wrote', async () => {
    const id = await newCase();
    await started(id);
    await projection.apply(batch(id, [ev(2, T0 + 5000, 'stage_changed', { to: 'x' })], []), ref(id, 1, true));
    const fromHistory = batch(id, [ev(2, T0 + 2000, 'stage_changed', { to: 'y' })], []);
    // As a running task's write it would be the older one: superseded.
    expect(await projection.apply(fromHistory, ref(id, 2, true))).toEqual({ applied: false, reason: 'superseded' });
    expect(await projection.apply(fromHistory, ref(id, 2, true), { fromHistory: true })).toEqual({ applied: true, withdrawn: 1 });
    expect((await events(id)).map((e) => [e.seq, e.at.getTime()])).toEqual([
      [1, T0],
      [2, T0 + 2000],
    ]);

    // seq 2 is the history’s (from its marker: local); seq 3 an ordinary activity’s, which nothing withdraws.
    await projection.apply(batch(id, [ev(3, T0 + 6000, 'stage_changed', { to: 'z' })], []), ref(id, 3, false));
    const later = await projection.apply(batch(id, [ev(3, T0 + 9000, 'stage_changed', { to: 'w' })], []), ref(id, 4, true));
    expect(later).toEqual({ applied: true, withdrawn: 0 });
    expect((await events(id)).map((e) => [e.seq, e.at.getTime(), e.activity])).toEqual([
      [1, T0, '0'],
      [2, T0 + 2000, '2'],
      [3, T0 + 6000, '3'],
    ]);
    await expect(ds.query(`SELECT ketnap_withdraw_local_events($1, 3, NULL)`, [id])).rejects.toThrow(/only rows a local activity wrote can be withdrawn/);
    await expect(ds.query(`SELECT ketnap_withdraw_local_events($1, 2, NULL)`, [id])).rejects.toThrow(/only rows a local activity wrote/);
    expect(await chainOk()).toBe(true);
  });

  it('refuses, to every role, a DELETE that did not keep the row aside first, and every UPDATE of the withdrawn rows', async () => {
    const id = await newCase();
    await started(id);
    await projection.apply(batch(id, [ev(2, T0 + 1000, 'stage_changed')], []), ref(id, 1, true));
    await expect(ds.query(`DELETE FROM candidate_events WHERE candidate_id = $1 AND seq = 2`, [id])).rejects.toThrow(/append-only: DELETE refused/);
    await expect(ds.query(`UPDATE candidate_events SET type = 'x' WHERE candidate_id = $1 AND seq = 2`, [id])).rejects.toThrow(/append-only: UPDATE refused/);
    await projection.apply(batch(id, [ev(2, T0 + 3000, 'stage_changed')], []), ref(id, 2, true));
    await expect(ds.query(`UPDATE candidate_events_withdrawn SET type = 'x' WHERE candidate_id = $1`, [id])).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(ds.query(`DELETE FROM candidate_events_withdrawn WHERE candidate_id = $1`, [id])).rejects.toThrow(/append-only: DELETE refused/);
    expect(await withdrawn(id)).toHaveLength(1);
  });

  it('withdraws as the application’s database role, which may not delete from the history itself', async () => {
    const id = await newCase();
    await started(id);
    await projection.apply(batch(id, [ev(2, T0 + 1000, 'stage_changed')], []), ref(id, 1, true));
    const qr = ds.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      await qr.query(`SET LOCAL ROLE ketnap_app`);
      await expect(qr.query(`DELETE FROM candidate_events WHERE candidate_id = $1`, [id])).rejects.toThrow(/permission denied/);
      await qr.rollbackTransaction();
      await qr.startTransaction();
      await qr.query(`SET LOCAL ROLE ketnap_app`);
      // Not for another run's write (a bug, or someone reaching for another case's history).
      await expect(qr.query(`SELECT ketnap_withdraw_local_events($1, 2, $2::jsonb) AS n`, [id, JSON.stringify({ ...ref(id, 2, true), runId: randomUUID() })])).rejects.toThrow(
        /same workflow run/,
      );
      await qr.rollbackTransaction();
      await qr.startTransaction();
      await qr.query(`SET LOCAL ROLE ketnap_app`);
      const [{ n }] = await qr.query(`SELECT ketnap_withdraw_local_events($1, 2, $2::jsonb) AS n`, [id, JSON.stringify(ref(id, 2, true))]);
      expect(n).toBe(1);
      await qr.commitTransaction();
      // The kept rows are the function's to write: the application may only read them.
      await qr.startTransaction();
      await qr.query(`SET LOCAL ROLE ketnap_app`);
      await expect(
        qr.query(`INSERT INTO candidate_events_withdrawn SELECT * FROM candidate_events_withdrawn WHERE candidate_id = $1`, [id]),
      ).rejects.toThrow(/permission denied/);
      await qr.rollbackTransaction();
    } finally {
      await qr.release();
    }
    expect(await events(id)).toHaveLength(1);
    expect(await withdrawn(id)).toHaveLength(1);
  });

  it('replaces the lost rows’ task and candidate row even when the retry reaches a lower version', async () => {
    const id = await newCase();
    await started(id);
    // The lost task: task A opened at seq 2, stage moved at seq 3 (candidate version 3).
    await projection.apply(
      batch(id, [ev(2, T0 + 1000, 'task_opened', { taskId: `${id}-a` }), ev(3, T0 + 1000, 'stage_changed')], [task(id, `${id}-a`, 2)], 'awareness_training'),
      ref(id, 1, true),
    );
    // Its retry opened the same task id (other content) at seq 2 and nothing more: version 2.
    const retry = batch(id, [ev(2, T0 + 4000, 'task_opened', { taskId: `${id}-a` })], [{ ...task(id, `${id}-a`, 2), type: 'record_training_certificate' }]);
    expect(await projection.apply(retry, ref(id, 2, true))).toEqual({ applied: true, withdrawn: 2 });
    expect((await ds.query(`SELECT type, version FROM tasks WHERE id = $1`, [`${id}-a`]))[0]).toEqual({ type: 'record_training_certificate', version: 2 });
    expect(await row(id)).toEqual({ stage: 'source_review', version: 2 });
    expect((await events(id)).map((e) => [e.seq, e.at.getTime()])).toEqual([
      [1, T0],
      [2, T0 + 4000],
    ]);
    expect(await chainOk()).toBe(true);
  });

  it('lets an ordinary activity’s write (committed: a worker of the previous version retrying the lost task) win over local rows', async () => {
    const id = await newCase();
    await started(id);
    await projection.apply(batch(id, [ev(2, T0 + 5000, 'stage_changed')], []), ref(id, 1, true));
    expect(await projection.apply(batch(id, [ev(2, T0 + 2000, 'stage_changed'), ev(3, T0 + 2000, 'stage_changed')], []), ref(id, 2, false))).toEqual({
      applied: true,
      withdrawn: 1,
    });
    expect((await events(id)).map((e) => [e.seq, e.at.getTime(), e.activity])).toEqual([
      [1, T0, '0'],
      [2, T0 + 2000, '2'],
      [3, T0 + 2000, '2'],
    ]);
    expect(await chainOk()).toBe(true);
  });

  it('leaves rows older than the withdrawal window where they are (refused, not failed): reconcile reports them', async () => {
    const id = await newCase();
    await started(id);
    const [{ hash }] = await ds.query(`SELECT hash FROM candidate_events WHERE candidate_id = $1 AND seq = 1`, [id]);
    // A local row recorded two hours ago (as the projection would have written it then).
    const old = ev(2, T0 + 1000, 'stage_changed');
    await ds.query(
      `INSERT INTO candidate_events (candidate_id, seq, type, at, business_date, recorded_on, data, prev_hash, hash, temporal_ref, recorded_at)
       VALUES ($1, 2, $2, $3, $4, $5, '{}', $6, 'old-hash', $7, now() - interval '2 hours')`,
      [id, old.type, old.at, old.businessDate, old.recordedOn, hash, JSON.stringify(ref(id, 1, true))],
    );
    expect(await projection.apply(batch(id, [ev(2, T0 + 9000, 'stage_changed')], []), ref(id, 2, true))).toEqual({ applied: true, withdrawn: 0 });
    expect((await events(id)).map((e) => [e.seq, e.at.getTime()])).toEqual([
      [1, T0],
      [2, T0 + 1000],
    ]);
    expect(await withdrawn(id)).toEqual([]);
  });
});

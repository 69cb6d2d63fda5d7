import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { ADMISSION_STEPS, RECOGNITION_STEPS } from '../support/decisions.js';
import { CaseDriver } from '../support/case-driver.js';
import { addWorkingDays, extraWorkingDaysIn, holidaysIn } from '../../libs/domain/src/calendar/index.js';
import type { CalendarYearData } from '../../libs/domain/src/calendar/types.js';
import { calendarUpdatedSignal } from '../../workflows/candidate/candidate.messages.js';
import { projectionBatches } from '../../libs/temporal/src/candidate-history.js';
import { fastClock, newCandidate, routingOf, waitFor, type OrgTree } from '../support/fixtures.js';
import { ProjectionRepository } from '../../libs/persistence/src/repositories/projection.repository.js';
import { WorkflowTestEnv, refusalCode } from '../support/workflow-env.js';

let env: WorkflowTestEnv;
let ds: DataSource;
let tree: OrgTree;
let client: Client;
let taskQueue: string;

beforeAll(async () => {
  env = await WorkflowTestEnv.start('wf-test');
  ({ ds, tree, client, taskQueue } = env);
});

afterAll(async () => {
  await env?.stop();
});

async function start(opts: { grassrootsCell?: boolean; facts?: Parameters<typeof newCandidate>[3]; speed?: number; reminderSpreadSeconds?: number } = {}): Promise<CaseDriver> {
  const input = await newCandidate(ds, routingOf(tree, opts.grassrootsCell), fastClock(opts.speed), opts.facts);
  if (opts.reminderSpreadSeconds) input.reminderSpreadSeconds = opts.reminderSpreadSeconds;
  return CaseDriver.start(client, taskQueue, input);
}

/** Waits for the case's missed deadline; checks that the reminders before it came once each, in order. Returns the state. */
async function untilDeadlineMissed(c: CaseDriver, dueDate: string): Promise<any> {
  const state = await waitFor('the missed deadline', async () => {
    const s = await c.handle.query('state');
    return (s as any).events.some((e: any) => e.type === 'deadline_missed') ? (s as any) : undefined;
  }, 30_000);
  const keys = state.events.filter((e: any) => e.type === 'reminder_sent').map((e: any) => e.data.key);
  expect(keys.slice(0, 3)).toEqual([`${dueDate}:before:5`, `${dueDate}:before:1`, `${dueDate}:due`]);
  expect(new Set(keys).size).toBe(keys.length);
  return state;
}

async function row(id: string) {
  const [c] = await ds.query(`SELECT stage, status, version, to_char(official_from,'YYYY-MM-DD') AS "officialFrom", to_char(party_age_from,'YYYY-MM-DD') AS "partyAgeFrom" FROM candidates WHERE id = $1`, [id]);
  return c;
}

async function events(id: string): Promise<{ seq: number; type: string; data: any; rule_set_id: string | null }[]> {
  return ds.query(`SELECT seq, type, data, rule_set_id FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`, [id]);
}


describe('candidate workflow on the real Temporal server', () => {
  it('carries a candidate from source review to official member, with every step recorded and projected', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS);
    await c.decide('record_new_member_training');
    await c.decideAll(RECOGNITION_STEPS);
    const final = await c.result();
    expect(final.status).toBe('official');
    expect(final.officialFrom).toBe(final.probationEndsOn);
    expect(final.openTasks).toEqual([]);

    const r = await waitFor('projection of the end state', async () => ((await row(c.input.candidateId)).status === 'official' ? row(c.input.candidateId) : undefined));
    expect(r.officialFrom).toBe(final.probationEndsOn);
    expect(r.partyAgeFrom).toBe(final.partyAgeFrom);

    const evs = await events(c.input.candidateId);
    expect(evs.map((e) => e.seq)).toEqual(evs.map((_, i) => i + 1));
    const decided = evs.filter((e) => e.type === 'decision_recorded').map((e) => e.data.taskType);
    expect(decided).toEqual([...ADMISSION_STEPS, 'record_new_member_training', ...RECOGNITION_STEPS]);
    expect(evs.filter((e) => e.type === 'decision_recorded').every((e) => e.rule_set_id === 'QD294-2025')).toBe(true);
    expect(evs.map((e) => e.type)).toEqual(expect.arrayContaining(['candidate_created', 'probation_started', 'probation_ended', 'path_ended']));
    const open = await ds.query(`SELECT count(*)::int AS n FROM tasks WHERE candidate_id = $1 AND status = 'open'`, [c.input.candidateId]);
    expect(open[0].n).toBe(0);
    await c.recordHistory('happy-path-official');
  });

  it('sends a grassroots cell straight to the superior, its secretary acting on the grassroots steps', async () => {
    const c = await start({ grassrootsCell: true });
    for (const t of ADMISSION_STEPS.filter((s) => s !== 'grassroots_admission_review')) {
      const task = await c.openTask(t);
      if (t === 'verify_background') expect(task.role).toBe('cell_secretary');
      await c.decide(t);
    }
    await c.decide('record_new_member_training');
    for (const t of RECOGNITION_STEPS.filter((s) => s !== 'grassroots_recognition_review')) await c.decide(t);
    expect((await c.result()).status).toBe('official');
    const types = await ds.query(`SELECT DISTINCT type FROM tasks WHERE candidate_id = $1`, [c.input.candidateId]);
    expect(types.map((t: { type: string }) => t.type)).not.toContain('grassroots_admission_review');
    await c.recordHistory('grassroots-cell-official');
  });

  it('checks decision data shapes inside the workflow, where libs/domain is shared by all workflows (preloaded)', async () => {
    // The worker preloads libs/domain into its shared V8 context, where the SDK freezes what module exports
    // reach: the zod schemas the workflow parses with must still work, on the paths that fail too.
    const c = await start();
    const codes: string[] = [];
    for (const data of [{ meetingDate: '2026-02-30' }, { meetingDate: 'hôm qua' }, { meetingDate: undefined }, { meetingDate: 7 }]) {
      codes.push(await refusalCode(c.decide('recognize_sympathiser', { data })));
    }
    expect(codes).toEqual(['invalid_date', 'invalid_date', 'missing_field', 'invalid_field']);
    const ok = await c.decide('recognize_sympathiser');
    expect(ok.openTasks.map((t) => t.type)).toContain('record_training_certificate');
  });

  it('refuses a cell approval below two thirds without recording it, then ends rejected on a recorded rejection', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS.slice(0, 5));
    const code = await refusalCode(c.decide('cell_admission_vote', { outcome: 'approve', data: { officialMembers: 9, inFavour: 5 } }));
    expect(code).toBe('two_thirds_not_reached');
    await c.decide('cell_admission_vote', { outcome: 'reject', data: { officialMembers: 9, inFavour: 5 } });
    const final = await c.result();
    expect(final.status).toBe('rejected');
    const evs = await waitFor('path_ended projected', async () => {
      const e = await events(c.input.candidateId);
      return e.some((x) => x.type === 'path_ended') ? e : undefined;
    });
    expect(evs.filter((e) => e.type === 'decision_recorded' && e.data.taskType === 'cell_admission_vote')).toHaveLength(1);
    expect(evs.find((e) => e.type === 'path_ended')!.data).toMatchObject({ endState: 'rejected', step: 'cell_admission_vote' });
    await c.recordHistory('rejected-at-cell-vote');
  });

  it('ends the path when verification concludes the political standards are not met', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS.slice(0, 3));
    await c.decide('verify_background', { data: { conclusion: 'does_not_meet' } });
    const final = await c.result();
    expect(final.status).toBe('rejected');
    expect((await events(c.input.candidateId)).find((e) => e.type === 'path_ended')?.data.step).toBe('verify_background');
    await c.recordHistory('rejected-at-verification');
  });

  it('ends the path when the superior standing board does not admit', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS.slice(0, 7));
    expect(await refusalCode(c.decide('superior_admission_decision', { outcome: 'approve', data: { boardMembers: 8, inFavour: 4 } }))).toBe('majority_not_reached');
    await c.decide('superior_admission_decision', { outcome: 'reject', data: { boardMembers: 8, inFavour: 4 } });
    expect((await c.result()).status).toBe('rejected');
    await c.recordHistory('rejected-at-superior');
  });

  it('removes a probationary member the cell, committee and superior vote to remove', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS);
    await c.decide('probation_review');
    await c.decide('cell_recognition_vote', { outcome: 'remove', data: { officialMembers: 9, inFavour: 6 } });
    await c.decide('grassroots_recognition_review', { outcome: 'remove' });
    await c.decide('superior_recognition_decision', { outcome: 'remove' });
    const final = await c.result();
    expect(final.status).toBe('removed');
    // The new-member training task still open at that moment is cancelled, not left in an inbox.
    const open = await ds.query(`SELECT type, status FROM tasks WHERE candidate_id = $1 AND type = 'record_new_member_training'`, [c.input.candidateId]);
    expect(open).toEqual([{ type: 'record_new_member_training', status: 'cancelled' }]);
    await c.recordHistory('removed-at-recognition');
  });

  it('escalates to the superior after three inconclusive recognition votes', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS);
    await c.decide('record_new_member_training');
    await c.decide('probation_review');
    for (let i = 1; i <= 3; i++) {
      const task = await c.openTask('cell_recognition_vote');
      expect(task.attempt).toBe(i);
      await c.decide('cell_recognition_vote', { outcome: 'inconclusive', data: { officialMembers: 9, inFavour: 5 } });
    }
    const escalated = await c.openTask('superior_recognition_decision');
    expect(escalated.orgUnitId).toBe(tree.superior.id);
    await c.decide('superior_recognition_decision');
    expect((await c.result()).status).toBe('official');
    const evs = await events(c.input.candidateId);
    expect(evs.filter((e) => e.type === 'recognition_escalated')).toHaveLength(1);
    // T8: both the direct superior (the grassroots committee) and the competent committee are told.
    expect(evs.find((e) => e.type === 'recognition_escalated')!.data.notified).toEqual([
      { orgUnitId: tree.grassroots.id, role: 'grassroots_committee' },
      { orgUnitId: tree.superior.id, role: 'superior_board' },
    ]);
    expect(evs.some((e) => e.type === 'decision_recorded' && e.data.taskType === 'grassroots_recognition_review')).toBe(false);
    await c.recordHistory('escalated-after-three-inconclusive-votes');
  });

  it('lets a candidate withdraw during probation and cancels the open tasks', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS);
    const s = await c.withdraw('Chuyển công tác ra nước ngoài / moves abroad');
    expect(s.status).toBe('withdrawn');
    expect((await c.result()).status).toBe('withdrawn');
    const open = await ds.query(`SELECT count(*)::int AS n FROM tasks WHERE candidate_id = $1 AND status = 'open'`, [c.input.candidateId]);
    expect(open[0].n).toBe(0);
    await expect(c.handle.executeUpdate('withdraw', { args: [{ ...c.envelope(), reason: 'again', actor: { userId: 'x', username: 'x' } }] })).rejects.toThrow();
    await c.recordHistory('withdrawn-during-probation');
  });

  it('moves a candidate to another cell mid-path: the open step follows to the new units and the new cell finishes the path', async () => {
    const c = await start();
    const id = c.input.candidateId;
    await c.decideAll(['recognize_sympathiser', 'record_training_certificate', 'submit_application']);
    const before = await c.openTask('verify_background');
    expect(before).toMatchObject({ orgUnitId: tree.grassroots.id, role: 'grassroots_committee' });
    const to = routingOf(tree, true); // a grassroots cell of the same superior: its secretary verifies
    await expect(refusalCode(c.transfer(routingOf(tree), 'same cell'))).resolves.toBe('transfer_same_cell');
    const s = await c.transfer(to, 'Chuyển công tác về đơn vị mới / new job');
    expect(s.routing).toEqual(to);
    expect(s.openTasks.find((t) => t.id === before.id)).toMatchObject({ orgUnitId: tree.grassrootsCell.id, role: 'cell_secretary' });
    const [task] = await ds.query(`SELECT org_unit_id AS "orgUnitId", role FROM tasks WHERE id = $1`, [before.id]);
    expect(task).toEqual({ orgUnitId: tree.grassrootsCell.id, role: 'cell_secretary' });
    const [cand] = await ds.query(`SELECT cell_id AS "cellId", routing FROM candidates WHERE id = $1`, [id]);
    expect(cand).toEqual({ cellId: tree.grassrootsCell.id, routing: to });
    for (const t of ADMISSION_STEPS.slice(3).filter((x) => x !== 'grassroots_admission_review')) await c.decide(t);
    await c.decide('record_new_member_training');
    for (const t of RECOGNITION_STEPS.filter((x) => x !== 'grassroots_recognition_review')) await c.decide(t);
    expect((await c.result()).status).toBe('official');
    const opened = await ds.query(`SELECT DISTINCT org_unit_id AS "orgUnitId" FROM tasks WHERE candidate_id = $1 AND type IN ('cell_admission_vote', 'probation_review')`, [id]);
    expect(opened).toEqual([{ orgUnitId: tree.grassrootsCell.id }]);
    const evs = await events(id);
    const moved = evs.filter((e) => e.type === 'candidate_transferred');
    expect(moved).toHaveLength(1);
    expect(moved[0].data).toMatchObject({ fromCellId: tree.cell.id, toCellId: tree.grassrootsCell.id, tasks: [{ taskId: before.id, fromOrgUnitId: tree.grassroots.id, orgUnitId: tree.grassrootsCell.id }] });
    await c.recordHistory('transferred-mid-path');
  });

  it('loses nothing when the worker is stopped mid-path and another one takes over', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS);
    await c.decide('record_new_member_training');
    // Probation runs its durable timer while no worker is polling.
    await env.stopWorker();
    await new Promise((r) => setTimeout(r, 4000));
    await env.startWorker();
    await c.decideAll(RECOGNITION_STEPS);
    const final = await c.result();
    expect(final.status).toBe('official');
    const evs = await events(c.input.candidateId);
    expect(evs.map((e) => e.seq)).toEqual(evs.map((_, i) => i + 1));
    expect(evs.filter((e) => e.type === 'decision_recorded')).toHaveLength(ADMISSION_STEPS.length + 1 + RECOGNITION_STEPS.length);
  });

  it('projects idempotently: replaying every batch again changes no row', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS.slice(0, 4));
    const state = await c.handle.query('state');
    const repo = new ProjectionRepository(ds);
    const before = await ds.query(`SELECT (SELECT count(*) FROM candidate_events WHERE candidate_id = $1)::int AS e, (SELECT count(*) FROM tasks WHERE candidate_id = $1)::int AS t`, [c.input.candidateId]);
    // Re-deliver the whole history as one batch, and an old snapshot of the first task as "open".
    const s = state as any;
    await repo.apply({ candidate: { ...s, openTasks: [], version: 1, stage: 'source_review' }, events: s.events, tasks: s.tasks.map((t: any) => ({ ...t, status: 'open', version: 1 })) });
    await repo.apply({ candidate: { ...s, openTasks: [] }, events: s.events, tasks: s.tasks });
    const after = await ds.query(`SELECT (SELECT count(*) FROM candidate_events WHERE candidate_id = $1)::int AS e, (SELECT count(*) FROM tasks WHERE candidate_id = $1)::int AS t`, [c.input.candidateId]);
    expect(after).toEqual(before);
    const r = await row(c.input.candidateId);
    expect(r.stage).toBe('introductions');
    const done = await ds.query(`SELECT count(*)::int AS n FROM tasks WHERE candidate_id = $1 AND status = 'done'`, [c.input.candidateId]);
    expect(done[0].n).toBe(4);
    await c.withdraw('test cleanup');
  });

  it('keeps the newest calendar of each year: an older calendar signalled later moves no clock back, across a worker restart', async () => {
    const c = await start({ speed: 1 });
    await c.decideAll(ADMISSION_STEPS.slice(0, 6));
    const review = await c.openTask('grassroots_admission_review');
    const dayOff = addWorkingDays(c.today(), 10);
    const y = Number(dayOff.slice(0, 4));
    const base = { year: y, source: 'Thông báo giả định (test)', extraWorkingDays: extraWorkingDaysIn(y) };
    const official = holidaysIn(y).map(({ derived: _d, ...h }) => h);
    const newer: CalendarYearData = { ...base, version: 99, holidays: [...official, { date: dayOff, name_vi: 'Ngày nghỉ đặc biệt', name_en: 'Special day off', kind: 'special' }] };
    const older: CalendarYearData = { ...base, version: 98, holidays: official };
    await c.handle.signal(calendarUpdatedSignal, [newer]);
    const moved = await waitFor('the clock moved', async () => {
      const t = ((await c.handle.query('state')) as any).openTasks.find((x: any) => x.id === review.id);
      return t.dueDate !== review.dueDate ? t.dueDate : undefined;
    });
    expect(moved > review.dueDate!).toBe(true);
    await c.handle.signal(calendarUpdatedSignal, [older]);
    // A worker restart replays the history (with the patch marker) before answering.
    await env.stopWorker();
    await env.startWorker();
    const after = (await c.handle.executeUpdate('sync')) as any;
    expect(after.openTasks.find((x: any) => x.id === review.id).dueDate).toBe(moved);
    expect(((await c.handle.query('state')) as any).events.filter((e: any) => e.type === 'calendar_changed')).toHaveLength(1);
    await c.withdraw('kết thúc kiểm thử');
    await c.result();
    await c.recordHistory('calendar-newest-wins');
  });

  it('reminds, escalates a missed deadline a level up, fires nothing twice across a worker restart, closes the item when decided, and extends a clock once', async () => {
    // A committee member of the grassroots unit, to receive the in-app reminders.
    const [member] = await ds.query(`INSERT INTO users (username, password_hash, full_name) VALUES ($1, 'x', 'Ủy viên thường vụ') RETURNING id`, [`wf-${randomUUID()}`]);
    await ds.query(`INSERT INTO user_roles (user_id, role, org_unit_id) VALUES ($1, 'grassroots_committee', $2)`, [member.id, tree.grassroots.id]);
    const c = await start({ speed: 500_000 });
    await c.decideAll(ADMISSION_STEPS.slice(0, 6));
    const review = await c.openTask('grassroots_admission_review');
    // The worker goes away after the first reminder; the rest fire once when another one takes over.
    await waitFor('the first reminder', async () => (((await c.handle.query('state')) as any).events.some((e: any) => e.type === 'reminder_sent') ? true : undefined), 30_000);
    await env.stopWorker();
    await new Promise((r) => setTimeout(r, 1500));
    await env.startWorker();
    const state = await untilDeadlineMissed(c, review.dueDate!);
    const item = state.openTasks.find((t: any) => t.type === 'overdue_escalation');
    expect(item).toMatchObject({ orgUnitId: tree.superior.id, role: 'superior_board', escalatedTaskId: review.id });

    await c.decide('grassroots_admission_review');
    const superior = await c.openTask('superior_admission_decision');
    const afterReview = (await c.handle.query('state')) as any;
    expect(afterReview.openTasks.some((t: any) => t.type === 'overdue_escalation' && t.escalatedTaskId === review.id)).toBe(false);
    // The superior's step runs on the same T3 clock, already missed: it goes to the province at once.
    const provinceItem = await waitFor('the superior step escalated', async () =>
      ((await c.handle.query('state')) as any).openTasks.find((t: any) => t.type === 'overdue_escalation' && t.escalatedTaskId === superior.id),
    );
    expect(provinceItem.orgUnitId).toBe(tree.province.id);
    const extended = (await c.handle.executeUpdate('extendDeadline', { args: [{ ...c.envelope(), taskId: superior.id, workingDays: 30, reason: 'Trường hợp đặc biệt', actor: { userId: 'u', username: 'btv' } }] })) as any;
    expect(extended.openTasks.find((t: any) => t.id === superior.id).dueRule.workingDays).toBe(90);
    // The item for the missed deadline closes (a new one may open later if the extended deadline passes too).
    expect(extended.openTasks.some((t: any) => t.id === provinceItem.id)).toBe(false);
    const code = await refusalCode(c.handle.executeUpdate('extendDeadline', { args: [{ ...c.envelope(), taskId: superior.id, workingDays: 5, reason: 'lần nữa', actor: { userId: 'u', username: 'btv' } }] }));
    expect(code).toBe('extension_already_used');
    await c.withdraw('kết thúc kiểm thử');
    await c.result();

    // reminder-delivery-v1: reminders travel with the events that announce them, and one projectCandidate call
    // writes and delivers them (no notify at all). local-projection-v1: every write is a local activity in the
    // workflow task that made its events, so the history holds no activity task, only the local activities'
    // markers, and the batches (the reminders' included) are read back from them as the audit replay reads them.
    const history = await c.handle.fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((e) => e.activityTaskScheduledEventAttributes)).toHaveLength(0);
    const localTypes = events
      .map((e) => e.markerRecordedEventAttributes)
      .filter((m) => m?.markerName === 'core_local_activity')
      .map((m) => JSON.parse(Buffer.from(m!.details!.data!.payloads![0].data!).toString('utf8')).activity_type);
    expect(localTypes.length).toBeGreaterThanOrEqual(10);
    expect(new Set(localTypes)).toEqual(new Set(['projectCandidate']));
    const recorded = (await projectionBatches(history)).flatMap((p) => p.batch.events);
    const final = (await c.handle.query('state')) as any;
    expect([...new Set(recorded.map((e) => e.seq))].sort((a, b) => a - b)).toEqual(final.events.map((e: any) => e.seq).sort((a: number, b: number) => a - b));
    expect(recorded.filter((e) => e.type === 'reminder_sent').map((e) => (e.data as { key: string }).key)).toEqual(expect.arrayContaining(state.events.filter((e: any) => e.type === 'reminder_sent').map((e: any) => e.data.key).slice(0, 3)));
    const delivered = (await ds.query(`SELECT dedupe_key FROM notifications WHERE candidate_id = $1 AND user_id = $2`, [c.input.candidateId, member.id])).map((r: { dedupe_key: string }) => r.dedupe_key);
    expect(delivered).toEqual(expect.arrayContaining([`${review.dueDate}:before:5`, `${review.dueDate}:before:1`, `${review.dueDate}:due`]));
    await c.recordHistory('reminders-escalation-extension');
  });

  it('starts a case with the morning spread in its input under patch reminder-spread-v1, and reminds once per point as before', async () => {
    // The instants themselves (08:00 + the case's offset; midnight for the overdue point) are checked on the
    // pure case (candidate.deadlines.spec.ts): at this clock speed a 10-minute offset is a millisecond.
    const c = await start({ speed: 500_000, reminderSpreadSeconds: 600 });
    await c.decideAll(ADMISSION_STEPS.slice(0, 6));
    const review = await c.openTask('grassroots_admission_review');
    const state = await untilDeadlineMissed(c, review.dueDate!);
    await c.withdraw('kết thúc kiểm thử');
    await c.result();
    const patches = ((await c.handle.fetchHistory()).events ?? [])
      .map((e) => e.markerRecordedEventAttributes)
      .filter((m) => m?.markerName === 'core_patch')
      .flatMap((m) => Object.values(m!.details ?? {}).flatMap((d) => (d.payloads ?? []).map((p) => Buffer.from(p.data!).toString('utf8'))));
    expect(patches.some((p) => p.includes('"reminder-spread-v1"'))).toBe(true);
    await c.recordHistory('reminder-spread');
  });

  it('runs T4 from receipt of the decision, holds a late ceremony only with the grassroots committee\'s agreement, puts the probation review on T6, and reports three failed votes to both levels', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS.slice(0, 7));
    const state = async () => (await c.handle.query('state')) as any;
    const signedOn = (await state()).events.find((e: any) => e.type === 'decision_recorded' && e.data.taskType === 'grassroots_admission_review').businessDate;
    await waitFor('a later business day', async () => (c.today() > signedOn ? true : undefined));
    const receivedOn = c.today();
    await c.decide('superior_admission_decision', { data: { decisionDate: signedOn, receivedOn } });
    const ceremony = await c.openTask('admission_ceremony');
    expect(ceremony.dueRule).toMatchObject({ anchorDate: receivedOn, workingDays: 30 });

    // T4 missed: the ceremony is refused until the cell's direct superior committee agrees.
    await waitFor('T4 missed', async () => ((await state()).events.some((e: any) => e.type === 'deadline_missed' && e.data.taskId === ceremony.id) ? true : undefined));
    expect(await refusalCode(c.decide('admission_ceremony'))).toBe('ceremony_late_without_consent');
    const consent = (role: 'superior_board' | 'grassroots_committee') =>
      c.handle.executeUpdate('extendDeadline', { args: [{ ...c.envelope(), taskId: ceremony.id, workingDays: 10, reason: 'Đồng ý tổ chức lễ muộn', actor: { userId: 'u', username: role, role } }] });
    expect(await refusalCode(consent('superior_board'))).toBe('extension_not_authorised');
    await consent('grassroots_committee');
    await c.decide('admission_ceremony');

    // T6 on the probation review: a cell that does not submit it is reminded and escalated.
    const review = await c.openTask('probation_review', 60_000);
    expect(review.dueRule?.clock.startsWith('T6')).toBe(true);
    await waitFor('T6 missed on the review', async () =>
      (await state()).openTasks.find((t: any) => t.type === 'overdue_escalation' && t.escalatedTaskId === review.id && t.orgUnitId === tree.grassroots.id && t.role === 'grassroots_committee'),
    );
    await c.decide('probation_review');

    // T8: three inconclusive votes; the escalated recognition still needs the new-member class.
    for (let i = 1; i <= 3; i++) await c.decide('cell_recognition_vote', { outcome: 'inconclusive', data: { officialMembers: 9, inFavour: 5 } });
    const escalated = (await state()).events.find((e: any) => e.type === 'recognition_escalated');
    expect(escalated.data.notified.map((n: any) => n.role)).toEqual(['grassroots_committee', 'superior_board']);
    expect(await refusalCode(c.decide('superior_recognition_decision'))).toBe('new_member_certificate_missing');
    await c.decide('record_new_member_training');
    await c.decide('superior_recognition_decision');
    expect((await c.result()).status).toBe('official');
    await c.recordHistory('clocks-and-routes');
  });

  it('sends a candidate over 60 approved by two thirds of the cell to the province standing board, and records recognition votes that reach no threshold', async () => {
    const c = await start({ facts: { dateOfBirth: '1960-01-01', youthUnionMember: false } });
    await c.decideAll(ADMISSION_STEPS.slice(0, 7));
    const decision = await c.openTask('superior_admission_decision');
    expect(decision).toMatchObject({ orgUnitId: tree.province.id, role: 'superior_board' });
    await c.decideAll(['superior_admission_decision', 'admission_ceremony', 'record_new_member_training', 'probation_review', 'cell_recognition_vote']);
    await c.decide('grassroots_recognition_review', { outcome: 'inconclusive', data: { committeeMembers: 9, inFavour: 5, forRemoval: 4 } });
    const first = await c.openTask('superior_recognition_decision');
    await c.decide('superior_recognition_decision', { outcome: 'inconclusive', data: { boardMembers: 9, inFavour: 4, forRemoval: 4, decisionNo: undefined } });
    await waitFor('the board to vote again', async () => ((await c.openTask('superior_recognition_decision')).attempt === 2 ? true : undefined));
    expect((await c.openTask('superior_recognition_decision')).dueDate).toBe(first.dueDate);
    await c.decide('superior_recognition_decision');
    expect((await c.result()).status).toBe('official');
    await c.recordHistory('province-route-and-split-recognition');
  });

  it('takes a failed verification to the province standing board (§5.5) and, once it approves, records the trade-union introduction route (§2.3)', async () => {
    const c = await start();
    await c.decideAll(ADMISSION_STEPS.slice(0, 3));
    const exception = { outstandingRecord: 'Chiến sĩ thi đua cơ sở hai năm liền', condemnedRelativesActs: true };
    await c.decide('verify_background', { data: { conclusion: 'does_not_meet', relativesChecked: [{ relation: 'father', result: 'issue' }], provinceException: exception } });
    expect(await c.openTask('province_political_exception')).toMatchObject({ orgUnitId: tree.province.id, role: 'superior_board' });
    await c.decide('province_political_exception');
    await c.decide('record_introductions', {
      data: {
        introducers: [{ fullName: 'Lê Văn Cường', official: true, monthsTogether: 24, sameGrassroots: true }],
        youthUnionAtGrassroots: false,
        tradeUnionResolution: { number: '07-NQ/CĐCS', date: (await c.openTask('record_introductions')).openedOn, tradeUnionMember: true },
      },
    });
    await c.openTask('cell_admission_vote');
    const decided = (await events(c.input.candidateId)).filter((e) => e.type === 'decision_recorded');
    expect(decided.map((e) => e.data.taskType)).toEqual([...ADMISSION_STEPS.slice(0, 4), 'province_political_exception', 'record_introductions']);
    expect(decided.at(-1)!.data.decision).toMatchObject({ route: 'trade_union', tradeUnionResolution: { number: '07-NQ/CĐCS' } });
    expect((await c.withdraw('Rút hồ sơ / withdrawn')).status).toBe('withdrawn');
    await c.recordHistory('province-exception-and-union-route');
  });

  it('switches a case started on the previous workflow code to local projection writes at its next write, and reads its whole record back from the history', async () => {
    // KETNAP_PREVIOUS_WORKFLOWS: the workflows entry of a deployment before local-projection-v1 (a git worktree,
    // test/replay/README.md): the case starts there and this code takes over mid-path, as a deployment does. Unset
    // (CI), both halves run on this code; the history recorded with it (.local-projection-v1) is replayed in CI.
    const previous = process.env.KETNAP_PREVIOUS_WORKFLOWS;
    await env.stopWorker();
    await env.startWorker({ workflowsPath: previous });
    const c = await start();
    await c.decideAll(ADMISSION_STEPS.slice(0, 3));
    await env.stopWorker();
    await env.startWorker();
    await c.decideAll(ADMISSION_STEPS.slice(3, 6));
    await c.withdraw('kết thúc kiểm thử');
    await c.result();

    const history = await c.handle.fetchHistory();
    const evs = history.events ?? [];
    const activityTasks = evs.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'projectCandidate').length;
    const markers = evs.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
    if (previous) expect(activityTasks).toBeGreaterThanOrEqual(4); // the start and three decisions
    expect(markers).toBeGreaterThanOrEqual(4); // three decisions and the withdrawal, at least
    // Every event the case made is in exactly one batch, whether an activity or a local activity carried it, and
    // the read model holds the same (the audit replay's comparison).
    const final = (await c.handle.query('state')) as any;
    const recorded = (await projectionBatches(history)).flatMap((p) => p.batch.events.map((e) => e.seq));
    expect([...new Set(recorded)].sort((a, b) => a - b)).toEqual(final.events.map((e: any) => e.seq));
    const projected = await waitFor('the withdrawal projected', async () => {
      const rows = await events(c.input.candidateId);
      return rows.length === final.events.length ? rows : undefined;
    });
    expect(projected.map((e) => e.type)).toEqual(final.events.map((e: any) => e.type));
    await c.recordHistory('upgraded-mid-path');
  });
});


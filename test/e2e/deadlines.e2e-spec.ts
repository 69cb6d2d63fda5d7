import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Client, Connection } from '@temporalio/client';
import { addWorkingDays, BUILT_IN_YEAR_DATA, buildCalendar, type HolidayCalendar } from '../../libs/domain/src/calendar/index.js';
import { CalendarRepository } from '../../libs/persistence/src/repositories/calendar.repository.js';
import { digestScheduleId } from '../../workflows/digest/digest.messages.js';
import { candidateWorkflowId } from '../../workflows/candidate/candidate.messages.js';
import { candidateInput } from '../../libs/temporal/src/candidate-history.js';
import { temporalConnectionOptions, temporalDataConverter } from '../../libs/temporal/src/connection.js';
import { EncryptionCodec } from '../../libs/temporal/src/encryption-codec.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import { awaitJob } from '../support/jobs.js';
import { TestSystem } from '../support/system.js';

/**
 * Statutory deadlines on the running system: with a business clock at 1,000,000× (a business day every
 * 86 ms), the 60 working days the superior has after the cell's resolution pass in ~7 seconds. A real SMTP
 * server receives the e-mails.
 */
const SPEED = 1_000_000;

/** The active candidates in this file's org tree. */
async function activeCandidatesOfThisFile(): Promise<string[]> {
  const ds = await openDataSource();
  try {
    const rows = await ds.query(`SELECT id FROM candidates WHERE status = 'active' AND cell_id = ANY($1::uuid[])`, [Object.values(sys.units)]);
    return rows.map((r: { id: string }) => r.id);
  } finally {
    await ds.destroy();
  }
}
const sys = new TestSystem();
const mails: ParsedMail[] = [];
let smtp: SMTPServer;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((m) => mails.push(m))
        .then(() => callback(), callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  await sys.start({ KETNAP_CLOCK_SPEED: String(SPEED), SMTP_HOST: '127.0.0.1', SMTP_PORT: String(port), KETNAP_PUBLIC_URL: 'http://ketnap.test' });
});

afterAll(async () => {
  await sys.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const history = (candidateId: string) => sys.history(candidateId);
const toCellResolution = (name: string) => sys.toCellResolution(name);

/**
 * The calendar new cases start with: the built-in years and those stored by `PUT /api/calendar/:year` — other
 * test files of the run store some in the same database, and a case counts its days on them.
 */
async function calendarInForce(): Promise<HolidayCalendar> {
  const ds = await openDataSource();
  try {
    return buildCalendar([...BUILT_IN_YEAR_DATA, ...(await new CalendarRepository(ds).current())]);
  } finally {
    await ds.destroy();
  }
}

describe('statutory deadlines with reminders, escalation and notifications', () => {
  it('reminds before, on and after the due date, escalates to the superior, e-mails and feeds the approvers, and fires nothing twice across a worker restart', async () => {
    const { users } = sys;
    const id = await toCellResolution('Phạm Minh Tuấn');
    const review = await sys.openTask(users.grassroots, id, 'grassroots_admission_review');
    expect(review.dueRule).toMatchObject({ workingDays: 60, anchorEvent: 'cell_admission_resolution' });
    expect(review.dueDate).toBe(addWorkingDays(review.dueRule.anchorDate, 60, await calendarInForce()));
    expect(review.dueAt).toBe(`${review.dueDate}T23:59:59+07:00`);

    // The first reminder (5 working days before), then the worker goes away for a while.
    await waitFor('first reminder', async () => ((await history(id)).some((e) => e.type === 'reminder_sent') ? true : undefined), 30_000);
    await sys.stopWorker();
    await new Promise((r) => setTimeout(r, 1500));
    await sys.startWorker();

    const events = await waitFor('the missed deadline', async () => {
      const h = await history(id);
      return h.some((e) => e.type === 'deadline_missed') ? h : undefined;
    }, 30_000);
    const reminderKeys = events.filter((e) => e.type === 'reminder_sent').map((e) => e.data.key);
    expect(reminderKeys.slice(0, 3)).toEqual([`${review.dueDate}:before:5`, `${review.dueDate}:before:1`, `${review.dueDate}:due`]);
    // The morning spread (KETNAP_REMINDER_SPREAD_MINUTES, default 10) is pinned in the case's input as it starts.
    const connection = await Connection.connect(temporalConnectionOptions(sys.config.temporal));
    try {
      const client = new Client({ connection, namespace: sys.config.temporal.namespace, dataConverter: temporalDataConverter(sys.config) });
      const input = await candidateInput(await client.workflow.getHandle(candidateWorkflowId(id)).fetchHistory(), new EncryptionCodec(sys.config.payloadEncryption));
      expect(input?.reminderSpreadSeconds).toBe(600);
    } finally {
      await connection.close();
    }
    expect(new Set(reminderKeys).size).toBe(reminderKeys.length);
    expect(events.filter((e) => e.type === 'deadline_missed')).toHaveLength(1);

    // The overdue item sits in the inbox of the level above (the superior's standing board).
    const item = await sys.openTask(users.board, id, 'overdue_escalation');
    expect(item.orgUnitId).toBe(sys.units.superior);
    expect((await users.grassroots.get('/api/tasks?type=overdue_escalation')).body.items.find((t: any) => t.candidateId === id)).toBeUndefined();
    const overdueInbox = await users.grassroots.get('/api/tasks?due=overdue');
    expect(overdueInbox.body.items.map((t: any) => t.id)).toContain(review.id);

    // E-mail to the grassroots committee: candidate, step, due date and a link.
    const ddmmyyyy = review.dueDate.split('-').reverse().join('/');
    const mail = await waitFor('an overdue e-mail', async () =>
      mails.find((m) => (m.to as any)?.text?.includes(sys.email('grassroots')) && m.subject?.includes('Đã quá hạn') && m.text?.includes('Phạm Minh Tuấn')),
    );
    expect(mail.subject).toContain('Đảng ủy cơ sở xét, đề nghị kết nạp');
    expect(mail.text).toContain(ddmmyyyy);
    // A link the web app serves: its hash route of the task (apps/web/src/router.ts).
    expect(mail.text).toContain(`http://ketnap.test/#/tasks/${encodeURIComponent(review.id)}`);
    expect(mails.some((m) => (m.to as any)?.text?.includes(sys.email('board')) && m.subject?.includes('đôn đốc'))).toBe(true);

    // The in-app feed shows the same reminders, once each; marking read works.
    const feed = (await users.grassroots.get('/api/notifications')).body;
    const mine = feed.items.filter((n: any) => n.taskId === review.id);
    expect(mine.map((n: any) => n.title)).toContain(mail.subject);
    expect(new Set(mine.map((n: any) => n.kind + n.title + n.createdAt)).size).toBe(mine.length);
    expect(feed.unread).toBeGreaterThanOrEqual(4);
    const read = await users.grassroots.post(`/api/notifications/${mine[0].id}/read`);
    expect(read.status).toBe(200);
    // Exactly one fewer unread, counting any reminder that arrived in between (the business clock runs fast).
    const feedAfter = (await users.grassroots.get('/api/notifications')).body;
    const arrived = feedAfter.items.filter((n: any) => !feed.items.some((f: any) => f.id === n.id) && !n.readAt).length;
    expect(feedAfter.items.find((n: any) => n.id === mine[0].id).readAt).toBeTruthy();
    expect(feedAfter.unread).toBe(feed.unread - 1 + arrived);
    const foreignRead = await users.secretary.post(`/api/notifications/${mine[0].id}/read`);
    expect(foreignRead.status).toBe(404);

    // Deciding the late step closes the overdue item.
    await sys.decideOk(users.grassroots, id, 'grassroots_admission_review');
    await waitFor('the overdue item to close', async () =>
      (await users.board.get('/api/tasks?type=overdue_escalation')).body.items.some((t: any) => t.candidateId === id) ? undefined : true,
    );
    const after = await history(id);
    expect(after.some((e) => e.type === 'task_cancelled' && e.data.because === 'resolved')).toBe(true);
  });

  it('lets the superior extend its deadline once, with a reason, and filters the inbox by working days left; T4 runs from receipt and a late ceremony needs the grassroots committee', async () => {
    const { users } = sys;
    const id = await toCellResolution('Đoàn Thị Mai');
    await sys.decideOk(users.grassroots, id, 'grassroots_admission_review');
    const task = await sys.openTask(users.board, id, 'superior_admission_decision');
    expect(task.dueRule.workingDays).toBe(60);

    expect((await users.secretary.post(`/api/tasks/${task.id}/extend`, { workingDays: 10, reason: 'Cần thẩm tra thêm' })).status).toBe(403);
    const tooLong = await users.board.post(`/api/tasks/${task.id}/extend`, { workingDays: 31, reason: 'Trường hợp đặc biệt' });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.code).toBe('extension_too_long');

    const ext = await users.board.post(`/api/tasks/${task.id}/extend`, { workingDays: 30, reason: 'Trường hợp đặc biệt: chờ kết quả thẩm tra bổ sung' });
    expect(ext.status).toBe(200);
    const moved = ext.body.openTasks.find((t: any) => t.id === task.id);
    expect(moved.dueDate).toBe(addWorkingDays(task.dueRule.anchorDate, 90, await calendarInForce()));
    expect(moved.dueRule.workingDays).toBe(90);

    const again = await users.board.post(`/api/tasks/${task.id}/extend`, { workingDays: 5, reason: 'lần nữa' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('extension_already_used');

    const events = await history(id);
    const extended = events.filter((e) => e.type === 'deadline_extended');
    expect(extended).toHaveLength(1);
    expect(extended[0]).toMatchObject({ actor: { username: `board-${sys.tag}` }, data: { workingDays: 30, clock: 'T3', previousDueAt: task.dueAt } });

    const soon = await users.board.get(`/api/tasks?dueWithin=300`);
    expect(soon.body.items.map((t: any) => t.id)).toContain(task.id);
    const none = await users.board.get(`/api/tasks?dueWithin=0&type=superior_admission_decision`);
    const listed = none.body.items.find((t: any) => t.id === task.id);
    // Listed only if already due today or overdue.
    if (listed) expect(listed.dueDate <= (await sys.today())).toBe(true);

    // T4 runs from the day the cell receives the decision, not from its signature (§3.3).
    const signedOn = events.find((e) => e.type === 'decision_recorded' && e.data.taskType === 'grassroots_admission_review').businessDate;
    const receivedOn = await sys.today();
    expect(receivedOn > signedOn).toBe(true);
    await sys.decideOk(users.board, id, 'superior_admission_decision', { data: { decisionDate: signedOn, receivedOn } });
    const ceremony = await sys.openTask(users.secretary, id, 'admission_ceremony');
    expect(ceremony.dueRule).toMatchObject({ anchorDate: receivedOn, workingDays: 30 });
    // A late ceremony needs the agreement of the cell's direct superior committee — for an ordinary cell the
    // grassroots committee, not the superior board — recorded once as the T4 extension. Without it: refused.
    await waitFor('T4 to pass', async () => ((await sys.today()) > ceremony.dueDate ? true : undefined), 30_000);
    const refusedVi = await sys.decide(users.secretary, id, 'admission_ceremony');
    expect(refusedVi.status).toBe(422);
    expect(refusedVi.body.code).toBe('ceremony_late_without_consent');
    expect(refusedVi.body.message).toContain('cấp ủy cấp trên trực tiếp của chi bộ đồng ý');
    const refusedEn = await sys.decide(users.secretary, id, 'admission_ceremony', {}, { 'accept-language': 'en' });
    expect(refusedEn.body.message).toContain("the agreement of the cell's direct superior committee");
    const byBoard = await users.board.post(`/api/tasks/${ceremony.id}/extend`, { workingDays: 10, reason: 'Đồng ý tổ chức lễ muộn' });
    expect(byBoard.status).toBe(403);
    expect(byBoard.body.code).toBe('extension_not_authorised');
    const lateCeremony = await users.grassroots.post(`/api/tasks/${ceremony.id}/extend`, { workingDays: 10, reason: 'Đảng ủy cơ sở đồng ý tổ chức lễ muộn' });
    expect(lateCeremony.status).toBe(200);
    await sys.decideOk(users.secretary, id, 'admission_ceremony');
    expect((await history(id)).filter((e) => e.type === 'deadline_extended').map((e) => [e.data.clock, e.actor.username])).toEqual([
      ['T3', `board-${sys.tag}`],
      ['T4', `grassroots-${sys.tag}`],
    ]);
    await users.secretary.post(`/api/candidates/${id}/withdraw`, { reason: 'kết thúc kiểm thử' });
  });

  it("times a probationary member's transfer: initiated late against T9, the letter due at the new cell on T10, escalated when missed, received with the reasons", async () => {
    const { users, units } = sys;
    const id = await toCellResolution('Đinh Văn Chuyển');
    await sys.decideOk(users.grassroots, id, 'grassroots_admission_review');
    await sys.decideOk(users.board, id, 'superior_admission_decision');
    await sys.decideOk(users.secretary, id, 'admission_ceremony');
    // The new job took effect a year ago: the 60 working days to initiate the transfer (T9) are long past.
    const today = await sys.today();
    const effectiveOn = `${Number(today.slice(0, 4)) - 1}${today.slice(4)}`;
    const moved = await users.provinceBoard.post(`/api/candidates/${id}/transfer`, { toCellId: units.otherCell, reason: 'Chuyển công tác', effectiveOn });
    expect(moved.status).toBe(200);
    // The old cell's secretary no longer reads the case: the province board does.
    const historyOf = async () => (await users.provinceBoard.get(`/api/candidates/${id}/history`)).body.events as any[];
    const transferred = (await historyOf()).find((e) => e.type === 'candidate_transferred');
    const calendar = await calendarInForce();
    expect(transferred.data.initiation).toMatchObject({ dueDate: addWorkingDays(effectiveOn, 60, calendar), late: true });
    // T10 from the day of the introduction, in the destination cell's inbox.
    const receipt = await sys.openTask(users.outsider, id, 'receive_transfer');
    expect(receipt.dueDate).toBe(addWorkingDays(transferred.businessDate, 30, calendar));
    expect(receipt.dueRule).toMatchObject({ workingDays: 30, anchorEvent: 'transfer_introduction', anchorDate: transferred.businessDate });
    await waitFor(
      'T10 missed',
      async () => ((await historyOf()).some((e) => e.type === 'deadline_missed' && e.data.taskId === receipt.id) ? true : undefined),
      30_000,
    );
    const missed = (await historyOf()).find((e) => e.type === 'deadline_missed' && e.data.taskId === receipt.id);
    expect(missed.data.escalatedTo).toEqual({ orgUnitId: units.otherGrassroots, role: 'grassroots_committee' });
    const noReason = await sys.decide(users.outsider, id, 'receive_transfer');
    expect(noReason.status).toBe(422);
    expect(noReason.body.code).toBe('transfer_late_reason_required');
    expect(noReason.body.message).toContain('phải ghi rõ lý do chậm');
    await sys.decideOk(users.outsider, id, 'receive_transfer', { data: { presentedOn: await sys.today(), lateReason: 'Đi công tác nước ngoài' } });
    await users.provinceBoard.post(`/api/candidates/${id}/withdraw`, { reason: 'kết thúc kiểm thử' });
  });

  it('applies an administrator calendar update without a deploy to running clocks, and refuses bad data', async () => {
    const { users, admin } = sys;
    const id = await toCellResolution('Lý Thu Trang');
    const task = await sys.openTask(users.grassroots, id, 'grassroots_admission_review');
    const dayOff = addWorkingDays(await sys.today(), 25);
    const y = Number(dayOff.slice(0, 4));
    const current = (await users.secretary.get(`/api/calendar/${y}`)).body;
    expect(current.holidays.length).toBeGreaterThan(5);
    const holidays = [...current.holidays.map(({ derived: _d, ...h }: any) => h), { date: dayOff, name_vi: 'Ngày nghỉ đặc biệt', name_en: 'Special day off', kind: 'special' }];

    const forbidden = await users.board.call('PUT', `/api/calendar/${y}`, { source: 'x', holidays, extraWorkingDays: current.extraWorkingDays });
    expect(forbidden.status).toBe(403);
    const bad = await admin.call('PUT', `/api/calendar/${y}`, { source: 'Quyết định thử', holidays: [...holidays, { ...holidays[0] }], extraWorkingDays: current.extraWorkingDays });
    expect(bad.status).toBe(422);
    expect(bad.body.code).toBe('calendar_invalid');

    // 202: the version is stored and a job tells every active case (GET /api/jobs/:id follows it).
    const ok = await admin.call('PUT', `/api/calendar/${y}`, { source: 'Thông báo nghỉ đặc biệt (kiểm thử)', holidays, extraWorkingDays: current.extraWorkingDays });
    expect(ok.status).toBe(202);
    expect(ok.body.total).toBeGreaterThanOrEqual(1);
    const job = await awaitJob(admin, ok.body.jobId, 120_000);
    expect(job).toMatchObject({ status: 'succeeded', done: job.total });
    expect(job.result.signalled).toBeGreaterThanOrEqual(1);
    // Every active case of this test was told. (Other test files write read-model rows without a workflow
    // behind them straight into the shared test database; those are the only ones that may fail.)
    const mine = (await activeCandidatesOfThisFile()).map((c) => `candidate-${c}`);
    expect(mine.length).toBeGreaterThanOrEqual(1);
    expect(job.errors.filter((e: { item: string }) => mine.includes(e.item))).toEqual([]);

    const changed = await waitFor('the clock to move', async () => {
      const h = await history(id);
      return h.find((e) => e.type === 'calendar_changed');
    });
    expect(changed.data.changes).toEqual([expect.objectContaining({ taskId: task.id, previousDueAt: task.dueAt })]);
    const moved = await waitFor('the inbox to show the new due date', async () => {
      const t = await sys.openTask(users.grassroots, id, 'grassroots_admission_review');
      return t.dueAt !== task.dueAt ? t : undefined;
    });
    expect(moved.dueDate > task.dueDate).toBe(true);
    const after = (await users.secretary.get(`/api/calendar/${y}`)).body;
    expect(after.holidays.map((h: any) => h.date)).toContain(dayOff);
    expect(after.versions.at(-1)).toMatchObject({ year: y, source: 'Thông báo nghỉ đặc biệt (kiểm thử)' });
    await users.secretary.post(`/api/candidates/${id}/withdraw`, { reason: 'kết thúc kiểm thử' });
  });

  it('sends each approver a daily digest of overdue and soon-due work through the schedule', async () => {
    const { users } = sys;
    const id = await toCellResolution('Hoàng Văn Nam');
    await sys.openTask(users.grassroots, id, 'grassroots_admission_review');
    // Let the 60 working days run out (≈7 s at this clock speed), then run today's digest now.
    await waitFor('the deadline to pass', async () => ((await history(id)).some((e) => e.type === 'deadline_missed') ? true : undefined), 30_000);
    const connection = await Connection.connect({ address: sys.config.temporal.address });
    try {
      const client = new Client({ connection });
      await client.schedule.getHandle(digestScheduleId(sys.config.temporal.taskQueue)).trigger();
    } finally {
      await connection.close();
    }
    const mail = await waitFor('the digest e-mail', async () =>
      mails.find((m) => (m.to as any)?.text?.includes(sys.email('grassroots')) && m.subject?.includes('Tổng hợp ngày') && m.text?.includes('Hoàng Văn Nam')),
    );
    expect(mail.text).toContain('QUÁ HẠN');
    expect(mail.text).toContain('Đảng ủy cơ sở xét, đề nghị kết nạp');
    const feed = (await users.grassroots.get('/api/notifications')).body.items;
    expect(feed.filter((n: any) => n.kind === 'digest' && n.title === mail.subject)).toHaveLength(1);
    // The secretary has nothing due in the next days at this candidate's stage: no digest for that item.
    expect(mails.some((m) => (m.to as any)?.text?.includes(sys.email('secretary')) && m.text?.includes('Hoàng Văn Nam'))).toBe(false);
    await users.secretary.post(`/api/candidates/${id}/withdraw`, { reason: 'kết thúc kiểm thử' });
  });
});

import { addWorkingDays, BUILT_IN_YEAR_DATA, buildCalendar, holidaysIn, extraWorkingDaysIn } from '../../libs/domain/src/calendar/index.js';
import type { CalendarYearData } from '../../libs/domain/src/calendar/types.js';
import { addMonths } from '../../libs/domain/src/dates.js';
import type { TaskType } from '../../libs/domain/src/procedure.js';
import { spreadOffsetMs } from '../../libs/domain/src/reminders.js';
import { validDecision } from '../../test/support/decisions.js';
import { CandidateCase, CaseRefusal } from './candidate.case.js';
import type { CandidateWorkflowInput } from './candidate.messages.js';

const DAY = 86_400_000;
const B0 = Date.UTC(2025, 0, 6, 2); // 2025-01-06 09:00 in Vietnam
const ACTOR = { userId: 'u', username: 'tester' };
const ROUTING = { cellId: 'cell', provinceId: 'prov', grassrootsId: 'gr', grassrootsIsCell: false, superiorId: 'sup', trainingCentreId: 'tc' };

/** A case with reminders on, driven on a fake clock (business time = real time, speed 1). */
class Driver {
  now = B0;
  readonly c: CandidateCase;
  constructor(extra: Partial<CandidateWorkflowInput> = {}, flags: Partial<Pick<CandidateCase, 'reminderSpreadEnabled'>> = {}) {
    const input: CandidateWorkflowInput = {
      ...extra,
      candidateId: 'cand',
      fullName: 'Nguyễn Văn An',
      facts: extra.facts ?? { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university' },
      routing: extra.routing ?? ROUTING,
      clock: { anchorRealMs: B0, anchorBusinessMs: B0, speed: 1 },
      source: { organization: 'Đoàn', introducedOn: '2025-01-06' },
      createdBy: ACTOR,
    };
    this.c = new CandidateCase(input, () => this.now);
    this.c.remindersEnabled = true;
    this.c.derivedClocksEnabled = true;
    Object.assign(this.c, flags);
    this.c.start();
  }
  today(): string {
    return this.c.businessToday();
  }
  decide(type: TaskType, over: Parameters<typeof validDecision>[2] = {}) {
    const t = this.c.summary().openTasks.find((x) => x.type === type);
    if (!t) throw new Error(`no open ${type}`);
    const p = validDecision(type, this.today(), over);
    this.c.apply({ taskId: t.id, outcome: p.outcome, data: p.data, actor: ACTOR });
    this.now += DAY;
    return t;
  }
  /** Runs the clock forward as the workflow would: to each next alarm, firing it. */
  runUntil(ms: number): void {
    for (;;) {
      const next = this.c.nextAlarmMs();
      if (next === undefined || next > ms) break;
      this.now = Math.max(this.now, next);
      this.c.fireDueAlarms();
    }
    this.now = ms;
  }
  events(type: string) {
    return this.c.events.filter((e) => e.type === type);
  }
}

function toGrassrootsReview(d: Driver) {
  for (const t of ['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background', 'record_introductions', 'cell_admission_vote'] as const) d.decide(t);
}

describe('CandidateCase deadlines', () => {
  it('reminds 5 and 1 working days before and on the due date, then escalates to the superior once', () => {
    const d = new Driver();
    toGrassrootsReview(d);
    const review = d.c.summary().openTasks.find((t) => t.type === 'grassroots_admission_review')!;
    d.runUntil(Date.parse(`${review.dueDate}T00:00:00Z`) + 3 * DAY);
    expect(d.events('reminder_sent').map((e) => e.data.kind)).toEqual(['before_due', 'before_due', 'due_today']);
    expect(d.events('deadline_missed')).toHaveLength(1);
    const item = d.c.summary().openTasks.find((t) => t.type === 'overdue_escalation')!;
    expect(item).toMatchObject({ orgUnitId: 'sup', role: 'superior_board', escalatedTaskId: review.id });
    const notes = d.c.takeNotifications();
    expect(notes.filter((n) => n.kind === 'escalation').map((n) => n.orgUnitId)).toEqual(['sup']);
    expect(notes.filter((n) => n.kind !== 'escalation').every((n) => n.orgUnitId === 'gr' && n.role === 'grassroots_committee')).toBe(true);
    // Firing again at the same moment does nothing: each point fires once.
    d.c.fireDueAlarms();
    expect(d.events('deadline_missed')).toHaveLength(1);
    expect(d.c.takeNotifications()).toEqual([]);
  });

  it('fires its 08:00 reminders at its place in the morning spread (reminderSpreadSeconds) and its overdue point at midnight', () => {
    const spread = new Driver({ reminderSpreadSeconds: 600 }, { reminderSpreadEnabled: true });
    const exact = new Driver();
    // Without the patch (a case an older worker began) the field changes nothing.
    const unpatched = new Driver({ reminderSpreadSeconds: 600 });
    toGrassrootsReview(unpatched);
    for (const d of [spread, exact]) toGrassrootsReview(d);
    const review = exact.c.summary().openTasks.find((t) => t.type === 'grassroots_admission_review')!;
    const offset = spreadOffsetMs('cand', 600_000);
    expect(offset).toBeGreaterThan(0);
    const firstExact = exact.c.nextAlarmMs()!;
    expect(spread.c.nextAlarmMs()).toBe(firstExact + offset);
    expect(unpatched.c.nextAlarmMs()).toBe(firstExact);
    // Just before its place in the spread nothing has fired; then the same reminders, the same keys.
    spread.runUntil(firstExact + offset - 1);
    expect(spread.events('reminder_sent')).toHaveLength(0);
    const end = Date.parse(`${review.dueDate}T00:00:00Z`) + 3 * DAY;
    for (const d of [spread, exact]) d.runUntil(end);
    const keys = (d: Driver) => d.events('reminder_sent').map((e) => e.data.key);
    expect(keys(spread)).toEqual(keys(exact));
    expect(spread.events('deadline_missed').map((e) => e.at)).toEqual(exact.events('deadline_missed').map((e) => e.at));
  });

  it('stops reminding and closes the overdue item when the step is decided', () => {
    const d = new Driver();
    toGrassrootsReview(d);
    const review = d.c.summary().openTasks.find((t) => t.type === 'grassroots_admission_review')!;
    d.runUntil(Date.parse(`${review.dueDate}T00:00:00Z`) + 2 * DAY);
    d.decide('grassroots_admission_review');
    expect(d.c.summary().openTasks.some((t) => t.type === 'overdue_escalation' && t.escalatedTaskId === review.id)).toBe(false);
    const before = d.events('reminder_sent').filter((e) => e.data.taskId === review.id).length;
    d.runUntil(d.now + 60 * DAY);
    expect(d.events('reminder_sent').filter((e) => e.data.taskId === review.id)).toHaveLength(before);
  });

  it('extends the superior clock once by at most 30 working days and re-plans its reminders', () => {
    const d = new Driver();
    toGrassrootsReview(d);
    d.decide('grassroots_admission_review');
    const task = d.c.summary().openTasks.find((t) => t.type === 'superior_admission_decision')!;
    expect(() => d.c.extend({ taskId: task.id, workingDays: 31, reason: 'x', actor: ACTOR })).toThrow(CaseRefusal);
    d.c.extend({ taskId: task.id, workingDays: 30, reason: 'Trường hợp đặc biệt', actor: ACTOR });
    const moved = d.c.summary().openTasks.find((t) => t.id === task.id)!;
    expect(moved.dueDate).toBe(addWorkingDays(task.dueRule!.anchorDate, 90));
    try {
      d.c.extend({ taskId: task.id, workingDays: 1, reason: 'again', actor: ACTOR });
      throw new Error('expected a refusal');
    } catch (e) {
      expect((e as CaseRefusal).code).toBe('extension_already_used');
    }
    d.runUntil(Date.parse(`${moved.dueDate}T00:00:00Z`) + 2 * DAY);
    expect(d.events('deadline_missed').map((e) => e.data.dueDate)).toEqual([moved.dueDate]);
  });

  it('refuses to extend a step without an extendable clock', () => {
    const d = new Driver();
    const t = d.c.summary().openTasks[0];
    expect(() => d.c.extend({ taskId: t.id, workingDays: 5, reason: 'x', actor: ACTOR })).toThrow(/không có thời hạn được phép gia hạn/);
  });

  it('warns the cell 3 months before the certificate lapses, and on lapse opens a retake that renews it without moving the case', () => {
    const d = new Driver();
    for (const t of ['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background'] as const) d.decide(t);
    const issuedOn = d.events('decision_recorded').find((e) => e.data.taskType === 'record_training_certificate')!.businessDate!;
    const expires = addMonths(issuedOn, 60);
    d.runUntil(Date.parse(`${expires}T12:00:00Z`));
    expect(d.events('certificate_expiring')).toHaveLength(1);
    expect(d.events('certificate_expiring')[0].businessDate).toBe(addMonths(expires, -3));
    expect(d.events('certificate_expired')).toHaveLength(1);
    const stage = d.c.stage;
    expect(d.c.summary().openTasks.map((t) => t.type).sort()).toEqual(['record_introductions', 'record_training_certificate']);
    d.decide('record_training_certificate');
    expect(d.c.stage).toBe(stage);
    expect(d.c.summary().openTasks.map((t) => t.type)).toEqual(['record_introductions']);
  });

  it('asks for the dossier to be redone when the cell has not voted within 12 months (T2)', () => {
    const d = new Driver();
    for (const t of ['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background', 'record_introductions'] as const) d.decide(t);
    const compiled = d.events('decision_recorded').find((e) => e.data.taskType === 'record_introductions')!.businessDate!;
    d.runUntil(Date.parse(`${addMonths(compiled, 12)}T00:00:00Z`) + 2 * DAY);
    const stale = d.events('dossier_stale');
    expect(stale).toHaveLength(1);
    // Two party members introduced: letters and opinions, no organisation's resolution to redo.
    expect(stale[0].data.redo).toEqual(['3-KNĐ', '5-KNĐ']);
    const open = d.c.summary().openTasks;
    expect(open.map((t) => t.type)).toEqual(['record_introductions']);
    expect(open[0].attempt).toBe(2);
    expect(d.c.takeNotifications().some((n) => n.kind === 'dossier_stale' && n.orgUnitId === 'cell')).toBe(true);
  });

  it('asks for the trade-union resolution (4A-KNĐ) to be redone with the letters and opinions when the union introduced (T2)', () => {
    const d = new Driver();
    for (const t of ['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background'] as const) d.decide(t);
    d.decide('record_introductions', {
      data: {
        introducers: [{ fullName: 'Lê Văn Cường', official: true, monthsTogether: 24, sameGrassroots: true }],
        youthUnionAtGrassroots: false,
        tradeUnionResolution: { number: '07-NQ/CĐCS', date: d.today(), tradeUnionMember: true },
      },
    });
    const compiled = d.events('decision_recorded').find((e) => e.data.taskType === 'record_introductions')!.businessDate!;
    d.runUntil(Date.parse(`${addMonths(compiled, 12)}T00:00:00Z`) + 2 * DAY);
    expect(d.events('dossier_stale').map((e) => e.data.redo)).toEqual([['3-KNĐ', '4A-KNĐ', '5-KNĐ']]);
  });

  it('moves clocks not yet expired when the administrator adds a day off, records it once, and ignores the same calendar again', () => {
    const d = new Driver();
    toGrassrootsReview(d);
    const review = d.c.summary().openTasks.find((t) => t.type === 'grassroots_admission_review')!;
    const dayOff = addWorkingDays(d.today(), 10);
    const y = Number(dayOff.slice(0, 4));
    const year: CalendarYearData = {
      year: y,
      version: 99,
      source: 'Thông báo giả định (test)',
      holidays: [...holidaysIn(y).map(({ derived: _d, ...h }) => h), { date: dayOff, name_vi: 'Ngày nghỉ đặc biệt', name_en: 'Special day off', kind: 'special' }],
      extraWorkingDays: extraWorkingDaysIn(y),
    };
    d.c.updateCalendar([year]);
    const moved = d.c.summary().openTasks.find((t) => t.id === review.id)!;
    expect(moved.dueDate).toBe(addWorkingDays(review.dueRule!.anchorDate, 60, buildCalendar([...BUILT_IN_YEAR_DATA, year])));
    expect(moved.dueDate! > review.dueDate!).toBe(true);
    const ev = d.events('calendar_changed');
    expect(ev).toHaveLength(1);
    expect(ev[0].data.changes).toEqual([expect.objectContaining({ taskId: review.id, previousDueAt: review.dueAt, dueAt: moved.dueAt })]);
    // The same calendar again changes nothing.
    d.c.updateCalendar([year]);
    expect(d.events('calendar_changed')).toHaveLength(1);
  });

  it('keeps the newest calendar of each year: an older version sent later (a replayed signal) moves no clock back', () => {
    const d = new Driver();
    toGrassrootsReview(d);
    const review = d.c.summary().openTasks.find((t) => t.type === 'grassroots_admission_review')!;
    const dayOff = addWorkingDays(d.today(), 10);
    const y = Number(dayOff.slice(0, 4));
    const base = { year: y, source: 'Thông báo giả định (test)', extraWorkingDays: extraWorkingDaysIn(y) };
    const official = holidaysIn(y).map(({ derived: _d, ...h }) => h);
    const older: CalendarYearData = { ...base, version: 98, holidays: official };
    const newer: CalendarYearData = { ...base, version: 99, holidays: [...official, { date: dayOff, name_vi: 'Ngày nghỉ đặc biệt', name_en: 'Special day off', kind: 'special' }] };
    d.c.updateCalendar([newer], true);
    const moved = d.c.summary().openTasks.find((t) => t.id === review.id)!.dueDate!;
    expect(moved > review.dueDate!).toBe(true);
    d.c.updateCalendar([older], true);
    expect(d.c.summary().openTasks.find((t) => t.id === review.id)!.dueDate).toBe(moved);
    expect(d.events('calendar_changed')).toHaveLength(1);
    // Before the patch, the older one replaced the newer (what recorded histories did, and still replay as).
    d.c.updateCalendar([older], false);
    expect(d.c.summary().openTasks.find((t) => t.id === review.id)!.dueDate).toBe(review.dueDate);
  });

  it('uses the reminder points configured for a task type, and the rule set with its effective dates', () => {
    const d = new Driver({ remindersByTaskType: { grassroots_admission_review: { beforeWorkingDays: [10], onDueDate: false, repeatEveryWorkingDays: 0, maxRepeats: 0 } } });
    toGrassrootsReview(d);
    const review = d.c.summary().openTasks.find((t) => t.type === 'grassroots_admission_review')!;
    expect(review.dueRule).toMatchObject({ ruleSetId: 'QD24-2021', effectiveFrom: '2021-07-30', effectiveTo: '2025-01-19' });
    d.runUntil(Date.parse(`${review.dueDate}T00:00:00Z`) + 30 * DAY);
    expect(d.events('reminder_sent').map((e) => e.data.key)).toEqual([`${review.dueDate}:before:10`]);
    expect(d.events('deadline_missed')).toHaveLength(1);
  });
});

/** Business 09:00 in Vietnam on `date` (the fake clock runs business time = real time). */
const at = (date: string) => Date.parse(`${date}T02:00:00Z`);
const GRASSROOTS = { ...ACTOR, role: 'grassroots_committee' as const };
const BOARD = { ...ACTOR, role: 'superior_board' as const };

/** As the workflow does it: the validator first (new-request rules included), then the handler. */
function submit(d: Driver, type: TaskType, over: Parameters<typeof validDecision>[2] = {}) {
  const t = d.c.summary().openTasks.find((x) => x.type === type);
  if (!t) throw new Error(`no open ${type}`);
  const p = validDecision(type, d.today(), over);
  const req = { taskId: t.id, outcome: p.outcome, data: p.data, actor: ACTOR };
  d.c.validate(req);
  d.c.apply(req);
  return t;
}

function refusalOf(fn: () => unknown): CaseRefusal {
  try {
    fn();
  } catch (e) {
    if (e instanceof CaseRefusal) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** A case whose superior decision is signed on Mon 2 June 2025 and received by the cell on Mon 9 June 2025. */
function admittedInJune(routing = ROUTING): Driver {
  const d = new Driver({ routing });
  toGrassrootsReview(d);
  if (!routing.grassrootsIsCell) d.decide('grassroots_admission_review');
  d.now = at('2025-06-09');
  submit(d, 'superior_admission_decision', { data: { decisionDate: '2025-06-02', receivedOn: '2025-06-09' } });
  return d;
}

describe('Clocks and routes (issue 16)', () => {
  describe('T4: the ceremony clock runs from the day the cell receives the decision', () => {
    it('counts 30 working days from receipt (Mon 9 June 2025 → Mon 21 July 2025), not from the signature (which would give 14 July)', () => {
      // By hand: working days after 9/6 — 10–13/6 (4), 16–20/6 (9), 23–27/6 (14), 30/6–4/7 (19), 7–11/7 (24),
      // 14–18/7 (29), 21/7 (30); no public holiday in June–July 2025.
      const d = admittedInJune();
      const ceremony = d.c.summary().openTasks.find((t) => t.type === 'admission_ceremony')!;
      expect(ceremony.dueDate).toBe('2025-07-21');
      expect(ceremony.dueRule).toMatchObject({ anchorDate: '2025-06-09', workingDays: 30 });
      expect(ceremony.notBefore).toBe('2025-06-09');
      // Party age still runs from the signature (§7.6).
      expect(d.c.summary().partyAgeFrom).toBe('2025-06-02');
    });

    it('takes the decision date when the receipt date is not given', () => {
      const d = new Driver();
      toGrassrootsReview(d);
      d.decide('grassroots_admission_review');
      d.now = at('2025-06-09');
      submit(d, 'superior_admission_decision', { data: { decisionDate: '2025-06-02' } });
      // By hand: 3–6/6 (4), 9–13/6 (9), 16–20/6 (14), 23–27/6 (19), 30/6–4/7 (24), 7–11/7 (29), 14/7 (30).
      expect(d.c.summary().openTasks.find((t) => t.type === 'admission_ceremony')!.dueDate).toBe('2025-07-14');
    });
  });

  describe('T4: a late ceremony needs the agreement of the direct superior committee', () => {
    it('accepts a ceremony on the last day (21 July 2025)', () => {
      const d = admittedInJune();
      d.now = at('2025-07-21');
      submit(d, 'admission_ceremony', { data: { ceremonyDate: '2025-07-21' } });
      expect(d.c.stage).toBe('probation');
    });

    it('refuses a ceremony on 22 July 2025 without the agreement, naming the grassroots committee of an ordinary cell', () => {
      const d = admittedInJune();
      d.now = at('2025-07-22');
      const r = refusalOf(() => submit(d, 'admission_ceremony', { data: { ceremonyDate: '2025-07-22' } }));
      expect(r.code).toBe('ceremony_late_without_consent');
      expect(r.violations[0].params).toMatchObject({ ceremonyDate: '2025-07-22', dueDate: '2025-07-21', role: 'grassroots_committee', orgUnitId: 'gr' });
      expect(r.message).toContain('cấp ủy cấp trên trực tiếp của chi bộ đồng ý');
      expect(d.events('decision_recorded').some((e) => e.data.taskType === 'admission_ceremony')).toBe(false);
    });

    it('lets only the grassroots committee (the direct superior of an ordinary cell) agree, then accepts the late ceremony', () => {
      const d = admittedInJune();
      d.now = at('2025-07-22');
      const ceremony = d.c.summary().openTasks.find((t) => t.type === 'admission_ceremony')!;
      const byBoard = refusalOf(() => d.c.validateExtension({ taskId: ceremony.id, workingDays: 10, reason: 'Đồng ý tổ chức lễ muộn', actor: BOARD }));
      expect(byBoard.code).toBe('extension_not_authorised');
      const consent = { taskId: ceremony.id, workingDays: 10, reason: 'Đảng ủy cơ sở đồng ý tổ chức lễ muộn', actor: GRASSROOTS };
      d.c.validateExtension(consent);
      d.c.extend(consent);
      expect(d.events('deadline_extended')[0].data).toMatchObject({ clock: 'T4', workingDays: 10 });
      submit(d, 'admission_ceremony', { data: { ceremonyDate: '2025-07-22' } });
      expect(d.c.stage).toBe('probation');
    });

    it('asks the superior standing board for a grassroots cell, whose direct superior it is', () => {
      const d = admittedInJune({ ...ROUTING, grassrootsId: 'cell', grassrootsIsCell: true });
      d.now = at('2025-07-22');
      const ceremony = d.c.summary().openTasks.find((t) => t.type === 'admission_ceremony')!;
      expect(refusalOf(() => submit(d, 'admission_ceremony', { data: { ceremonyDate: '2025-07-22' } })).violations[0].params).toMatchObject({ role: 'superior_board', orgUnitId: 'sup' });
      expect(refusalOf(() => d.c.validateExtension({ taskId: ceremony.id, workingDays: 5, reason: 'x', actor: GRASSROOTS })).code).toBe('extension_not_authorised');
      d.c.validateExtension({ taskId: ceremony.id, workingDays: 5, reason: 'Ban thường vụ đồng ý', actor: BOARD });
    });

    it('keeps the superior standing board as the only one to extend its own decision clock (T3)', () => {
      const d = new Driver();
      toGrassrootsReview(d);
      d.decide('grassroots_admission_review');
      const task = d.c.summary().openTasks.find((t) => t.type === 'superior_admission_decision')!;
      expect(refusalOf(() => d.c.validateExtension({ taskId: task.id, workingDays: 10, reason: 'x', actor: GRASSROOTS })).code).toBe('extension_not_authorised');
      d.c.validateExtension({ taskId: task.id, workingDays: 10, reason: 'Trường hợp đặc biệt', actor: BOARD });
    });
  });

  /** In probation from a ceremony on Wed 10 June 2025: the 12 months end on Wed 10 June 2026. */
  function probationEnded(opts: { patched?: boolean; routing?: typeof ROUTING; training?: boolean } = {}): Driver {
    const d = admittedInJune(opts.routing);
    d.c.clocksRoutesEnabled = opts.patched ?? true;
    d.now = at('2025-06-10');
    submit(d, 'admission_ceremony', { data: { ceremonyDate: '2025-06-10' } });
    if (opts.training ?? true) d.decide('record_new_member_training');
    d.now = at('2026-06-10');
    d.c.endProbation();
    return d;
  }

  describe('T6: the probation review is on the cell recognition clock', () => {
    it('gives the probation review 30 working days from the end of probation (10 June → 22 July 2026), reminds, and escalates to the grassroots committee', () => {
      // By hand: 11–12/6 (2), 15–19/6 (7), 22–26/6 (12), 29/6–3/7 (17), 6–10/7 (22), 13–17/7 (27), 20–22/7 (30).
      const d = probationEnded();
      const review = d.c.summary().openTasks.find((t) => t.type === 'probation_review')!;
      expect(review.dueDate).toBe('2026-07-22');
      expect(review.dueRule).toMatchObject({ anchorDate: '2026-06-10', workingDays: 30 });
      expect(review.dueRule!.clock.startsWith('T6')).toBe(true);
      d.runUntil(at('2026-07-24'));
      const sent = d.events('reminder_sent').filter((e) => e.data.taskId === review.id);
      // 5 and 1 working days before (15/7, 21/7), then the morning of the due date.
      expect(sent.map((e) => e.businessDate)).toEqual(['2026-07-15', '2026-07-21', '2026-07-22']);
      expect(d.events('deadline_missed').map((e) => e.data.taskId)).toEqual([review.id]);
      expect(d.c.summary().openTasks.find((t) => t.type === 'overdue_escalation')).toMatchObject({ orgUnitId: 'gr', role: 'grassroots_committee', escalatedTaskId: review.id });
      // The late review opens the vote on the same clock, already overdue.
      d.decide('probation_review');
      expect(d.c.summary().openTasks.find((t) => t.type === 'cell_recognition_vote')!.dueDate).toBe('2026-07-22');
    });

    it('leaves the probation review without a clock in cases started before the patch (as recorded)', () => {
      const d = probationEnded({ patched: false });
      expect(d.c.summary().openTasks.find((t) => t.type === 'probation_review')!.dueDate).toBeUndefined();
    });
  });

  describe('T8: three failed recognition votes', () => {
    function threeInconclusiveVotes(d: Driver) {
      d.decide('probation_review');
      for (let i = 0; i < 3; i++) submit(d, 'cell_recognition_vote', { outcome: 'inconclusive', data: { officialMembers: 9, inFavour: 5, forRemoval: 3 } });
      d.c.takeNotifications();
    }

    it('tells both the direct superior (grassroots committee) and the competent committee (superior board), recorded in the history', () => {
      const d = probationEnded();
      d.c.takeNotifications();
      d.decide('probation_review');
      for (let i = 0; i < 3; i++) submit(d, 'cell_recognition_vote', { outcome: 'inconclusive', data: { officialMembers: 9, inFavour: 5, forRemoval: 3 } });
      const [ev] = d.events('recognition_escalated');
      expect(ev.data).toMatchObject({ votes: 3, notified: [{ orgUnitId: 'gr', role: 'grassroots_committee' }, { orgUnitId: 'sup', role: 'superior_board' }] });
      const told = d.c.takeNotifications().filter((n) => n.kind === 'escalation');
      expect(told.map((n) => [n.orgUnitId, n.role])).toEqual([
        ['gr', 'grassroots_committee'],
        ['sup', 'superior_board'],
      ]);
      expect(d.c.summary().openTasks.find((t) => t.type === 'superior_recognition_decision')).toMatchObject({ orgUnitId: 'sup' });
    });

    it('tells the superior once for a grassroots cell, where it is both', () => {
      const d = probationEnded({ routing: { ...ROUTING, grassrootsId: 'cell', grassrootsIsCell: true } });
      d.c.takeNotifications();
      d.decide('probation_review');
      for (let i = 0; i < 3; i++) submit(d, 'cell_recognition_vote', { outcome: 'inconclusive', data: { officialMembers: 9, inFavour: 5 } });
      expect(d.events('recognition_escalated')[0].data.notified).toEqual([{ orgUnitId: 'sup', role: 'superior_board' }]);
      expect(d.c.takeNotifications().filter((n) => n.kind === 'escalation').map((n) => n.orgUnitId)).toEqual(['sup']);
    });

    it('still requires the new-member class: the escalated recognition is refused without its certificate, accepted with it', () => {
      const d = probationEnded({ training: false });
      threeInconclusiveVotes(d);
      const r = refusalOf(() => submit(d, 'superior_recognition_decision'));
      expect(r.code).toBe('new_member_certificate_missing');
      d.decide('record_new_member_training');
      submit(d, 'superior_recognition_decision');
      expect(d.c.status).toBe('official');
    });
  });

  describe('over 60 at the cell meeting: the province-level committee decides (§2.2)', () => {
    // Born 10 May 1964: at the cell meeting on Sat 11 January 2025 the candidate is 60 years 8 months old.
    const OVER_60 = { dateOfBirth: '1964-05-10', youthUnionMember: false, education: 'university' as const };

    it('sends the admission decision to the province standing board after the grassroots review, on the same T3 clock', () => {
      const d = new Driver({ facts: OVER_60 });
      toGrassrootsReview(d);
      expect(d.c.summary().openTasks.map((t) => t.type)).toEqual(['grassroots_admission_review']);
      d.decide('grassroots_admission_review');
      const decision = d.c.summary().openTasks.find((t) => t.type === 'superior_admission_decision')!;
      expect(decision).toMatchObject({ orgUnitId: 'prov', role: 'superior_board' });
      expect(decision.dueRule).toMatchObject({ anchorDate: '2025-01-11', workingDays: 60 });
      expect(d.events('task_opened').at(-1)!.data).toMatchObject({ taskType: 'superior_admission_decision', route: 'province_over_60' });
      d.decide('superior_admission_decision', { data: { decisionDate: d.today() } });
      expect(d.c.stage).toBe('ceremony');
    });

    it('goes straight to the province for a grassroots cell', () => {
      const d = new Driver({ facts: OVER_60, routing: { ...ROUTING, grassrootsId: 'cell', grassrootsIsCell: true } });
      toGrassrootsReview(d);
      expect(d.c.summary().openTasks.find((t) => t.type === 'superior_admission_decision')).toMatchObject({ orgUnitId: 'prov', role: 'superior_board' });
    });

    it('still refuses the approval where no province-level committee is above the units (nobody to decide)', () => {
      const { provinceId: _p, ...noProvince } = ROUTING;
      const d = new Driver({ facts: OVER_60, routing: noProvince });
      for (const t of ['recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background', 'record_introductions'] as const) d.decide(t);
      expect(refusalOf(() => submit(d, 'cell_admission_vote')).code).toBe('age_above_maximum');
    });

    it('keeps a candidate of exactly 60 (born 11 January 1965) with the superior board', () => {
      const d = new Driver({ facts: { ...OVER_60, dateOfBirth: '1965-01-11' } });
      toGrassrootsReview(d);
      d.decide('grassroots_admission_review');
      expect(d.c.summary().openTasks.find((t) => t.type === 'superior_admission_decision')).toMatchObject({ orgUnitId: 'sup' });
    });
  });

  describe('a recognition where neither side reaches its threshold has an outcome', () => {
    function atGrassrootsReview(): Driver {
      const d = probationEnded();
      d.decide('probation_review');
      d.decide('cell_recognition_vote');
      return d;
    }

    it('records an inconclusive grassroots resolution and reports it to the competent committee on the T7 clock', () => {
      const d = atGrassrootsReview();
      const cellResolution = d.events('decision_recorded').find((e) => e.data.taskType === 'cell_recognition_vote')!.businessDate;
      submit(d, 'grassroots_recognition_review', { outcome: 'inconclusive', data: { committeeMembers: 9, inFavour: 5, forRemoval: 4 } });
      const decision = d.c.summary().openTasks.find((t) => t.type === 'superior_recognition_decision')!;
      expect(decision).toMatchObject({ orgUnitId: 'sup', role: 'superior_board' });
      expect(decision.dueRule).toMatchObject({ anchorDate: cellResolution, workingDays: 30 });
      expect(d.events('task_opened').at(-1)!.data).toMatchObject({ taskType: 'superior_recognition_decision', escalated: true });
    });

    it('has the board vote again on the same clock when neither side has more than half, then decides', () => {
      const d = atGrassrootsReview();
      d.decide('grassroots_recognition_review');
      const first = d.c.summary().openTasks.find((t) => t.type === 'superior_recognition_decision')!;
      submit(d, 'superior_recognition_decision', { outcome: 'inconclusive', data: { boardMembers: 9, inFavour: 4, forRemoval: 4, decisionNo: undefined } });
      const again = d.c.summary().openTasks.find((t) => t.type === 'superior_recognition_decision')!;
      expect(again.id).not.toBe(first.id);
      expect(again).toMatchObject({ attempt: 2, dueDate: first.dueDate });
      expect(d.c.stage).toBe('superior_recognition_decision');
      submit(d, 'superior_recognition_decision');
      expect(d.c.status).toBe('official');
    });
  });
});


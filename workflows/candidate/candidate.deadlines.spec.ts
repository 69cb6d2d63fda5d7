import { addWorkingDays, BUILT_IN_YEAR_DATA, buildCalendar, holidaysIn, extraWorkingDaysIn } from '../../libs/domain/src/calendar/index.js';
import type { CalendarYearData } from '../../libs/domain/src/calendar/types.js';
import { addMonths } from '../../libs/domain/src/dates.js';
import type { TaskType } from '../../libs/domain/src/procedure.js';
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
  constructor(extra: Partial<CandidateWorkflowInput> = {}) {
    const input: CandidateWorkflowInput = {
      ...extra,
      candidateId: 'cand',
      fullName: 'Nguyễn Văn An',
      facts: { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university' },
      routing: ROUTING,
      clock: { anchorRealMs: B0, anchorBusinessMs: B0, speed: 1 },
      source: { organization: 'Đoàn', introducedOn: '2025-01-06' },
      createdBy: ACTOR,
    };
    this.c = new CandidateCase(input, () => this.now);
    this.c.remindersEnabled = true;
    this.c.derivedClocksEnabled = true;
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
    expect(stale[0].data.redo).toEqual(['3-KNĐ', '4-KNĐ', '5-KNĐ']);
    const open = d.c.summary().openTasks;
    expect(open.map((t) => t.type)).toEqual(['record_introductions']);
    expect(open[0].attempt).toBe(2);
    expect(d.c.takeNotifications().some((n) => n.kind === 'dossier_stale' && n.orgUnitId === 'cell')).toBe(true);
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

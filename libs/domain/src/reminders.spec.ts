import fc from 'fast-check';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from './calendar/index.js';
import { vnStartOfDayMs } from './dates.js';
import { DEFAULT_REMINDER_POLICY, escalationTarget, reminderPoints, subtractWorkingDays } from './reminders.js';
import type { Routing } from './procedure.js';

const ROUTING: Routing & { provinceId: string } = { cellId: 'c', provinceId: 'p', grassrootsId: 'g', grassrootsIsCell: false, superiorId: 's', trainingCentreId: 't' };

describe('subtractWorkingDays', () => {
  it('steps back over a weekend (Monday 2025-03-10 minus 1 working day is Friday 2025-03-07)', () => {
    expect(subtractWorkingDays('2025-03-10', 1)).toBe('2025-03-07');
  });

  it('steps back over Tết 2025 (25/01–02/02): one working day before Monday 03/02 is Friday 24/01', () => {
    expect(subtractWorkingDays('2025-02-03', 1)).toBe('2025-01-24');
  });

  it('is the inverse of addWorkingDays on working days', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 40 }), (offset, n) => {
        const start = addWorkingDays('2024-01-01', offset + 1);
        expect(isWorkingDay(start)).toBe(true);
        const back = subtractWorkingDays(start, n);
        expect(isWorkingDay(back)).toBe(true);
        expect(workingDaysBetween(back, start)).toBe(n);
      }),
      { numRuns: 200 },
    );
  });
});

describe('reminderPoints', () => {
  const due = '2025-04-14'; // Monday
  const points = reminderPoints(due);

  it('reminds 5 and 1 working days before, on the due date, then escalates the day after', () => {
    expect(points.slice(0, 4).map((p) => [p.kind, p.date])).toEqual([
      ['before_due', subtractWorkingDays(due, 5)],
      ['before_due', '2025-04-11'],
      ['due_today', due],
      ['overdue', '2025-04-15'],
    ]);
  });

  it('fires reminders at 08:00 Vietnam time and the escalation at the first instant after the due day', () => {
    expect(points[2].atMs).toBe(vnStartOfDayMs(due) + 8 * 3600_000);
    expect(points[3].atMs).toBe(vnStartOfDayMs('2025-04-15'));
  });

  it('repeats every 5 working days after the deadline, a bounded number of times', () => {
    const repeats = points.filter((p) => p.kind === 'overdue_repeat');
    expect(repeats).toHaveLength(DEFAULT_REMINDER_POLICY.maxRepeats);
    expect(repeats[0].date).toBe(addWorkingDays(due, 5));
    expect(repeats.every((p) => isWorkingDay(p.date))).toBe(true);
  });

  it('gives every point a distinct key tied to the due date, in time order', () => {
    const keys = points.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((k) => k.startsWith(`${due}:`))).toBe(true);
    expect(points.map((p) => p.atMs)).toEqual([...points.map((p) => p.atMs)].sort((a, b) => a - b));
  });

  it('follows a configured policy', () => {
    const custom = reminderPoints(due, { beforeWorkingDays: [3], onDueDate: false, repeatEveryWorkingDays: 0, maxRepeats: 5 });
    expect(custom.map((p) => p.kind)).toEqual(['before_due', 'overdue']);
  });
});

describe('escalationTarget', () => {
  it('sends a cell step to the grassroots committee', () => {
    expect(escalationTarget('cell', ROUTING)).toEqual({ orgUnitId: 'g', role: 'grassroots_committee' });
  });

  it('sends a grassroots cell step straight to the superior board', () => {
    expect(escalationTarget('cell', { ...ROUTING, grassrootsId: 'c', grassrootsIsCell: true })).toEqual({ orgUnitId: 's', role: 'superior_board' });
  });

  it('sends grassroots and training-centre steps to the superior, and superior steps to the province', () => {
    expect(escalationTarget('grassroots', ROUTING)).toEqual({ orgUnitId: 's', role: 'superior_board' });
    expect(escalationTarget('training_centre', ROUTING)).toEqual({ orgUnitId: 's', role: 'superior_board' });
    expect(escalationTarget('superior', ROUTING)).toEqual({ orgUnitId: 'p', role: 'superior_board' });
  });
});

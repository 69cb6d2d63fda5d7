/**
 * When to remind about a statutory deadline, counted in Vietnamese working days, and whom to escalate to
 * when it is missed. Pure: the candidate workflow turns these business instants into durable timers.
 */
import { addWorkingDays, DEFAULT_CALENDAR, isWorkingDay, type HolidayCalendar } from './calendar/index.js';
import { addDays, vnStartOfDayMs, type IsoDate } from './dates.js';
import type { Role, Routing, UnitSlot } from './procedure.js';

export interface ReminderPolicy {
  /** Remind this many working days before the due date (at the start of the working day, 08:00). */
  beforeWorkingDays: number[];
  /** Remind on the morning of the due date. */
  onDueDate: boolean;
  /** After the deadline is missed, remind again every this many working days… */
  repeatEveryWorkingDays: number;
  /** …at most this many times (a hard bound keeps a forgotten case from reminding forever). */
  maxRepeats: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = { beforeWorkingDays: [5, 1], onDueDate: true, repeatEveryWorkingDays: 5, maxRepeats: 12 };

export type ReminderKind = 'before_due' | 'due_today' | 'overdue' | 'overdue_repeat';

export interface ReminderPoint {
  /** Stable key: each point fires once per task (and per due date after an extension). */
  key: string;
  kind: ReminderKind;
  date: IsoDate;
  /** Business instant (ms) at which the point fires. */
  atMs: number;
}

const MORNING_MS = 8 * 3600 * 1000;

/** The working day `n` working days before `date` (n ≥ 1). */
export function subtractWorkingDays(date: IsoDate, n: number, cal: HolidayCalendar = DEFAULT_CALENDAR): IsoDate {
  let d = date;
  for (let left = n; left > 0; ) {
    d = addDays(d, -1);
    if (isWorkingDay(d, cal)) left -= 1;
  }
  return d;
}

/**
 * Every reminder for a task due on `dueDate`, in time order. `morningOffsetMs` shifts the 08:00 points (before
 * the due date, on it, the repeats after it) of this case — its place in the morning's spread
 * (`spreadOffsetMs`); the overdue point stays at midnight: it is the moment the deadline is missed.
 */
export function reminderPoints(
  dueDate: IsoDate,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
  cal: HolidayCalendar = DEFAULT_CALENDAR,
  morningOffsetMs = 0,
): ReminderPoint[] {
  const morning = MORNING_MS + morningOffsetMs;
  const points: ReminderPoint[] = [];
  for (const n of [...policy.beforeWorkingDays].sort((a, b) => b - a)) {
    if (n <= 0) continue;
    const date = subtractWorkingDays(dueDate, n, cal);
    points.push({ key: `${dueDate}:before:${n}`, kind: 'before_due', date, atMs: vnStartOfDayMs(date) + morning });
  }
  if (policy.onDueDate) points.push({ key: `${dueDate}:due`, kind: 'due_today', date: dueDate, atMs: vnStartOfDayMs(dueDate) + morning });
  const dayAfter = addDays(dueDate, 1);
  points.push({ key: `${dueDate}:overdue`, kind: 'overdue', date: dayAfter, atMs: vnStartOfDayMs(dayAfter) });
  for (let k = 1; k <= policy.maxRepeats && policy.repeatEveryWorkingDays > 0; k++) {
    const date = addWorkingDays(dueDate, k * policy.repeatEveryWorkingDays, cal);
    points.push({ key: `${dueDate}:repeat:${k}`, kind: 'overdue_repeat', date, atMs: vnStartOfDayMs(date) + morning });
  }
  return points;
}

/** FNV-1a (32 bits) of the UTF-16 code units of `s`. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * A case's place in the morning's spread (issue 17): an offset in [0, windowMs), in whole seconds, from a hash
 * of its id — the same on every replay, run and machine. Every case's 08:00 reminders falling at the same
 * instant would make the worker replay thousands of cases at once (BENCHMARKS.md §9, the morning run); spread
 * over a window they arrive a few per second. 0 for a window under a second.
 */
export function spreadOffsetMs(id: string, windowMs: number): number {
  const seconds = Math.floor(windowMs / 1_000);
  return seconds < 1 ? 0 : (fnv1a(id) % seconds) * 1_000;
}

/**
 * Who gets the overdue item: the next level up (cell → grassroots → superior → province; a partial committee →
 * its grassroots committee). A cell's overdue item goes to the grassroots committee also where a partial
 * committee sits between them: the partial committee appraises, it does not direct the cell (§1.2).
 */
export function escalationTarget(slot: UnitSlot, routing: Routing & { provinceId?: string }): { orgUnitId: string; role: Role } {
  switch (slot) {
    case 'cell':
      return routing.grassrootsIsCell
        ? { orgUnitId: routing.superiorId, role: 'superior_board' }
        : { orgUnitId: routing.grassrootsId, role: 'grassroots_committee' };
    case 'partial':
      return { orgUnitId: routing.grassrootsId, role: 'grassroots_committee' };
    case 'grassroots':
    case 'training_centre':
      return { orgUnitId: routing.superiorId, role: 'superior_board' };
    case 'superior':
      // The province's standing board holds a superior_board grant on the province unit.
      return { orgUnitId: routing.provinceId ?? routing.superiorId, role: 'superior_board' };
  }
}

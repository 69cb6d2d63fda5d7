import { workingDaysBetween, type HolidayCalendar } from './calendar/index.js';
import type { IsoDate } from './dates.js';

export type DueState = 'overdue' | 'due_soon' | 'ok' | 'none';

/** A task due within this many working days (and not overdue) is "due soon". */
export const DUE_SOON_WORKING_DAYS = 3;

/**
 * Where a task stands against its due date on business `today`: working days left (0 = due today, negative
 * when overdue; an overdue task counts at least -1, so a weekend after the due date never reads as 0) and a
 * marker for the inbox. Overdue means past `dueAt` (end of the due day, Vietnam time) when it is set,
 * otherwise past the due date.
 */
export function dueMarkers(
  due: { dueDate: IsoDate | null; dueAt: string | null },
  today: IsoDate,
  nowMs: number,
  cal: HolidayCalendar,
): { dueInWorkingDays: number | null; dueState: DueState } {
  if (!due.dueDate) return { dueInWorkingDays: null, dueState: 'none' };
  const overdue = due.dueAt ? Date.parse(due.dueAt) < nowMs : due.dueDate < today;
  const days = workingDaysBetween(today, due.dueDate, cal);
  if (overdue) return { dueInWorkingDays: Math.min(days, -1), dueState: 'overdue' };
  const left = Math.max(days, 0);
  return { dueInWorkingDays: left, dueState: left <= DUE_SOON_WORKING_DAYS ? 'due_soon' : 'ok' };
}

import { DEFAULT_CALENDAR } from './calendar/index.js';
import { vnEndOfDayIso } from './dates.js';
import { dueMarkers } from './due-state.js';

/** Noon, Vietnam time, on a business date. */
const noon = (date: string) => Date.parse(`${date}T12:00:00+07:00`);
const at = (today: string, dueDate: string | null, dueAt: string | null = dueDate && vnEndOfDayIso(dueDate)) =>
  dueMarkers({ dueDate, dueAt }, today, noon(today), DEFAULT_CALENDAR);

describe('dueMarkers', () => {
  it('marks a task without a due date as none', () => {
    expect(at('2026-12-01', null)).toEqual({ dueInWorkingDays: null, dueState: 'none' });
  });

  it('counts a task due at the end of today as 0 working days left, due soon', () => {
    expect(at('2026-12-01', '2026-12-01')).toEqual({ dueInWorkingDays: 0, dueState: 'due_soon' });
  });

  it('is due soon up to 3 working days ahead and ok from 4', () => {
    expect(at('2026-12-01', '2026-12-04')).toEqual({ dueInWorkingDays: 3, dueState: 'due_soon' });
    expect(at('2026-12-01', '2026-12-07')).toEqual({ dueInWorkingDays: 4, dueState: 'ok' });
  });

  it('skips weekends and Tết when counting', () => {
    expect(at('2026-12-04', '2026-12-07')).toEqual({ dueInWorkingDays: 1, dueState: 'due_soon' });
    // Friday before Tết 2026 (16–20 February off) to the Monday after it: one working day.
    expect(at('2026-02-13', '2026-02-23')).toEqual({ dueInWorkingDays: 1, dueState: 'due_soon' });
  });

  it('counts overdue working days as negative', () => {
    expect(at('2026-12-01', '2026-11-30')).toEqual({ dueInWorkingDays: -1, dueState: 'overdue' });
    expect(at('2026-12-01', '2026-11-24')).toEqual({ dueInWorkingDays: -5, dueState: 'overdue' });
  });

  it('keeps a task due on Friday overdue (-1) over the weekend, not 0', () => {
    expect(at('2026-12-05', '2026-12-04')).toEqual({ dueInWorkingDays: -1, dueState: 'overdue' });
  });

  it('uses the due instant when there is one, and the due date otherwise', () => {
    expect(dueMarkers({ dueDate: '2026-12-01', dueAt: '2026-12-01T03:00:00.000Z' }, '2026-12-01', noon('2026-12-01'), DEFAULT_CALENDAR).dueState).toBe('overdue');
    expect(at('2026-12-01', '2026-12-01', null).dueState).toBe('due_soon');
    expect(at('2026-12-02', '2026-12-01', null)).toEqual({ dueInWorkingDays: -1, dueState: 'overdue' });
  });
});

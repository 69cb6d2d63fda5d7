import fc from 'fast-check';
import { addDays, type IsoDate } from '../dates.js';
import {
  addWorkingDays,
  buildCalendar,
  DEFAULT_CALENDAR,
  dueAtFor,
  isWorkingDay,
  workingDaysBetween,
  type HolidayCalendar,
} from './index.js';

const RULES_ONLY = buildCalendar([]);

/** Any date from 2000 to 2035. */
const dateArb = fc.integer({ min: 0, max: 13_148 }).map((n) => addDays('2000-01-01', n));
const nArb = fc.integer({ min: 0, max: 400 });
const CALENDARS = { default: DEFAULT_CALENDAR, 'rules only': RULES_ONLY } as const;
/** The default calendar or a rules-only one, by name (so counterexamples stay readable). */
const calArb = fc.constantFrom<keyof typeof CALENDARS>('default', 'rules only');

/** Day-by-day reference implementation of addWorkingDays. */
function naiveAdd(anchor: IsoDate, n: number, cal: HolidayCalendar): IsoDate {
  let d = anchor;
  for (let left = n; left > 0; ) {
    d = addDays(d, 1);
    if (isWorkingDay(d, cal)) left -= 1;
  }
  return d;
}

/** Day-by-day reference count of working days in (from, to]. */
function naiveCount(from: IsoDate, to: IsoDate, cal: HolidayCalendar): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d, cal)) n += 1;
  return n;
}

describe('isWorkingDay', () => {
  it('treats Monday–Friday as working days and Saturday–Sunday as days off', () => {
    expect(isWorkingDay('2025-03-03')).toBe(true); // Monday
    expect(isWorkingDay('2025-03-07')).toBe(true); // Friday
    expect(isWorkingDay('2025-03-08')).toBe(false); // Saturday
    expect(isWorkingDay('2025-03-09')).toBe(false); // Sunday
  });

  it('treats holidays as days off and a Saturday made a working day (làm bù) as a working day', () => {
    expect(isWorkingDay('2025-01-29')).toBe(false); // Tết
    expect(isWorkingDay('2025-05-02')).toBe(false); // swapped Friday
    expect(isWorkingDay('2025-04-26')).toBe(true); // Saturday worked in exchange
  });

  it('rejects malformed dates and years outside 1900–2199', () => {
    expect(() => isWorkingDay('2025-13-01')).toThrow(RangeError);
    expect(() => isWorkingDay('20250101')).toThrow(RangeError);
    expect(() => isWorkingDay('1899-12-29')).toThrow(RangeError);
    expect(() => isWorkingDay('2200-01-01')).toThrow(RangeError);
  });
});

describe('addWorkingDays', () => {
  it('starts counting the day after the anchor: 1 working day after a Friday is the Monday', () => {
    expect(addWorkingDays('2025-03-07', 1)).toBe('2025-03-10');
    expect(addWorkingDays('2025-03-03', 5)).toBe('2025-03-10');
  });

  it('returns the anchor itself for n = 0, even on a day off', () => {
    expect(addWorkingDays('2025-03-04', 0)).toBe('2025-03-04');
    expect(addWorkingDays('2025-01-29', 0)).toBe('2025-01-29');
  });

  it('counts from the next working day when the anchor is a day off', () => {
    expect(addWorkingDays('2025-03-08', 1)).toBe('2025-03-10');
    expect(addWorkingDays('2025-01-29', 1)).toBe('2025-02-03');
  });

  it('skips the 9-day Tết 2025 break and Hùng Kings’ day: 60 working days from Friday 10/1/2025 end on 14/4/2025', () => {
    // 10 working days to 24/1, Tết 25/1–2/2, 45 more to 4/4, Monday 7/4 off, then 8–11/4 and 14/4.
    expect(addWorkingDays('2025-01-10', 60)).toBe('2025-04-14');
    expect(addWorkingDays('2025-01-10', 60, RULES_ONLY)).toBe('2025-04-14');
    expect(addWorkingDays('2025-01-24', 1)).toBe('2025-02-03');
  });

  it('counts a Saturday made a working day and skips the swapped weekday', () => {
    expect(addWorkingDays('2025-04-25', 1)).toBe('2025-04-26');
    expect(addWorkingDays('2025-04-29', 1)).toBe('2025-05-05');
    expect(addWorkingDays('2024-04-26', 1)).toBe('2024-05-02');
    expect(addWorkingDays('2024-05-03', 1)).toBe('2024-05-04');
  });

  it('crosses the year boundary (New Year 2026 break 1–4/1)', () => {
    expect(addWorkingDays('2025-12-31', 1)).toBe('2026-01-05');
    expect(addWorkingDays('2025-12-30', 2)).toBe('2026-01-05');
  });

  it('handles long periods spanning several years', () => {
    const end = addWorkingDays('2024-06-15', 1000);
    expect(workingDaysBetween('2024-06-15', end)).toBe(1000);
    expect(end).toBe(naiveAdd('2024-06-15', 1000, DEFAULT_CALENDAR));
  });

  it('rejects negative or fractional counts and malformed anchors', () => {
    expect(() => addWorkingDays('2025-03-04', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-03-04', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2025-03-04', Number.NaN)).toThrow(RangeError);
    expect(() => addWorkingDays('not a date', 1)).toThrow(RangeError);
  });

  it('stays cheap for hundreds of working days (10,000 calls of up to 500 days well under a second)', () => {
    addWorkingDays('2024-01-01', 500); // warm the year tables
    const started = performance.now();
    let last = '';
    for (let i = 0; i < 10_000; i++) last = addWorkingDays(addDays('2024-01-01', i % 700), 1 + (i % 500));
    expect(last).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('workingDaysBetween', () => {
  it('counts the working days after `from` up to and including `to`', () => {
    expect(workingDaysBetween('2025-03-03', '2025-03-03')).toBe(0);
    expect(workingDaysBetween('2025-03-03', '2025-03-04')).toBe(1);
    expect(workingDaysBetween('2025-03-07', '2025-03-09')).toBe(0);
    expect(workingDaysBetween('2025-01-24', '2025-02-03')).toBe(1);
    expect(workingDaysBetween('2025-01-10', '2025-04-14')).toBe(60);
  });

  it('is negative when `to` is before `from`', () => {
    expect(workingDaysBetween('2025-04-14', '2025-01-10')).toBe(-60);
  });

  it('counts 250 working days in 2025 and 251 in 2024', () => {
    expect(workingDaysBetween('2024-12-31', '2025-12-31')).toBe(250);
    expect(workingDaysBetween('2023-12-31', '2024-12-31')).toBe(251);
  });
});

describe('dueAtFor', () => {
  it('returns the due date and the end of that day in Vietnam time', () => {
    expect(dueAtFor('2025-01-10', 60)).toEqual({ dueDate: '2025-04-14', dueAt: '2025-04-14T23:59:59+07:00' });
    expect(dueAtFor('2025-02-25', 5)).toEqual({ dueDate: '2025-03-04', dueAt: '2025-03-04T23:59:59+07:00' });
  });

  it('uses the calendar it is given', () => {
    expect(dueAtFor('2024-02-07', 1).dueDate).toBe('2024-02-15');
    expect(dueAtFor('2024-02-07', 1, RULES_ONLY).dueDate).toBe('2024-02-08');
  });
});

describe('working-day arithmetic properties', () => {
  it('counting back the days added gives the same number: workingDaysBetween(a, addWorkingDays(a, n)) === n', () => {
    fc.assert(
      fc.property(calArb, dateArb, nArb, (calName, a, n) => {
        const cal = CALENDARS[calName];
        expect(workingDaysBetween(a, addWorkingDays(a, n, cal), cal)).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('never lands on a day off, and the day before the result still lacks one working day', () => {
    fc.assert(
      fc.property(calArb, dateArb, fc.integer({ min: 1, max: 400 }), (calName, a, n) => {
        const cal = CALENDARS[calName];
        const end = addWorkingDays(a, n, cal);
        expect(end > a).toBe(true);
        expect(isWorkingDay(end, cal)).toBe(true);
        expect(workingDaysBetween(a, addDays(end, -1), cal)).toBe(n - 1);
      }),
      { numRuns: 500 },
    );
  });

  it('is additive over adjacent intervals: between(a, b) + between(b, c) === between(a, c)', () => {
    fc.assert(
      fc.property(calArb, dateArb, dateArb, dateArb, (calName, a, b, c) => {
        const cal = CALENDARS[calName];
        expect(workingDaysBetween(a, b, cal) + workingDaysBetween(b, c, cal)).toBe(workingDaysBetween(a, c, cal));
      }),
      { numRuns: 500 },
    );
  });

  it('composes: adding m then n working days equals adding m + n', () => {
    fc.assert(
      fc.property(calArb, dateArb, nArb, nArb, (calName, a, m, n) => {
        const cal = CALENDARS[calName];
        expect(addWorkingDays(addWorkingDays(a, m, cal), n, cal)).toBe(addWorkingDays(a, m + n, cal));
      }),
      { numRuns: 300 },
    );
  });

  it('matches a day-by-day reference implementation', () => {
    fc.assert(
      fc.property(calArb, dateArb, fc.integer({ min: 0, max: 120 }), fc.integer({ min: -30, max: 200 }), (calName, a, n, span) => {
        const cal = CALENDARS[calName];
        expect(addWorkingDays(a, n, cal)).toBe(naiveAdd(a, n, cal));
        const b = addDays(a, span);
        expect(workingDaysBetween(a, b, cal)).toBe(span >= 0 ? naiveCount(a, b, cal) : 0 - naiveCount(b, a, cal) || 0);
      }),
      { numRuns: 300 },
    );
  });
});

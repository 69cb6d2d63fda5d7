import fc from 'fast-check';
import {
  addDays,
  addMonths,
  compareDates,
  dayOfWeek,
  daysInMonth,
  formatYmd,
  fullMonthsBetween,
  isBusinessDate,
  isIsoDate,
  MAX_BUSINESS_YEAR,
  MIN_BUSINESS_YEAR,
  maxDate,
  parseIsoDate,
  vnDateOf,
  vnEndOfDayIso,
  vnEndOfDayMs,
  vnStartOfDayMs,
} from './dates.js';

/** Any real calendar date between 1900 and 2100, as 'YYYY-MM-DD'. */
const isoDateArb = fc
  .date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe('daysInMonth', () => {
  it('knows February in leap, common and century years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it('knows 30- and 31-day months', () => {
    expect(daysInMonth(2025, 4)).toBe(30);
    expect(daysInMonth(2025, 12)).toBe(31);
  });
});

describe('parseIsoDate', () => {
  it('parses a real calendar date', () => {
    expect(parseIsoDate('2025-01-15')).toEqual({ y: 2025, m: 1, d: 15 });
    expect(parseIsoDate('2024-02-29')).toEqual({ y: 2024, m: 2, d: 29 });
  });

  it('rejects dates that do not exist in the calendar', () => {
    expect(parseIsoDate('2025-02-29')).toBeUndefined();
    expect(parseIsoDate('2025-04-31')).toBeUndefined();
    expect(parseIsoDate('2025-13-01')).toBeUndefined();
    expect(parseIsoDate('2025-00-10')).toBeUndefined();
    expect(parseIsoDate('2025-01-00')).toBeUndefined();
  });

  it('rejects other formats and non-strings', () => {
    expect(parseIsoDate('2025-1-5')).toBeUndefined();
    expect(parseIsoDate('15/01/2025')).toBeUndefined();
    expect(parseIsoDate('2025-01-15T00:00:00Z')).toBeUndefined();
    expect(parseIsoDate(20250115)).toBeUndefined();
    expect(parseIsoDate(undefined)).toBeUndefined();
  });
});

describe('isIsoDate', () => {
  it('accepts real dates and refuses impossible ones', () => {
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1900-02-29')).toBe(false);
  });
});

describe('formatYmd', () => {
  it('zero-pads year, month and day', () => {
    expect(formatYmd({ y: 987, m: 3, d: 4 })).toBe('0987-03-04');
  });

  it('round-trips with parseIsoDate', () => {
    fc.assert(fc.property(isoDateArb, (s) => formatYmd(parseIsoDate(s)!) === s));
  });
});

describe('addMonths', () => {
  it('keeps the day of month when it exists in the target month', () => {
    expect(addMonths('2020-01-15', 60)).toBe('2025-01-15');
    expect(addMonths('2025-03-10', 12)).toBe('2026-03-10');
  });

  it('clamps 31 January to the last day of February', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
  });

  it('clamps 29 February to 28 February in a common year', () => {
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
    expect(addMonths('2024-02-29', 48)).toBe('2028-02-29');
  });

  it('crosses year ends in both directions', () => {
    expect(addMonths('2025-11-30', 3)).toBe('2026-02-28');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addMonths('2025-01-15', -1)).toBe('2024-12-15');
  });

  it('throws on a non-date', () => {
    expect(() => addMonths('2025-02-30', 1)).toThrow(RangeError);
  });
});

describe('addDays', () => {
  it('crosses month, leap-day and year boundaries', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });
});

describe('fullMonthsBetween', () => {
  it('counts a month as complete on the same day of the month', () => {
    expect(fullMonthsBetween('2025-01-15', '2025-02-15')).toBe(1);
    expect(fullMonthsBetween('2025-01-15', '2025-02-14')).toBe(0);
  });

  it('is 0 within the same month', () => {
    expect(fullMonthsBetween('2025-01-01', '2025-01-31')).toBe(0);
    expect(fullMonthsBetween('2025-01-15', '2025-01-15')).toBe(0);
  });

  it('completes the month of someone born on 31 January on the last day of February', () => {
    expect(fullMonthsBetween('2000-01-31', '2000-02-28')).toBe(0);
    expect(fullMonthsBetween('2000-01-31', '2000-02-29')).toBe(1);
    expect(fullMonthsBetween('2001-01-31', '2001-02-28')).toBe(1);
  });

  it('does not complete the second month of a 31 January birth before 31 March', () => {
    expect(fullMonthsBetween('2000-01-31', '2000-03-30')).toBe(1);
    expect(fullMonthsBetween('2000-01-31', '2000-03-31')).toBe(2);
  });

  it('gives someone born on 29 February their full years on 28 February of a common year', () => {
    expect(fullMonthsBetween('2004-02-29', '2022-02-27')).toBe(215);
    expect(fullMonthsBetween('2004-02-29', '2022-02-28')).toBe(216);
    expect(fullMonthsBetween('2004-02-29', '2024-02-28')).toBe(239);
    expect(fullMonthsBetween('2004-02-29', '2024-02-29')).toBe(240);
  });

  it('reaches 216 months (18 years) on the 18th birthday and not the day before', () => {
    expect(fullMonthsBetween('2007-01-20', '2025-01-20')).toBe(216);
    expect(fullMonthsBetween('2007-01-20', '2025-01-19')).toBe(215);
  });

  it('stays at 720 months (60 years) through the 60th-birthday month and reaches 721 a month later', () => {
    expect(fullMonthsBetween('1965-01-20', '2025-01-20')).toBe(720);
    expect(fullMonthsBetween('1965-01-20', '2025-02-19')).toBe(720);
    expect(fullMonthsBetween('1965-01-20', '2025-02-20')).toBe(721);
  });

  it('is negative when the second date is earlier', () => {
    expect(fullMonthsBetween('2025-03-15', '2025-01-15')).toBe(-2);
    expect(fullMonthsBetween('2025-03-15', '2025-01-20')).toBe(-1);
  });

  it('counts exactly n months from a date to addMonths(date, n), and n-1 to the day before', () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 1, max: 900 }), (from, n) => {
        const to = addMonths(from, n);
        return fullMonthsBetween(from, to) === n && fullMonthsBetween(from, addDays(to, -1)) === n - 1;
      }),
    );
  });

  it('never decreases as the later date moves forward', () => {
    fc.assert(
      fc.property(isoDateArb, fc.integer({ min: 0, max: 20_000 }), (from, days) => {
        const to = addDays(from, days);
        return fullMonthsBetween(from, addDays(to, 1)) >= fullMonthsBetween(from, to);
      }),
    );
  });
});

describe('compareDates', () => {
  it('orders ISO dates chronologically', () => {
    expect(compareDates('2025-01-14', '2025-01-15')).toBe(-1);
    expect(compareDates('2025-01-15', '2025-01-15')).toBe(0);
    expect(compareDates('2025-02-01', '2025-01-31')).toBe(1);
  });
});

describe('maxDate', () => {
  it('returns the latest date and ignores undefined', () => {
    expect(maxDate(undefined, '2025-03-01', '2025-01-01', undefined)).toBe('2025-03-01');
  });

  it('returns undefined when given nothing', () => {
    expect(maxDate()).toBeUndefined();
    expect(maxDate(undefined)).toBeUndefined();
  });
});

describe('dayOfWeek', () => {
  it('numbers Sunday 0 to Saturday 6', () => {
    expect(dayOfWeek('2025-01-05')).toBe(0); // Sunday
    expect(dayOfWeek('2025-01-06')).toBe(1); // Monday
    expect(dayOfWeek('2025-01-11')).toBe(6); // Saturday
  });
});

describe('vnDateOf', () => {
  it('switches to the next Vietnamese date at 17:00 UTC', () => {
    expect(vnDateOf(Date.UTC(2025, 0, 5, 16, 59, 59))).toBe('2025-01-05');
    expect(vnDateOf(Date.UTC(2025, 0, 5, 17, 0, 0))).toBe('2025-01-06');
  });

  it('is the inverse of vnStartOfDayMs', () => {
    fc.assert(fc.property(isoDateArb, (d) => vnDateOf(vnStartOfDayMs(d)) === d && vnDateOf(vnEndOfDayMs(d)) === d));
  });
});

describe('vnStartOfDayMs', () => {
  it('is midnight in UTC+7, i.e. 17:00 UTC the day before', () => {
    expect(vnStartOfDayMs('2025-01-06')).toBe(Date.UTC(2025, 0, 5, 17, 0, 0));
  });
});

describe('vnEndOfDayMs', () => {
  it('is 23:59:59 in UTC+7', () => {
    expect(vnEndOfDayMs('2025-01-06')).toBe(Date.UTC(2025, 0, 6, 16, 59, 59));
  });
});

describe('vnEndOfDayIso', () => {
  it('prints the end of the day with the +07:00 offset and denotes the same instant as vnEndOfDayMs', () => {
    expect(vnEndOfDayIso('2025-03-04')).toBe('2025-03-04T23:59:59+07:00');
    expect(Date.parse(vnEndOfDayIso('2025-03-04'))).toBe(vnEndOfDayMs('2025-03-04'));
  });

  it('throws on a non-date', () => {
    expect(() => vnEndOfDayIso('2025-02-30')).toThrow(RangeError);
  });
});

describe('isBusinessDate', () => {
  it('accepts real dates of the years the working-day calendar covers', async () => {
    const { CALENDAR_MIN_YEAR, CALENDAR_MAX_YEAR } = await import('./calendar/index.js');
    expect([MIN_BUSINESS_YEAR, MAX_BUSINESS_YEAR]).toEqual([CALENDAR_MIN_YEAR, CALENDAR_MAX_YEAR]);
    expect(['1900-01-01', '2026-02-28', '2199-12-31'].every(isBusinessDate)).toBe(true);
  });

  it('refuses year 0, absurd years and what is not a date', () => {
    expect(['0000-01-01', '1899-12-31', '2200-01-01', '9999-12-31', '2026-02-30', '2026-1-1', 20260101, null].some(isBusinessDate)).toBe(false);
  });
});

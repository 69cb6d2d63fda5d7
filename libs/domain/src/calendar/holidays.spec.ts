import { addDays, dayOfWeek, type IsoDate } from '../dates.js';
import {
  BUILT_IN_YEAR_DATA,
  buildCalendar,
  DEFAULT_CALENDAR,
  deriveYearHolidays,
  extraWorkingDaysIn,
  holidayOn,
  holidaysIn,
  isWorkingDay,
  lunarNewYear,
  lunarToSolar,
  workingDaysInYear,
  type CalendarYearData,
  type HolidayCalendar,
} from './index.js';
import { YEAR_2026 } from './years/index.js';

const RULES_ONLY = buildCalendar([]);

function isWeekend(d: IsoDate): boolean {
  const w = dayOfWeek(d);
  return w === 0 || w === 6;
}

/** Monday–Friday dates of `year` that are not working days. */
function weekdaysOff(year: number, cal: HolidayCalendar = DEFAULT_CALENDAR): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = `${year}-01-01`; d < `${year + 1}-01-01`; d = addDays(d, 1)) if (!isWeekend(d) && !isWorkingDay(d, cal)) out.push(d);
  return out;
}

/** Saturdays and Sundays of `year` that are working days. */
function weekendsWorked(year: number, cal: HolidayCalendar = DEFAULT_CALENDAR): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = `${year}-01-01`; d < `${year + 1}-01-01`; d = addDays(d, 1)) if (isWeekend(d) && isWorkingDay(d, cal)) out.push(d);
  return out;
}

function range(from: IsoDate, to: IsoDate): IsoDate[] {
  const out: IsoDate[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

describe('built-in year data: days off per year (civil-service calendar)', () => {
  it('2024: 1/1; Tết 8–14/2; Giỗ Tổ 18/4; 29/4 swapped for Saturday 4/5; 30/4–1/5; 2/9 + 3/9', () => {
    expect(weekdaysOff(2024)).toEqual([
      '2024-01-01',
      '2024-02-08', '2024-02-09', '2024-02-12', '2024-02-13', '2024-02-14',
      '2024-04-18',
      '2024-04-29', '2024-04-30', '2024-05-01',
      '2024-09-02', '2024-09-03',
    ]);
    expect(weekendsWorked(2024)).toEqual(['2024-05-04']);
    expect(range('2024-02-08', '2024-02-14').every((d) => !isWorkingDay(d))).toBe(true);
    expect(isWorkingDay('2024-02-15')).toBe(true);
  });

  it('2025: 1/1; Tết 25/1–2/2 (9 days, no swap); Giỗ Tổ 7/4; 30/4–4/5 with 2/5 swapped for Saturday 26/4; 1/9 + 2/9', () => {
    expect(weekdaysOff(2025)).toEqual([
      '2025-01-01',
      '2025-01-27', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31',
      '2025-04-07',
      '2025-04-30', '2025-05-01', '2025-05-02',
      '2025-09-01', '2025-09-02',
    ]);
    expect(weekendsWorked(2025)).toEqual(['2025-04-26']);
    expect(range('2025-01-25', '2025-02-02').filter((d) => isWorkingDay(d))).toEqual([]);
    expect(holidaysIn(2025).filter((h) => h.date >= '2025-01-25' && h.date <= '2025-02-02')).toHaveLength(9);
  });

  it('2026: 1/1–4/1 with 2/1 swapped for Saturday 10/1; Tết 14–22/2; Giỗ Tổ on Sunday 26/4 → Monday 27/4; 30/4–1/5; 2/9 break as proposed', () => {
    expect(weekdaysOff(2026)).toEqual([
      '2026-01-01', '2026-01-02',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-27',
      '2026-04-30', '2026-05-01',
      '2026-08-31', '2026-09-01', '2026-09-02',
    ]);
    expect(weekendsWorked(2026)).toEqual(['2026-01-10', '2026-08-22']);
    expect(range('2026-02-14', '2026-02-22').filter((d) => isWorkingDay(d))).toEqual([]);
  });

  it('2026: flags the National Day swap (not verified against a final decision) as unconfirmed', () => {
    const unconfirmed = holidaysIn(2026).filter((h) => h.confirmed === false).map((h) => h.date);
    expect(unconfirmed).toEqual(['2026-08-29', '2026-08-30', '2026-08-31', '2026-09-01']);
    expect(extraWorkingDaysIn(2026).find((e) => e.date === '2026-08-22')?.confirmed).toBe(false);
  });

  it('2027 (not yet announced): the statutory rules — Tết eve 5/2 to mùng 4 with nghỉ bù 10–11/2; 16/4; 30/4; 1/5 → 3/5; 2/9 + 3/9', () => {
    expect(weekdaysOff(2027)).toEqual([
      '2027-01-01',
      '2027-02-05', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11',
      '2027-04-16',
      '2027-04-30', '2027-05-03',
      '2027-09-02', '2027-09-03',
    ]);
    expect(weekendsWorked(2027)).toEqual([]);
    expect(weekdaysOff(2027, RULES_ONLY)).toEqual(weekdaysOff(2027));
    expect(holidaysIn(2027).some((h) => h.confirmed === false)).toBe(true);
  });

  it('2023: 1/1 → 2/1; Tết 20–26/1; 29/4–3/5; 1/9–4/9', () => {
    expect(weekdaysOff(2023)).toEqual([
      '2023-01-02',
      '2023-01-20', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26',
      '2023-05-01', '2023-05-02', '2023-05-03',
      '2023-09-01', '2023-09-04',
    ]);
  });

  it('lists every day off with a Vietnamese and an English name', () => {
    for (let y = 2023; y <= 2030; y++) {
      for (const h of holidaysIn(y)) {
        expect(h.name_vi.trim()).not.toBe('');
        expect(h.name_en.trim()).not.toBe('');
        expect(h.date.startsWith(String(y))).toBe(true);
      }
    }
    expect(holidayOn('2025-01-29')).toMatchObject({ name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' });
    expect(holidayOn('2025-03-04')).toBeUndefined();
  });

  it('returns copies, so callers cannot alter the calendar', () => {
    const list = holidaysIn(2025);
    list[0]!.date = '2025-03-04';
    list.length = 0;
    expect(holidaysIn(2025)[0]!.date).toBe('2025-01-01');
  });
});

describe('built-in year data agrees with the statutory rules', () => {
  it.each(BUILT_IN_YEAR_DATA.map((d) => [d.year, d] as const))('%i: same number of working days as the rules (swaps and Tết placement are net zero)', (year) => {
    expect(workingDaysInYear(year)).toBe(workingDaysInYear(year, RULES_ONLY));
  });

  it.each(BUILT_IN_YEAR_DATA.map((d) => [d.year, d] as const))('%i: 1/1, Tết eve and day 1, Hùng Kings, 30/4, 1/5 and 2/9 are days off', (year) => {
    const tet = lunarNewYear(year);
    for (const d of [`${year}-01-01`, addDays(tet, -1), tet, lunarToSolar(year, 3, 10), `${year}-04-30`, `${year}-05-01`, `${year}-09-02`]) {
      expect({ d, working: isWorkingDay(d) }).toEqual({ d, working: false });
    }
  });

  it.each(BUILT_IN_YEAR_DATA.map((d) => [d.year, d] as const))('%i: as many swapped days off as extra working days', (_year, data: CalendarYearData) => {
    expect(data.holidays.filter((h) => h.kind === 'swapped')).toHaveLength(data.extraWorkingDays.length);
  });
});

describe('statutory rules for years without data (deriveYearHolidays)', () => {
  it('gives Monday 2023-01-02 off because 1 January 2023 is a Sunday', () => {
    expect(isWorkingDay('2023-01-02', RULES_ONLY)).toBe(false);
    expect(deriveYearHolidays(2023).find((h) => h.date === '2023-01-02')).toMatchObject({ kind: 'substitute', derived: true });
    expect(isWorkingDay('2023-01-03', RULES_ONLY)).toBe(true);
  });

  it('gives 1/9 and Monday 4/9 off in 2023, when 2 September is a Saturday', () => {
    expect(weekdaysOff(2023, RULES_ONLY).filter((d) => d >= '2023-08-01' && d <= '2023-09-30')).toEqual(['2023-09-01', '2023-09-04']);
  });

  it("chains substitutes in date order: Hùng Kings' Saturday 29/4/2023 → 2/5, Sunday 30/4 → 3/5", () => {
    expect(weekdaysOff(2023, RULES_ONLY).filter((d) => d >= '2023-04-01' && d <= '2023-05-31')).toEqual(['2023-05-01', '2023-05-02', '2023-05-03']);
  });

  it("gives Monday 11/4/2022 off for Hùng Kings' day on Sunday 10/4", () => {
    expect(isWorkingDay('2022-04-11', RULES_ONLY)).toBe(false);
  });

  it('places Tết from the eve to the 4th day and compensates its weekend days after the span (2023: 21–25/1 + 26, 27/1)', () => {
    expect(weekdaysOff(2023, RULES_ONLY).filter((d) => d < '2023-03-01')).toEqual(['2023-01-02', '2023-01-23', '2023-01-24', '2023-01-25', '2023-01-26', '2023-01-27']);
    const tet = deriveYearHolidays(2028).filter((h) => h.name_en.startsWith('Lunar New Year'));
    expect(tet.map((h) => h.date)).toEqual(['2028-01-25', '2028-01-26', '2028-01-27', '2028-01-28', '2028-01-29']);
  });

  it('picks the weekday adjacent to National Day, preferring the one that joins a weekend (then 1/9)', () => {
    const cases: Array<[number, string, IsoDate[]]> = [
      [2024, 'Monday', ['2024-09-02', '2024-09-03']],
      [2025, 'Tuesday', ['2025-09-01', '2025-09-02']],
      [2026, 'Wednesday', ['2026-09-01', '2026-09-02']],
      [2027, 'Thursday', ['2027-09-02', '2027-09-03']],
      [2022, 'Friday', ['2022-09-01', '2022-09-02']],
      [2023, 'Saturday', ['2023-09-01', '2023-09-04']],
      [2029, 'Sunday', ['2029-09-03', '2029-09-04']],
    ];
    for (const [year, weekday, off] of cases) {
      expect({ year, weekday, off: weekdaysOff(year, RULES_ONLY).filter((d) => d.slice(5, 7) === '09') }).toEqual({ year, weekday, off });
    }
  });

  it('gives 11 statutory days and 11 weekdays off in every year 2021–2060 (holidays on weekends are compensated)', () => {
    for (let y = 2021; y <= 2060; y++) {
      const statutory = deriveYearHolidays(y).filter((h) => h.kind === 'statutory');
      expect(statutory).toHaveLength(11);
      expect(weekdaysOff(y, RULES_ONLY)).toHaveLength(11);
    }
  });

  it('uses data where a year has it and the rules elsewhere in the default calendar', () => {
    expect(isWorkingDay('2024-02-08')).toBe(false); // decided: Tết 2024 began on 29 tháng Chạp
    expect(isWorkingDay('2024-02-08', RULES_ONLY)).toBe(true);
    expect(isWorkingDay('2024-02-15', RULES_ONLY)).toBe(false);
    expect(isWorkingDay('2028-01-25')).toBe(false); // no data for 2028: rules
    expect(holidaysIn(2028).every((h) => h.derived)).toBe(true);
  });
});

describe('buildCalendar: admin-updated data sets', () => {
  const tweak2026: CalendarYearData = {
    ...YEAR_2026,
    version: 2,
    source: 'test: 24/11 made a public holiday',
    holidays: [...YEAR_2026.holidays, { date: '2026-11-24', name_vi: 'Ngày Văn hóa Việt Nam', name_en: 'Vietnamese Culture Day', kind: 'special' }],
  };

  it('lets a higher version of a year replace the built-in one', () => {
    const cal = buildCalendar([...BUILT_IN_YEAR_DATA, tweak2026]);
    expect(isWorkingDay('2026-11-24', cal)).toBe(false);
    expect(isWorkingDay('2026-11-24')).toBe(true);
    expect(cal.versionTag).toBe('2023@v1,2024@v1,2025@v1,2026@v2,2027@v1');
    expect(buildCalendar([tweak2026, ...BUILT_IN_YEAR_DATA]).versionTag).toBe(cal.versionTag);
  });

  it('describes a rules-only calendar with an empty version tag', () => {
    expect(RULES_ONLY.versionTag).toBe('');
    expect(RULES_ONLY.years.size).toBe(0);
  });

  it('applies a decision that reaches into the neighbouring year (a New Year swap of 31 December)', () => {
    const y2019: CalendarYearData = {
      year: 2019,
      version: 1,
      source: 'test',
      holidays: [{ date: '2018-12-31', name_vi: 'Nghỉ hoán đổi', name_en: 'Swapped day off', kind: 'swapped' }],
      extraWorkingDays: [{ date: '2019-01-05', reason: 'làm bù 31/12/2018' }],
    };
    const cal = buildCalendar([y2019]);
    expect(isWorkingDay('2018-12-31', cal)).toBe(false);
    expect(isWorkingDay('2019-01-05', cal)).toBe(true);
    expect(isWorkingDay('2018-09-03', cal)).toBe(false); // 2018 itself still follows the rules
    expect(holidaysIn(2018, cal).map((h) => h.date)).toContain('2018-12-31');
  });

  it('rejects invalid data', () => {
    const base: CalendarYearData = { year: 2030, version: 1, source: 'test', holidays: [], extraWorkingDays: [] };
    const bad = (patch: Partial<CalendarYearData>) => () => buildCalendar([{ ...base, ...patch }]);
    expect(bad({ version: 0 })).toThrow(RangeError);
    expect(bad({ source: ' ' })).toThrow(RangeError);
    expect(bad({ year: 1800 })).toThrow(RangeError);
    expect(bad({ holidays: [{ date: '2030-02-30', name_vi: 'x', name_en: 'x', kind: 'special' }] })).toThrow(/not an ISO date/);
    expect(bad({ holidays: [{ date: '2035-01-01', name_vi: 'x', name_en: 'x', kind: 'special' }] })).toThrow(/too far/);
    expect(bad({ holidays: [{ date: '2030-03-04', name_vi: 'x', name_en: 'x', kind: 'weekend' }] })).toThrow(/weekday/);
    expect(bad({ holidays: [{ date: '2030-03-02', name_vi: 'x', name_en: 'x', kind: 'swapped' }] })).toThrow(/weekend/);
    expect(bad({ holidays: [{ date: '2030-03-04', name_vi: '', name_en: 'x', kind: 'special' }] })).toThrow(/name/);
    expect(bad({ extraWorkingDays: [{ date: '2030-03-04', reason: 'x' }] })).toThrow(/not a Saturday or Sunday/);
    expect(
      bad({
        holidays: [{ date: '2030-03-02', name_vi: 'x', name_en: 'x', kind: 'weekend' }],
        extraWorkingDays: [{ date: '2030-03-02', reason: 'x' }],
      }),
    ).toThrow(/listed twice/);
    expect(() => buildCalendar([base, { ...base }])).toThrow(/version 1/);
  });

  it('rejects a date that one year makes a day off and another year a working day', () => {
    const a: CalendarYearData = { year: 2030, version: 1, source: 't', holidays: [{ date: '2031-01-04', name_vi: 'x', name_en: 'x', kind: 'special' }], extraWorkingDays: [] };
    const b: CalendarYearData = { year: 2031, version: 1, source: 't', holidays: [], extraWorkingDays: [{ date: '2031-01-04', reason: 'x' }] };
    expect(() => buildCalendar([a, b])).toThrow(/both a day off and an extra working day/);
  });

  it('refuses objects that were not built by buildCalendar', () => {
    expect(() => isWorkingDay('2025-01-01', { years: new Map(), versionTag: '' })).toThrow(TypeError);
  });
});

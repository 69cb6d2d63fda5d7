import fc from 'fast-check';
import { addDays, formatYmd } from '../dates.js';
import { civilOfEpochDay, epochDayOf, newMoonJde, sunApparentLongitude } from './astro.js';
import {
  leapMonthOf,
  lunarMonthLength,
  lunarNewYear,
  lunarToSolar,
  lunarToSolarInZone,
  solarToLunar,
  solarToLunarInZone,
} from './lunar.js';

/** Any date from 1901 to 2198 (inside the supported range with a year of margin). */
const solarDateArb = fc.integer({ min: 0, max: 108_000 }).map((n) => addDays('1901-01-01', n));

describe('astronomical building blocks (Meeus, Astronomical Algorithms)', () => {
  it('puts the new moon of February 1977 at JDE 2443192.65118 (Meeus example 49.a)', () => {
    expect(newMoonJde(-283)).toBeCloseTo(2443192.65118, 4);
  });

  it("gives the Sun's apparent longitude on 1992-10-13.0 TD as 199.909° (Meeus example 25.a)", () => {
    expect(sunApparentLongitude(2448908.5)).toBeCloseTo(199.90895, 3);
  });

  it('converts civil dates to day numbers and back exactly as the JavaScript Date does', () => {
    fc.assert(
      fc.property(fc.integer({ min: -80_000, max: 120_000 }), (days) => {
        const t = new Date(days * 86_400_000);
        const ymd = civilOfEpochDay(days);
        expect(ymd).toEqual({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
        expect(epochDayOf(ymd.y, ymd.m, ymd.d)).toBe(days);
      }),
    );
  });
});

describe('lunarNewYear / lunarToSolar: Tết Nguyên đán in Vietnam (UTC+7)', () => {
  const TET: Array<[number, string]> = [
    [2020, '2020-01-25'],
    [2021, '2021-02-12'],
    [2022, '2022-02-01'],
    [2023, '2023-01-22'],
    [2024, '2024-02-10'],
    [2025, '2025-01-29'],
    [2026, '2026-02-17'],
    [2027, '2027-02-06'],
    [2028, '2028-01-26'],
    [2029, '2029-02-13'],
    // The new moon is at 16:07 UTC on 2 Feb 2030: 23:07 in Hanoi but 00:07 on 3 Feb in Beijing, so Vietnam's
    // Tết Canh Tuất is one day before China's (2030-02-03).
    [2030, '2030-02-02'],
  ];
  it.each(TET)('puts Tết %i on %s', (year, date) => {
    expect(lunarNewYear(year)).toBe(date);
    expect(lunarToSolar(year, 1, 1)).toBe(date);
    expect(solarToLunar(date)).toEqual({ year, month: 1, day: 1, leap: false });
  });

  it('puts Tết 1985 on 1985-01-21 in Vietnam, a month before China (1985-02-20)', () => {
    expect(lunarNewYear(1985)).toBe('1985-01-21');
    expect(lunarToSolarInZone(8, 1985, 1, 1)).toBe('1985-02-20');
  });

  it('puts Tết 2007 on 2007-02-17 and Tết 1968 on 1968-01-29, a day before China', () => {
    expect(lunarNewYear(2007)).toBe('2007-02-17');
    expect(lunarToSolarInZone(8, 2007, 1, 1)).toBe('2007-02-18');
    expect(lunarNewYear(1968)).toBe('1968-01-29');
    expect(lunarToSolarInZone(8, 1968, 1, 1)).toBe('1968-01-30');
  });

  it('reproduces the Chinese New Year dates 2020–2030 when computed for UTC+8 (same engine, other meridian)', () => {
    const CHINA: Array<[number, string]> = [
      [2020, '2020-01-25'],
      [2021, '2021-02-12'],
      [2022, '2022-02-01'],
      [2023, '2023-01-22'],
      [2024, '2024-02-10'],
      [2025, '2025-01-29'],
      [2026, '2026-02-17'],
      [2027, '2027-02-06'],
      [2028, '2028-01-26'],
      [2029, '2029-02-13'],
      [2030, '2030-02-03'],
    ];
    for (const [year, date] of CHINA) expect(lunarToSolarInZone(8, year, 1, 1)).toBe(date);
  });
});

describe("lunarToSolar: Hùng Kings' day (10th day of the 3rd lunar month)", () => {
  const HUNG: Array<[number, string]> = [
    [2020, '2020-04-02'],
    [2021, '2021-04-21'],
    [2022, '2022-04-10'],
    [2023, '2023-04-29'],
    [2024, '2024-04-18'],
    [2025, '2025-04-07'],
    [2026, '2026-04-26'],
    [2027, '2027-04-16'],
    [2028, '2028-04-04'],
    [2029, '2029-04-23'],
    [2030, '2030-04-12'],
  ];
  it.each(HUNG)('puts it on %i-… at %s', (year, date) => {
    expect(lunarToSolar(year, 3, 10)).toBe(date);
    expect(solarToLunar(date)).toEqual({ year, month: 3, day: 10, leap: false });
  });
});

describe('leap months (tháng nhuận)', () => {
  it('finds the known leap months: 2012 m4, 2014 m9, 2017 m6, 2020 m4, 2023 m2, 2025 m6, 2033 m11', () => {
    expect(leapMonthOf(2012)).toBe(4);
    expect(leapMonthOf(2014)).toBe(9);
    expect(leapMonthOf(2017)).toBe(6);
    expect(leapMonthOf(2020)).toBe(4);
    expect(leapMonthOf(2023)).toBe(2);
    expect(leapMonthOf(2025)).toBe(6);
    expect(leapMonthOf(2033)).toBe(11);
  });

  it('reports no leap month for 12-month years', () => {
    for (const y of [2021, 2022, 2024, 2026, 2027]) expect(leapMonthOf(y)).toBe(0);
  });

  it('places leap month 6 of 2025 from 2025-07-25, after the ordinary month 6 (from 2025-06-25)', () => {
    expect(lunarToSolar(2025, 6, 1)).toBe('2025-06-25');
    expect(lunarToSolar(2025, 6, 1, true)).toBe('2025-07-25');
    expect(lunarToSolar(2025, 7, 1)).toBe('2025-08-23');
    expect(solarToLunar('2025-08-10')).toEqual({ year: 2025, month: 6, day: 17, leap: true });
    expect(lunarToSolar(2023, 2, 1, true)).toBe('2023-03-22');
    expect(lunarToSolar(2020, 4, 1, true)).toBe('2020-05-23');
  });

  it('rejects a leap month the year does not have', () => {
    expect(() => lunarToSolar(2024, 4, 1, true)).toThrow(RangeError);
    expect(() => lunarToSolar(2025, 5, 1, true)).toThrow(RangeError);
  });

  it('agrees with leap flags produced by solarToLunar over whole years', () => {
    for (let y = 2000; y <= 2040; y++) {
      const leap = leapMonthOf(y);
      const start = lunarNewYear(y);
      const end = lunarNewYear(y + 1);
      const leapMonthsSeen = new Set<number>();
      for (let d = start; d < end; d = addDays(d, 1)) {
        const l = solarToLunar(d);
        expect(l.year).toBe(y);
        if (l.leap) leapMonthsSeen.add(l.month);
      }
      expect([...leapMonthsSeen]).toEqual(leap ? [leap] : []);
    }
  });
});

describe('lunar month lengths', () => {
  it('has no 30th day of month 12 before Tết 2025–2032 (eve on the 29th), and has one again before Tết 2033', () => {
    expect(lunarMonthLength(2023, 12)).toBe(30); // eve of Tết 2024 = 30 tháng Chạp (2024-02-09)
    for (let y = 2024; y <= 2031; y++) expect(lunarMonthLength(y, 12)).toBe(29);
    expect(lunarMonthLength(2032, 12)).toBe(30);
    expect(lunarToSolar(2032, 12, 30)).toBe('2033-01-30');
  });

  it('rejects day 30 of a 29-day month, and out-of-range input', () => {
    expect(() => lunarToSolar(2024, 12, 30)).toThrow(RangeError);
    expect(() => lunarToSolar(2024, 13, 1)).toThrow(RangeError);
    expect(() => lunarToSolar(2024, 1, 0)).toThrow(RangeError);
    expect(() => lunarToSolar(1899, 1, 1)).toThrow(RangeError);
    expect(() => lunarToSolar(2200, 1, 1)).toThrow(RangeError);
    expect(() => solarToLunar('2024-02-30')).toThrow(RangeError);
  });
});

describe('lunar conversion properties', () => {
  it('round-trips every solar date: lunarToSolar(solarToLunar(d)) === d', () => {
    fc.assert(
      fc.property(solarDateArb, (d) => {
        const l = solarToLunar(d);
        expect(lunarToSolar(l.year, l.month, l.day, l.leap)).toBe(d);
      }),
      { numRuns: 500 },
    );
  });

  it('advances day by day: the next solar day is the next lunar day, or day 1 of the next month after day 29 or 30', () => {
    fc.assert(
      fc.property(solarDateArb, (d) => {
        const a = solarToLunar(d);
        const b = solarToLunar(addDays(d, 1));
        if (b.day === 1) {
          expect([29, 30]).toContain(a.day);
          expect(a.day).toBe(lunarMonthLength(a.year, a.month, a.leap));
          if (b.leap) expect(b.month).toBe(a.month);
          else expect(b.month).toBe((a.month % 12) + 1);
          expect(b.year).toBe(b.month === 1 && !b.leap ? a.year + 1 : a.year);
        } else {
          expect(b).toEqual({ ...a, day: a.day + 1 });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips lunar dates: solarToLunar(lunarToSolar(y, m, d, leap)) returns them', () => {
    const lunarArb = fc
      .record({ year: fc.integer({ min: 1901, max: 2198 }), month: fc.integer({ min: 1, max: 12 }), day: fc.integer({ min: 1, max: 29 }), leap: fc.boolean() })
      .map((l) => ({ ...l, leap: l.leap && leapMonthOf(l.year) === l.month }));
    fc.assert(
      fc.property(lunarArb, (l) => {
        expect(solarToLunar(lunarToSolar(l.year, l.month, l.day, l.leap))).toEqual(l);
      }),
      { numRuns: 500 },
    );
  });

  it('matches the UTC+8 calendar on most days (the zones differ only when a new moon falls between 16:00 and 17:00 UTC)', () => {
    let same = 0;
    let total = 0;
    for (let d = '2000-01-01'; d < '2040-01-01'; d = addDays(d, 7)) {
      total += 1;
      const vn = solarToLunar(d);
      const cn = solarToLunarInZone(8, d);
      if (vn.day === cn.day && vn.month === cn.month) same += 1;
    }
    expect(same / total).toBeGreaterThan(0.9);
    expect(same).toBeLessThan(total);
  });

  it('formats dates from day numbers consistently with dates.ts', () => {
    expect(formatYmd(civilOfEpochDay(epochDayOf(2024, 2, 29)))).toBe('2024-02-29');
  });
});

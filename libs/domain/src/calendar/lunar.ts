/**
 * The Vietnamese lunisolar calendar (âm lịch), computed astronomically for Vietnam's time zone (UTC+7).
 *
 * Rules (the traditional Chinese/Vietnamese lunisolar rules, evaluated at the meridian of UTC+7):
 *  1. A month begins on the local civil day that contains the instant of a new moon.
 *  2. Month 11 is the month containing the December solstice (solar longitude 270°).
 *  3. Between two consecutive months 11 there are 12 or 13 months. When there are 13, the first month
 *     (after month 11) that contains no principal solar term ("trung khí": a multiple of 30° of solar
 *     longitude) is the leap month; it takes the number of the month before it.
 * Because the day boundary is local midnight in UTC+7, some months (and so some Tết dates, e.g. 1985,
 * 2007, 1968) differ from the Chinese calendar, which uses UTC+8.
 *
 * Supported range: lunar/solar years 1900–2199. Vietnam's civil time zone changed in the past; this module
 * deliberately applies UTC+7 throughout, as the modern Vietnamese calendar does.
 */
import { formatYmd, parseIsoDate, type IsoDate } from '../dates.js';
import {
  civilOfEpochDay,
  epochDayOf,
  JDN_OF_EPOCH_DAY_0,
  NEW_MOON_EPOCH_JDE,
  newMoonJde,
  sunApparentLongitude,
  SYNODIC_MONTH,
  ttToUt,
  utToTt,
} from './astro.js';

export const LUNAR_MIN_YEAR = 1900;
export const LUNAR_MAX_YEAR = 2199;

/** Vietnam's time zone, hours east of UTC. */
export const VN_TIME_ZONE_HOURS = 7;

export interface LunarDate {
  /** The lunar year, numbered like the Gregorian year in which its month 1 begins. */
  year: number;
  /** 1..12 */
  month: number;
  /** 1..30 */
  day: number;
  /** True for the intercalary (nhuận) month that repeats `month`. */
  leap: boolean;
}

/**
 * A lunar calendar for one time zone. The exported functions use UTC+7; other zones exist only so that
 * tests can show why the Vietnamese and Chinese (UTC+8) calendars differ.
 */
class LunarCalendar {
  private readonly newMoonDays = new Map<number, number>();
  private readonly month11s = new Map<number, number>();
  private readonly leapOffsets = new Map<number, number>();

  constructor(private readonly tzHours: number) {}

  /** Local civil day (days since 1970-01-01) on which new moon `k` falls. */
  newMoonDay(k: number): number {
    let day = this.newMoonDays.get(k);
    if (day === undefined) {
      const jdLocal = ttToUt(newMoonJde(k)) + this.tzHours / 24;
      // The civil day with Julian Day Number N runs from JD N − 0.5 to N + 0.5.
      day = Math.floor(jdLocal + 0.5) - JDN_OF_EPOCH_DAY_0;
      this.newMoonDays.set(k, day);
    }
    return day;
  }

  /** Index of the principal term the Sun has passed at local midnight starting `day`: floor(longitude / 30°). */
  private termSector(day: number): number {
    const jdUt = day + JDN_OF_EPOCH_DAY_0 - 0.5 - this.tzHours / 24;
    return Math.floor(sunApparentLongitude(utToTt(jdUt)) / 30);
  }

  /** New-moon number k of the lunation that contains local civil day `day`. */
  lunationOf(day: number): number {
    const jd = day + JDN_OF_EPOCH_DAY_0;
    let k = Math.floor((jd - NEW_MOON_EPOCH_JDE) / SYNODIC_MONTH);
    while (this.newMoonDay(k) > day) k -= 1;
    while (this.newMoonDay(k + 1) <= day) k += 1;
    return k;
  }

  /** New-moon number of month 11 of Gregorian year `y`: the lunation containing that December's solstice. */
  month11(y: number): number {
    let k = this.month11s.get(y);
    if (k === undefined) {
      k = this.lunationOf(epochDayOf(y, 12, 31));
      // Sector 9 = longitude in [270°, 300°): the solstice has already happened when this month begins.
      if (this.termSector(this.newMoonDay(k)) >= 9) k -= 1;
      this.month11s.set(y, k);
    }
    return k;
  }

  /** Position (1..12, counted from month 11 = 0) of the first month without a principal term after month 11 `k11`. */
  leapOffset(k11: number): number {
    let off = this.leapOffsets.get(k11);
    if (off === undefined) {
      off = 0;
      let sectorAtStart = this.termSector(this.newMoonDay(k11 + 1));
      for (let i = 1; i <= 12; i++) {
        const sectorAtNext = this.termSector(this.newMoonDay(k11 + i + 1));
        if (sectorAtNext === sectorAtStart) {
          off = i;
          break;
        }
        sectorAtStart = sectorAtNext;
      }
      if (off === 0) throw new Error(`no month without a principal term after lunation ${k11}`);
      this.leapOffsets.set(k11, off);
    }
    return off;
  }

  /** The span (tuế) from month 11 of Gregorian year `aYear` to month 11 of the next year, and its leap position (0 if none). */
  private sui(aYear: number): { a11: number; b11: number; leapOff: number } {
    const a11 = this.month11(aYear);
    const b11 = this.month11(aYear + 1);
    return { a11, b11, leapOff: b11 - a11 === 13 ? this.leapOffset(a11) : 0 };
  }

  toLunar(day: number): LunarDate {
    const k = this.lunationOf(day);
    const gy = civilOfEpochDay(day).y;
    // Month 11 of year gy starts in Nov/Dec gy; earlier days belong to the span that began in gy − 1.
    const aYear = this.month11(gy) > k ? gy - 1 : gy;
    const { a11, leapOff } = this.sui(aYear);
    const diff = k - a11;
    let month: number;
    let leap = false;
    if (leapOff > 0 && diff >= leapOff) {
      month = diff + 10;
      leap = diff === leapOff;
    } else {
      month = diff + 11;
    }
    if (month > 12) month -= 12;
    return { year: month >= 11 ? aYear : aYear + 1, month, day: day - this.newMoonDay(k) + 1, leap };
  }

  /** New-moon number of lunar month (year, month, leap); throws for a leap month the year does not have. */
  monthLunation(year: number, month: number, leap: boolean): number {
    const aYear = month >= 11 ? year : year - 1;
    const { a11, leapOff } = this.sui(aYear);
    let off = month - 11;
    if (off < 0) off += 12;
    if (leapOff > 0) {
      const leapMonth = ((leapOff + 9) % 12) + 1;
      if (leap && month !== leapMonth) throw new RangeError(`lunar year ${year} has no leap month ${month} (its leap month is ${leapMonth})`);
      if (leap || off >= leapOff) off += 1;
    } else if (leap) {
      throw new RangeError(`lunar year ${year} has no leap month`);
    }
    return a11 + off;
  }

  /** Leap month number of lunar year `year` (months 1..12 of that year, plus 11/12 that close it), or 0. */
  leapMonthOf(year: number): number {
    // Lunar year `year` = months 1..10 of the span starting in year − 1, then months 11..12 of the span starting in year.
    const early = this.sui(year - 1);
    if (early.leapOff >= 3) return ((early.leapOff + 9) % 12) + 1; // leap month among 1..10
    const late = this.sui(year);
    if (late.leapOff === 1 || late.leapOff === 2) return late.leapOff + 10; // leap 11 or 12
    return 0;
  }
}

const calendars = new Map<number, LunarCalendar>();

function lunarCalendarFor(tzHours: number): LunarCalendar {
  let c = calendars.get(tzHours);
  if (!c) {
    c = new LunarCalendar(tzHours);
    calendars.set(tzHours, c);
  }
  return c;
}

const VN = lunarCalendarFor(VN_TIME_ZONE_HOURS);

function checkYear(y: number, what: string): void {
  if (!Number.isInteger(y) || y < LUNAR_MIN_YEAR || y > LUNAR_MAX_YEAR) {
    throw new RangeError(`${what} ${y} is outside the supported range ${LUNAR_MIN_YEAR}–${LUNAR_MAX_YEAR}`);
  }
}

function epochDayOfIso(date: IsoDate): number {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not an ISO date: ${date}`);
  checkYear(p.y, 'year');
  return epochDayOf(p.y, p.m, p.d);
}

function isoOfEpochDay(day: number): IsoDate {
  return formatYmd(civilOfEpochDay(day));
}

/** Converts a Gregorian date to the Vietnamese lunar date (UTC+7). */
export function solarToLunar(date: IsoDate): LunarDate {
  return solarToLunarInZone(VN_TIME_ZONE_HOURS, date);
}

/**
 * Converts a Vietnamese lunar date (UTC+7) to the Gregorian date. `leap` selects the intercalary month;
 * throws RangeError for a leap month the year does not have, or a day 30 in a 29-day month.
 */
export function lunarToSolar(lunarYear: number, lunarMonth: number, lunarDay: number, leap = false): IsoDate {
  return lunarToSolarInZone(VN_TIME_ZONE_HOURS, lunarYear, lunarMonth, lunarDay, leap);
}

/** @internal solarToLunar for another time zone (hours east of UTC), e.g. 8 for the Chinese calendar; for tests. */
export function solarToLunarInZone(tzHours: number, date: IsoDate): LunarDate {
  return lunarCalendarFor(tzHours).toLunar(epochDayOfIso(date));
}

/** @internal lunarToSolar for another time zone (hours east of UTC); for tests. */
export function lunarToSolarInZone(tzHours: number, lunarYear: number, lunarMonth: number, lunarDay: number, leap = false): IsoDate {
  checkYear(lunarYear, 'lunar year');
  if (!Number.isInteger(lunarMonth) || lunarMonth < 1 || lunarMonth > 12) throw new RangeError(`invalid lunar month: ${lunarMonth}`);
  if (!Number.isInteger(lunarDay) || lunarDay < 1 || lunarDay > 30) throw new RangeError(`invalid lunar day: ${lunarDay}`);
  const cal = lunarCalendarFor(tzHours);
  const k = cal.monthLunation(lunarYear, lunarMonth, leap);
  const start = cal.newMoonDay(k);
  const length = cal.newMoonDay(k + 1) - start;
  if (lunarDay > length) {
    throw new RangeError(`lunar month ${lunarMonth}${leap ? ' (leap)' : ''} of ${lunarYear} has only ${length} days`);
  }
  return isoOfEpochDay(start + lunarDay - 1);
}

/** Number of days (29 or 30) of a lunar month. */
export function lunarMonthLength(lunarYear: number, lunarMonth: number, leap = false): number {
  checkYear(lunarYear, 'lunar year');
  if (!Number.isInteger(lunarMonth) || lunarMonth < 1 || lunarMonth > 12) throw new RangeError(`invalid lunar month: ${lunarMonth}`);
  const k = VN.monthLunation(lunarYear, lunarMonth, leap);
  return VN.newMoonDay(k + 1) - VN.newMoonDay(k);
}

/** The leap (nhuận) month of a lunar year, or 0 when the year has 12 months. */
export function leapMonthOf(lunarYear: number): number {
  checkYear(lunarYear, 'lunar year');
  return VN.leapMonthOf(lunarYear);
}

/** Tết Nguyên đán: the Gregorian date of day 1 of month 1 of lunar year `year`. */
export function lunarNewYear(year: number): IsoDate {
  return lunarToSolar(year, 1, 1);
}

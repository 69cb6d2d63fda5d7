/**
 * The working-day calendar: which days are working days in Vietnam's civil service, and deadline
 * arithmetic in working days.
 *
 * A day is a working day when it is listed as an extra working day (a Saturday made a working day), or
 * when it is a Monday–Friday that is not a day off. Days off come, per calendar year, from that year's data
 * module (the government's decisions) when there is one, otherwise from the statutory rules (rules.ts).
 *
 * Per year, a table of working-day flags and running totals is built lazily and memoised per calendar, so
 * counting is O(years spanned) and adding N working days is a binary search, whatever N is.
 */
import { formatYmd, parseIsoDate, vnEndOfDayIso, type IsoDate } from '../dates.js';
import { civilOfEpochDay, epochDayOf } from './astro.js';
import { deriveYearHolidays, isWeekend } from './rules.js';
import { BUILT_IN_YEAR_DATA } from './years/index.js';
import type { CalendarYearData, ExtraWorkingDay, Holiday, HolidayKind, WorkingDayDue } from './types.js';

export const CALENDAR_MIN_YEAR = 1900;
export const CALENDAR_MAX_YEAR = 2199;

/**
 * A working-day calendar: the year data sets in force (at most one per year). Build it with
 * {@link buildCalendar}; lookup tables are computed lazily and cached per calendar object.
 */
export interface HolidayCalendar {
  readonly years: ReadonlyMap<number, CalendarYearData>;
  /** Which data versions the calendar uses, e.g. '2024@v1,2025@v1' ('' when rules only); record it with deadlines. */
  readonly versionTag: string;
}

interface YearTable {
  year: number;
  /** Days since 1970-01-01 of 1 January. */
  start: number;
  length: number;
  /** 1 for a working day. */
  working: Uint8Array;
  /** cum[i] = number of working days among days 0..i of the year. */
  cum: Int32Array;
  total: number;
  holidays: Holiday[];
  holidayByDate: Map<IsoDate, Holiday>;
  extraWorkingDays: ExtraWorkingDay[];
}

interface CalendarState {
  /** Explicit (data) holidays and extra working days grouped by the calendar year of their date. */
  holidaysByYear: Map<number, Holiday[]>;
  extraByYear: Map<number, ExtraWorkingDay[]>;
  tables: Map<number, YearTable>;
}

const states = new WeakMap<HolidayCalendar, CalendarState>();

const KINDS: readonly HolidayKind[] = ['statutory', 'substitute', 'swapped', 'weekend', 'special'];

function byDate<T extends { date: IsoDate }>(a: T, b: T): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

function dataError(data: { year?: unknown }, msg: string): RangeError {
  return new RangeError(`calendar data for ${String(data.year)}: ${msg}`);
}

function validateYearData(data: CalendarYearData): void {
  if (!Number.isInteger(data.year) || data.year < CALENDAR_MIN_YEAR || data.year > CALENDAR_MAX_YEAR) {
    throw dataError(data, `year must be an integer in ${CALENDAR_MIN_YEAR}–${CALENDAR_MAX_YEAR}`);
  }
  if (!Number.isInteger(data.version) || data.version < 1) throw dataError(data, 'version must be a positive integer');
  if (typeof data.source !== 'string' || !data.source.trim()) throw dataError(data, 'source is required');
  if (!Array.isArray(data.holidays) || !Array.isArray(data.extraWorkingDays)) throw dataError(data, 'holidays and extraWorkingDays must be arrays');
  const seen = new Set<IsoDate>();
  const checkDate = (date: IsoDate): void => {
    const p = parseIsoDate(date);
    if (!p) throw dataError(data, `not an ISO date: ${String(date)}`);
    if (Math.abs(p.y - data.year) > 1) throw dataError(data, `${date} is too far from ${data.year}`);
    if (seen.has(date)) throw dataError(data, `${date} is listed twice`);
    seen.add(date);
  };
  for (const h of data.holidays) {
    checkDate(h.date);
    if (!KINDS.includes(h.kind)) throw dataError(data, `${h.date}: unknown kind ${String(h.kind)}`);
    if (!h.name_vi?.trim() || !h.name_en?.trim()) throw dataError(data, `${h.date}: name_vi and name_en are required`);
    if (h.kind === 'weekend' && !isWeekend(h.date)) throw dataError(data, `${h.date} is listed as a weekend day but is a weekday`);
    if ((h.kind === 'substitute' || h.kind === 'swapped') && isWeekend(h.date)) {
      throw dataError(data, `${h.date} is a ${h.kind} day off but falls on a weekend`);
    }
  }
  for (const e of data.extraWorkingDays) {
    checkDate(e.date);
    if (!isWeekend(e.date)) throw dataError(data, `extra working day ${e.date} is not a Saturday or Sunday`);
    if (!e.reason?.trim()) throw dataError(data, `extra working day ${e.date}: reason is required`);
  }
}

function yearOfIso(date: IsoDate): number {
  return Number(date.slice(0, 4));
}

/**
 * Builds a calendar from year data sets (e.g. the built-in modules plus an admin-updated set). For each year
 * the data set with the highest version is used; years without data use the statutory rules. Throws
 * RangeError on invalid data, on two sets with the same year and version, and on a date that is both a day
 * off and an extra working day.
 */
export function buildCalendar(yearData: readonly CalendarYearData[] = []): HolidayCalendar {
  const years = new Map<number, CalendarYearData>();
  for (const data of yearData) {
    validateYearData(data);
    const current = years.get(data.year);
    if (current && current.version === data.version) throw dataError(data, `two data sets with version ${data.version}`);
    if (!current || data.version > current.version) years.set(data.year, data);
  }
  const sorted = [...years.values()].sort((a, b) => a.year - b.year);

  // Explicit entries by date. A date listed by several years' data: the entry from its own year's data wins.
  const holidayByDate = new Map<IsoDate, { h: Holiday; own: boolean }>();
  const extraByDate = new Map<IsoDate, ExtraWorkingDay>();
  for (const data of sorted) {
    for (const h of data.holidays) {
      const own = yearOfIso(h.date) === data.year;
      const prev = holidayByDate.get(h.date);
      if (!prev || (own && !prev.own)) holidayByDate.set(h.date, { h: { ...h }, own });
    }
    for (const e of data.extraWorkingDays) if (!extraByDate.has(e.date)) extraByDate.set(e.date, { ...e });
  }
  for (const date of extraByDate.keys()) {
    if (holidayByDate.has(date)) throw new RangeError(`calendar data: ${date} is both a day off and an extra working day`);
  }

  const holidaysByYear = new Map<number, Holiday[]>();
  for (const { h } of holidayByDate.values()) {
    const y = yearOfIso(h.date);
    const list = holidaysByYear.get(y) ?? [];
    list.push(h);
    holidaysByYear.set(y, list);
  }
  const extraByYear = new Map<number, ExtraWorkingDay[]>();
  for (const e of extraByDate.values()) {
    const y = yearOfIso(e.date);
    const list = extraByYear.get(y) ?? [];
    list.push(e);
    extraByYear.set(y, list);
  }

  const cal: HolidayCalendar = Object.freeze({
    years,
    versionTag: sorted.map((d) => `${d.year}@v${d.version}`).join(','),
  });
  states.set(cal, { holidaysByYear, extraByYear, tables: new Map() });
  return cal;
}

function stateOf(cal: HolidayCalendar): CalendarState {
  const s = states.get(cal);
  if (!s) throw new TypeError('not a calendar built by buildCalendar()');
  return s;
}

function checkCalendarYear(y: number): void {
  if (y < CALENDAR_MIN_YEAR || y > CALENDAR_MAX_YEAR) {
    throw new RangeError(`year ${y} is outside the supported calendar range ${CALENDAR_MIN_YEAR}–${CALENDAR_MAX_YEAR}`);
  }
}

function yearTable(cal: HolidayCalendar, year: number): YearTable {
  const state = stateOf(cal);
  let t = state.tables.get(year);
  if (t) return t;
  checkCalendarYear(year);

  const holidayByDate = new Map<IsoDate, Holiday>();
  if (!cal.years.has(year)) {
    for (const h of deriveYearHolidays(year)) if (yearOfIso(h.date) === year && !holidayByDate.has(h.date)) holidayByDate.set(h.date, h);
  }
  for (const h of state.holidaysByYear.get(year) ?? []) holidayByDate.set(h.date, h);
  const extra = [...(state.extraByYear.get(year) ?? [])].sort(byDate);
  const extraDates = new Set(extra.map((e) => e.date));

  const start = epochDayOf(year, 1, 1);
  const length = epochDayOf(year + 1, 1, 1) - start;
  const working = new Uint8Array(length);
  const cum = new Int32Array(length);
  let running = 0;
  for (let i = 0; i < length; i++) {
    const epochDay = start + i;
    const dow = (((epochDay + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    const date = formatYmd(civilOfEpochDay(epochDay));
    const isWorking = extraDates.has(date) || (dow !== 0 && dow !== 6 && !holidayByDate.has(date));
    if (isWorking) {
      working[i] = 1;
      running += 1;
    }
    cum[i] = running;
  }
  t = {
    year,
    start,
    length,
    working,
    cum,
    total: running,
    holidays: [...holidayByDate.values()].sort(byDate),
    holidayByDate,
    extraWorkingDays: extra,
  };
  state.tables.set(year, t);
  return t;
}

interface DayRef {
  year: number;
  epochDay: number;
}

function dayRef(date: IsoDate, what: string): DayRef {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`${what} is not an ISO date: ${String(date)}`);
  checkCalendarYear(p.y);
  return { year: p.y, epochDay: epochDayOf(p.y, p.m, p.d) };
}

function isoOfEpochDay(epochDay: number): IsoDate {
  return formatYmd(civilOfEpochDay(epochDay));
}

// ---------------------------------------------------------------------------------------------- API

/** True when `date` is a working day: Monday–Friday and not a day off, or a weekend day made a working day. */
export function isWorkingDay(date: IsoDate, cal: HolidayCalendar = DEFAULT_CALENDAR): boolean {
  const r = dayRef(date, 'date');
  const t = yearTable(cal, r.year);
  return t.working[r.epochDay - t.start] === 1;
}

/**
 * The end of a period of `n` working days counted from `anchor`: as Vietnamese law counts periods, the
 * period starts the day after the anchor and ends on its n-th working day. n = 0 returns the anchor.
 * Throws RangeError for a negative or fractional n, or an invalid anchor.
 */
export function addWorkingDays(anchor: IsoDate, n: number, cal: HolidayCalendar = DEFAULT_CALENDAR): IsoDate {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`the number of working days must be a non-negative integer, got ${n}`);
  const r = dayRef(anchor, 'anchor');
  if (n === 0) return anchor;
  let t = yearTable(cal, r.year);
  let base = t.cum[r.epochDay - t.start]!; // working days of the year up to and including the anchor
  let remaining = n;
  for (;;) {
    const available = t.total - base;
    if (remaining <= available) {
      // First index whose running total reaches base + remaining: that day is the n-th working day.
      const target = base + remaining;
      let lo = 0;
      let hi = t.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (t.cum[mid]! >= target) hi = mid;
        else lo = mid + 1;
      }
      return isoOfEpochDay(t.start + lo);
    }
    remaining -= available;
    t = yearTable(cal, t.year + 1);
    base = 0;
  }
}

/**
 * Number of working days in (from, to]: the days after `from` up to and including `to`, so that
 * workingDaysBetween(a, addWorkingDays(a, n)) === n. Negative (minus the count in (to, from]) when `to` is
 * before `from`, which makes it additive: between(a, b) + between(b, c) === between(a, c).
 */
export function workingDaysBetween(from: IsoDate, to: IsoDate, cal: HolidayCalendar = DEFAULT_CALENDAR): number {
  const a = dayRef(from, 'from');
  const b = dayRef(to, 'to');
  if (b.epochDay < a.epochDay) return 0 - countAfterThrough(b, a, cal) || 0; // never -0
  return countAfterThrough(a, b, cal);
}

function countAfterThrough(a: DayRef, b: DayRef, cal: HolidayCalendar): number {
  const ta = yearTable(cal, a.year);
  const before = ta.cum[a.epochDay - ta.start]!;
  if (a.year === b.year) return ta.cum[b.epochDay - ta.start]! - before;
  let count = ta.total - before;
  for (let y = a.year + 1; y < b.year; y++) count += yearTable(cal, y).total;
  const tb = yearTable(cal, b.year);
  return count + tb.cum[b.epochDay - tb.start]!;
}

/** Due date of a period of `n` working days from `anchor`, and its end instant (23:59:59 Vietnam time). */
export function dueAtFor(anchor: IsoDate, n: number, cal: HolidayCalendar = DEFAULT_CALENDAR): WorkingDayDue {
  const dueDate = addWorkingDays(anchor, n, cal);
  return { dueDate, dueAt: vnEndOfDayIso(dueDate) };
}

/**
 * The days off of calendar year `year` other than ordinary weekends, sorted by date, with Vietnamese and
 * English names (entries of kind 'weekend' are weekend days inside an announced break).
 */
export function holidaysIn(year: number, cal: HolidayCalendar = DEFAULT_CALENDAR): Holiday[] {
  if (!Number.isInteger(year)) throw new RangeError(`invalid year: ${year}`);
  return yearTable(cal, year).holidays.map((h) => ({ ...h }));
}

/** Weekend days of `year` made working days (làm bù), sorted by date. */
export function extraWorkingDaysIn(year: number, cal: HolidayCalendar = DEFAULT_CALENDAR): ExtraWorkingDay[] {
  if (!Number.isInteger(year)) throw new RangeError(`invalid year: ${year}`);
  return yearTable(cal, year).extraWorkingDays.map((e) => ({ ...e }));
}

/** The holiday entry for `date`, if it is listed as a day off (including weekend days inside a break). */
export function holidayOn(date: IsoDate, cal: HolidayCalendar = DEFAULT_CALENDAR): Holiday | undefined {
  const r = dayRef(date, 'date');
  const h = yearTable(cal, r.year).holidayByDate.get(date);
  return h ? { ...h } : undefined;
}

/** Number of working days in calendar year `year`. */
export function workingDaysInYear(year: number, cal: HolidayCalendar = DEFAULT_CALENDAR): number {
  if (!Number.isInteger(year)) throw new RangeError(`invalid year: ${year}`);
  return yearTable(cal, year).total;
}

/** The calendar built from the built-in year data (years/) and the statutory rules for other years. */
export const DEFAULT_CALENDAR: HolidayCalendar = buildCalendar(BUILT_IN_YEAR_DATA);

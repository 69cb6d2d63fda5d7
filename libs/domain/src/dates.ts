/**
 * Calendar-date helpers. Business dates are plain ISO dates ('YYYY-MM-DD') in Vietnam time (UTC+7):
 * the date printed on a meeting's minutes or a decision, never an instant.
 */
export type IsoDate = string;

export const VN_OFFSET_MS = 7 * 60 * 60 * 1000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

export interface Ymd {
  y: number;
  m: number; // 1..12
  d: number; // 1..31
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Parses 'YYYY-MM-DD'; returns undefined for anything that is not a real calendar date. */
export function parseIsoDate(s: unknown): Ymd | undefined {
  if (typeof s !== 'string') return undefined;
  const m = ISO_DATE.exec(s);
  if (!m) return undefined;
  const ymd = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
  if (ymd.m < 1 || ymd.m > 12 || ymd.d < 1 || ymd.d > daysInMonth(ymd.y, ymd.m)) return undefined;
  return ymd;
}

export function isIsoDate(s: unknown): s is IsoDate {
  return parseIsoDate(s) !== undefined;
}

/**
 * The years a business date may fall in: those the working-day calendar and the lunar conversion cover
 * (calendar/working-days.ts, calendar/lunar.ts). Outside them no deadline can be computed, and year 0 does
 * not exist for PostgreSQL: such a date is refused where it enters, never stored.
 */
export const MIN_BUSINESS_YEAR = 1900;
export const MAX_BUSINESS_YEAR = 2199;
export const MIN_BUSINESS_DATE: IsoDate = `${MIN_BUSINESS_YEAR}-01-01`;
export const MAX_BUSINESS_DATE: IsoDate = `${MAX_BUSINESS_YEAR}-12-31`;

/** A real 'YYYY-MM-DD' date within MIN_BUSINESS_YEAR–MAX_BUSINESS_YEAR. */
export function isBusinessDate(s: unknown): s is IsoDate {
  const p = parseIsoDate(s);
  return p !== undefined && p.y >= MIN_BUSINESS_YEAR && p.y <= MAX_BUSINESS_YEAR;
}

export function formatYmd({ y, m, d }: Ymd): IsoDate {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function must(s: IsoDate): Ymd {
  const p = parseIsoDate(s);
  if (!p) throw new RangeError(`not an ISO date: ${s}`);
  return p;
}

/** Adds calendar months; a day that does not exist in the target month is clamped to its last day. */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { y, m, d } = must(date);
  const idx = y * 12 + (m - 1) + months;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  return formatYmd({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

export function addDays(date: IsoDate, days: number): IsoDate {
  const { y, m, d } = must(date);
  const t = new Date(Date.UTC(y, m - 1, d) + days * DAY_MS);
  return formatYmd({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

/** Number of complete months from `from` to `to` (age "counted in months"). Negative if `to` is earlier. */
export function fullMonthsBetween(from: IsoDate, to: IsoDate): number {
  const a = must(from);
  const b = must(to);
  let months = (b.y - a.y) * 12 + (b.m - a.m);
  // A month is complete on the same day-of-month, or on the last day of a shorter month.
  const anniversaryDay = Math.min(a.d, daysInMonth(b.y, b.m));
  if (months > 0 && b.d < anniversaryDay) months -= 1;
  if (months < 0 && b.d > anniversaryDay) months += 1;
  return months;
}

export function compareDates(a: IsoDate, b: IsoDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(...dates: (IsoDate | undefined)[]): IsoDate | undefined {
  let best: IsoDate | undefined;
  for (const d of dates) if (d !== undefined && (best === undefined || d > best)) best = d;
  return best;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: IsoDate): number {
  const { y, m, d } = must(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The Vietnam calendar date of an instant. */
export function vnDateOf(epochMs: number): IsoDate {
  const t = new Date(epochMs + VN_OFFSET_MS);
  return formatYmd({ y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() });
}

/** The instant 00:00 Vietnam time on `date`. */
export function vnStartOfDayMs(date: IsoDate): number {
  const { y, m, d } = must(date);
  return Date.UTC(y, m - 1, d) - VN_OFFSET_MS;
}

/** End of `date` in Vietnam time as ISO 8601 with offset, e.g. 2025-03-04T23:59:59+07:00. */
export function vnEndOfDayIso(date: IsoDate): string {
  must(date);
  return `${date}T23:59:59+07:00`;
}

export function vnEndOfDayMs(date: IsoDate): number {
  return vnStartOfDayMs(date) + DAY_MS - 1000;
}

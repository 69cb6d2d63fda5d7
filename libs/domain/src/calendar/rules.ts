/**
 * Default days off of a year, derived from the statutory rules alone (used for years without a data module).
 *
 * 2019 Labour Code (Bộ luật Lao động 45/2019/QH14), art. 112(1): paid public holidays
 *  a) Tết Dương lịch: 1 day (1 January);
 *  b) Tết Âm lịch: 5 days — the exact days are fixed each year by the Prime Minister; by default this module
 *     takes the eve (last day of the lunar year) through the 4th day of month 1;
 *  c) Ngày Chiến thắng: 1 day (30 April);
 *  d) Ngày Quốc tế lao động: 1 day (1 May);
 *  đ) Quốc khánh: 2 days (2 September and 1 adjacent day before or after);
 *  e) Giỗ Tổ Hùng Vương: 1 day (10th day of the 3rd lunar month).
 * Art. 111(3): a holiday falling on the weekly rest day is compensated on the next working day (nghỉ bù).
 *
 * The same rules are applied to every year, including years before the 2019 code took effect (2021);
 * older years that matter should get a data module.
 */
import { addDays, dayOfWeek, type IsoDate } from '../dates.js';
import { lunarNewYear, lunarToSolar } from './lunar.js';
import type { Holiday } from './types.js';

export function isWeekend(date: IsoDate): boolean {
  const d = dayOfWeek(date);
  return d === 0 || d === 6;
}

const NEW_YEAR = { name_vi: 'Tết Dương lịch', name_en: "New Year's Day" };
const TET = { name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)' };
const VICTORY = { name_vi: 'Ngày Chiến thắng (30/4)', name_en: 'Reunification Day (30 April)' };
const LABOUR = { name_vi: 'Ngày Quốc tế lao động (1/5)', name_en: 'International Labour Day (1 May)' };
const NATIONAL = { name_vi: 'Quốc khánh (2/9)', name_en: 'National Day (2 September)' };
const NATIONAL_ADJ = { name_vi: 'Quốc khánh (ngày liền kề)', name_en: 'National Day (adjacent day)' };
const HUNG = { name_vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', name_en: "Hùng Kings' Commemoration Day (10th day of the 3rd lunar month)" };

/** The 5 days of Tết by default: the eve (last day of the lunar year) through the 4th day of month 1. */
export function defaultTetSpan(year: number): IsoDate[] {
  const tet = lunarNewYear(year);
  return [addDays(tet, -1), tet, addDays(tet, 1), addDays(tet, 2), addDays(tet, 3)];
}

/**
 * The day adjacent to National Day: the weekday among 1 and 3 September; if both are weekdays, the one
 * that joins the weekend (Monday 1/9 or Friday 3/9); if neither does (2/9 on a Wednesday), 1 September.
 */
export function defaultNationalDayAdjacent(year: number): IsoDate {
  const before = `${year}-09-01`;
  const after = `${year}-09-03`;
  const beforeOk = !isWeekend(before);
  const afterOk = !isWeekend(after);
  if (beforeOk && !afterOk) return before;
  if (afterOk && !beforeOk) return after;
  if (dayOfWeek(after) === 5 && dayOfWeek(before) !== 1) return after;
  return before;
}

/** Statutory holidays of `year` (art. 112(1)) by the default placement rules, sorted, without substitutes. */
export function statutoryHolidays(year: number): Holiday[] {
  const list: Holiday[] = [];
  const add = (date: IsoDate, names: { name_vi: string; name_en: string }) =>
    list.push({ date, ...names, kind: 'statutory', derived: true });
  add(`${year}-01-01`, NEW_YEAR);
  defaultTetSpan(year).forEach((date, i) => {
    if (i === 0) add(date, { name_vi: `${TET.name_vi} – giao thừa`, name_en: `${TET.name_en} – New Year's Eve` });
    else add(date, { name_vi: `${TET.name_vi} – mùng ${i}`, name_en: `${TET.name_en} – day ${i}` });
  });
  add(lunarToSolar(year, 3, 10), HUNG);
  add(`${year}-04-30`, VICTORY);
  add(`${year}-05-01`, LABOUR);
  add(`${year}-09-02`, NATIONAL);
  add(defaultNationalDayAdjacent(year), NATIONAL_ADJ);
  list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return list;
}

/**
 * Substitute days (nghỉ bù) for holidays that fall on a weekend: in date order, each gets the next day
 * after it that is a weekday, not itself a holiday, and not already taken as a substitute. Two holidays on
 * the same day (Hùng Kings' day can fall on 30 April, last in 1947) are treated the same way: the second
 * one is compensated — an assumption, as the Labour Code does not address the case.
 */
export function substituteDays(holidays: readonly Holiday[]): Holiday[] {
  const taken = new Set(holidays.map((h) => h.date));
  const seen = new Set<IsoDate>();
  const out: Holiday[] = [];
  const sorted = [...holidays].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const h of sorted) {
    const collides = seen.has(h.date);
    seen.add(h.date);
    if (!isWeekend(h.date) && !collides) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || taken.has(d)) d = addDays(d, 1);
    taken.add(d);
    const [, m, day] = h.date.split('-');
    out.push({
      date: d,
      name_vi: `Nghỉ bù ${h.name_vi} (${day}/${m} trùng ${collides ? 'ngày lễ khác' : 'ngày nghỉ hằng tuần'})`,
      name_en: `Substitute day off for ${h.name_en} (${day}/${m} fell on ${collides ? 'another holiday' : 'a weekend'})`,
      kind: 'substitute',
      derived: true,
    });
  }
  return out;
}

/** All days off of `year` derived from the rules: statutory holidays plus substitute days, sorted by date. */
export function deriveYearHolidays(year: number): Holiday[] {
  const statutory = statutoryHolidays(year);
  const all = [...statutory, ...substituteDays(statutory)];
  all.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return all;
}

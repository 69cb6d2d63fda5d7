/**
 * Vietnamese working-day calendar: public holidays of the 2019 Labour Code, the government's yearly
 * decisions (years/*.ts), the lunar calendar needed to place Tết and Hùng Kings' day, and deadline
 * arithmetic in working days. Pure and deterministic (safe inside Temporal workflows). See README.md.
 */
export {
  addWorkingDays,
  buildCalendar,
  CALENDAR_MAX_YEAR,
  CALENDAR_MIN_YEAR,
  DEFAULT_CALENDAR,
  dueAtFor,
  extraWorkingDaysIn,
  holidayOn,
  holidaysIn,
  isWorkingDay,
  workingDaysBetween,
  workingDaysInYear,
} from './working-days.js';
export type { HolidayCalendar } from './working-days.js';
export { deriveYearHolidays } from './rules.js';
export { leapMonthOf, LUNAR_MAX_YEAR, LUNAR_MIN_YEAR, lunarMonthLength, lunarNewYear, lunarToSolar, solarToLunar } from './lunar.js';
export type { LunarDate } from './lunar.js';
export { BUILT_IN_YEAR_DATA } from './years/index.js';
export type { CalendarYearData, ExtraWorkingDay, Holiday, HolidayKind, WorkingDayDue } from './types.js';

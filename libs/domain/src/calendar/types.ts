import type { IsoDate } from '../dates.js';

/**
 * Why a day is listed as a day off.
 *  - statutory:  one of the public holidays of art. 112(1) of the 2019 Labour Code (including each day of
 *                the 5-day Tết span and the day adjacent to National Day), whatever day of the week it is;
 *  - substitute: compensatory day off (nghỉ bù) because a statutory day fell on a Saturday or Sunday
 *                (art. 111(3));
 *  - swapped:    a working day moved off by a government decision (hoán đổi ngày làm việc), paid back by an
 *                extra working day (usually a Saturday) listed in `extraWorkingDays`;
 *  - weekend:    a Saturday or Sunday inside an announced break, listed only so the break reads as a whole;
 *  - special:    a one-off day off granted by a separate decision.
 */
export type HolidayKind = 'statutory' | 'substitute' | 'swapped' | 'weekend' | 'special';

export interface Holiday {
  date: IsoDate;
  name_vi: string;
  name_en: string;
  kind: HolidayKind;
  /** False when the entry is a plan or an inference not yet checked against a published decision. Default true. */
  confirmed?: boolean;
  /** True when the entry was derived from the statutory rules rather than read from a year's data. */
  derived?: boolean;
}

/** A weekend day made a working day (làm bù) in exchange for a swapped day off. */
export interface ExtraWorkingDay {
  date: IsoDate;
  reason: string;
  confirmed?: boolean;
}

/**
 * The government's decisions for one calendar year: the complete list of days off other than ordinary
 * weekends, and the weekend days made working days. When a year has data it replaces the rule-derived
 * defaults for that year entirely. Plain JSON-compatible data so an admin-maintained copy can be loaded.
 */
export interface CalendarYearData {
  year: number;
  /** Incremented on every correction; when several data sets are given for a year the highest version wins. */
  version: number;
  /** Where the entries come from (decisions, notices), and any caveats. */
  source: string;
  holidays: readonly Holiday[];
  extraWorkingDays: readonly ExtraWorkingDay[];
}

/** The due date of a period of working days and the instant it ends (end of that day, Vietnam time). */
export interface WorkingDayDue {
  dueDate: IsoDate;
  /** ISO 8601 with offset, e.g. '2025-03-04T23:59:59+07:00'. */
  dueAt: string;
}

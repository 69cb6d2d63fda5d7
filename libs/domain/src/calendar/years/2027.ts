import type { CalendarYearData } from '../types.js';

/**
 * Days off in 2027. No government decision for 2027 was known when this was written: the entries are the
 * statutory rules applied to 2027 (the same as the rule-derived default), kept as data so they can be
 * reviewed and replaced by a new version once the decisions are published.
 */
export const YEAR_2027: CalendarYearData = {
  year: 2027,
  version: 1,
  source:
    'NOT YET ANNOUNCED — derived from Labour Code 2019 art. 111(3) and 112(1). Fixed-date holidays and nghỉ bù are statutory; ' +
    'the Tết span (default: eve 5/2, 29 tháng Chạp, to mùng 4 9/2, with 6/2 and 7/2 on the weekend compensated on 10/2 and 11/2) and ' +
    'the day adjacent to Quốc khánh (default: Friday 3/9) are placed by the government each year and are marked confirmed: false. ' +
    'Replace with the published plan (typically announced in Q4 2026) and bump the version.',
  holidays: [
    { date: '2027-01-01', name_vi: 'Tết Dương lịch', name_en: "New Year's Day", kind: 'statutory' },
    { date: '2027-02-05', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – giao thừa', name_en: "Lunar New Year (Tết) – New Year's Eve", kind: 'statutory', confirmed: false },
    { date: '2027-02-06', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – mùng 1', name_en: 'Lunar New Year (Tết) – day 1', kind: 'statutory', confirmed: false },
    { date: '2027-02-07', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – mùng 2', name_en: 'Lunar New Year (Tết) – day 2', kind: 'statutory', confirmed: false },
    { date: '2027-02-08', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – mùng 3', name_en: 'Lunar New Year (Tết) – day 3', kind: 'statutory', confirmed: false },
    { date: '2027-02-09', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – mùng 4', name_en: 'Lunar New Year (Tết) – day 4', kind: 'statutory', confirmed: false },
    { date: '2027-02-10', name_vi: 'Nghỉ bù Tết Âm lịch (mùng 1 trùng thứ Bảy)', name_en: 'Substitute day off for Tết (day 1 fell on a Saturday)', kind: 'substitute', confirmed: false },
    { date: '2027-02-11', name_vi: 'Nghỉ bù Tết Âm lịch (mùng 2 trùng Chủ nhật)', name_en: 'Substitute day off for Tết (day 2 fell on a Sunday)', kind: 'substitute', confirmed: false },
    { date: '2027-04-16', name_vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', name_en: "Hùng Kings' Commemoration Day", kind: 'statutory' },
    { date: '2027-04-30', name_vi: 'Ngày Chiến thắng (30/4)', name_en: 'Reunification Day (30 April)', kind: 'statutory' },
    { date: '2027-05-01', name_vi: 'Ngày Quốc tế lao động (1/5)', name_en: 'International Labour Day (1 May)', kind: 'statutory' },
    { date: '2027-05-03', name_vi: 'Nghỉ bù Ngày Quốc tế lao động (1/5 trùng thứ Bảy)', name_en: 'Substitute day off for Labour Day (1 May fell on a Saturday)', kind: 'substitute' },
    { date: '2027-09-02', name_vi: 'Quốc khánh (2/9)', name_en: 'National Day (2 September)', kind: 'statutory' },
    { date: '2027-09-03', name_vi: 'Quốc khánh (ngày liền kề)', name_en: 'National Day (adjacent day)', kind: 'statutory', confirmed: false },
  ],
  extraWorkingDays: [],
};

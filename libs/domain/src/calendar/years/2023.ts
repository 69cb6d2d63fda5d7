import type { CalendarYearData } from '../types.js';

/** Days off in 2023 for the civil service (cán bộ, công chức, viên chức), as announced. */
export const YEAR_2023: CalendarYearData = {
  year: 2023,
  version: 1,
  source:
    'Bộ LĐ-TB&XH notices on the 2023 holidays (Labour Code 2019 art. 111–112): Tết Dương lịch 1/1 (Sunday) with nghỉ bù Monday 2/1; ' +
    'Tết Quý Mão 20/1 (29 tháng Chạp) – 26/1 (mùng 5), 7 days = 5 Tết days + 2 weekend days; Giỗ Tổ (Saturday 29/4) and 30/4 (Sunday) ' +
    'compensated on 2/5 and 3/5, break 29/4–3/5; Quốc khánh 1/9–2/9 with 2/9 (Saturday) compensated on Monday 4/9.',
  holidays: [
    { date: '2023-01-01', name_vi: 'Tết Dương lịch', name_en: "New Year's Day", kind: 'statutory' },
    { date: '2023-01-02', name_vi: 'Nghỉ bù Tết Dương lịch (1/1 trùng Chủ nhật)', name_en: "Substitute day off for New Year's Day (1 Jan fell on a Sunday)", kind: 'substitute' },
    { date: '2023-01-20', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2023-01-21', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2023-01-22', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2023-01-23', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2023-01-24', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2023-01-25', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2023-01-26', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2023-04-29', name_vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', name_en: "Hùng Kings' Commemoration Day", kind: 'statutory' },
    { date: '2023-04-30', name_vi: 'Ngày Chiến thắng (30/4)', name_en: 'Reunification Day (30 April)', kind: 'statutory' },
    { date: '2023-05-01', name_vi: 'Ngày Quốc tế lao động (1/5)', name_en: 'International Labour Day (1 May)', kind: 'statutory' },
    { date: '2023-05-02', name_vi: 'Nghỉ bù Giỗ Tổ Hùng Vương (trùng thứ Bảy 29/4)', name_en: "Substitute day off for Hùng Kings' Day (Saturday 29 Apr)", kind: 'substitute' },
    { date: '2023-05-03', name_vi: 'Nghỉ bù Ngày Chiến thắng (30/4 trùng Chủ nhật)', name_en: 'Substitute day off for Reunification Day (Sunday 30 Apr)', kind: 'substitute' },
    { date: '2023-09-01', name_vi: 'Quốc khánh (ngày liền kề)', name_en: 'National Day (adjacent day)', kind: 'statutory' },
    { date: '2023-09-02', name_vi: 'Quốc khánh (2/9)', name_en: 'National Day (2 September)', kind: 'statutory' },
    { date: '2023-09-03', name_vi: 'Quốc khánh – ngày nghỉ hằng tuần', name_en: 'National Day break – weekend', kind: 'weekend' },
    { date: '2023-09-04', name_vi: 'Nghỉ bù Quốc khánh (2/9 trùng thứ Bảy)', name_en: 'Substitute day off for National Day (2 Sep fell on a Saturday)', kind: 'substitute' },
  ],
  extraWorkingDays: [],
};

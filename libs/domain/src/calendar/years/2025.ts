import type { CalendarYearData } from '../types.js';

/** Days off in 2025 for the civil service (cán bộ, công chức, viên chức), as announced. */
export const YEAR_2025: CalendarYearData = {
  year: 2025,
  version: 1,
  source:
    'Thông báo 6150/TB-BLĐTBXH (Bộ LĐ-TB&XH, 11/2024) on the 2025 holidays: Tết Dương lịch Wednesday 1/1; ' +
    'Tết Ất Tỵ Saturday 25/1 (26 tháng Chạp) – Sunday 2/2 (mùng 5), 9 days = 5 Tết days + 4 weekend days, no swap; Giỗ Tổ Monday 7/4; ' +
    '30/4–1/5: Friday 2/5 swapped for Saturday 26/4, break 30/4–4/5; Quốc khánh 1/9 + 2/9 (Tuesday), break 30/8–2/9.',
  holidays: [
    { date: '2025-01-01', name_vi: 'Tết Dương lịch', name_en: "New Year's Day", kind: 'statutory' },
    { date: '2025-01-25', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2025-01-26', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2025-01-27', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2025-01-28', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2025-01-29', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2025-01-30', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2025-01-31', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2025-02-01', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2025-02-02', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2025-04-07', name_vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', name_en: "Hùng Kings' Commemoration Day", kind: 'statutory' },
    { date: '2025-04-30', name_vi: 'Ngày Chiến thắng (30/4)', name_en: 'Reunification Day (30 April)', kind: 'statutory' },
    { date: '2025-05-01', name_vi: 'Ngày Quốc tế lao động (1/5)', name_en: 'International Labour Day (1 May)', kind: 'statutory' },
    { date: '2025-05-02', name_vi: 'Nghỉ hoán đổi (làm bù thứ Bảy 26/4/2025)', name_en: 'Swapped day off (worked on Saturday 26 April 2025)', kind: 'swapped' },
    { date: '2025-05-03', name_vi: 'Nghỉ lễ 30/4–1/5 – ngày nghỉ hằng tuần', name_en: '30 April–1 May break – weekend', kind: 'weekend' },
    { date: '2025-05-04', name_vi: 'Nghỉ lễ 30/4–1/5 – ngày nghỉ hằng tuần', name_en: '30 April–1 May break – weekend', kind: 'weekend' },
    { date: '2025-08-30', name_vi: 'Quốc khánh – ngày nghỉ hằng tuần', name_en: 'National Day break – weekend', kind: 'weekend' },
    { date: '2025-08-31', name_vi: 'Quốc khánh – ngày nghỉ hằng tuần', name_en: 'National Day break – weekend', kind: 'weekend' },
    { date: '2025-09-01', name_vi: 'Quốc khánh (ngày liền kề)', name_en: 'National Day (adjacent day)', kind: 'statutory' },
    { date: '2025-09-02', name_vi: 'Quốc khánh (2/9)', name_en: 'National Day (2 September)', kind: 'statutory' },
  ],
  extraWorkingDays: [{ date: '2025-04-26', reason: 'Làm bù cho ngày nghỉ hoán đổi thứ Sáu 2/5/2025 (worked in exchange for Friday 2 May)' }],
};

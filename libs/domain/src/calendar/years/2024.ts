import type { CalendarYearData } from '../types.js';

/** Days off in 2024 for the civil service (cán bộ, công chức, viên chức), as announced. */
export const YEAR_2024: CalendarYearData = {
  year: 2024,
  version: 1,
  source:
    'Bộ LĐ-TB&XH notices on the 2024 holidays and the Prime Minister\'s approval of the 30/4–1/5 swap: ' +
    'Tết Dương lịch Monday 1/1; Tết Giáp Thìn Thursday 8/2 (29 tháng Chạp) – Wednesday 14/2 (mùng 5), 7 days = 5 Tết days + 2 weekend days; ' +
    'Giỗ Tổ Thursday 18/4; 30/4–1/5: Monday 29/4 swapped for Saturday 4/5, break 27/4–1/5; Quốc khánh 2/9 (Monday) + 3/9, break 31/8–3/9.',
  holidays: [
    { date: '2024-01-01', name_vi: 'Tết Dương lịch', name_en: "New Year's Day", kind: 'statutory' },
    { date: '2024-02-08', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2024-02-09', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2024-02-10', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2024-02-11', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2024-02-12', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2024-02-13', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2024-02-14', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2024-04-18', name_vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', name_en: "Hùng Kings' Commemoration Day", kind: 'statutory' },
    { date: '2024-04-27', name_vi: 'Nghỉ lễ 30/4–1/5 – ngày nghỉ hằng tuần', name_en: '30 April–1 May break – weekend', kind: 'weekend' },
    { date: '2024-04-28', name_vi: 'Nghỉ lễ 30/4–1/5 – ngày nghỉ hằng tuần', name_en: '30 April–1 May break – weekend', kind: 'weekend' },
    { date: '2024-04-29', name_vi: 'Nghỉ hoán đổi (làm bù thứ Bảy 4/5/2024)', name_en: 'Swapped day off (worked on Saturday 4 May 2024)', kind: 'swapped' },
    { date: '2024-04-30', name_vi: 'Ngày Chiến thắng (30/4)', name_en: 'Reunification Day (30 April)', kind: 'statutory' },
    { date: '2024-05-01', name_vi: 'Ngày Quốc tế lao động (1/5)', name_en: 'International Labour Day (1 May)', kind: 'statutory' },
    { date: '2024-08-31', name_vi: 'Quốc khánh – ngày nghỉ hằng tuần', name_en: 'National Day break – weekend', kind: 'weekend' },
    { date: '2024-09-01', name_vi: 'Quốc khánh – ngày nghỉ hằng tuần', name_en: 'National Day break – weekend', kind: 'weekend' },
    { date: '2024-09-02', name_vi: 'Quốc khánh (2/9)', name_en: 'National Day (2 September)', kind: 'statutory' },
    { date: '2024-09-03', name_vi: 'Quốc khánh (ngày liền kề)', name_en: 'National Day (adjacent day)', kind: 'statutory' },
  ],
  extraWorkingDays: [{ date: '2024-05-04', reason: 'Làm bù cho ngày nghỉ hoán đổi thứ Hai 29/4/2024 (worked in exchange for Monday 29 April)' }],
};

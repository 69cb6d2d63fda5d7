import type { CalendarYearData } from '../types.js';

/** Days off in 2026 for the civil service (cán bộ, công chức, viên chức), as announced or proposed. */
export const YEAR_2026: CalendarYearData = {
  year: 2026,
  version: 1,
  source:
    'Tết Dương lịch: văn bản 12729/VPCP-KGVX (25/12/2025) approving Bộ Nội vụ\'s plan — 1/1 (Thursday) to 4/1, Friday 2/1 swapped for Saturday 10/1. ' +
    'Tết Bính Ngọ: approved plan Saturday 14/2 (27 tháng Chạp) – Sunday 22/2 (mùng 6), 9 days = 5 Tết days + 4 weekend days, no swap. ' +
    'Giỗ Tổ falls on Sunday 26/4: nghỉ bù Monday 27/4 (art. 111(3)); 30/4 Thursday and 1/5 Friday. ' +
    'Quốc khánh: Bộ Nội vụ proposal (10/2025) — 1/9 + 2/9 (Wednesday), Monday 31/8 swapped for Saturday 22/8, break 29/8–2/9; ' +
    'the final approval was not verified, so those three entries are confirmed: false. ' +
    'Not included: Ngày Văn hóa Việt Nam 24/11 (Politburo Resolution 80-NQ/TW, 1/2026, intends it as a paid day off, which needs an amendment ' +
    'of Labour Code art. 112(1)); add it with a new version of this data set once it is in force.',
  holidays: [
    { date: '2026-01-01', name_vi: 'Tết Dương lịch', name_en: "New Year's Day", kind: 'statutory' },
    { date: '2026-01-02', name_vi: 'Nghỉ hoán đổi (làm bù thứ Bảy 10/1/2026)', name_en: 'Swapped day off (worked on Saturday 10 January 2026)', kind: 'swapped' },
    { date: '2026-01-03', name_vi: 'Tết Dương lịch – ngày nghỉ hằng tuần', name_en: "New Year break – weekend", kind: 'weekend' },
    { date: '2026-01-04', name_vi: 'Tết Dương lịch – ngày nghỉ hằng tuần', name_en: "New Year break – weekend", kind: 'weekend' },
    { date: '2026-02-14', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2026-02-15', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2026-02-16', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2026-02-17', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2026-02-18', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2026-02-19', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2026-02-20', name_vi: 'Tết Âm lịch (Tết Nguyên đán)', name_en: 'Lunar New Year (Tết)', kind: 'statutory' },
    { date: '2026-02-21', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2026-02-22', name_vi: 'Tết Âm lịch (Tết Nguyên đán) – ngày nghỉ hằng tuần', name_en: 'Lunar New Year (Tết) – weekend', kind: 'weekend' },
    { date: '2026-04-26', name_vi: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)', name_en: "Hùng Kings' Commemoration Day", kind: 'statutory' },
    { date: '2026-04-27', name_vi: 'Nghỉ bù Giỗ Tổ Hùng Vương (trùng Chủ nhật 26/4)', name_en: "Substitute day off for Hùng Kings' Day (Sunday 26 Apr)", kind: 'substitute' },
    { date: '2026-04-30', name_vi: 'Ngày Chiến thắng (30/4)', name_en: 'Reunification Day (30 April)', kind: 'statutory' },
    { date: '2026-05-01', name_vi: 'Ngày Quốc tế lao động (1/5)', name_en: 'International Labour Day (1 May)', kind: 'statutory' },
    { date: '2026-08-29', name_vi: 'Quốc khánh – ngày nghỉ hằng tuần', name_en: 'National Day break – weekend', kind: 'weekend', confirmed: false },
    { date: '2026-08-30', name_vi: 'Quốc khánh – ngày nghỉ hằng tuần', name_en: 'National Day break – weekend', kind: 'weekend', confirmed: false },
    { date: '2026-08-31', name_vi: 'Nghỉ hoán đổi (làm bù thứ Bảy 22/8/2026)', name_en: 'Swapped day off (worked on Saturday 22 August 2026)', kind: 'swapped', confirmed: false },
    { date: '2026-09-01', name_vi: 'Quốc khánh (ngày liền kề)', name_en: 'National Day (adjacent day)', kind: 'statutory', confirmed: false },
    { date: '2026-09-02', name_vi: 'Quốc khánh (2/9)', name_en: 'National Day (2 September)', kind: 'statutory' },
  ],
  extraWorkingDays: [
    { date: '2026-01-10', reason: 'Làm bù cho ngày nghỉ hoán đổi thứ Sáu 2/1/2026 (worked in exchange for Friday 2 January)' },
    { date: '2026-08-22', reason: 'Làm bù cho ngày nghỉ hoán đổi thứ Hai 31/8/2026 (worked in exchange for Monday 31 August) — proposed', confirmed: false },
  ],
};

/**
 * Re-admission (kết nạp lại, §2.4 of the procedure; T11 of §3.3): who may come back, after how long, and once
 * only. Checked when the case is opened; the province standing board's written approval comes before the
 * competent committee decides (the workflow's `province_readmission_approval` step). Pure.
 */
import { addMonths, type IsoDate } from './dates.js';
import type { Violation } from './decisions.js';

/**
 * How the person left the Party. `resigned_hardship`: resigned for exceptionally difficult family circumstances
 * (the one resignation that may come back); `less_serious_crime`: convicted of a less serious crime (60 months
 * after the record is cleared); `family_planning`: expelled for breaching population policy (separate
 * Secretariat rules, not handled here).
 */
export const LEFT_HOW = [
  'removed',
  'expelled',
  'resigned_hardship',
  'less_serious_crime',
  'abandoned_activity',
  'resigned',
  'serious_disunity',
  'corruption_conviction',
  'serious_crime_conviction',
  'family_planning',
] as const;
export type LeftHow = (typeof LEFT_HOW)[number];

/** How the person left, in Vietnamese and English (messages, forms). */
export const LEFT_HOW_NAMES: Record<LeftHow, { vi: string; en: string }> = {
  removed: { vi: 'bị xóa tên', en: 'removed from the list of members' },
  expelled: { vi: 'bị khai trừ', en: 'expelled' },
  resigned_hardship: { vi: 'xin ra khỏi Đảng vì hoàn cảnh gia đình đặc biệt khó khăn', en: 'resigned for exceptionally difficult family circumstances' },
  less_serious_crime: { vi: 'bị kết án về tội ít nghiêm trọng', en: 'convicted of a less serious crime' },
  abandoned_activity: { vi: 'tự ý bỏ sinh hoạt đảng', en: 'abandoning party activity' },
  resigned: { vi: 'xin ra khỏi Đảng', en: 'resigning' },
  serious_disunity: { vi: 'gây mất đoàn kết nội bộ nghiêm trọng', en: 'causing serious internal disunity' },
  corruption_conviction: { vi: 'bị kết án về tội tham nhũng', en: 'a corruption conviction' },
  serious_crime_conviction: { vi: 'bị kết án về tội nghiêm trọng trở lên', en: 'a conviction for a serious crime or worse' },
  family_planning: { vi: 'bị khai trừ vì vi phạm chính sách dân số, kế hoạch hóa gia đình', en: 'expulsion for breaching population and family-planning policy' },
};

const dmy = (iso: IsoDate) => iso.split('-').reverse().join('/');

/** Never re-admitted (§2.4): left by abandoning activity, by resigning, for serious disunity, after these convictions. */
export const NEVER_READMITTED: readonly LeftHow[] = ['abandoned_activity', 'resigned', 'serious_disunity', 'corruption_conviction', 'serious_crime_conviction'];

/** T11: the wait after leaving, and after a less serious conviction's record is cleared (xóa án tích). */
export const READMISSION_WAIT_MONTHS = 36;
export const READMISSION_WAIT_AFTER_RECORD_CLEARED_MONTHS = 60;

export interface Readmission {
  /** The day the person left the Party (the decision of removal, expulsion or the accepted resignation). */
  leftOn: IsoDate;
  leftHow: LeftHow;
  /** The day the criminal record was cleared: required for `less_serious_crime`. */
  recordClearedOn?: IsoDate;
  /** Re-admitted before: re-admission happens once in a lifetime. */
  previouslyReadmitted: boolean;
  /** The first admission decision's date: party age counts from it, less the time outside the Party (§7.6). */
  firstAdmittedOn?: IsoDate;
}

/** The first day the person may be re-admitted, when they may be at all. */
export function readmissionEligibleOn(r: Readmission): IsoDate | undefined {
  if (r.previouslyReadmitted || NEVER_READMITTED.includes(r.leftHow) || r.leftHow === 'family_planning') return undefined;
  const afterLeaving = addMonths(r.leftOn, READMISSION_WAIT_MONTHS);
  if (r.leftHow !== 'less_serious_crime') return afterLeaving;
  if (!r.recordClearedOn) return undefined;
  const afterRecord = addMonths(r.recordClearedOn, READMISSION_WAIT_AFTER_RECORD_CLEARED_MONTHS);
  return afterRecord > afterLeaving ? afterRecord : afterLeaving;
}

/** Why a re-admission case cannot be opened on `today` (empty: it can). */
export function readmissionViolations(r: Readmission, today: IsoDate): Violation[] {
  const v: Violation[] = [];
  if (r.leftOn > today) v.push({ code: 'date_in_future', field: 'readmission.leftOn', params: { field: 'readmission.leftOn', date: r.leftOn, today } });
  if (r.firstAdmittedOn && r.firstAdmittedOn >= r.leftOn) {
    v.push({ code: 'readmission_dates_out_of_order', field: 'readmission.firstAdmittedOn', params: { firstAdmittedOn: r.firstAdmittedOn, leftOn: r.leftOn } });
  }
  if (r.previouslyReadmitted) v.push({ code: 'readmission_only_once', field: 'readmission.previouslyReadmitted' });
  if (NEVER_READMITTED.includes(r.leftHow)) {
    v.push({ code: 'readmission_never', field: 'readmission.leftHow', params: { leftHow: r.leftHow, leftHowVi: LEFT_HOW_NAMES[r.leftHow].vi, leftHowEn: LEFT_HOW_NAMES[r.leftHow].en } });
  }
  if (r.leftHow === 'family_planning') v.push({ code: 'readmission_separate_rules', field: 'readmission.leftHow' });
  if (r.leftHow === 'less_serious_crime' && !r.recordClearedOn) {
    v.push({ code: 'missing_field', field: 'readmission.recordClearedOn', params: { field: 'readmission.recordClearedOn' } });
  }
  if (r.recordClearedOn && r.recordClearedOn > today) {
    v.push({ code: 'date_in_future', field: 'readmission.recordClearedOn', params: { field: 'readmission.recordClearedOn', date: r.recordClearedOn, today } });
  }
  if (v.length) return v;
  const eligibleOn = readmissionEligibleOn(r)!;
  if (eligibleOn > today) {
    const months = r.leftHow === 'less_serious_crime' && addMonths(r.recordClearedOn!, READMISSION_WAIT_AFTER_RECORD_CLEARED_MONTHS) === eligibleOn ? READMISSION_WAIT_AFTER_RECORD_CLEARED_MONTHS : READMISSION_WAIT_MONTHS;
    v.push({ code: 'readmission_too_early', field: r.leftHow === 'less_serious_crime' ? 'readmission.recordClearedOn' : 'readmission.leftOn', params: { eligibleOn, eligibleOnDmy: dmy(eligibleOn), months } });
  }
  return v;
}

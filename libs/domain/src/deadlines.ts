/**
 * The statutory working-day clocks on steps of the procedure (§3.3 of the procedure document): which step
 * each clock runs on, how long it is under a rule set, and what may extend it. The workflow computes due
 * dates from these; the API describes them for the candidate's timeline. Pure data, safe in workflows.
 */
import type { TaskType } from './procedure.js';
import type { RuleSet } from './rule-sets.js';

export type DeadlineClock = 'T3' | 'T4' | 'T6' | 'T7' | 'T9' | 'T10';

export interface DeadlineClockDefinition {
  /** Vietnamese name. Recorded in every due rule (`dueRule.clock`), so it must never change. */
  name: string;
  en: string;
  days: (r: RuleSet) => number;
  /** The most an authorised extension may add, when the rules allow one. */
  extensionMax?: (r: RuleSet) => number;
  /**
   * Who may extend it: the superior standing board (the competent committee) for its own decision clocks, or
   * the cell's direct superior committee (the grassroots committee; the superior for a grassroots cell) whose
   * agreement a late ceremony needs (§3.3 T4, §6).
   */
  extensionBy?: 'superior_board' | 'direct_superior';
  anchorEvent: string;
  /** The steps the clock runs on (T3 and T7 are shared by the grassroots review and the superior's decision). */
  steps: readonly TaskType[];
}

export const DEADLINE_CLOCKS: Record<DeadlineClock, DeadlineClockDefinition> = {
  T3: {
    name: 'Cấp trên quyết định kết nạp (60 ngày làm việc từ ngày chi bộ ra nghị quyết)',
    en: 'Superior decides the admission (60 working days from the cell resolution)',
    days: (r) => r.deadlines.superiorAdmissionWorkingDays,
    extensionMax: (r) => r.deadlines.superiorAdmissionExtensionMaxWorkingDays,
    extensionBy: 'superior_board',
    anchorEvent: 'cell_admission_resolution',
    steps: ['partial_admission_appraisal', 'grassroots_admission_review', 'superior_admission_decision'],
  },
  T4: {
    name: 'Tổ chức lễ kết nạp (30 ngày làm việc từ ngày nhận quyết định)',
    en: 'Hold the admission ceremony (30 working days from receiving the decision)',
    days: (r) => r.deadlines.ceremonyWorkingDays,
    // "Allowed only after reporting to and obtaining agreement of the direct superior committee" (§3.3, §6): the
    // agreement is recorded as this clock's one extension. The rules set no length; the engine bounds it by
    // the clock's own 30 working days.
    extensionMax: (r) => r.deadlines.ceremonyWorkingDays,
    extensionBy: 'direct_superior',
    anchorEvent: 'admission_decision',
    steps: ['admission_ceremony'],
  },
  T6: {
    name: 'Chi bộ xét công nhận chính thức (30 ngày làm việc từ khi hết 12 tháng dự bị)',
    en: 'Cell considers recognition as an official member (30 working days from the end of the 12 months of probation)',
    days: (r) => r.deadlines.cellRecognitionWorkingDays,
    anchorEvent: 'probation_end',
    // The probation review comes first: a cell that never submits it is on the same clock (issue 16).
    steps: ['probation_review', 'cell_recognition_vote'],
  },
  T7: {
    name: 'Cấp trên quyết định công nhận chính thức (30 ngày làm việc từ ngày chi bộ ra nghị quyết)',
    en: 'Superior decides the recognition (30 working days from the cell resolution)',
    days: (r) => r.deadlines.superiorRecognitionWorkingDays,
    extensionMax: (r) => r.deadlines.superiorRecognitionExtensionMaxWorkingDays,
    extensionBy: 'superior_board',
    anchorEvent: 'cell_recognition_resolution',
    steps: ['partial_recognition_appraisal', 'grassroots_recognition_review', 'superior_recognition_decision'],
  },
  // Transfers of a probationary member (§7.7, QĐ 24 §6.3.1). T9 is checked when the transfer is recorded (no
  // step of its own: the consequence of missing it is not stated; the transfer records that it was late).
  T9: {
    name: 'Làm thủ tục chuyển sinh hoạt đảng chính thức (60 ngày làm việc từ ngày quyết định có hiệu lực)',
    en: 'Initiate the official party transfer (60 working days from the effective date of the change)',
    days: (r) => r.deadlines.transferInitiationWorkingDays,
    anchorEvent: 'transfer_effective',
    steps: [],
  },
  T10: {
    name: 'Xuất trình giấy giới thiệu sinh hoạt đảng (30 ngày làm việc từ ngày giới thiệu)',
    en: 'Present the party transfer letter at the destination (30 working days from the introduction)',
    days: (r) => r.deadlines.transferPresentationWorkingDays,
    anchorEvent: 'transfer_introduction',
    steps: ['receive_transfer'],
  },
};

/** The clock that runs on a step, if any. */
export function clockOfStep(type: TaskType): DeadlineClock | undefined {
  return (Object.keys(DEADLINE_CLOCKS) as DeadlineClock[]).find((c) => DEADLINE_CLOCKS[c].steps.includes(type));
}

/**
 * The statutory working-day clocks on steps of the procedure (§3.3 of the procedure document): which step
 * each clock runs on, how long it is under a rule set, and what may extend it. The workflow computes due
 * dates from these; the API describes them for the candidate's timeline. Pure data, safe in workflows.
 */
import type { TaskType } from './procedure.js';
import type { RuleSet } from './rule-sets.js';

export type DeadlineClock = 'T3' | 'T4' | 'T6' | 'T7';

export interface DeadlineClockDefinition {
  /** Vietnamese name. Recorded in every due rule (`dueRule.clock`), so it must never change. */
  name: string;
  en: string;
  days: (r: RuleSet) => number;
  /** The most an authorised extension may add, when the rules allow one. */
  extensionMax?: (r: RuleSet) => number;
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
    anchorEvent: 'cell_admission_resolution',
    steps: ['grassroots_admission_review', 'superior_admission_decision'],
  },
  T4: {
    name: 'Tổ chức lễ kết nạp (30 ngày làm việc từ ngày nhận quyết định)',
    en: 'Hold the admission ceremony (30 working days from receiving the decision)',
    days: (r) => r.deadlines.ceremonyWorkingDays,
    anchorEvent: 'admission_decision',
    steps: ['admission_ceremony'],
  },
  T6: {
    name: 'Chi bộ xét công nhận chính thức (30 ngày làm việc từ khi hết 12 tháng dự bị)',
    en: 'Cell considers recognition as an official member (30 working days from the end of the 12 months of probation)',
    days: (r) => r.deadlines.cellRecognitionWorkingDays,
    anchorEvent: 'probation_end',
    steps: ['cell_recognition_vote'],
  },
  T7: {
    name: 'Cấp trên quyết định công nhận chính thức (30 ngày làm việc từ ngày chi bộ ra nghị quyết)',
    en: 'Superior decides the recognition (30 working days from the cell resolution)',
    days: (r) => r.deadlines.superiorRecognitionWorkingDays,
    extensionMax: (r) => r.deadlines.superiorRecognitionExtensionMaxWorkingDays,
    anchorEvent: 'cell_recognition_resolution',
    steps: ['grassroots_recognition_review', 'superior_recognition_decision'],
  },
};

/** The clock that runs on a step, if any. */
export function clockOfStep(type: TaskType): DeadlineClock | undefined {
  return (Object.keys(DEADLINE_CLOCKS) as DeadlineClock[]).find((c) => DEADLINE_CLOCKS[c].steps.includes(type));
}

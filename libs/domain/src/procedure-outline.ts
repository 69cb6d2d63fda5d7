import type { IsoDate } from './dates.js';
import { clockOfStep, DEADLINE_CLOCKS } from './deadlines.js';
import { STAGE_NAMES, STAGES, STEPS, TASK_TYPES, type Role, type Stage, type TaskType } from './procedure.js';
import { ruleSetFor } from './rule-sets.js';

export interface StepTimeLimit {
  clock: string;
  workingDays: number;
  extensionMaxWorkingDays?: number;
  /** Who may extend it (with `extensionMaxWorkingDays`). */
  extensionBy?: 'superior_board' | 'direct_superior';
  anchorEvent: string;
  ruleSetId: string;
  citation: string;
  vi: string;
  en: string;
}

export interface OutlineStep {
  type: TaskType;
  stage: Stage;
  role: Role;
  outcomes: string[];
  form: string | null;
  vi: string;
  en: string;
  timeLimit: StepTimeLimit | null;
  /** Where the step applies only to some structures, or is taken by another body (§3.2 S7–S9). */
  applies?: { vi: string; en: string };
}

const PARTIAL_ONLY = { vi: 'Chỉ nơi có đảng ủy bộ phận', en: 'Only where a partial committee exists' };
const NOT_AUTHORISED = {
  vi: 'Không có ở chi bộ cơ sở và ở đảng ủy cơ sở được ủy quyền kết nạp đảng viên',
  en: 'Not for a grassroots-level cell, nor where the grassroots committee is authorised to admit',
};
const OR_AUTHORISED = {
  vi: 'Đảng ủy cơ sở được ủy quyền kết nạp đảng viên tự quyết định (ít nhất hai phần ba tổng số cấp ủy viên)',
  en: 'A grassroots committee authorised to admit decides itself (at least two thirds of all its members)',
};
const APPLIES: Partial<Record<TaskType, { vi: string; en: string }>> = {
  partial_admission_appraisal: PARTIAL_ONLY,
  partial_recognition_appraisal: PARTIAL_ONLY,
  grassroots_admission_review: NOT_AUTHORISED,
  grassroots_recognition_review: NOT_AUTHORISED,
  superior_admission_decision: OR_AUTHORISED,
  superior_recognition_decision: OR_AUTHORISED,
};

/**
 * The procedure as a timeline: the steps in order (side tasks such as escalations left out), each with its
 * statutory time limit under the rule set in force on `date`, and every stage with its official name.
 */
export function procedureOutline(date: IsoDate): { ruleSetId: string; steps: OutlineStep[]; stages: { stage: Stage; vi: string; en: string }[] } {
  const rules = ruleSetFor(date);
  const steps = TASK_TYPES.filter((t) => STEPS[t].stage).map((type): OutlineStep => {
    const s = STEPS[type];
    const clock = clockOfStep(type);
    let timeLimit: StepTimeLimit | null = null;
    if (clock) {
      const c = DEADLINE_CLOCKS[clock];
      const ext = c.extensionMax?.(rules);
      const consent = c.extensionBy === 'direct_superior';
      const extVi = !ext ? '' : consent ? `; quá hạn chỉ được tổ chức khi cấp ủy cấp trên trực tiếp đồng ý (gia hạn một lần, tối đa ${ext} ngày làm việc)` : `; trường hợp đặc biệt được gia hạn tối đa ${ext} ngày làm việc`;
      const extEn = !ext ? '' : consent ? `; later only with the agreement of the direct superior committee (one extension of at most ${ext} working days)` : `; may be extended by at most ${ext} working days in special cases`;
      timeLimit = {
        clock,
        workingDays: c.days(rules),
        ...(ext ? { extensionMaxWorkingDays: ext, extensionBy: c.extensionBy } : {}),
        anchorEvent: c.anchorEvent,
        ruleSetId: rules.id,
        citation: rules.citation,
        vi: `${c.name}${extVi}`,
        en: `${c.en}${extEn}`,
      };
    }
    return { type, stage: s.stage!, role: s.role, outcomes: [...s.outcomes], form: s.form ?? null, vi: s.vi, en: s.en, timeLimit, ...(APPLIES[type] ? { applies: APPLIES[type] } : {}) };
  });
  return { ruleSetId: rules.id, steps, stages: STAGES.map((stage) => ({ stage, ...STAGE_NAMES[stage] })) };
}

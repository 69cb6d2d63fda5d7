/** The vocabulary of the admission procedure: org units, roles, steps (task types), stages and end states. */

export const ORG_UNIT_KINDS = [
  'province',
  'superior',
  'grassroots_committee',
  'grassroots_cell',
  /** Đảng ủy bộ phận: an optional level between a grassroots committee and its cells (§1.2); appraises only. */
  'partial_committee',
  'cell',
  'training_centre',
] as const;
export type OrgUnitKind = (typeof ORG_UNIT_KINDS)[number];

/** Which kinds of unit may sit directly above each kind. */
export const ALLOWED_PARENT_KINDS: Record<OrgUnitKind, readonly (OrgUnitKind | null)[]> = {
  province: [null],
  superior: ['province', null],
  grassroots_committee: ['superior'],
  grassroots_cell: ['superior'],
  partial_committee: ['grassroots_committee'],
  cell: ['grassroots_committee', 'partial_committee'],
  training_centre: ['superior', 'province'],
};

export const ROLES = [
  'cell_secretary',
  'grassroots_committee',
  'superior_board',
  'partial_committee',
  'training_centre',
  'auditor',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const TASK_TYPES = [
  'recognize_sympathiser',
  'record_training_certificate',
  'submit_application',
  'verify_background',
  'record_introductions',
  'cell_admission_vote',
  'partial_admission_appraisal',
  'grassroots_admission_review',
  'superior_admission_decision',
  'admission_ceremony',
  'record_new_member_training',
  'probation_review',
  'cell_recognition_vote',
  'partial_recognition_appraisal',
  'grassroots_recognition_review',
  'superior_recognition_decision',
  'overdue_escalation',
  'province_political_exception',
  'province_readmission_approval',
  'receive_transfer',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const STAGES = [
  'source_review',
  'awareness_training',
  'application',
  'verification',
  'introductions',
  'cell_admission_vote',
  'partial_admission_appraisal',
  'grassroots_admission_review',
  'superior_admission_decision',
  'ceremony',
  'probation',
  'probation_review',
  'cell_recognition_vote',
  'partial_recognition_appraisal',
  'grassroots_recognition_review',
  'superior_recognition_decision',
  'official',
  'removed',
  'rejected',
  'withdrawn',
] as const;
export type Stage = (typeof STAGES)[number];

/** Official names of the stages (Vietnamese first), for timelines and documents. */
export const STAGE_NAMES: Record<Stage, { vi: string; en: string }> = {
  source_review: { vi: 'Quần chúng ưu tú', en: 'Outstanding mass member (source)' },
  awareness_training: { vi: 'Cảm tình Đảng, học lớp bồi dưỡng nhận thức về Đảng', en: 'Party sympathiser: party-awareness class' },
  application: { vi: 'Làm đơn xin vào Đảng và lý lịch', en: 'Application and CV' },
  verification: { vi: 'Thẩm tra lý lịch', en: 'Background verification' },
  introductions: { vi: 'Giới thiệu người vào Đảng, tổng hợp ý kiến nhận xét', en: 'Introductions and opinions' },
  cell_admission_vote: { vi: 'Chi bộ xét, đề nghị kết nạp', en: 'Cell considers the admission' },
  partial_admission_appraisal: { vi: 'Đảng ủy bộ phận thẩm định', en: 'Partial committee appraises the admission' },
  grassroots_admission_review: { vi: 'Đảng ủy cơ sở xét, đề nghị kết nạp', en: 'Grassroots committee reviews the admission' },
  superior_admission_decision: { vi: 'Cấp ủy cấp trên quyết định kết nạp', en: 'Superior committee decides the admission' },
  ceremony: { vi: 'Lễ kết nạp đảng viên', en: 'Admission ceremony' },
  probation: { vi: 'Đảng viên dự bị', en: 'Probationary member' },
  probation_review: { vi: 'Kiểm điểm cuối thời gian dự bị', en: 'End-of-probation review' },
  cell_recognition_vote: { vi: 'Chi bộ xét, đề nghị công nhận đảng viên chính thức', en: 'Cell considers recognition as an official member' },
  partial_recognition_appraisal: { vi: 'Đảng ủy bộ phận thẩm định đề nghị công nhận đảng viên chính thức', en: 'Partial committee appraises the recognition' },
  grassroots_recognition_review: { vi: 'Đảng ủy cơ sở xét, đề nghị công nhận đảng viên chính thức', en: 'Grassroots committee reviews the recognition' },
  superior_recognition_decision: { vi: 'Cấp ủy có thẩm quyền quyết định công nhận đảng viên chính thức', en: 'Competent committee decides the recognition' },
  official: { vi: 'Đảng viên chính thức', en: 'Official member' },
  removed: { vi: 'Xóa tên khỏi danh sách đảng viên dự bị', en: 'Removed from the list of probationary members' },
  rejected: { vi: 'Không được kết nạp', en: 'Not admitted' },
  withdrawn: { vi: 'Rút hồ sơ', en: 'Withdrawn' },
};

export const END_STAGES = ['official', 'removed', 'rejected', 'withdrawn'] as const;
export type EndStage = (typeof END_STAGES)[number];
export type CandidateStatus = 'active' | EndStage;

export function isEndStage(s: Stage): s is EndStage {
  return (END_STAGES as readonly string[]).includes(s);
}

/** Which unit of the candidate's routing a step belongs to. */
export type UnitSlot = 'cell' | 'partial' | 'grassroots' | 'superior' | 'training_centre';

export interface StepDefinition {
  type: TaskType;
  /** The stage the case enters when the step opens; none for side tasks that leave the stage alone. */
  stage?: Stage;
  slot: UnitSlot;
  /** Role that acts on it; `grassroots` steps on a grassroots cell are acted on by its secretary. */
  role: Role;
  outcomes: readonly string[];
  form?: string;
  vi: string;
  en: string;
}

export const STEPS: Record<TaskType, StepDefinition> = {
  recognize_sympathiser: {
    type: 'recognize_sympathiser', stage: 'source_review', slot: 'cell', role: 'cell_secretary',
    outcomes: ['approve', 'reject'],
    vi: 'Chi bộ xem xét công nhận quần chúng ưu tú là cảm tình Đảng, phân công đảng viên giúp đỡ',
    en: 'Cell lists the candidate as a party sympathiser and assigns a mentor',
  },
  record_training_certificate: {
    type: 'record_training_certificate', stage: 'awareness_training', slot: 'training_centre', role: 'training_centre',
    outcomes: ['pass', 'fail'], form: 'CN-NTVĐ',
    vi: 'Ghi nhận giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng',
    en: 'Record the party-awareness class certificate',
  },
  submit_application: {
    type: 'submit_application', stage: 'application', slot: 'cell', role: 'cell_secretary',
    outcomes: ['submit'], form: '1-KNĐ, 2-KNĐ',
    vi: 'Tiếp nhận đơn xin vào Đảng và lý lịch của người xin vào Đảng',
    en: 'Receive the application and the CV',
  },
  verify_background: {
    type: 'verify_background', stage: 'verification', slot: 'grassroots', role: 'grassroots_committee',
    outcomes: ['conclude'], form: '20-KNĐ',
    vi: 'Thẩm tra lý lịch và kết luận tiêu chuẩn chính trị',
    en: 'Verify the background and conclude on political standards',
  },
  record_introductions: {
    type: 'record_introductions', stage: 'introductions', slot: 'cell', role: 'cell_secretary',
    outcomes: ['submit'], form: '3-KNĐ, 4-KNĐ, 5-KNĐ',
    vi: 'Giới thiệu người vào Đảng và tổng hợp ý kiến nhận xét',
    en: 'Record introducers and the summary of opinions',
  },
  cell_admission_vote: {
    type: 'cell_admission_vote', stage: 'cell_admission_vote', slot: 'cell', role: 'cell_secretary',
    outcomes: ['approve', 'reject'], form: '6-KNĐ',
    vi: 'Chi bộ xét, đề nghị kết nạp',
    en: 'Cell votes on the admission',
  },
  // Only where the cell sits under a partial committee (§3.2 S7): an appraisal reported to the grassroots
  // committee, not a decision; no clock of its own (the chain's T3 runs on).
  partial_admission_appraisal: {
    type: 'partial_admission_appraisal', stage: 'partial_admission_appraisal', slot: 'partial', role: 'partial_committee',
    outcomes: ['submit'], form: '7-KNĐ',
    vi: 'Đảng ủy bộ phận thẩm định, báo cáo đảng ủy cơ sở',
    en: 'Partial committee appraises the cell resolution and reports to the grassroots committee',
  },
  grassroots_admission_review: {
    type: 'grassroots_admission_review', stage: 'grassroots_admission_review', slot: 'grassroots', role: 'grassroots_committee',
    outcomes: ['approve', 'reject'], form: '8-KNĐ',
    vi: 'Đảng ủy cơ sở xét, đề nghị kết nạp',
    en: 'Grassroots committee reviews the admission',
  },
  superior_admission_decision: {
    type: 'superior_admission_decision', stage: 'superior_admission_decision', slot: 'superior', role: 'superior_board',
    outcomes: ['approve', 'reject'], form: '9-KNĐ',
    vi: 'Ban thường vụ cấp ủy cấp trên quyết định kết nạp',
    en: 'Superior standing board decides the admission',
  },
  admission_ceremony: {
    type: 'admission_ceremony', stage: 'ceremony', slot: 'cell', role: 'cell_secretary',
    outcomes: ['held'],
    vi: 'Tổ chức lễ kết nạp đảng viên',
    en: 'Hold the admission ceremony',
  },
  record_new_member_training: {
    type: 'record_new_member_training', stage: 'probation', slot: 'training_centre', role: 'training_centre',
    outcomes: ['pass', 'fail'],
    vi: 'Ghi nhận giấy chứng nhận lớp bồi dưỡng lý luận chính trị dành cho đảng viên mới',
    en: 'Record the new-member class certificate',
  },
  probation_review: {
    type: 'probation_review', stage: 'probation_review', slot: 'cell', role: 'cell_secretary',
    outcomes: ['submit'], form: '10-KNĐ, 11-KNĐ, 12-KNĐ',
    vi: 'Đảng viên dự bị tự kiểm điểm, đảng viên giúp đỡ nhận xét, tổng hợp ý kiến',
    en: 'Probation review: self-review, mentor review and opinions',
  },
  cell_recognition_vote: {
    type: 'cell_recognition_vote', stage: 'cell_recognition_vote', slot: 'cell', role: 'cell_secretary',
    outcomes: ['recognize', 'remove', 'inconclusive'], form: '13-KNĐ',
    vi: 'Chi bộ xét, đề nghị công nhận đảng viên chính thức',
    en: 'Cell votes on recognition as an official member',
  },
  partial_recognition_appraisal: {
    type: 'partial_recognition_appraisal', stage: 'partial_recognition_appraisal', slot: 'partial', role: 'partial_committee',
    outcomes: ['submit'], form: '14-KNĐ',
    vi: 'Đảng ủy bộ phận thẩm định đề nghị công nhận đảng viên chính thức',
    en: 'Partial committee appraises the recognition and reports to the grassroots committee',
  },
  grassroots_recognition_review: {
    type: 'grassroots_recognition_review', stage: 'grassroots_recognition_review', slot: 'grassroots', role: 'grassroots_committee',
    outcomes: ['recognize', 'remove', 'inconclusive'], form: '15-KNĐ',
    vi: 'Đảng ủy cơ sở xét, đề nghị công nhận đảng viên chính thức',
    en: 'Grassroots committee reviews the recognition',
  },
  superior_recognition_decision: {
    type: 'superior_recognition_decision', stage: 'superior_recognition_decision', slot: 'superior', role: 'superior_board',
    outcomes: ['recognize', 'remove', 'inconclusive'], form: '16-KNĐ',
    vi: 'Cấp ủy có thẩm quyền quyết định công nhận đảng viên chính thức',
    en: 'Competent committee decides on recognition',
  },
  // A side step, without a stage of its own: the case stays in verification while the province decides (§5.5).
  province_political_exception: {
    type: 'province_political_exception', slot: 'superior', role: 'superior_board',
    outcomes: ['approve', 'reject'],
    vi: 'Ban thường vụ tỉnh ủy, thành ủy xem xét, đồng ý bằng văn bản kết nạp người có người thân vướng tiêu chuẩn chính trị',
    en: 'Province standing board decides in writing on admitting a candidate whose relatives fail the political standards',
  },
  // A side step of a re-admission (§2.4): the province standing board approves in writing before the competent
  // committee decides; the case stays where it is meanwhile.
  province_readmission_approval: {
    type: 'province_readmission_approval', slot: 'superior', role: 'superior_board',
    outcomes: ['approve', 'reject'],
    vi: 'Ban Thường vụ tỉnh ủy, thành ủy đồng ý bằng văn bản việc kết nạp lại',
    en: 'Province standing board approves the re-admission in writing',
  },
  // A side step of a probationary member's transfer (§7.7): the destination cell records the day the transfer
  // letter was presented (T10); late, with the reasons the member reported.
  receive_transfer: {
    type: 'receive_transfer', slot: 'cell', role: 'cell_secretary',
    outcomes: ['received'],
    vi: 'Tiếp nhận sinh hoạt đảng: đảng viên dự bị xuất trình giấy giới thiệu sinh hoạt đảng',
    en: 'Receive the transfer: the probationary member presents the transfer letter',
  },
  overdue_escalation: {
    type: 'overdue_escalation', slot: 'superior', role: 'superior_board',
    outcomes: ['acknowledge'],
    vi: 'Theo dõi, đôn đốc việc quá hạn của cấp dưới',
    en: 'Follow up an overdue step at the level below',
  },
};

/** The candidate's units, resolved from the org tree when the candidate is created. */
export interface Routing {
  cellId: string;
  /** The province-level unit above the superior, when there is one (target of the last escalation level). */
  provinceId?: string;
  /** The grassroots organisation: a grassroots committee, or the cell itself when it is a grassroots cell. */
  grassrootsId: string;
  grassrootsIsCell: boolean;
  /** The partial committee (đảng ủy bộ phận) between the cell and the grassroots committee, where there is one. */
  partialCommitteeId?: string;
  /**
   * The grassroots committee is authorised to admit (đảng ủy cơ sở được ủy quyền kết nạp): it decides admission
   * and recognition itself, at two thirds of all its members (§3.2 S8–S9, §7.5).
   */
  grassrootsAuthorised?: boolean;
  superiorId: string;
  trainingCentreId: string;
}

export function unitFor(routing: Routing, slot: UnitSlot): string {
  switch (slot) {
    case 'cell':
      return routing.cellId;
    case 'partial':
      return routing.partialCommitteeId ?? routing.grassrootsId;
    case 'grassroots':
      return routing.grassrootsId;
    case 'superior':
      return routing.superiorId;
    case 'training_centre':
      return routing.trainingCentreId;
  }
}

/** The role that acts on a step for this candidate (a grassroots cell acts on its own grassroots steps). */
export function roleFor(type: TaskType, routing: Routing): Role {
  const step = STEPS[type];
  if (step.slot === 'grassroots' && routing.grassrootsIsCell) return 'cell_secretary';
  return step.role;
}

export const EDUCATION_LEVELS = [
  'none',
  'primary',
  'lower_secondary_equivalent',
  'lower_secondary',
  'upper_secondary',
  'vocational',
  'college',
  'university',
  'postgraduate',
] as const;
export type Education = (typeof EDUCATION_LEVELS)[number];

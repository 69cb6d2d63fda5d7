/**
 * The dossier (hồ sơ) as the form catalogue of the BTCTW operational guidance (admission-procedure.md §3.1):
 * for each form, whether the case has it (`present`), lacks it (`missing`) or does not need it
 * (`not_applicable`), from the recorded history and the scans attached to the case. Pure: no I/O.
 */
import type { HistoryEventLike } from './history-fold.js';
import type { TaskType } from './procedure.js';

export const FORM_CODES = [
  'CN-NTVĐ',
  '1-KNĐ',
  '2-KNĐ',
  '3-KNĐ',
  '4-KNĐ',
  '4A-KNĐ',
  '5-KNĐ',
  '6-KNĐ',
  '7-KNĐ',
  '8-KNĐ',
  '9-KNĐ',
  '10-KNĐ',
  '11-KNĐ',
  '12-KNĐ',
  '13-KNĐ',
  '14-KNĐ',
  '15-KNĐ',
  '16-KNĐ',
  '20-KNĐ',
] as const;
export type FormCode = (typeof FORM_CODES)[number];

/** The forms the party organisation itself issues: printed by the system from the recorded decisions. */
export const GENERATED_FORMS = ['5-KNĐ', '6-KNĐ', '7-KNĐ', '8-KNĐ', '9-KNĐ', '12-KNĐ', '13-KNĐ', '14-KNĐ', '15-KNĐ', '16-KNĐ', '20-KNĐ'] as const;
export type GeneratedFormCode = (typeof GENERATED_FORMS)[number];

export interface FormDefinition {
  code: FormCode;
  vi: string;
  en: string;
  producedBy: { vi: string; en: string };
  /** `admission` forms belong to every case; `recognition` forms only once probation has started. */
  phase: 'admission' | 'recognition';
  /** The step whose decision records (or, for scans, goes with) the form. */
  step: TaskType;
}

const by = (vi: string, en: string) => ({ vi, en });
const CELL = by('Chi bộ', 'Cell');
const CELL_COMMITTEE = by('Chi ủy', 'Cell committee');
const GRASSROOTS = by('Đảng ủy cơ sở', 'Grassroots committee');
const PARTIAL = by('Đảng ủy bộ phận', 'Partial committee');
const SUPERIOR = by('Cấp ủy có thẩm quyền', 'Competent committee');

/** §3.1, in catalogue order (titles as in the table; 13 = cell, 15 = grassroots recognition resolution). */
export const FORMS: Record<FormCode, FormDefinition> = {
  'CN-NTVĐ': { code: 'CN-NTVĐ', vi: 'Giấy chứng nhận học lớp bồi dưỡng nhận thức về Đảng', en: 'Party-awareness class certificate', producedBy: by('Trung tâm chính trị', 'Political training centre'), phase: 'admission', step: 'record_training_certificate' },
  '1-KNĐ': { code: '1-KNĐ', vi: 'Đơn xin vào Đảng', en: 'Application', producedBy: by('Người vào Đảng', 'Candidate'), phase: 'admission', step: 'submit_application' },
  '2-KNĐ': { code: '2-KNĐ', vi: 'Lý lịch của người xin vào Đảng', en: "Candidate's CV", producedBy: by('Người vào Đảng', 'Candidate'), phase: 'admission', step: 'submit_application' },
  '3-KNĐ': { code: '3-KNĐ', vi: 'Giấy giới thiệu người vào Đảng', en: "Introducer's letter", producedBy: by('Đảng viên giới thiệu', 'Introducer'), phase: 'admission', step: 'record_introductions' },
  '4-KNĐ': { code: '4-KNĐ', vi: 'Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng', en: 'Youth Union introduction resolution', producedBy: by('Ban chấp hành Đoàn cơ sở', 'Grassroots Youth Union committee'), phase: 'admission', step: 'record_introductions' },
  '4A-KNĐ': { code: '4A-KNĐ', vi: 'Nghị quyết giới thiệu đoàn viên công đoàn ưu tú vào Đảng', en: 'Trade-union introduction resolution', producedBy: by('Ban chấp hành công đoàn cơ sở', 'Grassroots union committee'), phase: 'admission', step: 'record_introductions' },
  '5-KNĐ': { code: '5-KNĐ', vi: 'Tổng hợp ý kiến nhận xét của tổ chức đoàn thể chính trị - xã hội nơi người vào Đảng sinh hoạt và chi ủy nơi cư trú', en: 'Summary of mass-organisation and residence opinions', producedBy: CELL_COMMITTEE, phase: 'admission', step: 'record_introductions' },
  '6-KNĐ': { code: '6-KNĐ', vi: 'Nghị quyết đề nghị kết nạp đảng viên (của chi bộ)', en: 'Cell admission resolution', producedBy: CELL, phase: 'admission', step: 'cell_admission_vote' },
  '7-KNĐ': { code: '7-KNĐ', vi: 'Báo cáo thẩm định của đảng ủy bộ phận', en: 'Partial committee appraisal report', producedBy: PARTIAL, phase: 'admission', step: 'partial_admission_appraisal' },
  '8-KNĐ': { code: '8-KNĐ', vi: 'Nghị quyết đề nghị kết nạp đảng viên (của đảng ủy cơ sở)', en: 'Grassroots committee admission resolution', producedBy: GRASSROOTS, phase: 'admission', step: 'grassroots_admission_review' },
  '9-KNĐ': { code: '9-KNĐ', vi: 'Quyết định kết nạp đảng viên', en: 'Admission decision', producedBy: SUPERIOR, phase: 'admission', step: 'superior_admission_decision' },
  '10-KNĐ': { code: '10-KNĐ', vi: 'Bản tự kiểm điểm của đảng viên dự bị', en: "Probationary member's self-review", producedBy: by('Đảng viên dự bị', 'Probationary member'), phase: 'recognition', step: 'probation_review' },
  '11-KNĐ': { code: '11-KNĐ', vi: 'Bản nhận xét đảng viên dự bị của đảng viên chính thức được phân công giúp đỡ', en: "Mentor's review", producedBy: by('Đảng viên giúp đỡ', 'Mentor'), phase: 'recognition', step: 'probation_review' },
  '12-KNĐ': { code: '12-KNĐ', vi: 'Tổng hợp ý kiến nhận xét của tổ chức đoàn thể chính trị - xã hội và chi ủy nơi cư trú đối với đảng viên dự bị', en: 'Summary of opinions on the probationary member', producedBy: CELL_COMMITTEE, phase: 'recognition', step: 'probation_review' },
  '13-KNĐ': { code: '13-KNĐ', vi: 'Nghị quyết đề nghị công nhận đảng viên chính thức (của chi bộ)', en: 'Cell recognition resolution', producedBy: CELL, phase: 'recognition', step: 'cell_recognition_vote' },
  '14-KNĐ': { code: '14-KNĐ', vi: 'Báo cáo thẩm định của đảng ủy bộ phận (công nhận chính thức)', en: 'Partial committee report on recognition', producedBy: PARTIAL, phase: 'recognition', step: 'partial_recognition_appraisal' },
  '15-KNĐ': { code: '15-KNĐ', vi: 'Nghị quyết đề nghị công nhận đảng viên chính thức (của đảng ủy cơ sở)', en: 'Grassroots recognition resolution', producedBy: GRASSROOTS, phase: 'recognition', step: 'grassroots_recognition_review' },
  '16-KNĐ': { code: '16-KNĐ', vi: 'Quyết định công nhận đảng viên chính thức', en: 'Recognition decision', producedBy: SUPERIOR, phase: 'recognition', step: 'superior_recognition_decision' },
  '20-KNĐ': { code: '20-KNĐ', vi: 'Công văn đề nghị thẩm tra lý lịch', en: 'Request for background verification', producedBy: GRASSROOTS, phase: 'admission', step: 'verify_background' },
};

/**
 * The catalogue code a label names, however it was typed: "Mẫu 6-KNĐ", "6-knd", "6 KNĐ", "cn-ntvd"; `undefined`
 * when it names none (free labels such as "application" stay labels).
 */
export function formCodeOf(label: string | null | undefined): FormCode | undefined {
  if (!label) return undefined;
  const s = label
    .normalize('NFC')
    .trim()
    .replace(/^m[ẫa]u\s*/i, '')
    .toUpperCase()
    .replace(/Đ/g, 'D')
    .replace(/[\s_–—]+/g, '-')
    .replace(/-+/g, '-');
  const m = /^(\d{1,2}A?)-?KND$/.exec(s);
  if (m) {
    const code = `${m[1]}-KNĐ`;
    return (FORM_CODES as readonly string[]).includes(code) ? (code as FormCode) : undefined;
  }
  return s === 'CN-NTVD' || s === 'CNNTVD' ? 'CN-NTVĐ' : undefined;
}

export type FormStatus = 'present' | 'missing' | 'not_applicable';

export interface FormScan {
  id: string;
  filename: string;
  formCode: string | null;
  createdAt?: string;
}

export interface DossierFormsInput {
  events: readonly HistoryEventLike[];
  /** Scans attached to the case (those without a catalogue code are ignored). */
  attachments: readonly FormScan[];
  /** Whether the candidate is a Youth Union member (the 4-KNĐ route, before the introductions are recorded). */
  youthUnionMember: boolean;
  /** A partial committee (đảng ủy bộ phận) sits between the cell and the grassroots committee (7/14-KNĐ). */
  partialCommittee?: boolean;
}

export type NotApplicableReason =
  | 'no_partial_committee'
  | 'authorised_grassroots'
  | 'not_youth_union_route'
  | 'trade_union_route_not_recorded'
  | 'grassroots_cell'
  | 'not_in_probation'
  | 'path_ended_before'
  | 'removed'
  /** Three inconclusive cell votes: the competent committee decides without the resolutions (T8). */
  | 'recognition_escalated';

export interface DossierForm {
  code: FormCode;
  title: { vi: string; en: string };
  producedBy: { vi: string; en: string };
  phase: 'admission' | 'recognition';
  status: FormStatus;
  reason?: NotApplicableReason;
  /** The step has been decided or is open: the form is (or was) due now. */
  due: boolean;
  /** Scans attached under this code, oldest first. */
  scans: { id: string; filename: string }[];
  /** The decision that records the form's content (its step, business date and a reference such as a number). */
  recorded?: { taskType: TaskType; outcome: string; date: string | null; ref?: string };
  /** A printable document generated from the recorded decisions (organisation-produced forms). */
  generated: boolean;
}

export interface DecisionRecord {
  /** Sequence number of the decision_recorded event (0 when built by hand). */
  seq?: number;
  taskType: TaskType;
  outcome: string;
  date: string | null;
  data: Record<string, any>;
  actor?: Record<string, any> | null;
  ruleSetId?: string | null;
}

/** The last accepted decision of each step, as recorded in the history (later attempts replace earlier ones). */
export function lastDecisions(events: readonly HistoryEventLike[]): Map<TaskType, DecisionRecord> {
  const out = new Map<TaskType, DecisionRecord>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    if (e.type !== 'decision_recorded') continue;
    const d = e.data ?? {};
    out.set(d.taskType, {
      seq: e.seq,
      taskType: d.taskType,
      outcome: d.outcome,
      date: e.businessDate ?? null,
      data: (d.decision ?? {}) as Record<string, any>,
      actor: (e as { actor?: Record<string, any> | null }).actor ?? null,
      ruleSetId: (e as { ruleSetId?: string | null }).ruleSetId ?? null,
    });
  }
  return out;
}

/** Outcomes of each form's step after which the organisation's document exists (a refusal issues none). */
const PASSING: Partial<Record<FormCode, readonly string[]>> = {
  '6-KNĐ': ['approve'],
  '8-KNĐ': ['approve'],
  '9-KNĐ': ['approve'],
  '13-KNĐ': ['recognize', 'remove'],
  '15-KNĐ': ['recognize', 'remove'],
  '16-KNĐ': ['recognize'],
};

/**
 * Whether the decisions a generated form is printed from are recorded: the form's own step (with an outcome
 * that issues it), or for 20-KNĐ the application and CV (the request goes out with the CV, §5.3).
 */
export function generatedFormSource(code: FormCode, decisions: Map<TaskType, DecisionRecord>): DecisionRecord | undefined {
  if (!(GENERATED_FORMS as readonly string[]).includes(code)) return undefined;
  if (code === '20-KNĐ') return decisions.get('submit_application');
  const d = decisions.get(FORMS[code].step);
  if (!d) return undefined;
  const pass = PASSING[code];
  return !pass || pass.includes(d.outcome) ? d : undefined;
}

function refOf(code: FormCode, d: DecisionRecord): string | undefined {
  const x = d.data;
  switch (code) {
    case 'CN-NTVĐ':
      return x.certificateNo;
    case '4-KNĐ':
      return x.youthUnionResolution?.number;
    case '4A-KNĐ':
      return x.tradeUnionResolution?.number;
    case '6-KNĐ':
    case '13-KNĐ':
      // Over the members the vote counted (§3.2 S6); decisions recorded before the denominator had none.
      return x.inFavour !== undefined ? `${x.inFavour}/${x.denominator ?? x.officialMembers}` : undefined;
    case '8-KNĐ':
    case '15-KNĐ':
      return x.inFavour !== undefined ? `${x.inFavour}/${x.committeeMembers}` : undefined;
    case '9-KNĐ':
    case '16-KNĐ':
      return x.decisionNo;
    default:
      return undefined;
  }
}

/** The dossier of a case as the form catalogue, in catalogue order. */
export function dossierForms(input: DossierFormsInput): DossierForm[] {
  const events = [...input.events].sort((a, b) => a.seq - b.seq);
  const decisions = lastDecisions(events);
  const opened = new Set<string>();
  let grassrootsIsCell = false;
  // The case's units as last recorded (created, transferred, reorganised): a partial committee above the cell,
  // a grassroots committee authorised to admit (it issues no proposal of its own: 8/15-KNĐ).
  let partialCommittee = false;
  let authorised = false;
  const routed = (r: Record<string, any> | undefined) => {
    if (!r) return;
    grassrootsIsCell = Boolean(r.grassrootsIsCell);
    partialCommittee = Boolean(r.partialCommitteeId);
    authorised = Boolean(r.grassrootsAuthorised);
  };
  let probation = false;
  let escalated = false;
  let endState: string | undefined;
  let endStep: string | undefined;
  for (const e of events) {
    const d = e.data ?? {};
    if (e.type === 'candidate_created') routed(d.routing);
    if (e.type === 'candidate_transferred' || e.type === 'org_restructured') routed(d.to);
    if (e.type === 'task_opened') opened.add(d.taskType);
    if (e.type === 'probation_started') probation = true;
    if (e.type === 'recognition_escalated') escalated = true;
    if (e.type === 'path_ended') {
      endState = d.endState;
      endStep = d.step;
    }
  }
  const scansOf = new Map<FormCode, { id: string; filename: string }[]>();
  for (const a of input.attachments) {
    const code = formCodeOf(a.formCode);
    if (!code) continue;
    scansOf.set(code, [...(scansOf.get(code) ?? []), { id: a.id, filename: a.filename }]);
  }
  const intro = decisions.get('record_introductions');
  const youthRoute = intro ? Boolean(intro.data.youthUnionResolution) : input.youthUnionMember;
  // The trade-union route (§2.3, issue 16) is recorded by the introductions' 4A-KNĐ resolution.
  const tradeUnionRoute = Boolean(intro?.data.tradeUnionResolution);

  return FORM_CODES.map((code): DossierForm => {
    const def = FORMS[code];
    const scans = scansOf.get(code) ?? [];
    const recordedBy = code === '20-KNĐ' ? decisions.get('verify_background') ?? decisions.get('submit_application') : decisions.get(def.step);
    const source = generatedFormSource(code, decisions);
    const generated = Boolean(source);
    const due = Boolean(recordedBy) || opened.has(def.step) || (code === '20-KNĐ' && Boolean(source));
    const base: DossierForm = {
      code,
      title: { vi: def.vi, en: def.en },
      producedBy: def.producedBy,
      phase: def.phase,
      status: 'missing',
      due,
      scans,
      generated,
      ...(recordedBy ? { recorded: { taskType: recordedBy.taskType, outcome: recordedBy.outcome, date: recordedBy.date, ...(refOf(code, recordedBy) ? { ref: refOf(code, recordedBy) } : {}) } } : {}),
    };
    // A form that does not apply carries no "recorded" note (the step recorded other forms, not this one).
    const na = (reason: NotApplicableReason): DossierForm => {
      const { recorded: _r, ...rest } = base;
      return { ...rest, status: 'not_applicable', reason };
    };
    // A scan is evidence the form exists for this case, whatever the rules below would assume.
    if (scans.length || generated) return { ...base, status: 'present' };
    if ((code === '7-KNĐ' || code === '14-KNĐ') && !input.partialCommittee && !partialCommittee && !opened.has(def.step)) return na('no_partial_committee');
    // An authorised grassroots committee decides in one meeting: no proposal resolution, unless one was asked for.
    if ((code === '8-KNĐ' || code === '15-KNĐ') && authorised && !opened.has(def.step)) return na('authorised_grassroots');
    if (code === '4-KNĐ' && !youthRoute) return na('not_youth_union_route');
    // Needed when the introductions recorded the trade-union route; otherwise only a scan says it was taken.
    if (code === '4A-KNĐ' && !tradeUnionRoute) return na('trade_union_route_not_recorded');
    // A cell that is itself the grassroots organisation sends its resolution straight up (§3.2 S8).
    if ((code === '8-KNĐ' || code === '15-KNĐ' || code === '7-KNĐ' || code === '14-KNĐ') && grassrootsIsCell) return na('grassroots_cell');
    if (def.phase === 'recognition' && !probation) return endState ? na('path_ended_before') : na('not_in_probation');
    if (code === '16-KNĐ' && endState === 'removed') return na('removed');
    if (escalated && (code === '13-KNĐ' || code === '14-KNĐ' || code === '15-KNĐ')) return na('recognition_escalated');
    // The path ended before the form's step was reached (rejected, withdrawn, removed).
    if (endState && !due) return na('path_ended_before');
    // The path ended at the form's own step without issuing it (a refusal: the cell did not propose, …).
    if (endState && endStep === def.step) return na('path_ended_before');
    return base;
  });
}

/**
 * The forms a step considers before its decision (§3.1 "Dossier content at each stage", §7.3): those of the
 * catalogue that apply to the case and are not present. Forms not applicable are never required.
 */
export const FORMS_REQUIRED_BY: Partial<Record<TaskType, readonly FormCode[]>> = {
  cell_admission_vote: ['CN-NTVĐ', '1-KNĐ', '2-KNĐ', '3-KNĐ', '4-KNĐ', '4A-KNĐ', '5-KNĐ'],
  grassroots_admission_review: ['6-KNĐ', '7-KNĐ'],
  superior_admission_decision: ['6-KNĐ', '7-KNĐ', '8-KNĐ'],
  cell_recognition_vote: ['10-KNĐ', '11-KNĐ', '12-KNĐ'],
  grassroots_recognition_review: ['13-KNĐ', '14-KNĐ'],
  superior_recognition_decision: ['13-KNĐ', '14-KNĐ', '15-KNĐ'],
};

/**
 * The forms to redo when the cell has not considered the candidate within 12 months of the dossier (T2, §3.3): the
 * introducers' letters (3-KNĐ), the resolution of the organisation that introduced — the Youth Union's (4-KNĐ) or
 * the trade union's (4A-KNĐ), as the recorded introductions used them (the catalogue's rule in `dossierForms`) — and
 * the summary of opinions (5-KNĐ). A resolution the case never had is not asked for.
 */
export function formsToRedoWhenStale(introductions: { youthUnionResolution?: unknown; tradeUnionResolution?: unknown } | undefined): FormCode[] {
  const out: FormCode[] = ['3-KNĐ'];
  if (introductions?.youthUnionResolution) out.push('4-KNĐ');
  if (introductions?.tradeUnionResolution) out.push('4A-KNĐ');
  out.push('5-KNĐ');
  return out;
}

export function missingFormsFor(type: TaskType, forms: readonly DossierForm[]): FormCode[] {
  const required = FORMS_REQUIRED_BY[type] ?? [];
  return forms.filter((f) => required.includes(f.code) && f.status === 'missing').map((f) => f.code);
}

/** The form of each step: its fields (the decision data the rules check) and how a filled form becomes that data. */
import type { TaskType } from '../../../libs/domain/src/procedure.js';

export type Kind = 'date' | 'number' | 'text' | 'textarea' | 'checkbox' | 'select';
export interface Spec {
  name: string;
  kind: Kind;
  vi: string;
  en: string;
  required?: boolean;
  options?: { value: string; vi: string; en: string }[];
}

const d = (name: string, vi: string, en: string): Spec => ({ name, kind: 'date', vi, en, required: true });
const n = (name: string, vi: string, en: string): Spec => ({ name, kind: 'number', vi, en, required: true });
const txt = (name: string, vi: string, en: string, required = false): Spec => ({ name, kind: 'text', vi, en, required });
const area = (name: string, vi: string, en: string, required = false): Spec => ({ name, kind: 'textarea', vi, en, required });

/** The official members a cell vote leaves out (§3.2 S6), each optional: left empty, none. */
const opt = (name: string, vi: string, en: string): Spec => ({ name, kind: 'number', vi, en });
const EXCLUSION_FIELDS: Spec[] = [
  opt('exclusions.temporarilyAttached', 'Không tính: sinh hoạt tạm thời ở đảng bộ khác', 'Left out: attached temporarily to another organisation'),
  opt('exclusions.exemptedAbsent', 'Không tính: được miễn sinh hoạt và vắng mặt', 'Left out: exempted from activity and absent'),
  opt('exclusions.suspended', 'Không tính: bị đình chỉ sinh hoạt', 'Left out: suspended'),
  opt('exclusions.prosecuted', 'Không tính: bị khởi tố', 'Left out: prosecuted'),
  opt('exclusions.detained', 'Không tính: bị tạm giam', 'Left out: detained'),
];

/** A partial committee's appraisal reported to the grassroots committee (7-KNĐ, 14-KNĐ). */
const appraisal = (form: string): Spec[] => [
  d('appraisedOn', 'Ngày thẩm định', 'Appraised on'),
  {
    name: 'opinion',
    kind: 'select',
    vi: `Ý kiến thẩm định báo cáo đảng ủy cơ sở (${form})`,
    en: `Appraisal reported to the grassroots committee (${form})`,
    required: true,
    options: [
      { value: 'agree', vi: 'Đồng ý với đề nghị của chi bộ', en: "Agrees with the cell's proposal" },
      { value: 'disagree', vi: 'Không đồng ý với đề nghị của chi bộ', en: "Disagrees with the cell's proposal" },
    ],
  },
  txt('reportNo', 'Số báo cáo', 'Report number'),
  area('grounds', 'Ý kiến, căn cứ', 'Grounds'),
];

/** The fields of each step's form (the decision data the rules check). */
export const FORM_FIELDS: Record<TaskType, Spec[]> = {
  recognize_sympathiser: [d('meetingDate', 'Ngày họp chi bộ', 'Cell meeting date'), txt('mentor.fullName', 'Đảng viên được phân công giúp đỡ', 'Assigned mentor')],
  record_training_certificate: [txt('certificateNo', 'Số giấy chứng nhận', 'Certificate number'), d('issuedOn', 'Ngày cấp', 'Issued on')],
  submit_application: [d('applicationDate', 'Ngày làm đơn (mẫu 1-KNĐ)', 'Application date (form 1-KNĐ)'), d('cvSubmittedOn', 'Ngày nộp lý lịch (mẫu 2-KNĐ)', 'CV submitted on (form 2-KNĐ)')],
  verify_background: [
    {
      name: 'conclusion',
      kind: 'select',
      vi: 'Kết luận tiêu chuẩn chính trị',
      en: 'Conclusion on political standards',
      required: true,
      options: [
        { value: 'meets', vi: 'Đủ tiêu chuẩn chính trị', en: 'Meets the political standards' },
        { value: 'does_not_meet', vi: 'Không đủ tiêu chuẩn chính trị', en: 'Does not meet the standards' },
      ],
    },
    d('concludedOn', 'Ngày kết luận', 'Concluded on'),
    area('grounds', 'Căn cứ kết luận', 'Grounds'),
    // §5.5: with "does not meet" because of relatives, the province standing board may approve in writing.
    area(
      'provinceException.outstandingRecord',
      'Đề nghị Ban Thường vụ tỉnh ủy xem xét ngoại lệ (người thân có vấn đề): thành tích nổi bật của người vào Đảng',
      "Ask the province standing board for the exception (relatives' issues): the candidate's outstanding record",
    ),
    {
      name: 'provinceException.condemnedRelativesActs',
      kind: 'checkbox',
      vi: 'Người vào Đảng đã thể hiện rõ thái độ lên án hành vi của người thân',
      en: "The candidate has clearly condemned the relatives' acts",
    },
  ],
  record_introductions: [
    { name: 'introducers.0.fullName', kind: 'text', vi: 'Người giới thiệu thứ nhất', en: 'First introducer', required: true },
    { name: 'introducers.0.monthsTogether', kind: 'number', vi: 'Số tháng cùng công tác (người thứ nhất)', en: 'Months working together (first)', required: true },
    { name: 'introducers.0.official', kind: 'checkbox', vi: 'Là đảng viên chính thức', en: 'Is an official member' },
    { name: 'introducers.0.sameGrassroots', kind: 'checkbox', vi: 'Sinh hoạt cùng tổ chức cơ sở đảng với người vào Đảng', en: "Member of the candidate's grassroots party organisation" },
    { name: 'introducers.0.officialSince', kind: 'date', vi: 'Ngày trở thành đảng viên chính thức (người thứ nhất)', en: 'Official member since (first)' },
    { name: 'introducers.1.fullName', kind: 'text', vi: 'Người giới thiệu thứ hai', en: 'Second introducer' },
    { name: 'introducers.1.monthsTogether', kind: 'number', vi: 'Số tháng cùng công tác (người thứ hai)', en: 'Months working together (second)' },
    { name: 'introducers.1.official', kind: 'checkbox', vi: 'Là đảng viên chính thức', en: 'Is an official member' },
    { name: 'introducers.1.sameGrassroots', kind: 'checkbox', vi: 'Sinh hoạt cùng tổ chức cơ sở đảng với người vào Đảng', en: "Member of the candidate's grassroots party organisation" },
    { name: 'introducers.1.officialSince', kind: 'date', vi: 'Ngày trở thành đảng viên chính thức (người thứ hai)', en: 'Official member since (second)' },
    {
      name: 'youthUnionAtGrassroots',
      kind: 'select',
      vi: 'Nơi người vào Đảng công tác, học tập có tổ chức Đoàn cơ sở',
      en: 'Youth Union organisation at the grassroots where the candidate works or studies',
      options: [
        { value: '', vi: 'Chưa khai', en: 'Not stated' },
        { value: 'true', vi: 'Có', en: 'Yes' },
        { value: 'false', vi: 'Không', en: 'No' },
      ],
    },
    txt('youthUnionResolution.number', 'Số nghị quyết giới thiệu của Đoàn, mẫu 4-KNĐ (nếu có)', 'Youth Union resolution number, form 4-KNĐ (if any)'),
    { name: 'youthUnionResolution.date', kind: 'date', vi: 'Ngày nghị quyết của Đoàn', en: 'Youth Union resolution date' },
    txt('tradeUnionResolution.number', 'Số nghị quyết giới thiệu của công đoàn cơ sở, mẫu 4A-KNĐ (nếu có)', 'Trade-union resolution number, form 4A-KNĐ (if any)'),
    { name: 'tradeUnionResolution.date', kind: 'date', vi: 'Ngày nghị quyết của công đoàn', en: 'Trade-union resolution date' },
    { name: 'tradeUnionResolution.tradeUnionMember', kind: 'checkbox', vi: 'Người vào Đảng là đoàn viên công đoàn', en: 'The candidate is a trade-union member' },
    area('opinions.massOrganizations', 'Ý kiến nhận xét của đoàn thể (mẫu 5-KNĐ)', 'Opinions of mass organisations (form 5-KNĐ)', true),
    area('opinions.residence', 'Ý kiến nơi cư trú', 'Opinion of the place of residence', true),
    { name: 'compiledOn', kind: 'date', vi: 'Ngày tổng hợp hồ sơ', en: 'Dossier compiled on' },
  ],
  cell_admission_vote: [d('meetingDate', 'Ngày họp chi bộ', 'Meeting date'), n('officialMembers', 'Số đảng viên chính thức của chi bộ', 'Official members of the cell'), ...EXCLUSION_FIELDS, n('inFavour', 'Số đảng viên chính thức tán thành', 'Official members in favour'), txt('resolutionNo', 'Số nghị quyết của chi bộ (mẫu 6-KNĐ)', 'Cell resolution number (form 6-KNĐ)')],
  partial_admission_appraisal: appraisal('7-KNĐ'),
  grassroots_admission_review: [
    n('committeeMembers', 'Số cấp ủy viên', 'Committee members'),
    n('inFavour', 'Số cấp ủy viên tán thành', 'Members in favour'),
    d('resolutionDate', 'Ngày nghị quyết', 'Resolution date'),
    txt('resolutionNo', 'Số nghị quyết của đảng ủy cơ sở (mẫu 8-KNĐ)', 'Grassroots committee resolution number (form 8-KNĐ)'),
  ],
  superior_admission_decision: [
    n('boardMembers', 'Số thành viên ban thường vụ', 'Standing board members'),
    n('inFavour', 'Số thành viên tán thành', 'Members in favour'),
    txt('decisionNo', 'Số quyết định kết nạp', 'Admission decision number'),
    d('decisionDate', 'Ngày quyết định', 'Decision date'),
    // T4 runs from receipt; left empty, the decision date is taken (the earliest the cell can have it).
    { name: 'receivedOn', kind: 'date', vi: 'Ngày chi bộ nhận quyết định', en: 'Date the cell received the decision' },
  ],
  admission_ceremony: [d('ceremonyDate', 'Ngày tổ chức lễ kết nạp', 'Ceremony date')],
  record_new_member_training: [txt('certificateNo', 'Số giấy chứng nhận', 'Certificate number'), d('issuedOn', 'Ngày cấp', 'Issued on')],
  probation_review: [
    d('selfReviewOn', 'Ngày tự kiểm điểm (mẫu 10-KNĐ)', 'Self-review date (form 10-KNĐ)'),
    d('mentorReviewOn', 'Ngày nhận xét của đảng viên giúp đỡ (mẫu 11-KNĐ)', 'Mentor review date (form 11-KNĐ)'),
    area('opinions.massOrganizations', 'Ý kiến của đoàn thể', 'Opinions of mass organisations', true),
    area('opinions.residence', 'Ý kiến nơi cư trú', 'Opinion of the place of residence', true),
  ],
  cell_recognition_vote: [
    d('meetingDate', 'Ngày họp chi bộ', 'Meeting date'),
    n('officialMembers', 'Số đảng viên chính thức của chi bộ', 'Official members of the cell'),
    ...EXCLUSION_FIELDS,
    n('inFavour', 'Số phiếu tán thành kết quả đề nghị', 'Votes for the proposed outcome'),
    { name: 'forRemoval', kind: 'number', vi: 'Số phiếu đề nghị xóa tên (nếu có)', en: 'Votes for removal (if any)' },
    txt('resolutionNo', 'Số nghị quyết của chi bộ (mẫu 13-KNĐ)', 'Cell resolution number (form 13-KNĐ)'),
  ],
  partial_recognition_appraisal: appraisal('14-KNĐ'),
  grassroots_recognition_review: [
    n('committeeMembers', 'Số cấp ủy viên', 'Committee members'),
    n('inFavour', 'Số cấp ủy viên tán thành', 'Members in favour'),
    { name: 'forRemoval', kind: 'number', vi: 'Số phiếu đề nghị xóa tên (nếu có)', en: 'Votes for removal (if any)' },
    d('resolutionDate', 'Ngày nghị quyết', 'Resolution date'),
    txt('resolutionNo', 'Số nghị quyết của đảng ủy cơ sở (mẫu 15-KNĐ)', 'Grassroots committee resolution number (form 15-KNĐ)'),
  ],
  superior_recognition_decision: [
    n('boardMembers', 'Số thành viên', 'Members'),
    n('inFavour', 'Số thành viên tán thành', 'Members in favour'),
    { name: 'forRemoval', kind: 'number', vi: 'Số phiếu đề nghị xóa tên (nếu có)', en: 'Votes for removal (if any)' },
    // Required to recognise or remove (checked by the rules); no decision is issued when neither side has a majority.
    txt('decisionNo', 'Số quyết định', 'Decision number'),
    d('decisionDate', 'Ngày quyết định', 'Decision date'),
  ],
  overdue_escalation: [area('note', 'Nội dung đôn đốc', 'Follow-up note')],
  province_political_exception: [
    n('boardMembers', 'Số thành viên ban thường vụ tỉnh ủy, thành ủy', 'Province standing board members'),
    n('inFavour', 'Số thành viên tán thành', 'Members in favour'),
    txt('decisionNo', 'Số văn bản đồng ý', 'Number of the written approval'),
    d('decisionDate', 'Ngày văn bản', 'Date of the decision'),
    area('grounds', 'Ý kiến, căn cứ', 'Grounds'),
  ],
  receive_transfer: [
    d('presentedOn', 'Ngày đảng viên xuất trình giấy giới thiệu sinh hoạt đảng', 'Date the transfer letter was presented'),
    txt('letterNo', 'Số giấy giới thiệu', 'Transfer letter number'),
    area('lateReason', 'Lý do chậm (nếu quá 30 ngày làm việc)', 'Reasons for the delay (past 30 working days)'),
  ],
  province_readmission_approval: [
    n('boardMembers', 'Số thành viên ban thường vụ tỉnh ủy, thành ủy', 'Province standing board members'),
    n('inFavour', 'Số thành viên tán thành', 'Members in favour'),
    txt('decisionNo', 'Số văn bản đồng ý kết nạp lại', 'Number of the written approval of the re-admission'),
    d('decisionDate', 'Ngày văn bản', 'Date of the decision'),
    area('grounds', 'Ý kiến, căn cứ', 'Grounds'),
  ],
};

/** Which count the threshold is taken over, and which threshold (the Charter's wording). */
export const VOTES: Partial<Record<TaskType, { members: string; kind: 'two_thirds' | 'more_than_half'; passes: string[] }>> = {
  cell_admission_vote: { members: 'officialMembers', kind: 'two_thirds', passes: ['approve'] },
  grassroots_admission_review: { members: 'committeeMembers', kind: 'two_thirds', passes: ['approve'] },
  superior_admission_decision: { members: 'boardMembers', kind: 'more_than_half', passes: ['approve'] },
  province_political_exception: { members: 'boardMembers', kind: 'more_than_half', passes: ['approve'] },
  province_readmission_approval: { members: 'boardMembers', kind: 'more_than_half', passes: ['approve'] },
  cell_recognition_vote: { members: 'officialMembers', kind: 'two_thirds', passes: ['recognize', 'remove'] },
  grassroots_recognition_review: { members: 'committeeMembers', kind: 'two_thirds', passes: ['recognize', 'remove'] },
  superior_recognition_decision: { members: 'boardMembers', kind: 'more_than_half', passes: ['recognize', 'remove'] },
};

/**
 * The vote rule of a task: a superior step acted on by a grassroots committee is the decision of a committee
 * authorised to admit, valid with two thirds of all its members (§3.2 S8–S9), not the board's more than half.
 */
export function voteRule(type: TaskType, role?: string): (typeof VOTES)[TaskType] {
  const v = VOTES[type];
  if (v && role === 'grassroots_committee' && (type === 'superior_admission_decision' || type === 'superior_recognition_decision')) return { ...v, kind: 'two_thirds' };
  return v;
}

export type Values = Record<string, string | boolean>;

/** The count a vote's threshold is taken over: for a cell, its official members less those left out (§3.2 S6). */
export function voteMembers(type: TaskType, values: Values): number {
  const v = VOTES[type];
  if (!v) return NaN;
  const members = Number(values[v.members]);
  if (v.members !== 'officialMembers') return members;
  const excluded = EXCLUSION_FIELDS.reduce((sum, f) => sum + (values[f.name] === undefined || values[f.name] === '' ? 0 : Number(values[f.name])), 0);
  return members - excluded;
}

export function initialValues(type: TaskType, today: string): Values {
  const v: Values = {};
  for (const f of FORM_FIELDS[type]) {
    if (f.kind === 'date' && f.required) v[f.name] = today;
    // An attestation for the province's exception (§5.5) is never ticked in advance.
    if (f.kind === 'checkbox') v[f.name] = !f.name.startsWith('provinceException.');
    if (f.kind === 'select' && f.options) v[f.name] = f.options[0].value;
  }
  return v;
}

/** The decision data from the form: nested paths, numbers parsed, empty optional fields left out. */
export function buildData(type: TaskType, values: Values): Record<string, unknown> {
  const out: Record<string, any> = {};
  const setPath = (path: string, value: unknown) => {
    const keys = path.split('.');
    let o = out;
    keys.forEach((k, i) => {
      const idx = /^\d+$/.test(k) ? Number(k) : k;
      if (i === keys.length - 1) o[idx] = value;
      else {
        if (o[idx] === undefined) o[idx] = /^\d+$/.test(keys[i + 1]) ? [] : {};
        o = o[idx];
      }
    });
  };
  const groupsWithName = new Set<string>();
  for (const f of FORM_FIELDS[type]) {
    const m = /^(introducers\.\d+)\.fullName$/.exec(f.name);
    if (m && String(values[f.name] ?? '').trim()) groupsWithName.add(m[1]);
  }
  for (const f of FORM_FIELDS[type]) {
    const group = /^(introducers\.\d+)\./.exec(f.name)?.[1];
    if (group && !groupsWithName.has(group)) continue;
    const raw = values[f.name];
    if (f.kind === 'checkbox') setPath(f.name, Boolean(raw));
    else if (raw === undefined || raw === '') continue;
    else if (f.kind === 'number') setPath(f.name, Number(raw));
    else setPath(f.name, typeof raw === 'string' ? raw.trim() : raw);
  }
  if (out.introducers) out.introducers = out.introducers.filter(Boolean);
  if (out.youthUnionResolution && (!out.youthUnionResolution.number || !out.youthUnionResolution.date)) delete out.youthUnionResolution;
  if (out.tradeUnionResolution && (!out.tradeUnionResolution.number || !out.tradeUnionResolution.date)) delete out.tradeUnionResolution;
  // The exception is asked for only by writing the record (the checkbox alone asks nothing).
  if (out.provinceException && !out.provinceException.outstandingRecord) delete out.provinceException;
  if (typeof out.youthUnionAtGrassroots === 'string') out.youthUnionAtGrassroots = out.youthUnionAtGrassroots === 'true';
  return out;
}


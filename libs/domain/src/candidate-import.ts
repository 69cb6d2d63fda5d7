/**
 * Importing cases already under way (issue 16): a CSV file, one candidate a row, with the steps already taken
 * and their dates and numbers. This file is the pure part: reading the CSV (UTF-8, BOM tolerated, `,` or `;`),
 * mapping the columns, and checking each row's fields — required values, dates (dd/mm/yyyy or YYYY-MM-DD) not
 * in the future and in the order of the procedure, steps taken without a gap — before the rules of each step
 * are checked by a dry run of the case itself (workflows/candidate/candidate.import.ts), exactly as live
 * decisions are.
 *
 * Scope: the whole path up to the competent committee's recognition decision: from the source (quần chúng ưu
 * tú) through the admission ceremony (đảng viên dự bị, probation running from the ceremony date) to a member
 * whose 12 months have ended — at the probation review, the cell's recognition vote (with the votes already
 * held without two thirds either way), the grassroots committee's review or the competent committee's decision.
 * Every imported decision carries its approving outcome (or `inconclusive` for a cell vote without two thirds):
 * a case that was refused or ended is not "under way". The steps a row may carry follow its cell's route
 * (`importRouteShape`): a partial committee's appraisals where the cell sits under one, no grassroots review for a
 * grassroots cell or a grassroots committee authorised to admit (whose own decision fills the decision columns).
 */
import { addMonths, isBusinessDate, type IsoDate } from './dates.js';
import { isOverMaximumAge } from './decisions.js';
import { renderMessage, type MessageCode, type MessageParams } from './messages.js';
import { EDUCATION_LEVELS, STEPS, type Education, type Stage, type TaskType } from './procedure.js';
import { ruleSetFor } from './rule-sets.js';
import { foldVietnamese } from './text.js';

/** The steps an import may carry, in the order of the procedure. */
export const IMPORTABLE_STEPS = [
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
] as const satisfies readonly TaskType[];
export type ImportableStep = (typeof IMPORTABLE_STEPS)[number];

/** Steps that may be absent although a later one is given: the new-member class runs beside the probation. */
const OPTIONAL_STEPS: readonly ImportableStep[] = ['record_new_member_training'];
/** Steps only a cell under a partial committee (đảng ủy bộ phận) has: its appraisals (7-KNĐ, 14-KNĐ). */
const PARTIAL_STEPS: readonly ImportableStep[] = ['partial_admission_appraisal', 'partial_recognition_appraisal'];

/** The shape of the row's route, from its cell's routing (`Routing`): which of the grassroots and partial steps it has. */
export interface ImportRouteShape {
  /** The cell is a grassroots cell: no grassroots review, no partial committee. */
  grassrootsIsCell?: boolean;
  /** The cell sits under a partial committee (`Routing.partialCommitteeId`): its appraisals come before the grassroots steps. */
  partialCommittee?: boolean;
  /** The grassroots committee is authorised to admit (`Routing.grassrootsAuthorised`): no grassroots review; it decides. */
  grassrootsAuthorised?: boolean;
  /**
   * The route has a province-level committee (`Routing.provinceId`): a candidate over the maximum age at the cell
   * meeting is then decided by the province's standing board, after the grassroots review even where the committee
   * is authorised to admit (as the case routes it).
   */
  provinceCommittee?: boolean;
}

/** The shape of a routing (or of none: a cell of a grassroots committee, as before). */
export function importRouteShape(routing?: { grassrootsIsCell: boolean; partialCommitteeId?: string; grassrootsAuthorised?: boolean; provinceId?: string }): ImportRouteShape {
  if (!routing) return {};
  return {
    grassrootsIsCell: routing.grassrootsIsCell,
    partialCommittee: !routing.grassrootsIsCell && routing.partialCommitteeId !== undefined,
    grassrootsAuthorised: !routing.grassrootsIsCell && routing.grassrootsAuthorised === true,
    provinceCommittee: routing.provinceId !== undefined,
  };
}

/**
 * The steps a route has, in order. `overAgeAtProvince`: the admission goes to the province's standing board (a
 * candidate over the maximum age, a province-level committee), so an authorised committee reviews it as any
 * grassroots committee does.
 */
function stepsOfRoute(shape: ImportRouteShape, overAgeAtProvince = false): ImportableStep[] {
  // A grassroots cell is its own grassroots organisation; a grassroots committee authorised to admit decides
  // itself (§3.2 S8–S9, §7.5): neither has a grassroots review.
  return IMPORTABLE_STEPS.filter((s) => {
    if (PARTIAL_STEPS.includes(s)) return !shape.grassrootsIsCell && shape.partialCommittee === true;
    if (s === 'grassroots_admission_review') return !shape.grassrootsIsCell && (!shape.grassrootsAuthorised || overAgeAtProvince);
    if (s === 'grassroots_recognition_review') return !shape.grassrootsIsCell && !shape.grassrootsAuthorised;
    return true;
  });
}

export interface ImportColumn {
  key: string;
  vi: string;
  en: string;
  /** The step the column belongs to (profile columns have none). */
  step?: ImportableStep;
  /** The decision field it fills (for mapping the rules' refusals back to the column). */
  field?: string;
  kind: 'text' | 'date' | 'int' | 'bool' | 'gender' | 'education' | 'relatives' | 'votes' | 'opinion';
  /** Required on every row (profile), or whenever its step is taken. */
  required?: boolean;
}

const c = (key: string, vi: string, en: string, kind: ImportColumn['kind'], more: Partial<ImportColumn> = {}): ImportColumn => ({ key, vi, en, kind, ...more });

/** The columns of the template, in order (the header names each by its Vietnamese label and its key). */
export const IMPORT_COLUMNS: readonly ImportColumn[] = [
  c('fullName', 'Họ và tên', 'Full name', 'text', { required: true }),
  c('dateOfBirth', 'Ngày sinh', 'Date of birth', 'date', { required: true }),
  c('gender', 'Giới tính (nam/nữ)', 'Gender (male/female)', 'gender', { required: true }),
  c('ethnicity', 'Dân tộc', 'Ethnicity', 'text', { required: true }),
  c('religion', 'Tôn giáo', 'Religion', 'text'),
  c('education', 'Trình độ học vấn', 'Education', 'education', { required: true }),
  c('youthUnionMember', 'Đoàn viên (có/không)', 'Youth Union member (yes/no)', 'bool', { required: true }),
  c('hardshipArea', 'Vùng khó khăn (có/không)', 'Hardship area (yes/no)', 'bool'),
  c('cell', 'Chi bộ (tên hoặc mã)', 'Cell (name or id)', 'text', { required: true }),
  c('sourceOrganization', 'Tổ chức giới thiệu', 'Introduced by', 'text', { required: true }),
  c('introducedOn', 'Ngày giới thiệu', 'Introduced on', 'date', { required: true }),
  c('sympathiserMeetingDate', 'Ngày chi bộ công nhận cảm tình Đảng', 'Sympathiser: cell meeting date', 'date', { step: 'recognize_sympathiser', field: 'meetingDate', required: true }),
  c('mentorName', 'Đảng viên giúp đỡ', 'Mentor', 'text', { step: 'recognize_sympathiser', field: 'mentor.fullName', required: true }),
  c('certificateNo', 'Số giấy chứng nhận bồi dưỡng nhận thức về Đảng', 'Party-awareness certificate number', 'text', { step: 'record_training_certificate', field: 'certificateNo', required: true }),
  c('certificateIssuedOn', 'Ngày cấp giấy chứng nhận', 'Certificate issued on', 'date', { step: 'record_training_certificate', field: 'issuedOn', required: true }),
  c('applicationDate', 'Ngày làm đơn xin vào Đảng', 'Application date', 'date', { step: 'submit_application', field: 'applicationDate', required: true }),
  c('cvSubmittedOn', 'Ngày nộp lý lịch', 'CV submitted on', 'date', { step: 'submit_application', field: 'cvSubmittedOn', required: true }),
  c('backgroundConcludedOn', 'Ngày kết luận thẩm tra lý lịch', 'Background check concluded on', 'date', { step: 'verify_background', field: 'concludedOn', required: true }),
  c('relativesChecked', 'Người thân đã thẩm tra (vd: father:clear; mother:clear)', 'Relatives checked (e.g. father:clear; mother:clear)', 'relatives', { step: 'verify_background', field: 'relativesChecked', required: true }),
  c('introducer1Name', 'Người giới thiệu 1', 'Introducer 1', 'text', { step: 'record_introductions', field: 'introducers' }),
  c('introducer1MonthsTogether', 'Số tháng cùng công tác (người 1)', 'Months together (introducer 1)', 'int', { step: 'record_introductions', field: 'introducers' }),
  c('introducer2Name', 'Người giới thiệu 2', 'Introducer 2', 'text', { step: 'record_introductions', field: 'introducers' }),
  c('introducer2MonthsTogether', 'Số tháng cùng công tác (người 2)', 'Months together (introducer 2)', 'int', { step: 'record_introductions', field: 'introducers' }),
  c('youthUnionAtGrassroots', 'Nơi công tác, học tập có tổ chức Đoàn cơ sở (có/không)', 'Youth Union organisation at the grassroots (yes/no)', 'bool', { step: 'record_introductions', field: 'youthUnionAtGrassroots' }),
  c('youthUnionResolutionNo', 'Số nghị quyết Đoàn giới thiệu', 'Youth Union resolution number', 'text', { step: 'record_introductions', field: 'youthUnionResolution' }),
  c('youthUnionResolutionDate', 'Ngày nghị quyết Đoàn', 'Youth Union resolution date', 'date', { step: 'record_introductions', field: 'youthUnionResolution' }),
  c('opinionsMassOrganizations', 'Ý kiến đoàn thể', 'Opinions of the mass organisations', 'text', { step: 'record_introductions', field: 'opinions.massOrganizations', required: true }),
  c('opinionsResidence', 'Ý kiến chi ủy nơi cư trú', 'Opinions of the place of residence', 'text', { step: 'record_introductions', field: 'opinions.residence', required: true }),
  c('dossierCompiledOn', 'Ngày tổng hợp hồ sơ', 'Dossier compiled on', 'date', { step: 'record_introductions', field: 'compiledOn', required: true }),
  c('cellMeetingDate', 'Ngày chi bộ xét kết nạp', 'Cell admission meeting date', 'date', { step: 'cell_admission_vote', field: 'meetingDate', required: true }),
  c('cellOfficialMembers', 'Số đảng viên chính thức của chi bộ', 'Official members of the cell', 'int', { step: 'cell_admission_vote', field: 'officialMembers', required: true }),
  c('cellInFavour', 'Số tán thành (chi bộ)', 'In favour (cell)', 'int', { step: 'cell_admission_vote', field: 'inFavour', required: true }),
  // A cell under a partial committee (đảng ủy bộ phận): its appraisal reported to the grassroots committee (7-KNĐ).
  c('partialAdmissionAppraisedOn', 'Ngày đảng ủy bộ phận thẩm định đề nghị kết nạp (7-KNĐ)', 'Partial committee appraisal of the admission: date (7-KNĐ)', 'date', { step: 'partial_admission_appraisal', field: 'appraisedOn', required: true }),
  c('partialAdmissionOpinion', 'Ý kiến thẩm định của đảng ủy bộ phận về kết nạp (đồng ý/không đồng ý)', 'Partial committee opinion on the admission (agree/disagree)', 'opinion', { step: 'partial_admission_appraisal', field: 'opinion', required: true }),
  c('partialAdmissionReportNo', 'Số báo cáo thẩm định của đảng ủy bộ phận (kết nạp)', 'Partial committee appraisal report number (admission)', 'text', { step: 'partial_admission_appraisal', field: 'reportNo' }),
  c('grassrootsResolutionDate', 'Ngày nghị quyết đảng ủy cơ sở', 'Grassroots resolution date', 'date', { step: 'grassroots_admission_review', field: 'resolutionDate', required: true }),
  c('grassrootsCommitteeMembers', 'Số ủy viên đảng ủy cơ sở', 'Grassroots committee members', 'int', { step: 'grassroots_admission_review', field: 'committeeMembers', required: true }),
  c('grassrootsInFavour', 'Số tán thành (đảng ủy cơ sở)', 'In favour (grassroots)', 'int', { step: 'grassroots_admission_review', field: 'inFavour', required: true }),
  c('admissionDecisionNo', 'Số quyết định kết nạp', 'Admission decision number', 'text', { step: 'superior_admission_decision', field: 'decisionNo', required: true }),
  c('admissionDecisionDate', 'Ngày quyết định kết nạp', 'Admission decision date', 'date', { step: 'superior_admission_decision', field: 'decisionDate', required: true }),
  c('superiorBoardMembers', 'Số ủy viên ban thường vụ', 'Standing board members', 'int', { step: 'superior_admission_decision', field: 'boardMembers', required: true }),
  c('superiorInFavour', 'Số tán thành (ban thường vụ)', 'In favour (standing board)', 'int', { step: 'superior_admission_decision', field: 'inFavour', required: true }),
  c('admissionDecisionReceivedOn', 'Ngày chi bộ nhận quyết định', 'Decision received by the cell on', 'date', { step: 'superior_admission_decision', field: 'receivedOn' }),
  c('ceremonyDate', 'Ngày lễ kết nạp', 'Admission ceremony date', 'date', { step: 'admission_ceremony', field: 'ceremonyDate', required: true }),
  // Probation and recognition (§7). The 12 months end on the ceremony date's day a year later: not a column.
  c('newMemberCertificateNo', 'Số giấy chứng nhận lớp bồi dưỡng lý luận chính trị cho đảng viên mới', 'New-member class certificate number', 'text', { step: 'record_new_member_training', field: 'certificateNo', required: true }),
  c('newMemberCertificateIssuedOn', 'Ngày cấp giấy chứng nhận lớp đảng viên mới', 'New-member class certificate issued on', 'date', { step: 'record_new_member_training', field: 'issuedOn', required: true }),
  c('probationSelfReviewOn', 'Ngày đảng viên dự bị tự kiểm điểm (10-KNĐ)', 'Probationary member self-review on (10-KNĐ)', 'date', { step: 'probation_review', field: 'selfReviewOn', required: true }),
  c('probationMentorReviewOn', 'Ngày đảng viên giúp đỡ nhận xét (11-KNĐ)', 'Mentor review on (11-KNĐ)', 'date', { step: 'probation_review', field: 'mentorReviewOn', required: true }),
  c('probationOpinionsMassOrganizations', 'Ý kiến đoàn thể về đảng viên dự bị (12-KNĐ)', 'Opinions of the mass organisations on the probationary member (12-KNĐ)', 'text', { step: 'probation_review', field: 'opinions.massOrganizations', required: true }),
  c('probationOpinionsResidence', 'Ý kiến chi ủy nơi cư trú về đảng viên dự bị (12-KNĐ)', 'Opinions of the place of residence on the probationary member (12-KNĐ)', 'text', { step: 'probation_review', field: 'opinions.residence', required: true }),
  c(
    'recognitionInconclusiveVotes',
    'Các lần chi bộ xét công nhận chưa đạt hai phần ba (ngày:số đảng viên chính thức:số tán thành công nhận:số tán thành xóa tên; …)',
    'Cell recognition votes without two thirds either way (date:official members:for recognition:for removal; …)',
    'votes',
    { step: 'cell_recognition_vote', field: 'inconclusive' },
  ),
  c('recognitionCellMeetingDate', 'Ngày nghị quyết chi bộ đề nghị công nhận đảng viên chính thức (13-KNĐ)', 'Cell recognition resolution date (13-KNĐ)', 'date', { step: 'cell_recognition_vote', field: 'meetingDate' }),
  c('recognitionCellOfficialMembers', 'Số đảng viên chính thức của chi bộ (xét công nhận)', 'Official members of the cell (recognition vote)', 'int', { step: 'cell_recognition_vote', field: 'officialMembers' }),
  c('recognitionCellInFavour', 'Số tán thành công nhận (chi bộ)', 'In favour of recognition (cell)', 'int', { step: 'cell_recognition_vote', field: 'inFavour' }),
  c('partialRecognitionAppraisedOn', 'Ngày đảng ủy bộ phận thẩm định đề nghị công nhận đảng viên chính thức (14-KNĐ)', 'Partial committee appraisal of the recognition: date (14-KNĐ)', 'date', { step: 'partial_recognition_appraisal', field: 'appraisedOn', required: true }),
  c('partialRecognitionOpinion', 'Ý kiến thẩm định của đảng ủy bộ phận về công nhận (đồng ý/không đồng ý)', 'Partial committee opinion on the recognition (agree/disagree)', 'opinion', { step: 'partial_recognition_appraisal', field: 'opinion', required: true }),
  c('partialRecognitionReportNo', 'Số báo cáo thẩm định của đảng ủy bộ phận (công nhận)', 'Partial committee appraisal report number (recognition)', 'text', { step: 'partial_recognition_appraisal', field: 'reportNo' }),
  c('recognitionGrassrootsResolutionDate', 'Ngày nghị quyết đảng ủy cơ sở đề nghị công nhận (15-KNĐ)', 'Grassroots recognition resolution date (15-KNĐ)', 'date', { step: 'grassroots_recognition_review', field: 'resolutionDate', required: true }),
  c('recognitionGrassrootsCommitteeMembers', 'Số ủy viên đảng ủy cơ sở (xét công nhận)', 'Grassroots committee members (recognition)', 'int', { step: 'grassroots_recognition_review', field: 'committeeMembers', required: true }),
  c('recognitionGrassrootsInFavour', 'Số tán thành công nhận (đảng ủy cơ sở)', 'In favour of recognition (grassroots)', 'int', { step: 'grassroots_recognition_review', field: 'inFavour', required: true }),
];

/** The conclusive cell recognition vote: all three columns, or none (the inconclusive votes alone). */
const CELL_RECOGNITION_COLUMNS = ['recognitionCellMeetingDate', 'recognitionCellOfficialMembers', 'recognitionCellInFavour'] as const;

const BY_KEY = new Map(IMPORT_COLUMNS.map((col) => [col.key, col]));

/** At most this many rows per file (a grassroots organisation's cases under way). */
export const IMPORT_MAX_ROWS = 2000;

/** The template's header line: each column as "Vietnamese label [key]", which the reader recognises. */
export function importTemplateCsv(): string {
  const cell = (s: string) => `"${s.replace(/"/g, '""')}"`;
  return '\uFEFF' + IMPORT_COLUMNS.map((col) => cell(`${col.vi} [${col.key}]`)).join(',') + '\r\n';
}

// ------------------------------------------------------------------------------------------- CSV

/**
 * RFC 4180 CSV: quoted fields with doubled quotes and line breaks, CRLF or LF, a BOM ignored, `,` or `;`
 * (Excel in vi-VN writes `;`): the separator is the one the header line uses more of, outside quotes.
 */
export function parseCsv(text: string): string[][] {
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const sep = detectSeparator(s);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"') {
        if (s[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && s[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

function detectSeparator(s: string): ',' | ';' {
  let commas = 0;
  let semis = 0;
  let quoted = false;
  for (const ch of s) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semis++;
  }
  return semis > commas ? ';' : ',';
}

// ------------------------------------------------------------------------------------------- rows

/** One refusal of a row: the column it is about (when there is one), the code, and the message in both languages. */
export interface RowError {
  column?: string;
  code: MessageCode;
  params?: MessageParams;
  message: { vi: string; en: string };
}

export function rowError(code: MessageCode, params: MessageParams = {}, column?: string): RowError {
  return { ...(column ? { column } : {}), code, params, message: { vi: renderMessage(code, params, 'vi'), en: renderMessage(code, params, 'en') } };
}

/** A data row as read: its line number in the file (the header is line 1) and its cells by column key. */
export interface RawImportRow {
  row: number;
  values: Record<string, string>;
}

export interface ParsedImportFile {
  rows: RawImportRow[];
  /** Problems with the file as a whole (no header, unknown columns, too many rows). */
  errors: RowError[];
}

function headerKey(h: string): string | undefined {
  const bracket = /\[([A-Za-z0-9]+)\]\s*$/.exec(h);
  if (bracket && BY_KEY.has(bracket[1])) return bracket[1];
  const folded = foldVietnamese(h);
  for (const col of IMPORT_COLUMNS) if (foldVietnamese(col.key) === folded || foldVietnamese(col.vi) === folded || foldVietnamese(col.en) === folded) return col.key;
  return undefined;
}

/** Reads a CSV file: header (labels or keys, any order), then one candidate a line. */
export function parseImportFile(text: string): ParsedImportFile {
  return parseImportRows(parseCsv(text));
}

/** The same from the cells of a sheet (the first sheet of an XLSX file, read by the API), blank rows dropped. */
export function parseImportRows(cells: string[][]): ParsedImportFile {
  const lines = cells.filter((r) => r.some((f) => (f ?? '').trim() !== ''));
  if (!lines.length) return { rows: [], errors: [rowError('import_file_empty')] };
  const header = lines[0].map((h) => h.trim());
  const keys = header.map(headerKey);
  const errors: RowError[] = [];
  header.forEach((h, i) => {
    if (h && !keys[i]) errors.push(rowError('import_unknown_column', { column: h }, h));
  });
  for (const col of IMPORT_COLUMNS) if (col.required && !col.step && !keys.includes(col.key)) errors.push(rowError('import_missing_column', { column: col.key }, col.key));
  if (lines.length - 1 > IMPORT_MAX_ROWS) errors.push(rowError('import_too_many_rows', { rows: lines.length - 1, max: IMPORT_MAX_ROWS }));
  if (errors.length) return { rows: [], errors };
  const rows = lines.slice(1).map((cells, i) => {
    const values: Record<string, string> = {};
    keys.forEach((k, j) => {
      if (k) values[k] = (cells[j] ?? '').trim();
    });
    return { row: i + 2, values };
  });
  return { rows, errors };
}

/** A decision of the past, as the workflow's input carries it (`CandidateWorkflowInput.imported.steps`). */
export interface ImportedStep {
  taskType: ImportableStep;
  outcome?: string;
  data: Record<string, unknown>;
}

export interface CheckedImportRow {
  row: number;
  fullName: string;
  dateOfBirth?: IsoDate;
  /** The cell as written (a name or an id), resolved by the caller. */
  cell: string;
  profile?: {
    gender: 'male' | 'female';
    ethnicity: string;
    religion: string | null;
    education: Education;
    youthUnionMember: boolean;
    hardshipArea: boolean;
  };
  source?: { organization: string; introducedOn: IsoDate };
  steps: ImportedStep[];
  /** The stage the case starts in once its steps are applied. */
  stage?: Stage;
  errors: RowError[];
}

/** A partial committee's opinion, as written (folded): agree or disagree. */
const OPINIONS = new Map<string, 'agree' | 'disagree'>([
  ...['dong y', 'nhat tri', 'tan thanh', 'agree'].map((k): [string, 'agree'] => [k, 'agree']),
  ...['khong dong y', 'khong nhat tri', 'khong tan thanh', 'disagree'].map((k): [string, 'disagree'] => [k, 'disagree']),
]);
const TRUE = new Set(['co', 'x', 'yes', 'y', 'true', '1', 'dung']);
const FALSE = new Set(['khong', 'no', 'n', 'false', '0', 'sai', '']);

/** dd/mm/yyyy (as the app shows dates) or YYYY-MM-DD; undefined when it is neither or no real date. */
export function parseImportDate(s: string): IsoDate | undefined {
  let iso: string | undefined;
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
  if (dmy) iso = `${dmy[3]}-${dmy[2].padStart(2, '0')}-${dmy[1].padStart(2, '0')}`;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) iso = s;
  return iso && isBusinessDate(iso) ? iso : undefined;
}

const RELATIONS = ['father', 'mother', 'father_in_law', 'mother_in_law', 'carer', 'spouse', 'child', 'self'];
const RELATIVE_RESULTS = ['clear', 'issue', 'exempt_party_member', 'deceased'];

/** Where a case stands after its recognition steps, beyond what the name of its last step tells. */
export interface StageFacts {
  /** The 12 months of probation have ended by business today (the probation review is open). */
  probationOver?: boolean;
  /**
   * The cell's recognition votes: the last one reached two thirds (`recognized`), or only votes without two
   * thirds either way were held — fewer than the limit (`inconclusive`: the cell votes again) or as many
   * (`escalated`: reported up, the competent committee decides, T8).
   */
  cellRecognition?: 'recognized' | 'inconclusive' | 'escalated';
  /**
   * The admission is the province standing board's (over the maximum age at the cell meeting, a province-level
   * committee): an authorised grassroots committee then reviews it as any other does.
   */
  admissionByProvince?: boolean;
}

/**
 * The stage a case is in once `steps` are taken on a route of the given shape (after the ceremony: probation,
 * then the recognition steps). The task that opens after the last step decides it; after the last importable
 * step (the cell's resolution on a grassroots cell or under an authorised committee, the grassroots review),
 * the competent committee's recognition decision.
 */
export function stageAfter(steps: readonly ImportableStep[], shape: ImportRouteShape = {}, facts: StageFacts = {}): Stage {
  const chain = steps.filter((s) => !OPTIONAL_STEPS.includes(s));
  const last = chain[chain.length - 1];
  switch (last) {
    case 'admission_ceremony':
      return facts.probationOver ? 'probation_review' : 'probation';
    case 'cell_recognition_vote':
      if (facts.cellRecognition === 'inconclusive') return 'cell_recognition_vote';
      // Three votes without two thirds go straight to the competent committee (T8), past any appraisal or review.
      if (facts.cellRecognition === 'escalated') return 'superior_recognition_decision';
  }
  const order = stepsOfRoute(shape, facts.admissionByProvince).filter((s) => !OPTIONAL_STEPS.includes(s));
  const next = last === undefined ? order[0] : order[order.indexOf(last) + 1];
  return next ? STEPS[next].stage! : 'superior_recognition_decision';
}

/** A cell recognition vote without two thirds either way, as the `recognitionInconclusiveVotes` column lists them. */
interface InconclusiveVote {
  meetingDate: IsoDate;
  officialMembers: number;
  inFavour: number;
  forRemoval?: number;
}

/** `date:members:for recognition[:for removal]`, `;`-separated; undefined when an entry cannot be read. */
function parseVotes(s: string): InconclusiveVote[] | undefined {
  const out: InconclusiveVote[] = [];
  for (const part of s.split(/[;|]/).map((p) => p.trim()).filter(Boolean)) {
    const [date, ...numbers] = part.split(':').map((p) => p.trim());
    const meetingDate = parseImportDate(date ?? '');
    if (!meetingDate || numbers.length < 2 || numbers.length > 3 || !numbers.every((n) => /^\d{1,6}$/.test(n))) return undefined;
    const [officialMembers, inFavour, forRemoval] = numbers.map(Number);
    out.push({ meetingDate, officialMembers, inFavour, ...(forRemoval !== undefined ? { forRemoval } : {}) });
  }
  return out;
}

/**
 * Checks one row's fields and builds the steps it records. `today` is the business today (no date may be
 * later); `route` is the shape of the row's route (`importRouteShape(routing)`): a grassroots cell has no
 * grassroots review, an authorised grassroots committee neither (it decides, at two thirds of all its members),
 * and only a cell under a partial committee has the partial committee's appraisals; the columns of a step the
 * route does not have are refused.
 * The rules of each step (thresholds, age, certificate validity, introducers…) are checked afterwards by the
 * dry run of the case; here: presence, formats, dates not in the future and in the order of the procedure.
 */
export function checkImportRow(raw: RawImportRow, today: IsoDate, route: ImportRouteShape = {}): CheckedImportRow {
  const v = raw.values;
  const errors: RowError[] = [];
  const out: CheckedImportRow = { row: raw.row, fullName: v.fullName ?? '', cell: v.cell ?? '', steps: [], errors };
  const dates: Record<string, IsoDate> = {};
  const ints: Record<string, number> = {};
  const bools: Record<string, boolean> = {};
  let votes: InconclusiveVote[] = [];
  const filled = (key: string) => (v[key] ?? '') !== '';

  for (const col of IMPORT_COLUMNS) {
    const s = v[col.key] ?? '';
    if (s === '') continue;
    const bad = (code: MessageCode, params: MessageParams = {}) => errors.push(rowError(code, { column: col.key, value: s, ...params }, col.key));
    switch (col.kind) {
      case 'date': {
        const d = parseImportDate(s);
        if (!d) bad('import_invalid_date');
        else if (d > today) errors.push(rowError('date_in_future', { field: col.key, date: d, today }, col.key));
        else dates[col.key] = d;
        break;
      }
      case 'int':
        if (!/^\d{1,6}$/.test(s)) bad('import_invalid_number');
        else ints[col.key] = Number(s);
        break;
      case 'bool': {
        const f = foldVietnamese(s);
        if (TRUE.has(f)) bools[col.key] = true;
        else if (FALSE.has(f)) bools[col.key] = false;
        else bad('import_invalid_choice', { allowed: 'có / không' });
        break;
      }
      case 'opinion':
        if (!OPINIONS.has(foldVietnamese(s))) bad('import_invalid_choice', { allowed: 'đồng ý / không đồng ý' });
        break;
      case 'gender':
        if (!['nam', 'male', 'nu', 'female'].includes(foldVietnamese(s))) bad('import_invalid_choice', { allowed: 'nam / nữ' });
        break;
      case 'education':
        if (!(EDUCATION_LEVELS as readonly string[]).includes(s)) bad('import_invalid_choice', { allowed: EDUCATION_LEVELS.join(', ') });
        break;
      case 'relatives':
        for (const part of s.split(/[;|]/).map((p) => p.trim()).filter(Boolean)) {
          const [relation, result] = part.split(':').map((p) => p.trim());
          if (!RELATIONS.includes(relation) || !RELATIVE_RESULTS.includes(result)) bad('import_invalid_choice', { allowed: `${RELATIONS.join('|')} : ${RELATIVE_RESULTS.join('|')}` });
        }
        break;
      case 'votes': {
        const read = parseVotes(s);
        if (!read) bad('import_invalid_choice', { allowed: 'dd/mm/yyyy:9:5:3; …' });
        else {
          const future = read.find((x) => x.meetingDate > today);
          if (future) errors.push(rowError('date_in_future', { field: col.key, date: future.meetingDate, today }, col.key));
          else votes = read;
        }
        break;
      }
      case 'text':
        if (s.length > 200 && !col.key.startsWith('opinions')) bad('import_invalid_choice', { allowed: '≤ 200' });
        break;
    }
  }
  for (const col of IMPORT_COLUMNS) if (col.required && !col.step && !filled(col.key)) errors.push(rowError('import_missing_value', { column: col.key }, col.key));

  // Steps taken: a step is taken when any of its columns is filled; none may be skipped (the new-member class,
  // beside the probation, may be absent).
  // The steps of the row's route; the columns of a step it does not have are refused.
  const admissionByProvince =
    route.provinceCommittee === true && dates.dateOfBirth !== undefined && dates.cellMeetingDate !== undefined && isOverMaximumAge(dates.dateOfBirth, dates.cellMeetingDate, ruleSetFor(dates.cellMeetingDate));
  const applicable = stepsOfRoute(route, admissionByProvince);
  const taken = applicable.filter((s) => IMPORT_COLUMNS.some((col) => col.step === s && filled(col.key)));
  for (const s of IMPORTABLE_STEPS) {
    if (!applicable.includes(s) && IMPORT_COLUMNS.some((col) => col.step === s && filled(col.key))) {
      errors.push(rowError('import_step_not_applicable', { step: STEPS[s].vi }, IMPORT_COLUMNS.find((col) => col.step === s && filled(col.key))!.key));
    }
  }
  const lastIndex = taken.length ? applicable.indexOf(taken[taken.length - 1]) : -1;
  const steps = applicable.slice(0, lastIndex + 1).filter((s) => !OPTIONAL_STEPS.includes(s) || taken.includes(s));
  for (const s of steps) {
    if (!taken.includes(s)) {
      errors.push(rowError('import_step_missing', { step: STEPS[s].vi, later: STEPS[taken[taken.length - 1]].vi }, IMPORT_COLUMNS.find((col) => col.step === s)!.key));
      continue;
    }
    for (const col of IMPORT_COLUMNS) if (col.step === s && col.required && !filled(col.key)) errors.push(rowError('import_missing_value', { column: col.key }, col.key));
  }
  // The cell's recognition: the votes without two thirds alone, or the resolution (all three columns), which a
  // later step needs.
  const recognized = CELL_RECOGNITION_COLUMNS.some(filled) || steps.includes('partial_recognition_appraisal') || steps.includes('grassroots_recognition_review');
  if (steps.includes('cell_recognition_vote') && recognized) {
    for (const key of CELL_RECOGNITION_COLUMNS) if (!filled(key)) errors.push(rowError('import_missing_value', { column: key }, key));
  }
  if (steps.includes('record_introductions')) {
    const introducers = [1, 2].filter((n) => filled(`introducer${n}Name`)).length;
    if (introducers === 0) errors.push(rowError('import_missing_value', { column: 'introducer1Name' }, 'introducer1Name'));
    for (const n of [1, 2]) if (filled(`introducer${n}Name`) && !filled(`introducer${n}MonthsTogether`)) errors.push(rowError('import_missing_value', { column: `introducer${n}MonthsTogether` }, `introducer${n}MonthsTogether`));
    if (filled('youthUnionResolutionNo') !== filled('youthUnionResolutionDate')) {
      const missing = filled('youthUnionResolutionNo') ? 'youthUnionResolutionDate' : 'youthUnionResolutionNo';
      errors.push(rowError('import_missing_value', { column: missing }, missing));
    }
  }

  // Order of dates along the path (the certificate may predate the sympathiser listing, not the application).
  const chain: [string, IsoDate | undefined][] = [
    ['introducedOn', dates.introducedOn],
    ['sympathiserMeetingDate', dates.sympathiserMeetingDate],
    ['applicationDate', dates.applicationDate],
    ['cvSubmittedOn', dates.cvSubmittedOn],
    ['backgroundConcludedOn', dates.backgroundConcludedOn],
    ['dossierCompiledOn', dates.dossierCompiledOn],
    ['cellMeetingDate', dates.cellMeetingDate],
    ['partialAdmissionAppraisedOn', dates.partialAdmissionAppraisedOn],
    ['grassrootsResolutionDate', dates.grassrootsResolutionDate],
    ['admissionDecisionDate', dates.admissionDecisionDate],
    ['admissionDecisionReceivedOn', dates.admissionDecisionReceivedOn],
    ['ceremonyDate', dates.ceremonyDate],
  ];
  let prev: [string, IsoDate] | undefined;
  for (const [key, d] of chain) {
    if (!d) continue;
    if (prev && d < prev[1]) errors.push(rowError('date_before_previous_step', { field: key, date: d, previous: prev[1] }, key));
    prev = [key, d];
  }

  // Probation and recognition (§7.1–7.4): the 12 months run from the ceremony; the review and the cell's votes
  // come after they end, the votes in the order they were held, the grassroots resolution after the cell's.
  let probationEndsOn: IsoDate | undefined;
  let cellRecognition: StageFacts['cellRecognition'];
  if (dates.ceremonyDate) {
    probationEndsOn = addMonths(dates.ceremonyDate, ruleSetFor(dates.ceremonyDate).probationMonths);
    const issued = dates.newMemberCertificateIssuedOn;
    if (issued && issued < dates.ceremonyDate) errors.push(rowError('date_before_previous_step', { field: 'newMemberCertificateIssuedOn', date: issued, previous: dates.ceremonyDate }, 'newMemberCertificateIssuedOn'));
    const after: [string, IsoDate | undefined][] = [
      ['probationSelfReviewOn', dates.probationSelfReviewOn],
      ['probationMentorReviewOn', dates.probationMentorReviewOn],
      ...votes.map((x): [string, IsoDate] => ['recognitionInconclusiveVotes', x.meetingDate]),
      ['recognitionCellMeetingDate', dates.recognitionCellMeetingDate],
      ['partialRecognitionAppraisedOn', dates.partialRecognitionAppraisedOn],
      ['recognitionGrassrootsResolutionDate', dates.recognitionGrassrootsResolutionDate],
    ];
    for (const [key, d] of after) {
      if (d && d < probationEndsOn) errors.push(rowError('before_probation_end', { field: key, date: d, probationEndsOn }, key));
    }
    // The two reviews in either order; each vote after both of them and after the vote before it.
    let last: [string, IsoDate] | undefined;
    for (const [key, d] of after) {
      if (!d) continue;
      if (last && d < last[1] && !(key === 'probationMentorReviewOn' && last[0] === 'probationSelfReviewOn')) {
        errors.push(rowError('date_before_previous_step', { field: key, date: d, previous: last[1] }, key));
      }
      if (!last || d > last[1]) last = [key, d];
    }
    if (votes.length) {
      const limit = ruleSetFor(votes[votes.length - 1].meetingDate).inconclusiveRecognitionVotesBeforeEscalation;
      if (votes.length > limit || (votes.length === limit && recognized)) {
        errors.push(rowError('import_inconclusive_votes_limit', { votes: votes.length, limit }, 'recognitionInconclusiveVotes'));
      }
      cellRecognition = votes.length >= limit ? 'escalated' : 'inconclusive';
    }
    if (recognized) {
      cellRecognition = 'recognized';
      // The new-member class certificate is in the recognition dossier (§7.3), obtained before the cell's vote.
      if (!filled('newMemberCertificateNo') && !filled('newMemberCertificateIssuedOn')) errors.push(rowError('new_member_certificate_missing', {}, 'newMemberCertificateNo'));
      else if (issued && dates.recognitionCellMeetingDate && issued > dates.recognitionCellMeetingDate) {
        errors.push(rowError('import_new_member_certificate_after_vote', { date: issued, meetingDate: dates.recognitionCellMeetingDate }, 'newMemberCertificateIssuedOn'));
      }
    }
  }
  const certNext = dates.applicationDate ?? dates.cellMeetingDate;
  if (dates.certificateIssuedOn && certNext && dates.certificateIssuedOn > certNext) {
    errors.push(rowError('import_certificate_after_application', { date: dates.certificateIssuedOn, applicationDate: certNext }, 'certificateIssuedOn'));
  }
  if (dates.dateOfBirth && dates.introducedOn && dates.dateOfBirth >= dates.introducedOn) {
    errors.push(rowError('date_before_previous_step', { field: 'introducedOn', date: dates.introducedOn, previous: dates.dateOfBirth }, 'introducedOn'));
  }
  if (errors.length) return out;

  const gender = ['nam', 'male'].includes(foldVietnamese(v.gender)) ? 'male' : 'female';
  out.dateOfBirth = dates.dateOfBirth;
  out.profile = {
    gender,
    ethnicity: v.ethnicity,
    religion: v.religion || null,
    education: v.education as Education,
    youthUnionMember: bools.youthUnionMember,
    hardshipArea: bools.hardshipArea ?? false,
  };
  out.source = { organization: v.sourceOrganization, introducedOn: dates.introducedOn };
  out.steps = steps.flatMap((taskType): ImportedStep[] => {
    if (taskType !== 'cell_recognition_vote') return [{ taskType, outcome: STEPS[taskType].outcomes[0], data: stepData(taskType, v, dates, ints, bools) }];
    // The votes without two thirds, in the order held, then the resolution that reached them.
    const held: ImportedStep[] = votes.map((x) => ({ taskType, outcome: 'inconclusive', data: { ...x } }));
    return recognized ? [...held, { taskType, outcome: 'recognize', data: stepData(taskType, v, dates, ints, bools) }] : held;
  });
  out.stage = stageAfter(steps, route, { probationOver: probationEndsOn !== undefined && probationEndsOn <= today, cellRecognition, admissionByProvince });
  return out;
}

function stepData(step: ImportableStep, v: Record<string, string>, dates: Record<string, IsoDate>, ints: Record<string, number>, bools: Record<string, boolean>): Record<string, unknown> {
  switch (step) {
    case 'recognize_sympathiser':
      return { meetingDate: dates.sympathiserMeetingDate, mentor: { fullName: v.mentorName } };
    case 'record_training_certificate':
      return { certificateNo: v.certificateNo, issuedOn: dates.certificateIssuedOn };
    case 'submit_application':
      return { applicationDate: dates.applicationDate, cvSubmittedOn: dates.cvSubmittedOn };
    case 'verify_background':
      return {
        conclusion: 'meets',
        relativesChecked: v.relativesChecked.split(/[;|]/).map((p) => p.trim()).filter(Boolean).map((p) => {
          const [relation, result] = p.split(':').map((x) => x.trim());
          return { relation, result };
        }),
        concludedOn: dates.backgroundConcludedOn,
      };
    case 'record_introductions':
      return {
        introducers: [1, 2]
          .filter((n) => v[`introducer${n}Name`])
          .map((n) => ({ fullName: v[`introducer${n}Name`], official: true, sameGrassroots: true, monthsTogether: ints[`introducer${n}MonthsTogether`] })),
        ...(bools.youthUnionAtGrassroots !== undefined ? { youthUnionAtGrassroots: bools.youthUnionAtGrassroots } : {}),
        ...(v.youthUnionResolutionNo ? { youthUnionResolution: { number: v.youthUnionResolutionNo, date: dates.youthUnionResolutionDate } } : {}),
        opinions: { massOrganizations: v.opinionsMassOrganizations, residence: v.opinionsResidence },
        compiledOn: dates.dossierCompiledOn,
      };
    case 'cell_admission_vote':
      return { meetingDate: dates.cellMeetingDate, officialMembers: ints.cellOfficialMembers, inFavour: ints.cellInFavour };
    case 'partial_admission_appraisal':
      return appraisal(v, dates, 'partialAdmission');
    case 'grassroots_admission_review':
      return { committeeMembers: ints.grassrootsCommitteeMembers, inFavour: ints.grassrootsInFavour, resolutionDate: dates.grassrootsResolutionDate };
    case 'superior_admission_decision':
      return {
        boardMembers: ints.superiorBoardMembers,
        inFavour: ints.superiorInFavour,
        decisionNo: v.admissionDecisionNo,
        decisionDate: dates.admissionDecisionDate,
        // The ceremony clock (T4) runs from the day the cell received the decision, the decision date when absent.
        ...(dates.admissionDecisionReceivedOn ? { receivedOn: dates.admissionDecisionReceivedOn } : {}),
      };
    case 'admission_ceremony':
      return { ceremonyDate: dates.ceremonyDate };
    case 'record_new_member_training':
      return { certificateNo: v.newMemberCertificateNo, issuedOn: dates.newMemberCertificateIssuedOn };
    case 'probation_review':
      return {
        selfReviewOn: dates.probationSelfReviewOn,
        mentorReviewOn: dates.probationMentorReviewOn,
        opinions: { massOrganizations: v.probationOpinionsMassOrganizations, residence: v.probationOpinionsResidence },
      };
    case 'cell_recognition_vote':
      return { meetingDate: dates.recognitionCellMeetingDate, officialMembers: ints.recognitionCellOfficialMembers, inFavour: ints.recognitionCellInFavour };
    case 'partial_recognition_appraisal':
      return appraisal(v, dates, 'partialRecognition');
    case 'grassroots_recognition_review':
      return { committeeMembers: ints.recognitionGrassrootsCommitteeMembers, inFavour: ints.recognitionGrassrootsInFavour, resolutionDate: dates.recognitionGrassrootsResolutionDate };
  }
}

/** A partial committee's appraisal (7-KNĐ, 14-KNĐ): its date, its opinion, its report number when given. */
function appraisal(v: Record<string, string>, dates: Record<string, IsoDate>, prefix: 'partialAdmission' | 'partialRecognition'): Record<string, unknown> {
  const reportNo = v[`${prefix}ReportNo`];
  return { appraisedOn: dates[`${prefix}AppraisedOn`], opinion: OPINIONS.get(foldVietnamese(v[`${prefix}Opinion`])), ...(reportNo ? { reportNo } : {}) };
}

/**
 * The column a refusal of the rules is about: the step's decision field mapped back to the template. A refused
 * cell recognition vote without two thirds (`outcome` inconclusive) is in the column that lists those votes.
 */
export function columnFor(step: TaskType, field: string | undefined, outcome?: string): string | undefined {
  if (step === 'cell_recognition_vote' && outcome === 'inconclusive') return 'recognitionInconclusiveVotes';
  if (step === 'cell_recognition_vote' && field === 'outcome') return 'newMemberCertificateNo';
  if (!field) return undefined;
  const exact = IMPORT_COLUMNS.find((col) => col.step === step && col.field === field);
  if (exact) return exact.key;
  const top = field.split('.')[0];
  return IMPORT_COLUMNS.find((col) => col.step === step && col.field?.split('.')[0] === top)?.key ?? IMPORT_COLUMNS.find((col) => col.step === step)?.key;
}

/**
 * The row key that makes a re-import create nothing twice: the candidate's grassroots organisation, name
 * (folded: case, diacritics and spaces do not matter) and date of birth. The candidate's id is a name-based
 * UUID of it (computed by the caller, which has a hash function).
 */
export function importRowKey(grassrootsId: string, fullName: string, dateOfBirth: IsoDate): string {
  return `ketnap-import:v1:${grassrootsId}:${foldVietnamese(fullName)}:${dateOfBirth}`;
}

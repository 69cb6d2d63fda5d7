/** Vietnamese first, English as a switch: every label of the app, dates dd/mm/yyyy, numbers vi-VN. */
import { createContext, useContext } from 'react';
import { STAGE_NAMES, STEPS, type TaskType } from '../../../libs/domain/src/procedure.js';

export type Lang = 'vi' | 'en';

const vi = {
  appName: 'Quản lý kết nạp Đảng',
  signIn: 'Đăng nhập',
  signOut: 'Đăng xuất',
  username: 'Tên đăng nhập',
  password: 'Mật khẩu',
  signingIn: 'Đang đăng nhập…',
  inbox: 'Việc cần xử lý',
  bulk: 'Xử lý hàng loạt',
  admin: 'Quản trị',
  reports: 'Báo cáo',
  language: 'Ngôn ngữ',
  loading: 'Đang tải…',
  candidate: 'Người vào Đảng',
  step: 'Bước',
  orgUnit: 'Đơn vị',
  due: 'Hạn xử lý',
  dueState: 'Tình trạng hạn',
  all: 'Tất cả',
  overdue: 'Quá hạn',
  dueSoon: 'Sắp đến hạn',
  onTime: 'Còn hạn',
  noDue: 'Không có hạn',
  search: 'Tìm theo tên (có hoặc không dấu)',
  sort: 'Sắp xếp',
  sortDue: 'Hạn gần nhất trước',
  sortOpened: 'Việc mở sớm nhất trước',
  filter: 'Lọc',
  clear: 'Bỏ lọc',
  savedFilters: 'Bộ lọc đã lưu',
  saveFilter: 'Lưu bộ lọc',
  filterName: 'Tên bộ lọc',
  deleteFilter: 'Xóa bộ lọc',
  apply: 'Áp dụng',
  noTasks: 'Không có việc nào phù hợp.',
  tasksTotal: (n: number) => `${fmtNumber(n, 'vi')} việc`,
  page: (p: number, n: number) => `Trang ${p}/${n}`,
  previous: 'Trang trước',
  next: 'Trang sau',
  open: 'Mở',
  workingDaysLeft: (n: number) => (n < 0 ? `quá ${-n} ngày làm việc` : n === 0 ? 'hạn hôm nay' : `còn ${n} ngày làm việc`),
  dossier: 'Hồ sơ',
  timeline: 'Tiến trình',
  history: 'Lịch sử',
  decision: 'Quyết định',
  submit: 'Ghi nhận',
  submitting: 'Đang gửi…',
  outcome: 'Kết quả',
  note: 'Ghi chú',
  staleTask: 'Việc này đã được người khác xử lý hoặc đã đóng. Dữ liệu đã được tải lại.',
  recorded: 'Đã ghi nhận. Giai đoạn hiện tại:',
  nextTasks: 'Việc tiếp theo',
  stage: 'Giai đoạn',
  status: 'Trạng thái',
  dateOfBirth: 'Ngày sinh',
  gender: 'Giới tính',
  female: 'Nữ',
  male: 'Nam',
  ethnicity: 'Dân tộc',
  religion: 'Tôn giáo',
  education: 'Trình độ giáo dục phổ thông',
  youthUnion: 'Đoàn viên',
  routePartyMembers: 'Hình thức giới thiệu: hai đảng viên chính thức (mẫu 3-KNĐ). Người vào Đảng trong độ tuổi thanh niên (đến 30) ở nơi có tổ chức Đoàn cơ sở phải do Đoàn giới thiệu.',
  routeYouthUnion: 'Hình thức giới thiệu: nghị quyết của Ban Chấp hành Đoàn cơ sở (mẫu 4-KNĐ) và một đảng viên chính thức.',
  routeTradeUnion: 'Hình thức giới thiệu: nghị quyết của Ban Chấp hành công đoàn cơ sở (mẫu 4A-KNĐ) và một đảng viên chính thức; chỉ nơi không có tổ chức Đoàn cơ sở.',
  yes: 'Có',
  no: 'Không',
  source: 'Nguồn giới thiệu',
  partyAgeFrom: 'Tuổi Đảng tính từ',
  probationEndsOn: 'Hết thời hạn dự bị',
  officialFrom: 'Đảng viên chính thức từ',
  comments: 'Trao đổi',
  addComment: 'Gửi ý kiến',
  commentText: 'Nội dung ý kiến',
  attachments: 'Tài liệu đính kèm',
  upload: 'Tải lên',
  uploadHint: 'Bản quét biểu mẫu: PDF, JPEG hoặc PNG, tối đa 10 MB',
  kind: 'Loại biểu mẫu (ví dụ 2-KNĐ)',
  file: 'Tệp',
  downloadFile: 'Tải về',
  done: 'Đã xong',
  current: 'Đang thực hiện',
  upcoming: 'Sắp tới',
  skipped: 'Không áp dụng',
  who: 'Người thực hiện',
  when: 'Thời điểm',
  what: 'Nội dung',
  ruleSet: 'Văn bản áp dụng',
  exportPdf: 'Xuất hồ sơ PDF',
  dossierForms: 'Hồ sơ theo biểu mẫu',
  formCode: 'Mẫu',
  formTitle: 'Tên biểu mẫu',
  formStatus: 'Tình trạng',
  formDocuments: 'Tài liệu',
  formPresent: 'Đã có',
  formMissing: 'Còn thiếu',
  formNotApplicable: 'Không áp dụng',
  formPrint: 'In mẫu (PDF)',
  formRecorded: 'Đã ghi nhận',
  formsSummary: (p: number, m: number, n: number) => `${p} đã có · ${m} còn thiếu · ${n} không áp dụng`,
  formOfScan: 'Là biểu mẫu',
  formNone: '— Tài liệu khác —',
  dossierWarn: 'Hồ sơ còn thiếu các biểu mẫu bước này xem xét:',
  dossierRequired: 'Đơn vị yêu cầu đủ hồ sơ trước khi ghi nhận quyết định; còn thiếu:',
  backToInbox: '← Về danh sách việc',
  // Vote helpers
  twoThirdsReached: (f: number, m: number, need: number) => `Đạt ít nhất hai phần ba: ${f}/${m} tán thành (cần tối thiểu ${need}).`,
  twoThirdsNotReached: (f: number, m: number, need: number) => `Chưa đạt hai phần ba: ${f}/${m} tán thành, cần tối thiểu ${need}. Nghị quyết đề nghị kết nạp không được thông qua.`,
  majorityReached: (f: number, m: number, need: number) => `Đạt quá nửa: ${f}/${m} tán thành (cần tối thiểu ${need}).`,
  majorityNotReached: (f: number, m: number, need: number) => `Chưa đạt quá nửa: ${f}/${m} tán thành, cần tối thiểu ${need}.`,
  votesExceed: 'Số phiếu tán thành không được lớn hơn số thành viên.',
  // Bulk
  bulkCertificates: 'Ghi nhận giấy chứng nhận cho cả lớp',
  bulkVotes: 'Ghi kết quả một cuộc họp chi bộ',
  bulkHintVotes: 'Chi bộ xét từng người một: mỗi người một nghị quyết, một kết quả biểu quyết.',
  select: 'Chọn',
  selectAll: 'Chọn tất cả',
  certificateNo: 'Số giấy chứng nhận',
  issuedOn: 'Ngày cấp',
  firstNumber: 'Số đầu tiên',
  prefix: 'Ký hiệu',
  recordSelected: (n: number) => `Ghi nhận cho ${n} người đã chọn`,
  bulkResult: (ok: number, bad: number) => `${ok} đã ghi nhận, ${bad} bị từ chối.`,
  nothingSelected: 'Chưa chọn người nào.',
  // Admin
  orgUnits: 'Tổ chức đảng',
  users: 'Người dùng',
  name: 'Tên',
  parent: 'Trực thuộc',
  create: 'Tạo mới',
  fullName: 'Họ và tên',
  roles: 'Vai trò',
  role: 'Vai trò',
  created: 'Đã tạo.',
  required: 'Bắt buộc',
  errorPrefix: 'Không thực hiện được:',
};

type Dict = typeof vi;

const en: Dict = {
  appName: 'Party admission',
  signIn: 'Sign in',
  signOut: 'Sign out',
  username: 'Username',
  password: 'Password',
  signingIn: 'Signing in…',
  inbox: 'Inbox',
  bulk: 'Bulk actions',
  admin: 'Administration',
  reports: 'Reports',
  language: 'Language',
  loading: 'Loading…',
  candidate: 'Candidate',
  step: 'Step',
  orgUnit: 'Unit',
  due: 'Due',
  dueState: 'Due state',
  all: 'All',
  overdue: 'Overdue',
  dueSoon: 'Due soon',
  onTime: 'On time',
  noDue: 'No deadline',
  search: 'Search by name (with or without diacritics)',
  sort: 'Sort',
  sortDue: 'Earliest due first',
  sortOpened: 'Oldest first',
  filter: 'Filter',
  clear: 'Clear',
  savedFilters: 'Saved filters',
  saveFilter: 'Save filter',
  filterName: 'Filter name',
  deleteFilter: 'Delete filter',
  apply: 'Apply',
  noTasks: 'No matching tasks.',
  tasksTotal: (n: number) => `${fmtNumber(n, 'en')} tasks`,
  page: (p: number, n: number) => `Page ${p} of ${n}`,
  previous: 'Previous',
  next: 'Next',
  open: 'Open',
  workingDaysLeft: (n: number) => (n < 0 ? `${-n} working days overdue` : n === 0 ? 'due today' : `${n} working days left`),
  dossier: 'Dossier',
  timeline: 'Procedure',
  history: 'History',
  decision: 'Decision',
  submit: 'Record',
  submitting: 'Sending…',
  outcome: 'Outcome',
  note: 'Note',
  staleTask: 'This task was already decided by someone else or is closed. The page has been reloaded.',
  recorded: 'Recorded. Current stage:',
  nextTasks: 'Next tasks',
  stage: 'Stage',
  status: 'Status',
  dateOfBirth: 'Date of birth',
  gender: 'Sex',
  female: 'Female',
  male: 'Male',
  ethnicity: 'Ethnicity',
  religion: 'Religion',
  education: 'General education',
  youthUnion: 'Youth Union member',
  routePartyMembers: 'Introduction route: two official members (form 3-KNĐ). A candidate of youth age (up to 30) where a grassroots Youth Union organisation exists must be introduced by it.',
  routeYouthUnion: "Introduction route: the grassroots Youth Union committee's resolution (form 4-KNĐ) and one official member.",
  routeTradeUnion: "Introduction route: the grassroots trade-union committee's resolution (form 4A-KNĐ) and one official member; only where there is no Youth Union organisation.",
  yes: 'Yes',
  no: 'No',
  source: 'Introduced by',
  partyAgeFrom: 'Party age from',
  probationEndsOn: 'Probation ends',
  officialFrom: 'Official member from',
  comments: 'Comments',
  addComment: 'Post comment',
  commentText: 'Comment',
  attachments: 'Attachments',
  upload: 'Upload',
  uploadHint: 'Scanned forms: PDF, JPEG or PNG, up to 10 MB',
  kind: 'Form (e.g. 2-KNĐ)',
  file: 'File',
  downloadFile: 'Download',
  done: 'Done',
  current: 'Current',
  upcoming: 'Upcoming',
  skipped: 'Not applicable',
  who: 'Who',
  when: 'When',
  what: 'What',
  ruleSet: 'Rule version',
  exportPdf: 'Export dossier (PDF)',
  dossierForms: 'Dossier by form',
  formCode: 'Form',
  formTitle: 'Title',
  formStatus: 'Status',
  formDocuments: 'Documents',
  formPresent: 'Present',
  formMissing: 'Missing',
  formNotApplicable: 'Not applicable',
  formPrint: 'Print form (PDF)',
  formRecorded: 'Recorded',
  formsSummary: (p: number, m: number, n: number) => `${p} present · ${m} missing · ${n} not applicable`,
  formOfScan: 'Catalogue form',
  formNone: '— Other document —',
  dossierWarn: 'The dossier lacks forms this step considers:',
  dossierRequired: 'This unit requires the documents before the decision; missing:',
  backToInbox: '← Back to inbox',
  twoThirdsReached: (f: number, m: number, need: number) => `Two thirds reached: ${f}/${m} in favour (at least ${need} needed).`,
  twoThirdsNotReached: (f: number, m: number, need: number) => `Two thirds not reached: ${f}/${m} in favour, at least ${need} needed. The admission proposal does not pass.`,
  majorityReached: (f: number, m: number, need: number) => `More than half reached: ${f}/${m} in favour (at least ${need} needed).`,
  majorityNotReached: (f: number, m: number, need: number) => `More than half not reached: ${f}/${m} in favour, at least ${need} needed.`,
  votesExceed: 'Votes in favour cannot exceed the number of members.',
  bulkCertificates: 'Record certificates for a whole class',
  bulkVotes: 'Record one cell meeting',
  bulkHintVotes: 'The cell considers candidates one at a time: one resolution and one vote per candidate.',
  select: 'Select',
  selectAll: 'Select all',
  certificateNo: 'Certificate number',
  issuedOn: 'Issued on',
  firstNumber: 'First number',
  prefix: 'Suffix',
  recordSelected: (n: number) => `Record for ${n} selected`,
  bulkResult: (ok: number, bad: number) => `${ok} recorded, ${bad} refused.`,
  nothingSelected: 'Nobody selected.',
  orgUnits: 'Party organisations',
  users: 'Users',
  name: 'Name',
  parent: 'Parent',
  create: 'Create',
  fullName: 'Full name',
  roles: 'Roles',
  role: 'Role',
  created: 'Created.',
  required: 'Required',
  errorPrefix: 'Could not complete:',
};

export const DICTS: Record<Lang, Dict> = { vi, en };

/** Official stage names, from the domain (one source for the API, the PDF export and the web app). */
export { STAGE_NAMES };

export const ROLE_NAMES: Record<string, { vi: string; en: string }> = {
  cell_secretary: { vi: 'Bí thư chi bộ', en: 'Cell secretary' },
  grassroots_committee: { vi: 'Đảng ủy cơ sở', en: 'Grassroots committee' },
  superior_board: { vi: 'Ban Thường vụ cấp ủy cấp trên', en: 'Superior standing board' },
  partial_committee: { vi: 'Đảng ủy bộ phận', en: 'Partial committee' },
  training_centre: { vi: 'Trung tâm chính trị', en: 'Training centre' },
  auditor: { vi: 'Kiểm tra, giám sát', en: 'Auditor' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
};

export const OUTCOME_NAMES: Record<string, { vi: string; en: string }> = {
  approve: { vi: 'Đồng ý', en: 'Approve' },
  reject: { vi: 'Không đồng ý', en: 'Reject' },
  pass: { vi: 'Đạt', en: 'Pass' },
  fail: { vi: 'Không đạt', en: 'Fail' },
  submit: { vi: 'Hoàn thành', en: 'Complete' },
  conclude: { vi: 'Kết luận', en: 'Conclude' },
  held: { vi: 'Đã tổ chức', en: 'Held' },
  recognize: { vi: 'Công nhận chính thức', en: 'Recognise as official' },
  remove: { vi: 'Xóa tên', en: 'Remove' },
  inconclusive: { vi: 'Chưa đủ phiếu', en: 'Inconclusive' },
  acknowledge: { vi: 'Đã đôn đốc', en: 'Acknowledged' },
};

export const EVENT_NAMES: Record<string, { vi: string; en: string }> = {
  candidate_created: { vi: 'Bắt đầu theo dõi người vào Đảng', en: 'Candidate created' },
  task_opened: { vi: 'Mở việc', en: 'Task opened' },
  decision_recorded: { vi: 'Ghi nhận quyết định', en: 'Decision recorded' },
  task_cancelled: { vi: 'Hủy việc', en: 'Task cancelled' },
  stage_changed: { vi: 'Chuyển giai đoạn', en: 'Stage changed' },
  probation_started: { vi: 'Bắt đầu thời hạn dự bị', en: 'Probation started' },
  probation_ended: { vi: 'Hết thời hạn dự bị', en: 'Probation ended' },
  recognition_escalated: { vi: 'Báo cáo cấp trên việc xét công nhận', en: 'Recognition escalated' },
  candidate_withdrawn: { vi: 'Dừng xem xét', en: 'Withdrawn' },
  candidate_transferred: { vi: 'Chuyển sinh hoạt', en: 'Transferred' },
  path_ended: { vi: 'Kết thúc', en: 'Path ended' },
  reminder_sent: { vi: 'Nhắc hạn', en: 'Reminder' },
  deadline_missed: { vi: 'Quá hạn', en: 'Deadline missed' },
  deadline_extended: { vi: 'Gia hạn', en: 'Deadline extended' },
  certificate_expiring: { vi: 'Giấy chứng nhận sắp hết hạn', en: 'Certificate expiring' },
  certificate_expired: { vi: 'Giấy chứng nhận hết hạn', en: 'Certificate expired' },
  dossier_stale: { vi: 'Hồ sơ quá 12 tháng', en: 'Dossier older than 12 months' },
  calendar_changed: { vi: 'Thay đổi lịch làm việc', en: 'Calendar changed' },
  case_imported: { vi: 'Nhập hồ sơ đang xử lý từ tệp', en: 'Imported from a file' },
  org_restructured: { vi: 'Sắp xếp lại tổ chức đảng', en: 'Org units reorganised' },
  candidate_facts_changed: { vi: 'Cập nhật thông tin người vào Đảng', en: 'Candidate facts updated' },
};

/** Education levels (libs/domain/src/procedure.ts EDUCATION_LEVELS). */
export const EDUCATION_NAMES: Record<string, { vi: string; en: string }> = {
  none: { vi: 'Chưa qua đào tạo', en: 'None' },
  primary: { vi: 'Hoàn thành tiểu học', en: 'Primary' },
  lower_secondary_equivalent: { vi: 'Tương đương THCS', en: 'Lower-secondary equivalent' },
  lower_secondary: { vi: 'Tốt nghiệp THCS', en: 'Lower-secondary diploma' },
  upper_secondary: { vi: 'Tốt nghiệp THPT', en: 'Upper-secondary diploma' },
  vocational: { vi: 'Trung cấp nghề', en: 'Vocational' },
  college: { vi: 'Cao đẳng', en: 'College' },
  university: { vi: 'Đại học', en: 'University' },
  postgraduate: { vi: 'Sau đại học', en: 'Postgraduate' },
};

/** The facts a change may record (candidate_facts_changed). */
export const FACT_NAMES: Record<string, { vi: string; en: string }> = {
  education: { vi: 'Trình độ học vấn', en: 'Education' },
  youthUnionMember: { vi: 'Đoàn viên', en: 'Youth Union member' },
  hardshipArea: { vi: 'Cư trú ở vùng khó khăn', en: 'Lives in a hardship area' },
  placeId: { vi: 'Nơi cư trú', en: 'Place of residence' },
};

/** Why a form of the catalogue does not apply to a case (libs/domain/src/dossier-forms.ts). */
export const FORM_REASONS: Record<string, { vi: string; en: string }> = {
  no_partial_committee: { vi: 'không có đảng ủy bộ phận', en: 'no partial committee' },
  authorised_grassroots: { vi: 'đảng ủy cơ sở được ủy quyền tự quyết định', en: 'the authorised grassroots committee decides itself' },
  not_youth_union_route: { vi: 'không giới thiệu qua Đoàn', en: 'not introduced by the Youth Union' },
  trade_union_route_not_recorded: { vi: 'không giới thiệu qua Công đoàn', en: 'not introduced by the trade union' },
  grassroots_cell: { vi: 'chi bộ cơ sở gửi thẳng cấp trên', en: 'grassroots-level cell reports straight up' },
  not_in_probation: { vi: 'chỉ từ khi là đảng viên dự bị', en: 'only once on probation' },
  path_ended_before: { vi: 'hồ sơ đã kết thúc trước bước này', en: 'the case ended before this step' },
  removed: { vi: 'đã xóa tên', en: 'removed' },
  recognition_escalated: { vi: 'ba lần biểu quyết không đạt, cấp trên quyết định', en: 'three inconclusive votes: decided above' },
};

export function stepName(type: string, lang: Lang): string {
  const s = STEPS[type as TaskType];
  return s ? s[lang] : type;
}

export function label(map: Record<string, { vi: string; en: string }>, key: string | null | undefined, lang: Lang): string {
  if (!key) return '';
  return map[key]?.[lang] ?? key;
}

/** dd/mm/yyyy from an ISO date or timestamp (Vietnam time for timestamps). */
export function fmtDate(iso: string | null | undefined): string {
  if (!iso) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) {
    const [y, m, d] = iso.split('-');
    return `${d}/${m}/${y}`;
  }
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(t);
}

export function fmtDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const p = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(t);
  const g = (k: string) => p.find((x) => x.type === k)?.value ?? '';
  return `${g('day')}/${g('month')}/${g('year')} ${g('hour')}:${g('minute')}`;
}

export function fmtNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}

export interface I18n {
  lang: Lang;
  t: Dict;
  setLang: (l: Lang) => void;
}

export const I18nContext = createContext<I18n>({ lang: 'vi', t: vi, setLang: () => undefined });
export const useI18n = () => useContext(I18nContext);

export const LANG_KEY = 'ketnap.lang';
export function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  return saved === 'en' ? 'en' : 'vi';
}

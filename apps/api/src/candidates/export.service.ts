import { createRequire } from 'node:module';
import { Inject, Injectable } from '@nestjs/common';
import PDFDocument from 'pdfkit';
import { STEPS, type TaskType } from '../../../../libs/domain/src/procedure.js';
import { CandidateRepository, type HistoryEvent } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { CandidatesService } from './candidates.service.js';

const require = createRequire(import.meta.url);
/** DejaVu Sans covers every Vietnamese letter and tone mark (also used by the generated forms, form-documents.ts). */
export const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
export const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export const EVENT_LABELS_VI: Record<string, string> = {
  candidate_created: 'Tạo hồ sơ người vào Đảng',
  task_opened: 'Mở bước',
  decision_recorded: 'Ghi nhận quyết định',
  task_cancelled: 'Hủy bước',
  stage_changed: 'Chuyển giai đoạn',
  probation_started: 'Bắt đầu thời gian dự bị',
  probation_ended: 'Hết 12 tháng dự bị',
  recognition_escalated: 'Báo cáo cấp trên sau 3 lần biểu quyết không đạt',
  candidate_withdrawn: 'Rút hồ sơ',
  path_ended: 'Kết thúc',
  reminder_sent: 'Nhắc hạn',
  deadline_missed: 'Quá hạn',
  deadline_extended: 'Gia hạn',
  certificate_expiring: 'Giấy chứng nhận sắp hết giá trị',
  certificate_expired: 'Giấy chứng nhận hết giá trị',
  dossier_stale: 'Hồ sơ quá 12 tháng',
  calendar_changed: 'Thay đổi lịch ngày làm việc',
  case_imported: 'Nhập hồ sơ đang xử lý từ tệp',
  org_restructured: 'Sắp xếp lại tổ chức đảng',
};

const STAGE_VI: Record<string, string> = {
  source_review: 'Xem xét quần chúng ưu tú',
  awareness_training: 'Học lớp bồi dưỡng nhận thức về Đảng',
  application: 'Làm đơn và lý lịch',
  verification: 'Thẩm tra lý lịch',
  introductions: 'Giới thiệu, tổng hợp ý kiến',
  cell_admission_vote: 'Chi bộ xét kết nạp',
  grassroots_admission_review: 'Đảng ủy cơ sở xét',
  superior_admission_decision: 'Cấp trên quyết định kết nạp',
  ceremony: 'Lễ kết nạp',
  probation: 'Đảng viên dự bị',
  probation_review: 'Kiểm điểm cuối thời gian dự bị',
  cell_recognition_vote: 'Chi bộ xét công nhận chính thức',
  grassroots_recognition_review: 'Đảng ủy cơ sở xét công nhận',
  superior_recognition_decision: 'Cấp trên quyết định công nhận',
  official: 'Đảng viên chính thức',
  removed: 'Xóa tên khỏi danh sách đảng viên dự bị',
  rejected: 'Không kết nạp',
  withdrawn: 'Rút hồ sơ',
};
const STATUS_VI: Record<string, string> = { active: 'đang xét', official: 'đảng viên chính thức', removed: 'đã xóa tên', rejected: 'không kết nạp', withdrawn: 'đã rút' };
const EDUCATION_VI: Record<string, string> = {
  none: 'Chưa qua đào tạo', primary: 'Tiểu học', lower_secondary_equivalent: 'Tương đương THCS', lower_secondary: 'Trung học cơ sở',
  upper_secondary: 'Trung học phổ thông', vocational: 'Trung cấp', college: 'Cao đẳng', university: 'Đại học', postgraduate: 'Sau đại học',
};
const stageVi = (s?: string) => (s ? STAGE_VI[s] ?? s : '—');

const viDate = (iso?: string | null) => (iso ? iso.slice(0, 10).split('-').reverse().join('/') : '—');

function describe(e: HistoryEvent): string {
  const d = e.data as Record<string, any>;
  const step = d.taskType ? STEPS[d.taskType as TaskType]?.vi ?? d.taskType : undefined;
  switch (e.type) {
    case 'decision_recorded':
      return `${step}: ${d.outcome}${e.ruleSetId ? ` (theo ${e.ruleSetId})` : ''}`;
    case 'task_opened':
    case 'task_cancelled':
    case 'reminder_sent':
    case 'deadline_missed':
      return `${step}${d.dueAt ? `, hạn ${viDate(d.dueAt)}` : ''}`;
    case 'deadline_extended':
      return `${step}: thêm ${d.workingDays} ngày làm việc, lý do: ${d.reason}`;
    case 'stage_changed':
      return `${stageVi(d.from)} → ${stageVi(d.to)}`;
    case 'path_ended':
      return `${stageVi(d.endState)}${d.step ? ` tại bước ${STEPS[d.step as TaskType]?.vi ?? stageVi(d.step)}` : ''}`;
    case 'candidate_withdrawn':
      return `Lý do: ${d.reason}`;
    default:
      return '';
  }
}

/** A candidate's full dossier and history, as JSON with the chain hashes or as a printable Vietnamese PDF. */
@Injectable()
export class ExportService {
  constructor(
    @Inject(CandidatesService) private readonly candidates: CandidatesService,
    @Inject(CandidateRepository) private readonly repo: CandidateRepository,
  ) {}

  async json(user: AuthUser, id: string) {
    const candidate = await this.candidates.fullView(user, id, 'export-json');
    const events = await this.repo.history(id);
    return {
      exportedAt: new Date().toISOString(),
      exportedBy: { userId: user.id, username: user.username },
      candidate,
      history: events,
      chain: { algorithm: 'sha256(prevHash + "\\n" + canonical JSON of the event)', head: events.at(-1)?.hash ?? null, events: events.length },
    };
  }

  async pdf(user: AuthUser, id: string): Promise<Buffer> {
    const c = await this.candidates.fullView(user, id, 'export-pdf');
    const events = await this.repo.history(id);
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: `Hồ sơ ${c.fullName}`, Author: 'ketnap' } });
    doc.registerFont('body', FONT);
    doc.registerFont('bold', FONT_BOLD);
    const chunks: Buffer[] = [];
    doc.on('data', (b: Buffer) => chunks.push(b));
    const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));

    doc.font('bold').fontSize(11).text('ĐẢNG CỘNG SẢN VIỆT NAM', { align: 'right' });
    doc.moveDown(0.5).fontSize(16).text('HỒ SƠ NGƯỜI VÀO ĐẢNG', { align: 'center' });
    doc.font('body').fontSize(9).text(`Trích xuất ngày ${viDate(new Date().toISOString())} bởi ${user.fullName} (${user.username})`, { align: 'center' });
    doc.moveDown();
    const row = (label: string, value: string) => doc.font('bold').fontSize(10).text(`${label}: `, { continued: true }).font('body').text(value);
    row('Họ và tên', c.fullName);
    row('Ngày sinh', viDate(c.dateOfBirth));
    row('Giới tính', c.gender === 'female' ? 'Nữ' : 'Nam');
    row('Dân tộc', c.ethnicity);
    row('Tôn giáo', c.religion ?? 'Không');
    row('Trình độ học vấn', EDUCATION_VI[c.education] ?? c.education);
    row('Đoàn viên', c.youthUnionMember ? 'Có' : 'Không');
    row('Giai đoạn hiện tại', `${stageVi(c.stage)} (${STATUS_VI[c.status] ?? c.status})`);
    if (c.partyAgeFrom) row('Tuổi đảng tính từ', viDate(c.partyAgeFrom));
    if (c.probationEndsOn) row('Hết thời gian dự bị', viDate(c.probationEndsOn));
    if (c.officialFrom) row('Đảng viên chính thức từ', viDate(c.officialFrom));
    doc.moveDown().font('bold').fontSize(12).text('Quá trình (lịch sử nghiệp vụ)');
    doc.moveDown(0.3);
    for (const e of events) {
      const who = (e.actor as any)?.fullName ?? (e.actor as any)?.username ?? 'hệ thống';
      doc.font('bold').fontSize(9).text(`${e.seq}. ${viDate(e.businessDate)} — ${EVENT_LABELS_VI[e.type] ?? e.type}`, { continued: true });
      doc.font('body').text(` — ${who}${describe(e) ? ` — ${describe(e)}` : ''}`);
    }
    doc.moveDown().font('body').fontSize(7).fillColor('#555').text(`Chuỗi băm (sha256) của sự kiện cuối: ${events.at(-1)?.hash ?? '—'} · ${events.length} sự kiện`);
    doc.end();
    await done;
    return Buffer.concat(chunks);
  }
}

/**
 * The forms the party organisation issues (5, 6, 8, 9, 12, 13, 15, 16, 20-KNĐ), printed in Vietnamese from the
 * recorded decisions: numbers, dates, votes and names filled in. Layout after the 12-HD/BTCTW templates (the
 * party header on the left, "ĐẢNG CỘNG SẢN VIỆT NAM" on the right, place and date, title, body, signature).
 */
import PDFDocument from 'pdfkit';
import { FORMS, type DecisionRecord, type GeneratedFormCode } from '../../../../libs/domain/src/dossier-forms.js';
import type { TaskType } from '../../../../libs/domain/src/procedure.js';
import { ruleSetFor } from '../../../../libs/domain/src/rule-sets.js';
import { FONT, FONT_BOLD } from './export.service.js';

export interface FormContext {
  candidate: { fullName: string; dateOfBirth: string; gender: string; ethnicity: string; religion: string | null };
  /** `partial`: the partial committee between the cell and the grassroots committee, where there is one (7, 14-KNĐ). */
  units: { cell: string; grassroots: string; superior: string; grassrootsIsCell: boolean; partial?: string };
  decisions: Map<TaskType, DecisionRecord>;
  probation?: { startsOn: string; endsOn: string };
  /** Steps decided by a grassroots committee authorised to admit in place of the superior board (§3.2 S9). */
  authorised?: ReadonlySet<TaskType>;
}

const viDate = (iso?: string | null) => (iso ? iso.slice(0, 10).split('-').reverse().join('/') : '…');
const longDate = (iso?: string | null) => {
  if (!iso) return 'ngày … tháng … năm …';
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
};
const who = (d?: DecisionRecord) => (d?.actor?.fullName as string | undefined) ?? '';
/** A number as recorded (`resolutionNo`, `decisionNo`), or the dotted blank a printed form leaves for it. */
const no = (n: unknown) => (typeof n === 'string' && n.trim() ? n : '……');
/** A resolution named from another form: its number (blank when it was recorded without one) and date. */
const resolutionRef = (d: DecisionRecord | undefined, date: string | undefined, what = '') => `Nghị quyết${what} số ${no(d?.data.resolutionNo)}, ngày ${viDate(date)}`;
/** A share as Vietnamese writes it: 83,3%. */
const pct = (n: number, of: number) => (of > 0 ? `${String(Math.round((n * 1000) / of) / 10).replace('.', ',')}%` : '—');

/** The members a cell vote counted (§3.2 S6): the official members less those left out, each category named. */
const EXCLUSION_NAMES_VI: Record<string, string> = {
  temporarilyAttached: 'sinh hoạt tạm thời ở đảng bộ khác',
  exemptedAbsent: 'được miễn sinh hoạt và vắng mặt',
  suspended: 'bị đình chỉ sinh hoạt',
  prosecuted: 'bị khởi tố',
  detained: 'bị tạm giam',
};
function cellVoteCount(data: Record<string, any>): { n: number; counted: number; excludedLine?: string } {
  const n: number = data.officialMembers;
  const excluded = Object.entries((data.exclusions ?? {}) as Record<string, number>).filter(([, k]) => k > 0);
  if (!excluded.length) return { n, counted: data.denominator ?? n };
  const total = excluded.reduce((a, [, k]) => a + k, 0);
  const parts = excluded.map(([key, k]) => `${k} đồng chí ${EXCLUSION_NAMES_VI[key] ?? key}`).join(', ');
  const counted: number = data.denominator ?? n - total;
  return { n, counted, excludedLine: `Số đảng viên không tính vào tổng số khi biểu quyết: ${total} đồng chí (${parts}); số đảng viên chính thức được tính: ${counted} đồng chí.` };
}
const gender = (g: string) => (g === 'female' ? 'Nữ' : 'Nam');

const RELATION_VI: Record<string, string> = {
  father: 'Cha đẻ', mother: 'Mẹ đẻ', father_in_law: 'Cha vợ/chồng', mother_in_law: 'Mẹ vợ/chồng', carer: 'Người trực tiếp nuôi dưỡng',
  spouse: 'Vợ/chồng', child: 'Con đẻ', self: 'Bản thân người vào Đảng',
};

/** The decision a form needs, or the error naming it (the caller turns it into a 404). */
export class FormSourceMissing extends Error {
  constructor(readonly step: TaskType) {
    super(step);
  }
}

/** Renders one generated form; throws FormSourceMissing when a decision it is printed from is not recorded. */
export async function renderForm(code: GeneratedFormCode, ctx: FormContext): Promise<Buffer> {
  const need = (t: TaskType): DecisionRecord => {
    const d = ctx.decisions.get(t);
    if (!d) throw new FormSourceMissing(t);
    return d;
  };
  const c = ctx.candidate;
  const u = ctx.units;
  const doc = new PDFDocument({ size: 'A4', margins: { top: 50, bottom: 50, left: 60, right: 55 }, info: { Title: `Mẫu ${code} — ${c.fullName}`, Author: 'ketnap' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));

  const width = doc.page.width - 115;
  const header = (issuer: string[], numberLine: string | undefined, date: string | null | undefined) => {
    const top = doc.y;
    doc.font('body').fontSize(8).text(`Mẫu ${code}`, { align: 'right' });
    const y = doc.y;
    doc.font('bold').fontSize(10);
    issuer.forEach((line) => doc.text(line.toUpperCase(), 60, doc.y, { width: width / 2, align: 'center' }));
    doc.font('body').text('*', { width: width / 2, align: 'center' });
    if (numberLine) doc.text(numberLine, { width: width / 2, align: 'center' });
    const leftBottom = doc.y;
    doc.font('bold').fontSize(11).text('ĐẢNG CỘNG SẢN VIỆT NAM', 60 + width / 2, y, { width: width / 2, align: 'center' });
    doc.font('body').fontSize(10).text(`……, ${longDate(date)}`, 60 + width / 2, doc.y + 8, { width: width / 2, align: 'center' });
    doc.x = 60;
    doc.y = Math.max(leftBottom, doc.y, top) + 20;
  };
  const title = (lines: string[]) => {
    doc.font('bold').fontSize(13);
    for (const l of lines) doc.text(l, 60, doc.y, { width, align: 'center' });
    doc.moveDown(0.8);
  };
  const p = (text: string, opts: { bold?: boolean; indent?: boolean; center?: boolean } = {}) =>
    doc.font(opts.bold ? 'bold' : 'body').fontSize(11).text(text, 60, doc.y, { width, align: opts.center ? 'center' : 'justify', indent: opts.indent ? 20 : 0, paragraphGap: 4 });
  const sign = (role: string[], name: string) => {
    doc.moveDown(1.2);
    const x = 60 + width / 2;
    doc.font('bold').fontSize(11);
    for (const l of role) doc.text(l, x, doc.y, { width: width / 2, align: 'center' });
    doc.font('body').fontSize(9).text('(Ký, ghi rõ họ tên)', x, doc.y, { width: width / 2, align: 'center' });
    doc.moveDown(2.5);
    doc.font('bold').fontSize(11).text(name || '…………………', x, doc.y, { width: width / 2, align: 'center' });
    doc.x = 60;
  };
  const candidateLines = () => {
    p(`Họ và tên: ${c.fullName}`, { indent: true });
    p(`Ngày sinh: ${viDate(c.dateOfBirth)} · Giới tính: ${gender(c.gender)} · Dân tộc: ${c.ethnicity} · Tôn giáo: ${c.religion || 'Không'}`, { indent: true });
  };
  // Unit names are the org tree's own ("Chi bộ Giáo viên", "Đảng ủy phường …"): printed as they are.
  const cellIssuer = [u.grassrootsIsCell ? u.superior : u.grassroots, u.cell];
  const grassrootsIssuer = [u.superior, u.grassroots];
  const superiorIssuer = [u.superior, 'Ban Thường vụ'];
  // The body that issues a decision (9, 16-KNĐ): the superior's standing board, or the authorised grassroots committee.
  const decider = (step: TaskType) =>
    ctx.authorised?.has(step)
      ? { issuer: grassrootsIssuer, heading: u.grassroots.toUpperCase(), votedBy: 'Đảng ủy (được ủy quyền kết nạp đảng viên)', sign: 'T/M ĐẢNG ỦY' }
      : { issuer: superiorIssuer, heading: `BAN THƯỜNG VỤ ${u.superior.toUpperCase()}`, votedBy: 'Ban Thường vụ', sign: 'T/M BAN THƯỜNG VỤ' };
  const next = u.grassrootsIsCell ? `Ban Thường vụ ${u.superior}` : u.grassroots;

  switch (code) {
    case '5-KNĐ': {
      const d = need('record_introductions');
      header(cellIssuer, undefined, d.date);
      title(['TỔNG HỢP Ý KIẾN NHẬN XÉT', 'của tổ chức đoàn thể chính trị - xã hội nơi người vào Đảng sinh hoạt', 'và chi ủy nơi cư trú đối với người vào Đảng']);
      p('Chi ủy chi bộ đã tổng hợp ý kiến nhận xét đối với quần chúng:', { indent: true });
      candidateLines();
      p('1. Ý kiến nhận xét của tổ chức đoàn thể chính trị - xã hội nơi người vào Đảng sinh hoạt:', { bold: true });
      p(String(d.data.opinions?.massOrganizations ?? ''), { indent: true });
      p('2. Ý kiến nhận xét của chi ủy (chi bộ) nơi cư trú:', { bold: true });
      p(String(d.data.opinions?.residence ?? ''), { indent: true });
      if (Array.isArray(d.data.introducers) && d.data.introducers.length) {
        p('3. Đảng viên giới thiệu:', { bold: true });
        for (const i of d.data.introducers) p(`– ${i.fullName} (cùng công tác, học tập hoặc cư trú ${i.monthsTogether} tháng)`, { indent: true });
      }
      if (d.data.youthUnionResolution) p(`Nghị quyết giới thiệu đoàn viên ưu tú vào Đảng số ${d.data.youthUnionResolution.number} ngày ${viDate(d.data.youthUnionResolution.date)}.`, { indent: true });
      if (d.data.tradeUnionResolution) p(`Nghị quyết giới thiệu đoàn viên công đoàn ưu tú vào Đảng số ${d.data.tradeUnionResolution.number} ngày ${viDate(d.data.tradeUnionResolution.date)}.`, { indent: true });
      p(`Tổng hợp ngày ${viDate(d.data.compiledOn ?? d.date)}.`, { indent: true });
      sign(['T/M CHI ỦY'], who(d));
      break;
    }
    case '6-KNĐ': {
      const d = need('cell_admission_vote');
      const { meetingDate, inFavour: yes } = d.data;
      const { n, counted, excludedLine } = cellVoteCount(d.data);
      header(cellIssuer, d.data.resolutionNo ? `Số: ${d.data.resolutionNo}` : 'Số: ……-NQ/CB', meetingDate ?? d.date);
      title(['NGHỊ QUYẾT', 'ĐỀ NGHỊ KẾT NẠP ĐẢNG VIÊN']);
      p(`Ngày ${viDate(meetingDate)}, ${u.cell} đã họp để xét đề nghị kết nạp quần chúng ${c.fullName} vào Đảng.`, { indent: true });
      candidateLines();
      p('Sau khi nghiên cứu hồ sơ và thảo luận, chi bộ thống nhất kết luận: quần chúng đủ điều kiện, tiêu chuẩn để được kết nạp vào Đảng Cộng sản Việt Nam.', { indent: true });
      p(`Tổng số đảng viên chính thức của chi bộ: ${n} đồng chí.`, { indent: true });
      if (excludedLine) p(excludedLine, { indent: true });
      p(`Số đảng viên chính thức tán thành việc kết nạp: ${yes} đồng chí (đạt ${pct(yes, counted)} so với ${excludedLine ? 'số đảng viên chính thức được tính' : 'tổng số đảng viên chính thức'}).`, { indent: true });
      p(`Số đảng viên chính thức không tán thành: ${counted - yes} đồng chí.`, { indent: true });
      p(`Chi bộ đề nghị ${next} xem xét, kết nạp quần chúng ${c.fullName} vào Đảng Cộng sản Việt Nam.`, { indent: true });
      sign(['T/M CHI BỘ', 'BÍ THƯ'], who(d));
      break;
    }
    case '7-KNĐ':
    case '14-KNĐ': {
      // The partial committee's appraisal of the cell's resolution, reported to the grassroots committee (§3.2 S7).
      const recognition = code === '14-KNĐ';
      const d = need(recognition ? 'partial_recognition_appraisal' : 'partial_admission_appraisal');
      const cell = ctx.decisions.get(recognition ? 'cell_recognition_vote' : 'cell_admission_vote');
      const partial = u.partial ?? 'Đảng ủy bộ phận';
      header([u.grassroots, partial], d.data.reportNo ? `Số: ${d.data.reportNo}` : 'Số: ……-BC/ĐUBP', d.data.appraisedOn ?? d.date);
      title(['BÁO CÁO', recognition ? 'THẨM ĐỊNH ĐỀ NGHỊ CÔNG NHẬN ĐẢNG VIÊN CHÍNH THỨC' : 'THẨM ĐỊNH NGHỊ QUYẾT ĐỀ NGHỊ KẾT NẠP ĐẢNG VIÊN']);
      p(`Kính gửi: ${u.grassroots}`, { bold: true });
      const about = recognition ? `đề nghị công nhận đảng viên chính thức đối với đồng chí ${c.fullName}` : `đề nghị kết nạp quần chúng ${c.fullName} vào Đảng`;
      p(`Ngày ${viDate(d.data.appraisedOn)}, ${partial} đã thẩm định ${resolutionRef(cell, cell?.data.meetingDate)} của ${u.cell} ${about}.`, { indent: true });
      candidateLines();
      p(`Kết luận: ${partial} ${d.data.opinion === 'disagree' ? 'không đồng ý' : 'đồng ý'} với đề nghị của chi bộ.`, { indent: true });
      if (d.data.grounds) p(`Ý kiến, căn cứ: ${d.data.grounds}`, { indent: true });
      p(`Kính đề nghị ${u.grassroots} xem xét, quyết định.`, { indent: true });
      sign(['T/M ĐẢNG ỦY BỘ PHẬN'], who(d));
      break;
    }
    case '8-KNĐ': {
      const d = need('grassroots_admission_review');
      const cell = need('cell_admission_vote');
      const { resolutionDate, committeeMembers: n, inFavour: yes } = d.data;
      header(grassrootsIssuer, d.data.resolutionNo ? `Số: ${d.data.resolutionNo}` : 'Số: ……-NQ/ĐU', resolutionDate ?? d.date);
      title(['NGHỊ QUYẾT', 'ĐỀ NGHỊ KẾT NẠP ĐẢNG VIÊN']);
      p(`Ngày ${viDate(resolutionDate)}, ${u.grassroots} đã xét ${resolutionRef(cell, cell.data.meetingDate, ' đề nghị kết nạp đảng viên')} của ${u.cell} đối với quần chúng ${c.fullName}.`, { indent: true });
      candidateLines();
      p(`Tổng số cấp ủy viên: ${n} đồng chí. Số tán thành: ${yes} đồng chí (đạt ${pct(yes, n)}). Số không tán thành: ${n - yes} đồng chí.`, { indent: true });
      p(`Đảng ủy đề nghị Ban Thường vụ ${u.superior} xem xét, quyết định kết nạp quần chúng ${c.fullName} vào Đảng Cộng sản Việt Nam.`, { indent: true });
      sign(['T/M ĐẢNG ỦY'], who(d));
      break;
    }
    case '9-KNĐ': {
      const d = need('superior_admission_decision');
      const cell = need('cell_admission_vote');
      const grassroots = ctx.decisions.get('grassroots_admission_review');
      const { decisionNo, decisionDate, boardMembers: n, inFavour: yes } = d.data;
      const by = decider('superior_admission_decision');
      header(by.issuer, `Số: ${decisionNo ?? '……'}`, decisionDate ?? d.date);
      title(['QUYẾT ĐỊNH', 'KẾT NẠP ĐẢNG VIÊN']);
      p(by.heading, { bold: true, center: true });
      p('– Căn cứ Điều lệ Đảng Cộng sản Việt Nam;', { indent: true });
      p(`– Căn cứ ${ruleSetFor(decisionDate ?? d.date!).citation} về thi hành Điều lệ Đảng;`, { indent: true });
      p(`– Xét đề nghị của ${u.cell} (${resolutionRef(cell, cell.data.meetingDate)})${grassroots ? ` và của ${u.grassroots} (${resolutionRef(grassroots, grassroots.data.resolutionDate)})` : ''},`, { indent: true });
      p('QUYẾT ĐỊNH:', { bold: true, center: true });
      p(`Điều 1. Kết nạp quần chúng ${c.fullName}, sinh ngày ${viDate(c.dateOfBirth)}, vào Đảng Cộng sản Việt Nam. Thời gian dự bị 12 tháng, kể từ ngày chi bộ tổ chức lễ kết nạp.`, { indent: true });
      p(`Điều 2. ${u.cell} tổ chức lễ kết nạp trong thời hạn 30 ngày làm việc kể từ ngày nhận quyết định; đồng chí ${c.fullName} và chi bộ chịu trách nhiệm thi hành quyết định này.`, { indent: true });
      p(`Quyết định số ${decisionNo ?? '……'}, ngày ${viDate(decisionDate)}. Biểu quyết của ${by.votedBy}: ${yes}/${n} thành viên tán thành (đạt ${pct(yes, n)}).`, { indent: true });
      sign([by.sign], who(d));
      break;
    }
    case '12-KNĐ': {
      const d = need('probation_review');
      header(cellIssuer, undefined, d.date);
      title(['TỔNG HỢP Ý KIẾN NHẬN XÉT', 'của tổ chức đoàn thể chính trị - xã hội và chi ủy nơi cư trú', 'đối với đảng viên dự bị']);
      p('Chi ủy chi bộ đã tổng hợp ý kiến nhận xét đối với đảng viên dự bị:', { indent: true });
      candidateLines();
      if (ctx.probation) p(`Thời gian dự bị: từ ${viDate(ctx.probation.startsOn)} đến ${viDate(ctx.probation.endsOn)}.`, { indent: true });
      p('1. Ý kiến nhận xét của tổ chức đoàn thể chính trị - xã hội:', { bold: true });
      p(String(d.data.opinions?.massOrganizations ?? ''), { indent: true });
      p('2. Ý kiến nhận xét của chi ủy (chi bộ) nơi cư trú:', { bold: true });
      p(String(d.data.opinions?.residence ?? ''), { indent: true });
      p(`Bản tự kiểm điểm ngày ${viDate(d.data.selfReviewOn)}; bản nhận xét của đảng viên giúp đỡ ngày ${viDate(d.data.mentorReviewOn)}.`, { indent: true });
      sign(['T/M CHI ỦY'], who(d));
      break;
    }
    case '13-KNĐ': {
      const d = need('cell_recognition_vote');
      const { meetingDate, inFavour: yes } = d.data;
      const { n, counted, excludedLine } = cellVoteCount(d.data);
      const remove = d.outcome === 'remove';
      header(cellIssuer, d.data.resolutionNo ? `Số: ${d.data.resolutionNo}` : 'Số: ……-NQ/CB', meetingDate ?? d.date);
      title(['NGHỊ QUYẾT', remove ? 'ĐỀ NGHỊ XÓA TÊN TRONG DANH SÁCH ĐẢNG VIÊN DỰ BỊ' : 'ĐỀ NGHỊ CÔNG NHẬN ĐẢNG VIÊN CHÍNH THỨC']);
      p(`Ngày ${viDate(meetingDate)}, ${u.cell} đã họp xét ${remove ? 'việc xóa tên trong danh sách đảng viên dự bị' : 'đề nghị công nhận đảng viên chính thức'} đối với đồng chí ${c.fullName}.`, { indent: true });
      candidateLines();
      if (ctx.probation) p(`Ngày kết nạp (lễ kết nạp): ${viDate(ctx.probation.startsOn)}; hết thời gian dự bị: ${viDate(ctx.probation.endsOn)}.`, { indent: true });
      if (excludedLine) p(`Tổng số đảng viên chính thức của chi bộ: ${n} đồng chí. ${excludedLine}`, { indent: true });
      p(`${excludedLine ? '' : `Tổng số đảng viên chính thức của chi bộ: ${n} đồng chí. `}Số tán thành: ${yes} đồng chí (đạt ${pct(yes, counted)}). Số không tán thành: ${counted - yes} đồng chí.`, { indent: true });
      p(`Chi bộ đề nghị ${next} xem xét, ${remove ? 'xóa tên đồng chí trong danh sách đảng viên dự bị' : `công nhận đồng chí ${c.fullName} là đảng viên chính thức`}.`, { indent: true });
      sign(['T/M CHI BỘ', 'BÍ THƯ'], who(d));
      break;
    }
    case '15-KNĐ': {
      const d = need('grassroots_recognition_review');
      const cell = need('cell_recognition_vote');
      const { resolutionDate, committeeMembers: n, inFavour: yes } = d.data;
      const remove = d.outcome === 'remove';
      header(grassrootsIssuer, d.data.resolutionNo ? `Số: ${d.data.resolutionNo}` : 'Số: ……-NQ/ĐU', resolutionDate ?? d.date);
      title(['NGHỊ QUYẾT', remove ? 'ĐỀ NGHỊ XÓA TÊN TRONG DANH SÁCH ĐẢNG VIÊN DỰ BỊ' : 'ĐỀ NGHỊ CÔNG NHẬN ĐẢNG VIÊN CHÍNH THỨC']);
      p(`Ngày ${viDate(resolutionDate)}, ${u.grassroots} đã xét ${resolutionRef(cell, cell.data.meetingDate)} của ${u.cell} đối với đồng chí ${c.fullName}.`, { indent: true });
      candidateLines();
      p(`Tổng số cấp ủy viên: ${n} đồng chí. Số tán thành: ${yes} đồng chí (đạt ${pct(yes, n)}). Số không tán thành: ${n - yes} đồng chí.`, { indent: true });
      p(`Đảng ủy đề nghị Ban Thường vụ ${u.superior} ${remove ? 'xóa tên đồng chí trong danh sách đảng viên dự bị' : `công nhận đồng chí ${c.fullName} là đảng viên chính thức`}.`, { indent: true });
      sign(['T/M ĐẢNG ỦY'], who(d));
      break;
    }
    case '16-KNĐ': {
      const d = need('superior_recognition_decision');
      const admission = ctx.decisions.get('superior_admission_decision');
      const cell = ctx.decisions.get('cell_recognition_vote');
      const { decisionNo, decisionDate, boardMembers: n, inFavour: yes } = d.data;
      const by = decider('superior_recognition_decision');
      header(by.issuer, `Số: ${decisionNo ?? '……'}`, decisionDate ?? d.date);
      title(['QUYẾT ĐỊNH', 'CÔNG NHẬN ĐẢNG VIÊN CHÍNH THỨC']);
      p(by.heading, { bold: true, center: true });
      p('– Căn cứ Điều lệ Đảng Cộng sản Việt Nam;', { indent: true });
      p(`– Căn cứ ${ruleSetFor(decisionDate ?? d.date!).citation} về thi hành Điều lệ Đảng;`, { indent: true });
      if (cell) p(`– Xét đề nghị của ${u.cell} (${resolutionRef(cell, cell.data.meetingDate)}),`, { indent: true });
      p('QUYẾT ĐỊNH:', { bold: true, center: true });
      p(`Điều 1. Công nhận đồng chí ${c.fullName}, sinh ngày ${viDate(c.dateOfBirth)}, là đảng viên chính thức${ctx.probation ? ` kể từ ngày ${viDate(ctx.probation.endsOn)}` : ''}.`, { indent: true });
      if (admission) p(`Tuổi đảng của đồng chí tính từ ngày ${viDate(admission.data.decisionDate)} (Quyết định kết nạp số ${admission.data.decisionNo ?? '……'}).`, { indent: true });
      p(`Điều 2. ${u.cell} và đồng chí ${c.fullName} chịu trách nhiệm thi hành quyết định này.`, { indent: true });
      p(`Quyết định số ${decisionNo ?? '……'}, ngày ${viDate(decisionDate)}. Biểu quyết của ${by.votedBy}: ${yes}/${n} thành viên tán thành (đạt ${pct(yes, n)}).`, { indent: true });
      sign([by.sign], who(d));
      break;
    }
    case '20-KNĐ': {
      const app = need('submit_application');
      const verify = ctx.decisions.get('verify_background');
      header(grassrootsIssuer, 'Số: ……-CV/ĐU', app.data.cvSubmittedOn ?? app.date);
      title(['CÔNG VĂN', 'ĐỀ NGHỊ THẨM TRA LÝ LỊCH CỦA NGƯỜI XIN VÀO ĐẢNG']);
      p('Kính gửi: Cấp ủy nơi cư trú, nơi công tác của người vào Đảng và của người thân.', { bold: true });
      p(`${u.grassroots} đang xem xét hồ sơ đề nghị kết nạp vào Đảng của quần chúng:`, { indent: true });
      candidateLines();
      p(`Đơn xin vào Đảng ngày ${viDate(app.data.applicationDate)}; lý lịch của người xin vào Đảng nộp ngày ${viDate(app.data.cvSubmittedOn)}.`, { indent: true });
      p('Đề nghị các đồng chí thẩm tra, xác minh và cho ý kiến về lịch sử chính trị, chính trị hiện nay của người vào Đảng và những người thân sau:', { indent: true });
      const relatives: { relation: string; result?: string }[] = Array.isArray(verify?.data.relativesChecked)
        ? verify!.data.relativesChecked
        : ['self', 'father', 'mother', 'spouse'].map((relation) => ({ relation }));
      for (const r of relatives) p(`– ${RELATION_VI[r.relation] ?? r.relation}`, { indent: true });
      if (verify) p(`Kết quả thẩm tra đã được Đảng ủy kết luận ngày ${viDate(verify.data.concludedOn ?? verify.date)}: ${verify.data.conclusion === 'meets' ? 'đủ tiêu chuẩn chính trị' : 'chưa đủ tiêu chuẩn chính trị'}.`, { indent: true });
      sign(['T/M ĐẢNG ỦY'], who(verify));
      break;
    }
  }
  doc.moveDown(2).font('body').fontSize(7).fillColor('#555').text(`${FORMS[code].vi} — in từ các quyết định đã ghi nhận trong hệ thống ketnap.`, 60, doc.y, { width, align: 'left' });
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

import { PDFParse } from 'pdf-parse';
import { GENERATED_FORMS, type DecisionRecord } from '../../../../libs/domain/src/dossier-forms.js';
import type { TaskType } from '../../../../libs/domain/src/procedure.js';
import { FormSourceMissing, renderForm, type FormContext } from './form-documents.js';

const board = { fullName: 'Hoàng Văn Thường Vụ' };
const decision = (taskType: TaskType, outcome: string, date: string, data: Record<string, any>, actor = { fullName: 'Trần Bí Thư' }): [TaskType, DecisionRecord] => [
  taskType,
  { taskType, outcome, date, data, actor },
];

/** A whole path to official membership, as the history records it. */
const context = (): FormContext => ({
  candidate: { fullName: 'Đặng Thị Thu Hà', dateOfBirth: '1998-07-15', gender: 'female', ethnicity: 'Tày', religion: null },
  units: { cell: 'Chi bộ Giáo viên', grassroots: 'Đảng ủy Trường THPT Lê Lợi', superior: 'Đảng ủy phường Bến Thành', grassrootsIsCell: false, partial: 'Đảng ủy bộ phận Tổ Tự nhiên' },
  decisions: new Map([
    decision('submit_application', 'submit', '2025-02-03', { applicationDate: '2025-02-01', cvSubmittedOn: '2025-02-03' }),
    decision('verify_background', 'conclude', '2025-03-10', { conclusion: 'meets', relativesChecked: [{ relation: 'father', result: 'clear' }, { relation: 'spouse', result: 'clear' }], concludedOn: '2025-03-10' }),
    decision('record_introductions', 'submit', '2025-03-20', {
      introducers: [{ fullName: 'Lê Văn Cường', monthsTogether: 24 }, { fullName: 'Phạm Thị Dung', monthsTogether: 14 }],
      opinions: { massOrganizations: 'Công đoàn trường: nhất trí giới thiệu', residence: 'Chi bộ khu phố 3: gương mẫu' },
      compiledOn: '2025-03-20',
    }),
    decision('cell_admission_vote', 'approve', '2025-04-02', { meetingDate: '2025-04-02', officialMembers: 12, inFavour: 10 }),
    decision('partial_admission_appraisal', 'submit', '2025-04-08', { appraisedOn: '2025-04-08', opinion: 'agree', reportNo: '07-BC/ĐUBP' }),
    decision('grassroots_admission_review', 'approve', '2025-04-15', { committeeMembers: 9, inFavour: 8, resolutionDate: '2025-04-15' }),
    decision('superior_admission_decision', 'approve', '2025-05-06', { boardMembers: 11, inFavour: 9, decisionNo: '312-QĐ/ĐU', decisionDate: '2025-05-06' }, board),
    decision('probation_review', 'submit', '2026-05-25', { selfReviewOn: '2026-05-22', mentorReviewOn: '2026-05-25', opinions: { massOrganizations: 'Nhất trí', residence: 'Tốt' } }),
    decision('cell_recognition_vote', 'recognize', '2026-06-01', { meetingDate: '2026-06-01', officialMembers: 12, inFavour: 11 }),
    decision('partial_recognition_appraisal', 'submit', '2026-06-04', { appraisedOn: '2026-06-04', opinion: 'disagree', grounds: 'Chưa hoàn thành nhiệm vụ được giao' }),
    decision('grassroots_recognition_review', 'recognize', '2026-06-10', { committeeMembers: 9, inFavour: 9, resolutionDate: '2026-06-10' }),
    decision('superior_recognition_decision', 'recognize', '2026-06-20', { boardMembers: 11, inFavour: 8, decisionNo: '77-QĐ/ĐU', decisionDate: '2026-06-20' }, board),
  ]),
  probation: { startsOn: '2025-05-20', endsOn: '2026-05-20' },
});

async function text(pdf: Buffer): Promise<string> {
  return (await new PDFParse({ data: new Uint8Array(pdf) }).getText()).text.replace(/\s+/g, ' ').replace(/([-/]) /g, '$1');
}

describe('renderForm', () => {
  it.each([...GENERATED_FORMS])('prints %s in Vietnamese with the candidate and the issuing organisation', async (code) => {
    const pdf = await renderForm(code, context());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const t = await text(pdf);
    expect(t).toContain(`Mẫu ${code}`);
    expect(t).toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(t).toContain('Đặng Thị Thu Hà');
  });

  it('issues the decisions of a grassroots committee authorised to admit in its own name, not the standing board\'s (§3.2 S9)', async () => {
    const ctx = { ...context(), authorised: new Set<TaskType>(['superior_admission_decision', 'superior_recognition_decision']) };
    for (const code of ['9-KNĐ', '16-KNĐ'] as const) {
      const t = await text(await renderForm(code, ctx));
      expect(t).toContain('ĐẢNG ỦY TRƯỜNG THPT LÊ LỢI');
      expect(t).toContain('Biểu quyết của Đảng ủy (được ủy quyền kết nạp đảng viên)');
      expect(t).toContain('T/M ĐẢNG ỦY');
      expect(t).not.toContain('BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG BẾN THÀNH');
    }
    expect(await text(await renderForm('9-KNĐ', context()))).toContain('BAN THƯỜNG VỤ ĐẢNG ỦY PHƯỜNG BẾN THÀNH');
  });

  it("prints the partial committee's appraisals (7, 14-KNĐ) with its conclusion, report number and the cell's resolution", async () => {
    const seven = await text(await renderForm('7-KNĐ', context()));
    expect(seven).toContain('Số: 07-BC/ĐUBP');
    expect(seven).toContain('THẨM ĐỊNH NGHỊ QUYẾT ĐỀ NGHỊ KẾT NẠP ĐẢNG VIÊN');
    expect(seven).toContain('Đảng ủy bộ phận Tổ Tự nhiên đồng ý với đề nghị của chi bộ');
    expect(seven).toContain('ngày 02/04/2025');
    expect(seven).toContain('Kính gửi: Đảng ủy Trường THPT Lê Lợi');
    const fourteen = await text(await renderForm('14-KNĐ', context()));
    expect(fourteen).toContain('Số: ……-BC/ĐUBP');
    expect(fourteen).toContain('không đồng ý với đề nghị của chi bộ');
    expect(fourteen).toContain('Chưa hoàn thành nhiệm vụ được giao');
  });

  it('fills in the votes, numbers and dates of the resolutions and decisions', async () => {
    const ctx = context();
    expect(await text(await renderForm('8-KNĐ', ctx))).toContain('Tổng số cấp ủy viên: 9 đồng chí. Số tán thành: 8 đồng chí (đạt 88,9%)');
    const nine = await text(await renderForm('9-KNĐ', ctx));
    expect(nine).toContain('Số: 312-QĐ/ĐU');
    expect(nine).toContain('Quy định 232-QĐ/TW');
    expect(nine).toContain('ngày 06 tháng 05 năm 2025');
    // Recorded without a resolution number (as every resolution before the number existed): a dotted blank.
    expect(nine).toContain('Nghị quyết số ……, ngày 15/04/2025');
    expect(nine).toContain('9/11 thành viên tán thành');
    const sixteen = await text(await renderForm('16-KNĐ', ctx));
    expect(sixteen).toContain('là đảng viên chính thức kể từ ngày 20/05/2026');
    expect(sixteen).toContain('Tuổi đảng của đồng chí tính từ ngày 06/05/2025 (Quyết định kết nạp số 312-QĐ/ĐU)');
    const twenty = await text(await renderForm('20-KNĐ', ctx));
    expect(twenty).toContain('Cha đẻ');
    expect(twenty).toContain('Vợ/chồng');
    const five = await text(await renderForm('5-KNĐ', ctx));
    expect(five).toContain('Công đoàn trường: nhất trí giới thiệu');
    expect(five).toContain('Lê Văn Cường');
  });

  it('prints the removal wording when the cell proposes removal', async () => {
    const ctx = context();
    ctx.decisions.set('cell_recognition_vote', { taskType: 'cell_recognition_vote', outcome: 'remove', date: '2026-06-01', data: { meetingDate: '2026-06-01', officialMembers: 12, inFavour: 9 } });
    expect(await text(await renderForm('13-KNĐ', ctx))).toContain('ĐỀ NGHỊ XÓA TÊN TRONG DANH SÁCH ĐẢNG VIÊN DỰ BỊ');
  });

  it('prints the vote of 6-KNĐ and 13-KNĐ over the official members less those left out (§3.2 S6), naming each category', async () => {
    const ctx = context();
    // 12 official members − 1 suspended − 2 exempted and absent = 9 counted; 7 in favour = 77,8%; 9 − 7 = 2 against.
    const exclusions = { temporarilyAttached: 0, exemptedAbsent: 2, suspended: 1, prosecuted: 0, detained: 0 };
    ctx.decisions.set('cell_admission_vote', { taskType: 'cell_admission_vote', outcome: 'approve', date: '2025-04-02', data: { meetingDate: '2025-04-02', officialMembers: 12, exclusions, denominator: 9, inFavour: 7 } });
    const six = await text(await renderForm('6-KNĐ', ctx));
    expect(six).toContain('Tổng số đảng viên chính thức của chi bộ: 12 đồng chí.');
    expect(six).toContain('Số đảng viên không tính vào tổng số khi biểu quyết: 3 đồng chí (2 đồng chí được miễn sinh hoạt và vắng mặt, 1 đồng chí bị đình chỉ sinh hoạt); số đảng viên chính thức được tính: 9 đồng chí.');
    expect(six).toContain('tán thành việc kết nạp: 7 đồng chí (đạt 77,8%');
    expect(six).toContain('không tán thành: 2 đồng chí');
    // 12 − 3 detained = 9 counted; 8 in favour = 88,9%, 1 against.
    ctx.decisions.set('cell_recognition_vote', { taskType: 'cell_recognition_vote', outcome: 'recognize', date: '2026-06-01', data: { meetingDate: '2026-06-01', officialMembers: 12, exclusions: { ...exclusions, exemptedAbsent: 0, suspended: 0, detained: 3 }, denominator: 9, inFavour: 8 } });
    const thirteen = await text(await renderForm('13-KNĐ', ctx));
    expect(thirteen).toContain('3 đồng chí bị tạm giam');
    expect(thirteen).toContain('Số tán thành: 8 đồng chí (đạt 88,9%). Số không tán thành: 1 đồng chí.');
  });

  it('prints the number of resolutions 6, 8, 13 and 15-KNĐ in their heading and where the next forms cite them', async () => {
    const ctx = context();
    const withNo = (t: TaskType, resolutionNo: string) => {
      const d = ctx.decisions.get(t)!;
      ctx.decisions.set(t, { ...d, data: { ...d.data, resolutionNo } });
    };
    withNo('cell_admission_vote', '05-NQ/CB');
    withNo('grassroots_admission_review', '21-NQ/ĐU');
    withNo('cell_recognition_vote', '11-NQ/CB');
    withNo('grassroots_recognition_review', '40-NQ/ĐU');
    expect(await text(await renderForm('6-KNĐ', ctx))).toContain('Số: 05-NQ/CB');
    const eight = await text(await renderForm('8-KNĐ', ctx));
    expect(eight).toContain('Số: 21-NQ/ĐU');
    expect(eight).toContain('đã xét Nghị quyết đề nghị kết nạp đảng viên số 05-NQ/CB, ngày 02/04/2025 của Chi bộ Giáo viên');
    const nine = await text(await renderForm('9-KNĐ', ctx));
    expect(nine).toContain('Chi bộ Giáo viên (Nghị quyết số 05-NQ/CB, ngày 02/04/2025) và của Đảng ủy Trường THPT Lê Lợi (Nghị quyết số 21-NQ/ĐU, ngày 15/04/2025)');
    expect(await text(await renderForm('13-KNĐ', ctx))).toContain('Số: 11-NQ/CB');
    const fifteen = await text(await renderForm('15-KNĐ', ctx));
    expect(fifteen).toContain('Số: 40-NQ/ĐU');
    expect(fifteen).toContain('đã xét Nghị quyết số 11-NQ/CB, ngày 01/06/2026 của Chi bộ Giáo viên');
    expect(await text(await renderForm('16-KNĐ', ctx))).toContain('(Nghị quyết số 11-NQ/CB, ngày 01/06/2026)');
  });

  it('leaves the number of a resolution recorded without one as a dotted blank, as the printed form does', async () => {
    const ctx = context();
    expect(await text(await renderForm('6-KNĐ', ctx))).toContain('Số: ……-NQ/CB');
    expect(await text(await renderForm('8-KNĐ', ctx))).toContain('Số: ……-NQ/ĐU');
    expect(await text(await renderForm('8-KNĐ', ctx))).toContain('Nghị quyết đề nghị kết nạp đảng viên số ……, ngày 02/04/2025');
    expect(await text(await renderForm('13-KNĐ', ctx))).toContain('Số: ……-NQ/CB');
    expect(await text(await renderForm('15-KNĐ', ctx))).toContain('Số: ……-NQ/ĐU');
  });

  it('names the step whose decision is missing', async () => {
    const ctx = context();
    ctx.decisions.delete('cell_admission_vote');
    await expect(renderForm('8-KNĐ', ctx)).rejects.toEqual(new FormSourceMissing('cell_admission_vote'));
  });
});

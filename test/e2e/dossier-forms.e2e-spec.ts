import { PDFParse } from 'pdf-parse';
import type { Api } from '../support/http.js';
import { TestSystem } from '../support/system.js';

/**
 * The dossier as forms (issue 16) on the running system: the catalogue status of a case driven to admission,
 * its scans linked by form code, the organisation's forms printed as Vietnamese PDF from the recorded
 * decisions (6-KNĐ and 9-KNĐ read back with pdf-parse), 404 before the decisions exist, 403 outside the case.
 */
const sys = new TestSystem();
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const NAME = 'Võ Thị Hồng Nhung';
const DECISION_NO = '57-QĐ/ĐU';

beforeAll(async () => {
  await sys.start();
});

afterAll(() => sys.stop());

async function raw(as: Api, path: string, init: RequestInit = {}) {
  return fetch(`${as.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${as.token}`, ...(init.headers as Record<string, string> | undefined) } });
}

async function pdfText(as: Api, path: string): Promise<string> {
  const res = await raw(as, path);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
  const text = (await new PDFParse({ data: bytes }).getText()).text;
  // Lines wrap at spaces and after hyphens: read the text as one line.
  return text.replace(/\s+/g, ' ').replace(/([-/]) /g, '$1');
}

const viDate = (iso: string) => iso.split('-').reverse().join('/');
const statusOf = (body: any, code: string) => body.forms.find((f: any) => f.code === code);

describe('the dossier as forms', () => {
  let id: string;
  let today: string;

  it('drives a case to admission; the catalogue shows each form present, missing or not applicable', async () => {
    const { users } = sys;
    today = await sys.today();
    id = await sys.newCandidate(users.secretary, NAME);
    await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
    await sys.decideOk(users.centre, id, 'record_training_certificate');
    await sys.decideOk(users.secretary, id, 'submit_application');

    // A scan names its form; a free label that is a code counts too, any other label stays a label.
    const up = (q: string) => raw(users.secretary, `/api/candidates/${id}/attachments?${q}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(PDF) });
    const app = await up(`filename=don.pdf&formCode=${encodeURIComponent('1-KNĐ')}`);
    expect(app.status).toBe(201);
    expect((await app.json()).formCode).toBe('1-KNĐ');
    expect((await (await up('filename=ly-lich.pdf&kind=2-KND')).json()).formCode).toBe('2-KNĐ');
    expect((await (await up('filename=khac.pdf&kind=application')).json()).formCode).toBeNull();
    const bad = await up('filename=x.pdf&formCode=17-KNĐ');
    expect(bad.status).toBe(400);

    // Before the cell's vote: no resolution to print yet, with a message naming the step.
    const early = await users.secretary.get(`/api/candidates/${id}/forms/${encodeURIComponent('6-KNĐ')}.pdf`);
    expect(early.status).toBe(404);
    expect(early.body.code).toBe('form_decision_not_recorded');
    expect(early.body.message).toContain('Chi bộ xét, đề nghị kết nạp');
    const en = await users.secretary.get(`/api/candidates/${id}/forms/6-KND.pdf`, { 'accept-language': 'en' });
    expect(en.body.message).toBe('Form 6-KNĐ cannot be printed yet: the decision of step "Cell votes on the admission" (Chi bộ xét, đề nghị kết nạp) is not recorded');
    const notOurs = await users.secretary.get(`/api/candidates/${id}/forms/1-KND.pdf`);
    expect({ status: notOurs.status, code: notOurs.body.code }).toEqual({ status: 404, code: 'form_not_generated' });

    await sys.decideOk(users.grassroots, id, 'verify_background');
    await sys.decideOk(users.secretary, id, 'record_introductions');
    await sys.decideOk(users.secretary, id, 'cell_admission_vote', { data: { officialMembers: 11, inFavour: 8 } });
    await sys.decideOk(users.grassroots, id, 'grassroots_admission_review');
    await sys.decideOk(users.board, id, 'superior_admission_decision', { data: { boardMembers: 9, inFavour: 7, decisionNo: DECISION_NO } });

    const r = await users.secretary.get(`/api/candidates/${id}/dossier-forms`);
    expect(r.status).toBe(200);
    expect(r.body.forms.map((f: any) => f.code)).toEqual(['CN-NTVĐ', '1-KNĐ', '2-KNĐ', '3-KNĐ', '4-KNĐ', '4A-KNĐ', '5-KNĐ', '6-KNĐ', '7-KNĐ', '8-KNĐ', '9-KNĐ', '10-KNĐ', '11-KNĐ', '12-KNĐ', '13-KNĐ', '14-KNĐ', '15-KNĐ', '16-KNĐ', '20-KNĐ']);
    const status = Object.fromEntries(r.body.forms.map((f: any) => [f.code, f.status]));
    expect(status).toEqual({
      'CN-NTVĐ': 'missing',
      '1-KNĐ': 'present',
      '2-KNĐ': 'present',
      '3-KNĐ': 'missing',
      // Two party members introduced: not the Youth Union route.
      '4-KNĐ': 'not_applicable',
      '4A-KNĐ': 'not_applicable',
      '5-KNĐ': 'present',
      '6-KNĐ': 'present',
      '7-KNĐ': 'not_applicable',
      '8-KNĐ': 'present',
      '9-KNĐ': 'present',
      '10-KNĐ': 'not_applicable',
      '11-KNĐ': 'not_applicable',
      '12-KNĐ': 'not_applicable',
      '13-KNĐ': 'not_applicable',
      '14-KNĐ': 'not_applicable',
      '15-KNĐ': 'not_applicable',
      '16-KNĐ': 'not_applicable',
      '20-KNĐ': 'present',
    });
    expect(statusOf(r.body, '1-KNĐ').scans).toEqual([expect.objectContaining({ filename: 'don.pdf' })]);
    expect(statusOf(r.body, '9-KNĐ')).toMatchObject({ generated: true, recorded: { ref: DECISION_NO }, download: `/api/candidates/${id}/forms/${encodeURIComponent('9-KNĐ')}.pdf` });
    expect(statusOf(r.body, '10-KNĐ').reason).toBe('not_in_probation');
    expect(statusOf(r.body, 'CN-NTVĐ').recorded.ref).toBe(`CN-${today}`);
  });

  it('prints 6-KNĐ with the candidate, the meeting date and the votes', async () => {
    const text = await pdfText(sys.users.secretary, `/api/candidates/${id}/forms/${encodeURIComponent('6-KNĐ')}.pdf`);
    expect(text).toContain('NGHỊ QUYẾT');
    expect(text).toContain('ĐỀ NGHỊ KẾT NẠP ĐẢNG VIÊN');
    expect(text).toContain(NAME);
    expect(text).toContain(`Ngày ${viDate(today)}, Chi bộ giáo viên ${sys.tag} đã họp`);
    expect(text).toContain('Tổng số đảng viên chính thức của chi bộ: 11 đồng chí');
    expect(text).toContain('tán thành việc kết nạp: 8 đồng chí');
    expect(text).toContain('không tán thành: 3 đồng chí');
    // Recorded without a resolution number: the heading leaves it blank, as the printed form does.
    expect(text).toContain('Số: ……-NQ/CB');
  });

  it('prints 9-KNĐ with the decision number and date, the board’s vote and the candidate (also as 9-KND.pdf)', async () => {
    const text = await pdfText(sys.users.board, `/api/candidates/${id}/forms/9-KND.pdf`);
    expect(text).toContain('QUYẾT ĐỊNH');
    expect(text).toContain('KẾT NẠP ĐẢNG VIÊN');
    expect(text).toContain(`Số: ${DECISION_NO}`);
    expect(text).toContain(`Quyết định số ${DECISION_NO}, ngày ${viDate(today)}`);
    expect(text).toContain('7/9 thành viên tán thành');
    expect(text).toContain(`Kết nạp quần chúng ${NAME}, sinh ngày 12/04/1999`);
    const [y, m, d] = today.split('-');
    expect(text).toContain(`ngày ${d} tháng ${m} năm ${y}`);
    // Logged as a personal-data read of that form.
    const reads = (await sys.users.auditor.get(`/api/audit/pii-reads?orgUnitId=${sys.units.cell}&limit=1000`)).body.items;
    expect(reads.filter((x: any) => x.candidateId === id).map((x: any) => x.what)).toEqual(expect.arrayContaining(['dossier-forms', 'form:9-KNĐ']));
  });

  it('refuses the catalogue and the forms outside the jurisdiction (403), and to a training centre', async () => {
    const { users } = sys;
    for (const as of [users.outsider, users.outsiderBoard, users.otherAuditor]) {
      expect((await as.get(`/api/candidates/${id}/dossier-forms`)).status).toBe(403);
      const r = await as.get(`/api/candidates/${id}/forms/9-KND.pdf`);
      expect({ status: r.status, code: r.body.code }).toEqual({ status: 403, code: 'out_of_jurisdiction' });
    }
    const centre = await users.centre.get(`/api/candidates/${id}/forms/6-KND.pdf`);
    expect({ status: centre.status, code: centre.body.code }).toEqual({ status: 403, code: 'training_centre_limited_view' });
    // The auditor over the province reads them.
    expect((await users.auditor.get(`/api/candidates/${id}/dossier-forms`)).status).toBe(200);
  });
});

describe('the numbers of the resolutions (6, 8-KNĐ)', () => {
  it('records the number of the cell’s and the grassroots committee’s resolutions and prints it in them and in the decision citing them', async () => {
    const { users, tag } = sys;
    const cellNo = `05-NQ/CB-${tag}`;
    const grassrootsNo = `21-NQ/ĐU-${tag}`;
    const today = await sys.today();
    const id = await sys.newCandidate(users.secretary, 'Tô Văn Số Hiệu');
    await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
    await sys.decideOk(users.centre, id, 'record_training_certificate');
    await sys.decideOk(users.secretary, id, 'submit_application');
    await sys.decideOk(users.grassroots, id, 'verify_background');
    await sys.decideOk(users.secretary, id, 'record_introductions');
    await sys.decideOk(users.secretary, id, 'cell_admission_vote', { data: { officialMembers: 9, inFavour: 7, resolutionNo: cellNo } });
    await sys.decideOk(users.grassroots, id, 'grassroots_admission_review', { data: { resolutionNo: grassrootsNo } });
    await sys.decideOk(users.board, id, 'superior_admission_decision');

    const recorded = (await sys.history(id)).filter((e) => e.type === 'decision_recorded');
    expect(recorded.find((e) => e.data.taskType === 'cell_admission_vote').data.decision.resolutionNo).toBe(cellNo);
    expect(recorded.find((e) => e.data.taskType === 'grassroots_admission_review').data.decision.resolutionNo).toBe(grassrootsNo);

    expect(await pdfText(users.secretary, `/api/candidates/${id}/forms/6-KND.pdf`)).toContain(`Số: ${cellNo}`);
    const eight = await pdfText(users.grassroots, `/api/candidates/${id}/forms/8-KND.pdf`);
    expect(eight).toContain(`Số: ${grassrootsNo}`);
    expect(eight).toContain(`Nghị quyết đề nghị kết nạp đảng viên số ${cellNo}, ngày ${viDate(today)}`);
    const nine = await pdfText(users.board, `/api/candidates/${id}/forms/9-KND.pdf`);
    expect(nine).toContain(`(Nghị quyết số ${cellNo}, ngày ${viDate(today)})`);
    expect(nine).toContain(`(Nghị quyết số ${grassrootsNo}, ngày ${viDate(today)})`);
  });
});

describe('a form printed after a transfer', () => {
  it('names the cell that voted the resolution, not the cell the candidate moved to', async () => {
    const { users, units, tag } = sys;
    const id = await sys.toCellResolution('Kiều Văn Chuyển');
    const moved = await users.provinceBoard.post(`/api/candidates/${id}/transfer`, { toCellId: units.otherCell, reason: 'Chuyển công tác' });
    expect(moved.status).toBe(200);
    const text = await pdfText(users.provinceBoard, `/api/candidates/${id}/forms/6-KND.pdf`);
    expect(text).toContain(`Chi bộ giáo viên ${tag} đã họp`);
    expect(text).not.toContain(`Chi bộ khác ${tag}`);
    // The old cell's secretary no longer reads the case; the new one does.
    expect((await users.secretary.get(`/api/candidates/${id}/forms/6-KND.pdf`)).status).toBe(403);
    expect((await users.outsider.get(`/api/candidates/${id}/dossier-forms`)).status).toBe(200);
  });
});

describe('steps that require their documents', () => {
  const MISSING = ['CN-NTVĐ', '1-KNĐ', '2-KNĐ', '3-KNĐ'];

  /** A candidate whose cell vote is open: forms the cell considers (§3.1) not scanned yet. */
  async function atCellVote(name: string): Promise<string> {
    const { users } = sys;
    const id = await sys.newCandidate(users.secretary, name);
    await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
    await sys.decideOk(users.centre, id, 'record_training_certificate');
    await sys.decideOk(users.secretary, id, 'submit_application');
    await sys.decideOk(users.grassroots, id, 'verify_background');
    await sys.decideOk(users.secretary, id, 'record_introductions');
    return id;
  }

  afterAll(async () => {
    await sys.admin.call('PUT', `/api/org-units/${sys.units.grassroots}/dossier-forms-policy`, { policy: null });
  });

  it('warns by default: the task view names the missing forms and the decision goes through', async () => {
    const { users } = sys;
    const id = await atCellVote('Lâm Văn Cảnh Báo');
    const task = await sys.openTask(users.secretary, id, 'cell_admission_vote');
    const view = await users.secretary.get(`/api/tasks/${task.id}`);
    expect(view.body.dossier).toMatchObject({ policy: 'warn', policySetOn: null });
    expect(view.body.dossier.missing.map((f: any) => f.code)).toEqual(MISSING);
    expect(view.body.dossier.missing[1].title.vi).toBe('Đơn xin vào Đảng');
    const r = await sys.decide(users.secretary, id, 'cell_admission_vote');
    expect(r.status).toBe(200);
  });

  it('with `require` on the grassroots committee, its cells’ votes are refused (422) naming the forms until they are scanned', async () => {
    const { users, admin, units } = sys;
    const id = await atCellVote('Quách Thị Đủ Hồ Sơ');
    // Administrators only; the cell below inherits the grassroots committee's setting.
    expect((await users.board.call('PUT', `/api/org-units/${units.grassroots}/dossier-forms-policy`, { policy: 'require' })).status).toBe(403);
    expect((await admin.call('PUT', `/api/org-units/${units.grassroots}/dossier-forms-policy`, { policy: 'sometimes' })).status).toBe(400);
    const set = await admin.call('PUT', `/api/org-units/${units.grassroots}/dossier-forms-policy`, { policy: 'require' });
    expect(set.status).toBe(200);
    expect((await users.secretary.get(`/api/org-units/${units.cell}/dossier-forms-policy`)).body).toEqual({ orgUnitId: units.cell, own: null, effective: 'require', setOn: units.grassroots });

    const refused = await sys.decide(users.secretary, id, 'cell_admission_vote');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('dossier_forms_missing');
    expect(refused.body.message).toBe(`Bước này yêu cầu đủ hồ sơ trước khi ghi nhận quyết định; còn thiếu: ${MISSING.join(', ')}`);
    const en = await sys.decide(users.secretary, id, 'cell_admission_vote', {}, { 'accept-language': 'en' });
    expect(en.body.message).toBe(`This step requires its documents before the decision is recorded; missing: ${MISSING.join(', ')}`);
    // Through the bulk route too; and nothing was recorded.
    const task = await sys.openTask(users.secretary, id, 'cell_admission_vote');
    const bulk = await users.secretary.post('/api/tasks/bulk-complete', { items: [{ taskId: task.id, idempotencyKey: `bulk-${id}`, outcome: 'approve', data: { meetingDate: await sys.today(), officialMembers: 9, inFavour: 7 } }] });
    expect(bulk.body.results[0]).toMatchObject({ ok: false, status: 422, error: { code: 'dossier_forms_missing' } });
    expect((await sys.history(id)).filter((e) => e.type === 'decision_recorded' && e.data.taskType === 'cell_admission_vote')).toEqual([]);
    expect((await users.secretary.get(`/api/tasks/${task.id}`)).body.dossier).toMatchObject({ policy: 'require', policySetOn: units.grassroots });

    for (const code of MISSING) {
      const res = await raw(users.secretary, `/api/candidates/${id}/attachments?filename=scan.pdf&formCode=${encodeURIComponent(code)}`, { method: 'POST', headers: { 'content-type': 'application/pdf' }, body: new Uint8Array(PDF) });
      expect(res.status).toBe(201);
    }
    expect((await users.secretary.get(`/api/tasks/${task.id}`)).body.dossier.missing).toEqual([]);
    expect((await sys.decide(users.secretary, id, 'cell_admission_vote')).status).toBe(200);
    // The next step's forms (6-KNĐ) are printed from the vote: nothing missing for the grassroots committee.
    const next = await sys.openTask(users.grassroots, id, 'grassroots_admission_review');
    expect((await users.grassroots.get(`/api/tasks/${next.id}`)).body.dossier).toMatchObject({ policy: 'require', missing: [] });
    expect((await sys.decide(users.grassroots, id, 'grassroots_admission_review')).status).toBe(200);
  });
});

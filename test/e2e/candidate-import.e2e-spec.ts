import type { DataSource } from 'typeorm';
import { readFirstSheet } from '../../apps/api/src/imports/xlsx-reader.js';
import { toXlsx } from '../../apps/api/src/reports/table-export.js';
import { IMPORT_COLUMNS } from '../../libs/domain/src/candidate-import.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import type { Api } from '../support/http.js';
import { awaitJob } from '../support/jobs.js';
import { TestSystem } from '../support/system.js';

/**
 * Cases already under way on day one (issue 16), on the real stack: a CSV file previewed (per-row errors,
 * nothing written), imported as a durable job (each case at its stage, its past as imported events with the
 * importer and the file, clocks from the real past dates), imported again (nothing twice), and refused outside
 * the importer's jurisdiction.
 */
const sys = new TestSystem();
let ds: DataSource;

beforeAll(async () => {
  await sys.start();
  ds = await openDataSource();
});

afterAll(async () => {
  await ds?.destroy();
  await sys.stop();
});

/** Sends a file as the raw body, as the web page does. */
async function upload(as: Api, path: string, text: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(`${as.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${as.token}`, ...headers }, body: Buffer.from(text, 'utf8') });
  const body = await res.text();
  return { status: res.status, body: body ? JSON.parse(body) : undefined };
}

function csv(rows: Record<string, string>[]): string {
  const keys = IMPORT_COLUMNS.map((c) => c.key);
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
  // As Excel saves "CSV UTF-8": a BOM, the template's header, CRLF.
  return '\uFEFF' + [keys.map((k) => q(`${IMPORT_COLUMNS.find((c) => c.key === k)!.vi} [${k}]`)).join(','), ...rows.map((r) => keys.map((k) => q(r[k] ?? '')).join(','))].join('\r\n') + '\r\n';
}

const profile = (name: string, cell: string, introducedOn: string) => ({
  fullName: name, dateOfBirth: '12/04/1999', gender: 'nữ', ethnicity: 'Kinh', education: 'university', youthUnionMember: 'có', cell,
  sourceOrganization: 'Đoàn trường', introducedOn,
});

/** Admitted by the superior on 12/05/2025, the ceremony never held: T4 (30 working days) long past. */
const waitingForCeremony = (name: string, cell: string) => ({
  ...profile(name, cell, '06/01/2025'),
  sympathiserMeetingDate: '06/01/2025', mentorName: 'Trần Thị Bình', certificateNo: '12/CN-2025', certificateIssuedOn: '20/01/2025',
  applicationDate: '03/02/2025', cvSubmittedOn: '03/02/2025', backgroundConcludedOn: '03/03/2025', relativesChecked: 'father:clear; mother:clear',
  introducer1Name: 'Lê Văn Cường', introducer1MonthsTogether: '24', introducer2Name: 'Phạm Thị Dung', introducer2MonthsTogether: '14', youthUnionAtGrassroots: 'không',
  opinionsMassOrganizations: 'Công đoàn: nhất trí', opinionsResidence: 'Chi ủy nơi cư trú: nhất trí', dossierCompiledOn: '17/03/2025',
  cellMeetingDate: '07/04/2025', cellOfficialMembers: '9', cellInFavour: '7',
  grassrootsResolutionDate: '21/04/2025', grassrootsCommitteeMembers: '7', grassrootsInFavour: '6',
  admissionDecisionNo: '123-QĐ/ĐU', admissionDecisionDate: '12/05/2025', superiorBoardMembers: '9', superiorInFavour: '7',
});

/** Verified in November 2026: introductions to collect. */
const atIntroductions = (name: string, cell: string) => ({
  ...profile(name, cell, '01/09/2026'),
  sympathiserMeetingDate: '01/09/2026', mentorName: 'Trần Thị Bình', certificateNo: '88/CN-2026', certificateIssuedOn: '15/09/2026',
  applicationDate: '01/10/2026', cvSubmittedOn: '01/10/2026', backgroundConcludedOn: '02/11/2026', relativesChecked: 'father:clear',
});

/** Admitted and sworn in on 25/05/2026: in probation until 25/05/2027. */
const inProbation = (name: string, cell: string) => ({
  ...profile(name, cell, '05/01/2026'),
  sympathiserMeetingDate: '05/01/2026', mentorName: 'Trần Thị Bình', certificateNo: '3/CN-2026', certificateIssuedOn: '2026-01-19',
  applicationDate: '02/02/2026', cvSubmittedOn: '02/02/2026', backgroundConcludedOn: '02/03/2026', relativesChecked: 'father:clear; mother:deceased',
  introducer1Name: 'Lê Văn Cường', introducer1MonthsTogether: '30', introducer2Name: 'Phạm Thị Dung', introducer2MonthsTogether: '18', youthUnionAtGrassroots: 'không',
  opinionsMassOrganizations: 'Nhất trí', opinionsResidence: 'Nhất trí', dossierCompiledOn: '16/03/2026',
  cellMeetingDate: '06/04/2026', cellOfficialMembers: '12', cellInFavour: '12',
  grassrootsResolutionDate: '20/04/2026', grassrootsCommitteeMembers: '9', grassrootsInFavour: '8',
  admissionDecisionNo: '77-QĐ/ĐU', admissionDecisionDate: '11/05/2026', superiorBoardMembers: '11', superiorInFavour: '9', ceremonyDate: '25/05/2026',
});

/**
 * Sworn in on 26/05/2025 (12 months to 26/05/2026), reviewed, recommended for recognition by the cell on
 * 08/06/2026 and by the grassroots committee on 22/06/2026: waiting for the competent committee, T7 long past.
 */
const atRecognitionDecision = (name: string, cell: string) => ({
  ...waitingForCeremony(name, cell),
  ceremonyDate: '26/05/2025', newMemberCertificateNo: '45/CN-ĐVM', newMemberCertificateIssuedOn: '15/09/2025',
  probationSelfReviewOn: '01/06/2026', probationMentorReviewOn: '02/06/2026', probationOpinionsMassOrganizations: 'Công đoàn: tốt', probationOpinionsResidence: 'Nơi cư trú: tốt',
  recognitionCellMeetingDate: '08/06/2026', recognitionCellOfficialMembers: '9', recognitionCellInFavour: '8',
  recognitionGrassrootsResolutionDate: '22/06/2026', recognitionGrassrootsCommitteeMembers: '7', recognitionGrassrootsInFavour: '6',
});

describe('importing cases already under way', () => {
  let goodFile: string;
  const name = (n: string) => `${n} ${sys.tag}`;

  beforeAll(() => {
    // The cell by its name (as a user types it, without diacritics) and by its id.
    const cellName = `chi bo giao vien ${sys.tag}`;
    goodFile = csv([waitingForCeremony(name('Nguyễn Thị Lan'), cellName), atIntroductions(name('Trần Văn Minh'), sys.units.cell), inProbation(name('Lê Thị Hoa'), cellName)]);
  });

  it('offers the template: the header of every column, UTF-8 with BOM', async () => {
    const res = await fetch(`${sys.admin.baseUrl}/api/candidate-imports/template.csv`, { headers: { authorization: `Bearer ${sys.users.grassroots.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('Họ và tên [fullName]');
  });

  it('previews a file with bad rows: each error on its row and column, in Vietnamese then English, and writes nothing', async () => {
    const bad = csv([
      waitingForCeremony(name('Phạm Văn Tốt'), sys.units.cell),
      { ...waitingForCeremony(name('Phạm Văn Thiếu'), sys.units.cell), cellInFavour: '5' },
      { ...atIntroductions(name('Phạm Văn Sớm'), sys.units.cell), backgroundConcludedOn: '01/01/2199' },
      atIntroductions(name('Phạm Văn Ngoài'), sys.units.otherCell),
    ]);
    const before = await ds.query(`SELECT count(*)::int AS n FROM candidates`);
    // Other files of the suite import too (the browser test): only this refusal's effect counts.
    const jobsBefore = await ds.query(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'candidate_import'`);
    const r = await upload(sys.users.grassroots, `/api/candidate-imports/preview?orgUnitId=${sys.units.grassroots}&filename=dang-uy-loi.csv`, bad, { 'accept-language': 'vi' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ fileName: 'dang-uy-loi.csv', total: 4, ok: 1, errors: 3, alreadyImported: 0, fileErrors: [] });
    expect(r.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const [good, votes, future, outside] = r.body.rows;
    expect(good).toMatchObject({ row: 2, status: 'ok', stage: 'ceremony', errors: [] });
    expect(good.openTasks).toEqual([expect.objectContaining({ type: 'admission_ceremony', overdue: true })]);
    // The rule of a live cell vote: two thirds of the official members.
    expect(votes).toMatchObject({ row: 3, status: 'error', errors: [{ code: 'two_thirds_not_reached', column: 'cellInFavour' }] });
    expect(votes.errors[0].message.vi).toBe('Chưa đạt ít nhất hai phần ba: 5/9 tán thành, cần tối thiểu 6');
    expect(votes.errors[0].message.en).toBe('Two thirds not reached: 5/9 in favour, at least 6 needed');
    expect(future).toMatchObject({ row: 4, status: 'error', errors: [{ code: 'date_in_future', column: 'backgroundConcludedOn' }] });
    // A cell outside the unit imported into (and outside the importer's jurisdiction) is not found there.
    expect(outside).toMatchObject({ row: 5, status: 'error', errors: [{ code: 'import_cell_not_found', column: 'cell' }] });

    // The import of that file is refused as a whole: nothing is written.
    const refused = await upload(sys.users.grassroots, `/api/candidate-imports?orgUnitId=${sys.units.grassroots}&filename=dang-uy-loi.csv`, bad);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('import_has_errors');
    expect(await ds.query(`SELECT count(*)::int AS n FROM candidates`)).toEqual(before);
    expect(await ds.query(`SELECT count(*)::int AS n FROM jobs WHERE kind = 'candidate_import'`)).toEqual(jobsBefore);
  });

  it('imports a good file as a job: each case at its stage, its past as imported events by the importer with the file, a past-due step overdue', async () => {
    const preview = await upload(sys.users.grassroots, `/api/candidate-imports/preview?orgUnitId=${sys.units.grassroots}&filename=dang-uy-truong.csv`, goodFile);
    expect(preview.body).toMatchObject({ total: 3, ok: 3, errors: 0 });
    const started = await upload(sys.users.grassroots, `/api/candidate-imports?orgUnitId=${sys.units.grassroots}&filename=dang-uy-truong.csv`, goodFile, { 'idempotency-key': `import-${sys.tag}` });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ kind: 'candidate_import', total: 3, fileName: 'dang-uy-truong.csv', sha256: preview.body.sha256 });
    const job = await awaitJob(sys.users.grassroots, started.body.jobId, 120_000);
    expect(job).toMatchObject({ status: 'succeeded', total: 3, done: 3, failed: 0 });
    expect(job.result).toMatchObject({ created: 3, alreadyImported: 0, refused: 0 });
    const [a, b, c] = job.result.results;
    expect([a.stage, b.stage, c.stage]).toEqual(['ceremony', 'introductions', 'probation']);
    expect(a.candidateId).toBe(preview.body.rows[0].candidateId);

    // The read model: the profile and the stage, the probation dates from the ceremony.
    const lan = (await sys.users.secretary.get(`/api/candidates/${a.candidateId}`)).body;
    expect(lan).toMatchObject({ fullName: name('Nguyễn Thị Lan'), stage: 'ceremony', status: 'active', gender: 'female', cellId: sys.units.cell });
    const hoa = (await sys.users.secretary.get(`/api/candidates/${c.candidateId}`)).body;
    expect(hoa).toMatchObject({ stage: 'probation', partyAgeFrom: '2026-05-11', probationEndsOn: '2027-05-25' });

    // The history: who imported, from which file (name, hash, row); each past decision on its own date.
    const history = await sys.history(a.candidateId);
    const imported = history.find((e) => e.type === 'case_imported');
    expect(imported.actor).toMatchObject({ username: `grassroots-${sys.tag}`, role: 'grassroots_committee' });
    expect(imported.data.source).toEqual({ fileName: 'dang-uy-truong.csv', sha256: preview.body.sha256, row: 2 });
    const decisions = history.filter((e) => e.type === 'decision_recorded');
    expect(decisions.map((e) => e.data.taskType)).toEqual([
      'recognize_sympathiser', 'record_training_certificate', 'submit_application', 'verify_background', 'record_introductions',
      'cell_admission_vote', 'grassroots_admission_review', 'superior_admission_decision',
    ]);
    expect(decisions.every((e) => e.data.imported?.sha256 === preview.body.sha256 && e.data.imported?.row === 2 && e.actor.username === `grassroots-${sys.tag}`)).toBe(true);
    expect(decisions.at(-1)).toMatchObject({ businessDate: '2025-05-12', data: { decision: { decisionNo: '123-QĐ/ĐU' } } });

    // The ceremony's clock ran from the decision of 12/05/2025: overdue at once, in the inbox and escalated.
    const ceremony = await sys.openTask(sys.users.secretary, a.candidateId, 'admission_ceremony');
    expect(ceremony.dueState).toBe('overdue');
    expect(ceremony.dueRule).toMatchObject({ anchorDate: '2025-05-12' });
    const overdue = await sys.users.secretary.get(`/api/tasks?due=overdue&type=admission_ceremony&limit=500`);
    expect(overdue.body.items.map((t: any) => t.candidateId)).toContain(a.candidateId);
    await waitFor('the missed deadline recorded', async () => (await sys.history(a.candidateId)).find((e) => e.type === 'deadline_missed'));
    // The case at introductions has its step open at the cell, without a clock.
    const intro = await sys.openTask(sys.users.secretary, b.candidateId, 'record_introductions');
    expect(intro.dueState).toBe('none');
  });

  it('creates nothing twice when the same file is imported again', async () => {
    const preview = await upload(sys.users.grassroots, `/api/candidate-imports/preview?orgUnitId=${sys.units.grassroots}&filename=dang-uy-truong.csv`, goodFile);
    expect(preview.body).toMatchObject({ total: 3, ok: 0, alreadyImported: 3, errors: 0 });
    expect(preview.body.rows[0].notice.code).toBe('import_already_imported');
    const ids: string[] = preview.body.rows.map((r: any) => r.candidateId);
    // What the clocks record meanwhile (reminders, missed deadlines and their items) aside, the histories stay as they are.
    const decided = `SELECT count(*)::int AS n FROM candidate_events WHERE candidate_id = ANY($1::uuid[]) AND type NOT IN ('reminder_sent', 'deadline_missed', 'task_opened')`;
    const before = await ds.query(decided, [ids]);

    const again = await upload(sys.users.grassroots, `/api/candidate-imports?orgUnitId=${sys.units.grassroots}&filename=dang-uy-truong-lan-2.csv`, goodFile);
    expect(again.status).toBe(202);
    const job = await awaitJob(sys.users.grassroots, again.body.jobId, 60_000);
    expect(job.result).toMatchObject({ created: 0, alreadyImported: 3, refused: 0 });
    expect(await ds.query(`SELECT count(*)::int AS n FROM candidates WHERE id = ANY($1::uuid[])`, [ids])).toEqual([{ n: 3 }]);
    expect(await ds.query(`SELECT count(*)::int AS n FROM candidate_events WHERE candidate_id = ANY($1::uuid[]) AND type IN ('candidate_created', 'case_imported')`, [ids])).toEqual([{ n: 6 }]);
    expect(await ds.query(decided, [ids])).toEqual(before);
  });

  it('reads the same rows from an XLSX workbook (the template filled in Excel): the same cases, already imported', async () => {
    const tpl = await fetch(`${sys.admin.baseUrl}/api/candidate-imports/template.xlsx`, { headers: { authorization: `Bearer ${sys.users.grassroots.token}` } });
    expect(tpl.status).toBe(200);
    expect(readFirstSheet(new Uint8Array(await tpl.arrayBuffer()))[0][0]).toBe('Họ và tên [fullName]');
    const cellName = `chi bo giao vien ${sys.tag}`;
    const columns = IMPORT_COLUMNS.map((c) => ({ key: c.key, vi: `${c.vi} [${c.key}]`, en: c.en }));
    const rows = [waitingForCeremony(name('Nguyễn Thị Lan'), cellName), atIntroductions(name('Trần Văn Minh'), sys.units.cell), inProbation(name('Lê Thị Hoa'), cellName)];
    const xlsx = toXlsx([{ sheet: 'Nhập', columns, rows }], 'vi');
    const res = await fetch(`${sys.admin.baseUrl}/api/candidate-imports/preview?orgUnitId=${sys.units.grassroots}&filename=dang-uy-truong.xlsx`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', authorization: `Bearer ${sys.users.grassroots.token}` },
      body: new Uint8Array(xlsx),
    });
    const fromCsv = await upload(sys.users.grassroots, `/api/candidate-imports/preview?orgUnitId=${sys.units.grassroots}&filename=dang-uy-truong.csv`, goodFile);
    const body = await res.json();
    expect(body).toMatchObject({ total: 3, alreadyImported: 3, errors: 0 });
    expect(body.rows.map((r: any) => r.candidateId)).toEqual(fromCsv.body.rows.map((r: any) => r.candidateId));
  });

  it('refuses an import into a unit outside the importer’s jurisdiction, and to roles that do not create candidates', async () => {
    for (const [as, unit] of [
      [sys.users.outsider, sys.units.grassroots],
      [sys.users.outsiderBoard, sys.units.cell],
      [sys.users.centre, sys.units.grassroots],
      [sys.users.auditor, sys.units.grassroots],
    ] as const) {
      const preview = await upload(as, `/api/candidate-imports/preview?orgUnitId=${unit}&filename=x.csv`, goodFile);
      expect(preview.status).toBe(403);
      expect(preview.body.code).toBe('out_of_jurisdiction');
      expect((await upload(as, `/api/candidate-imports?orgUnitId=${unit}&filename=x.csv`, goodFile)).status).toBe(403);
    }
    // The cell's own secretary may import into the cell (the rows are already there).
    const own = await upload(sys.users.secretary, `/api/candidate-imports/preview?orgUnitId=${sys.units.cell}&filename=x.csv`, goodFile);
    expect(own.body).toMatchObject({ total: 3, alreadyImported: 3 });
  });

  it('imports a member past probation at the competent committee’s recognition decision: past steps as imported events, T7 from the cell resolution, nothing twice', async () => {
    const cellName = `chi bo giao vien ${sys.tag}`;
    const good = atRecognitionDecision(name('Võ Thị Mai'), cellName);
    // Refused by the rules of live decisions: a recognition vote below two thirds; a review before the 12 months end.
    const bad = csv([
      good,
      { ...atRecognitionDecision(name('Võ Văn Thiếu'), cellName), recognitionCellInFavour: '5' },
      { ...atRecognitionDecision(name('Võ Văn Sớm'), cellName), probationSelfReviewOn: '20/05/2026' },
    ]);
    const preview = await upload(sys.users.grassroots, `/api/candidate-imports/preview?orgUnitId=${sys.units.grassroots}&filename=cong-nhan-loi.csv`, bad);
    expect(preview.body).toMatchObject({ total: 3, ok: 1, errors: 2 });
    const [ok, votes, early] = preview.body.rows;
    expect(ok).toMatchObject({ status: 'ok', stage: 'superior_recognition_decision', openTasks: [{ type: 'superior_recognition_decision', dueDate: '2026-07-20', overdue: true }] });
    expect(votes).toMatchObject({ status: 'error', errors: [{ code: 'two_thirds_not_reached', column: 'recognitionCellInFavour' }] });
    expect(early).toMatchObject({ status: 'error', errors: [{ code: 'before_probation_end', column: 'probationSelfReviewOn' }] });
    expect(early.errors[0].message.vi).toBe('Ngày probationSelfReviewOn (2026-05-20) phải sau khi hết 12 tháng dự bị (2026-05-26)');

    const file = csv([good]);
    const started = await upload(sys.users.grassroots, `/api/candidate-imports?orgUnitId=${sys.units.grassroots}&filename=cong-nhan.csv`, file);
    expect(started.status).toBe(202);
    const job = await awaitJob(sys.users.grassroots, started.body.jobId, 120_000);
    expect(job.result).toMatchObject({ created: 1, alreadyImported: 0, refused: 0, results: [{ status: 'created', stage: 'superior_recognition_decision' }] });
    const id = job.result.results[0].candidateId;
    expect(id).toBe(ok.candidateId);

    const mai = (await sys.users.secretary.get(`/api/candidates/${id}`)).body;
    expect(mai).toMatchObject({ stage: 'superior_recognition_decision', status: 'active', partyAgeFrom: '2025-05-12', probationEndsOn: '2026-05-26' });
    const history = await sys.history(id);
    expect(history.find((e) => e.type === 'probation_ended')).toMatchObject({ businessDate: '2026-05-26' });
    const decisions = history.filter((e) => e.type === 'decision_recorded').slice(8);
    expect(decisions.map((e) => [e.data.taskType, e.businessDate])).toEqual([
      ['admission_ceremony', '2025-05-26'],
      ['record_new_member_training', '2025-09-15'],
      ['probation_review', '2026-06-02'],
      ['cell_recognition_vote', '2026-06-08'],
      ['grassroots_recognition_review', '2026-06-22'],
    ]);
    expect(decisions.every((e) => e.data.imported?.fileName === 'cong-nhan.csv' && e.actor.username === `grassroots-${sys.tag}`)).toBe(true);
    // The competent committee's step runs on T7 from the cell resolution of 08/06/2026: overdue at once.
    const decision = await sys.openTask(sys.users.board, id, 'superior_recognition_decision');
    expect(decision).toMatchObject({ dueState: 'overdue', dueRule: { anchorDate: '2026-06-08' } });
    await waitFor('the missed T7 recorded', async () => (await sys.history(id)).find((e) => e.type === 'deadline_missed' && e.data.taskType === 'superior_recognition_decision'));

    // The same file again: nothing twice.
    const again = await upload(sys.users.grassroots, `/api/candidate-imports?orgUnitId=${sys.units.grassroots}&filename=cong-nhan.csv`, file);
    const job2 = await awaitJob(sys.users.grassroots, again.body.jobId, 60_000);
    expect(job2.result).toMatchObject({ created: 0, alreadyImported: 1 });
    expect(await ds.query(`SELECT count(*)::int AS n FROM candidate_events WHERE candidate_id = $1 AND type IN ('case_imported', 'probation_ended')`, [id])).toEqual([{ n: 2 }]);
  });
});

describe('importing cases under a partial committee and under a grassroots committee authorised to admit', () => {
  const name = (n: string) => `${n} ${sys.tag}`;
  const without = (row: Record<string, string>, ...keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));
  const GRASSROOTS_ADMISSION = ['grassrootsResolutionDate', 'grassrootsCommitteeMembers', 'grassrootsInFavour'];
  const SUPERIOR_ADMISSION = ['admissionDecisionNo', 'admissionDecisionDate', 'superiorBoardMembers', 'superiorInFavour'];
  /** Up to the cell's admission vote of 07/04/2025. */
  const cellVoted = (n: string, cell: string) => without(waitingForCeremony(n, cell), ...GRASSROOTS_ADMISSION, ...SUPERIOR_ADMISSION);
  /** The partial committee's appraisal of 14/04/2025 (7-KNĐ). */
  const appraisal = { partialAdmissionAppraisedOn: '14/04/2025', partialAdmissionOpinion: 'Đồng ý', partialAdmissionReportNo: '05-BC/ĐUBP' };

  async function unit(unitName: string, kind: string, parentId: string): Promise<string> {
    const r = await sys.admin.post('/api/org-units', { name: `${unitName} ${sys.tag}`, kind, parentId });
    if (r.status !== 201) throw new Error(`org unit: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.id;
  }

  async function user(key: string, role: string, orgUnitId: string): Promise<Api> {
    const username = `${key}-${sys.tag}`;
    const r = await sys.admin.post('/api/users', { username, password: 'password-0001', fullName: `Người dùng ${key}`, roles: [{ role, orgUnitId }] });
    if (r.status !== 201) throw new Error(`user: ${r.status} ${JSON.stringify(r.body)}`);
    return sys.anon.login(username, 'password-0001');
  }

  it('imports a row of a cell under a partial committee past its appraisal: the appraisal an imported decision, the grassroots review open on T3', async () => {
    const partial = await unit('Đảng ủy bộ phận khoa Lý', 'partial_committee', sys.units.grassroots);
    const cell = await unit('Chi bộ bộ môn Quang học', 'cell', partial);
    const good = { ...cellVoted(name('Hồ Thị Thẩm'), cell), ...appraisal };
    const bad = csv([
      good,
      // Past the appraisal (the grassroots review filled in) without it.
      without(waitingForCeremony(name('Hồ Văn Thiếu'), cell), ...SUPERIOR_ADMISSION),
      // An appraisal in a cell directly under the grassroots committee.
      { ...cellVoted(name('Hồ Văn Thừa'), sys.units.cell), ...appraisal },
    ]);
    const preview = await upload(sys.users.grassroots, `/api/candidate-imports/preview?orgUnitId=${sys.units.grassroots}&filename=bo-phan-loi.csv`, bad, { 'accept-language': 'vi' });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ total: 3, ok: 1, errors: 2 });
    const [ok, missing, notApplicable] = preview.body.rows;
    expect(ok).toMatchObject({ status: 'ok', stage: 'grassroots_admission_review', cell: { id: cell }, openTasks: [{ type: 'grassroots_admission_review', overdue: true }] });
    expect(missing).toMatchObject({ status: 'error', errors: [{ code: 'import_step_missing', column: 'partialAdmissionAppraisedOn' }] });
    expect(notApplicable).toMatchObject({ status: 'error', errors: [{ code: 'import_step_not_applicable', column: 'partialAdmissionAppraisedOn' }] });

    const started = await upload(sys.users.grassroots, `/api/candidate-imports?orgUnitId=${sys.units.grassroots}&filename=bo-phan.csv`, csv([good]));
    expect(started.status).toBe(202);
    const job = await awaitJob(sys.users.grassroots, started.body.jobId, 120_000);
    expect(job.result).toMatchObject({ created: 1, refused: 0, results: [{ status: 'created', stage: 'grassroots_admission_review' }] });
    const id = job.result.results[0].candidateId;
    expect(id).toBe(ok.candidateId);

    // The history as the grassroots committee reads it (the suite's secretary is another cell's).
    const read = await sys.users.grassroots.get(`/api/candidates/${id}/history`);
    expect(read.status).toBe(200);
    const decisions = (read.body.events as any[]).filter((e) => e.type === 'decision_recorded');
    expect(decisions.map((e) => e.data.taskType).slice(5)).toEqual(['cell_admission_vote', 'partial_admission_appraisal']);
    expect(decisions.at(-1)).toMatchObject({
      businessDate: '2025-04-14',
      actor: { username: `grassroots-${sys.tag}` },
      data: { outcome: 'submit', decision: { appraisedOn: '2025-04-14', opinion: 'agree', reportNo: '05-BC/ĐUBP' }, imported: { fileName: 'bo-phan.csv' } },
    });
    // The grassroots committee's review, on the chain's one clock (T3) from the cell meeting: overdue at once.
    const review = await sys.openTask(sys.users.grassroots, id, 'grassroots_admission_review');
    expect(review).toMatchObject({ orgUnitId: sys.units.grassroots, dueState: 'overdue', dueRule: { anchorDate: '2025-04-07' } });
  });

  it('imports a row of a grassroots committee authorised to admit at the committee’s own decision, refusing its review columns and a decision below two thirds of its members', async () => {
    const committee = await unit('Đảng ủy cơ sở được ủy quyền', 'grassroots_committee', sys.units.superior);
    const cell = await unit('Chi bộ khối văn phòng', 'cell', committee);
    const importer = await user('auth-gr', 'grassroots_committee', committee);
    const given = await sys.admin.post(`/api/org-units/${committee}/admission-authority`, { authorisedToAdmit: true }, { 'idempotency-key': `authorise-${sys.tag}` });
    expect(given.status).toBe(202);
    expect((await awaitJob(sys.admin, given.body.jobId)).status).toBe('succeeded');

    const good = cellVoted(name('Đinh Thị Quyết'), cell);
    const admitted = without(waitingForCeremony(name('Đinh Văn Đủ'), cell), ...GRASSROOTS_ADMISSION);
    const bad = csv([
      good,
      // The review of a committee that decides itself.
      waitingForCeremony(name('Đinh Văn Xét'), cell),
      // 5 of 9: more than half, not two thirds of all its members (the rule of its live decision).
      { ...admitted, fullName: name('Đinh Văn Thiếu'), superiorBoardMembers: '9', superiorInFavour: '5' },
      // 6 of 9: admitted, waiting for the ceremony.
      { ...admitted, superiorBoardMembers: '9', superiorInFavour: '6' },
    ]);
    const preview = await upload(importer, `/api/candidate-imports/preview?orgUnitId=${committee}&filename=uy-quyen-loi.csv`, bad);
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ total: 4, ok: 2, errors: 2 });
    const [ok, review, short, enough] = preview.body.rows;
    expect(ok).toMatchObject({ status: 'ok', stage: 'superior_admission_decision', openTasks: [{ type: 'superior_admission_decision', overdue: true }] });
    expect(review).toMatchObject({ status: 'error', errors: [{ code: 'import_step_not_applicable', column: 'grassrootsResolutionDate' }] });
    expect(short).toMatchObject({ status: 'error', errors: [{ code: 'two_thirds_not_reached', column: 'superiorInFavour' }] });
    expect(enough).toMatchObject({ status: 'ok', stage: 'ceremony' });

    const started = await upload(importer, `/api/candidate-imports?orgUnitId=${committee}&filename=uy-quyen.csv`, csv([good]));
    expect(started.status).toBe(202);
    const job = await awaitJob(importer, started.body.jobId, 120_000);
    expect(job.result).toMatchObject({ created: 1, refused: 0, results: [{ status: 'created', stage: 'superior_admission_decision' }] });
    const id = job.result.results[0].candidateId;
    // The decision is the committee's, in its inbox; not the superior board's.
    const decision = await sys.openTask(importer, id, 'superior_admission_decision');
    expect(decision).toMatchObject({ orgUnitId: committee, role: 'grassroots_committee', dueState: 'overdue', dueRule: { anchorDate: '2025-04-07' } });
    const board = await sys.users.board.get(`/api/tasks?type=superior_admission_decision&limit=500`);
    expect(board.body.items.filter((t: any) => t.candidateId === id)).toEqual([]);
  });
});

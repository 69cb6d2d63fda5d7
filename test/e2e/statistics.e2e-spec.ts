import { strFromU8, unzipSync } from 'fflate';
import type { DataSource } from 'typeorm';
import { ageOn, isEthnicMinority, isReligious, median, percent } from '../../libs/domain/src/reports.js';
import { openDataSource } from '../support/fixtures.js';
import type { Api } from '../support/http.js';
import { certifyAndWait } from '../support/jobs.js';
import { plusDays, seedReadModel, type FixtureCandidate } from '../support/report-fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * Training classes, quotas, places and the statistics reports over HTTP, on real Temporal and PostgreSQL:
 * a class of 40 certified in one action moves 40 workflows; quotas are allocated downwards; each report
 * matches figures computed here, independently, from the fixture data.
 */
const sys = new TestSystem();
let ds: DataSource;
let users: TestSystem['users'];
let units: TestSystem['units'];
let admin: Api;
let today: string;
let year: string;

beforeAll(async () => {
  await sys.start();
  ({ users, units, admin } = sys);
  ds = await openDataSource();
  today = await sys.today();
  year = today.slice(0, 4);
});

afterAll(async () => {
  await ds?.destroy();
  await sys.stop();
});

const put = (as: Api, path: string, body: unknown, headers: Record<string, string> = {}) => as.call('PUT', path, body, headers);
const patch = (as: Api, path: string, body: unknown) => as.call('PATCH', path, body);

async function download(as: Api, path: string): Promise<{ status: number; type: string; bytes: Buffer }> {
  const res = await fetch(`${as.baseUrl}${path}`, { headers: { authorization: `Bearer ${as.token}`, 'accept-language': 'vi' } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A small RFC 4180 reader (quoted cells, doubled quotes, CRLF), to check the export parses back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell.replace(/\r$/, '')), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  return rows;
}

/** Reads the first sheet of an XLSX back into rows of cell values (inline strings and numbers). */
function parseXlsx(bytes: Buffer): { sheets: string[]; rows: (string | number)[][] } {
  const files = unzipSync(new Uint8Array(bytes));
  expect(strFromU8(files['[Content_Types].xml'])).toContain('spreadsheetml.sheet.main+xml');
  const sheets = [...strFromU8(files['xl/workbook.xml']).matchAll(/<sheet name="([^"]+)"/g)].map((m) => m[1]);
  const xml = strFromU8(files['xl/worksheets/sheet1.xml']);
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const rows = [...xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)].map((r) =>
    [...r[1].matchAll(/<c r="[A-Z]+\d+"(?: t="(\w+)")?>(?:<v>([^<]*)<\/v>|<is><t[^>]*>([^<]*)<\/t><\/is>)<\/c>/g)].map((c) => (c[1] === 'inlineStr' ? unescape(c[3]) : Number(c[2]))),
  );
  return { sheets, rows };
}

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

describe('training classes', () => {
  const candidates: string[] = [];
  let classId: string;

  it('moves 40 workflows past the party-awareness step with one certify, numbered certificates, and applies nothing twice', async () => {
    // 41 sympathisers waiting on the party-awareness class.
    for (let i = 0; i < 41; i++) {
      const id = await sys.newCandidate(users.secretary, `Học viên ${String(i + 1).padStart(2, '0')}`);
      await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
      candidates.push(id);
    }
    const forty = candidates.slice(0, 40);
    const dates = { startsOn: plusDays(today, -5), endsOn: today };
    // Only the centre opens classes.
    expect((await users.grassroots.post('/api/training-classes', { kind: 'party_awareness', name: 'Lớp sai', ...dates, capacity: 40, orgUnitId: units.centre })).status).toBe(403);
    const small = await ok(users.centre.post('/api/training-classes', { kind: 'party_awareness', name: 'Lớp nhỏ', ...dates, capacity: 2, orgUnitId: units.centre }), 201);
    const cls = await ok(users.centre.post('/api/training-classes', { kind: 'party_awareness', name: 'Lớp nhận thức về Đảng K1', ...dates, capacity: 40, orgUnitId: units.centre }), 201);
    classId = cls.id;

    // Capacity: three proposed for two places is refused and nothing is written.
    const full = await users.grassroots.post(`/api/training-classes/${small.id}/proposals`, { candidateIds: candidates.slice(0, 3) }, { 'accept-language': 'en' });
    expect(full.status).toBe(422);
    expect(full.body.code).toBe('training_class_full');
    expect(full.body.message).toBe('Class "Lớp nhỏ" takes 2 participants: 0 already, 3 more proposed');
    // Another ward does not even see this centre's classes; a cell secretary sees it but does not propose.
    expect((await users.outsiderBoard.post(`/api/training-classes/${classId}/proposals`, { candidateIds: [candidates[0]] })).status).toBe(404);
    expect((await users.secretary.post(`/api/training-classes/${classId}/proposals`, { candidateIds: [candidates[0]] })).status).toBe(403);

    // The grassroots committee proposes 40; the 41st no longer fits.
    await ok(users.grassroots.post(`/api/training-classes/${classId}/proposals`, { candidateIds: forty }));
    expect((await users.grassroots.post(`/api/training-classes/${classId}/proposals`, { candidateIds: [candidates[40]] })).body.code).toBe('training_class_full');
    // The same candidate cannot sit in two classes of a kind at once.
    expect((await users.grassroots.post(`/api/training-classes/${small.id}/proposals`, { candidateIds: [forty[0]] })).body.code).toBe('training_candidate_in_other_class');

    // The centre confirms, records attendance, and certifies the whole class in one action.
    expect((await users.grassroots.post(`/api/training-classes/${classId}/enrolments`, { candidateIds: forty })).status).toBe(403);
    await ok(users.centre.post(`/api/training-classes/${classId}/enrolments`, { candidateIds: forty, status: 'enrolled' }));
    await ok(users.centre.post(`/api/training-classes/${classId}/attendance`, { records: forty.map((candidateId) => ({ candidateId, attendance: 'full', result: 'pass' })) }));
    const t0 = Date.now();
    const first = await certifyAndWait(users.centre, classId, { issuedOn: today, results: forty.map((candidateId) => ({ candidateId, result: 'pass' })) });
    const certifyMs = Date.now() - t0;
    expect(first).toMatchObject({ applied: 40, alreadyApplied: 0, refused: 0 });
    expect(first.results.every((r: any) => r.status === 'applied' && r.stage === 'application')).toBe(true);
    const numbers = first.results.map((r: any) => r.certificateNo).sort((a: string, b: string) => parseInt(a) - parseInt(b));
    expect(numbers).toEqual(Array.from({ length: 40 }, (_, i) => `${i + 1}/CN-${today.slice(0, 4)}`));

    // Each of the 40 workflows moved on: the training step is closed and the application is open.
    for (const id of forty) {
      const c = await ok(users.secretary.get(`/api/candidates/${id}`));
      expect(c.openTasks.map((t: any) => t.type)).toEqual(['submit_application']);
    }
    // The 41st, never enrolled, still waits on the class.
    expect((await ok(users.centre.get(`/api/candidates/${candidates[40]}`))).openTasks.map((t: any) => t.type)).toEqual(['record_training_certificate']);

    // A repeat (same or new request) issues no number and applies no decision a second time.
    const again = await certifyAndWait(users.centre, classId, { issuedOn: today, results: forty.map((candidateId) => ({ candidateId, result: 'pass' })) });
    expect(again).toMatchObject({ applied: 0, alreadyApplied: 40, refused: 0 });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM certificates WHERE class_id = $1`, [classId]);
    expect(n).toBe(40);
    const decisions = await ds.query(
      `SELECT candidate_id, count(*)::int AS n FROM candidate_events WHERE candidate_id = ANY($1::uuid[]) AND type = 'decision_recorded' AND data->>'taskType' = 'record_training_certificate' GROUP BY 1`,
      [forty],
    );
    expect(decisions).toHaveLength(40);
    expect(decisions.every((d: any) => d.n === 1)).toBe(true);
    // A changed result for someone already certified is a conflict, not a silent rewrite.
    const conflict = await users.centre.post(`/api/training-classes/${classId}/certify`, { issuedOn: today, results: [{ candidateId: forty[0], result: 'fail' }] });
    expect(conflict.status).toBe(422);
    expect(conflict.body.code).toBe('training_result_conflict');

    const view = await ok(users.grassroots.get(`/api/training-classes/${classId}`));
    expect(view).toMatchObject({ capacity: 40, taken: 40, enrolled: 40, certified: 40, certifiedOn: today });
    expect(view.enrolments.every((e: any) => e.appliedAt && e.certificateNo)).toBe(true);
    process.stderr.write(`certify of 40 took ${certifyMs} ms\n`);
  });

  it('looks a certificate up by number with its holder, class and 60-month validity', async () => {
    const number = `7/CN-${year}`;
    const c = await ok(users.centre.get(`/api/certificates/${encodeURIComponent(number)}`));
    const [y, m, d] = today.split('-').map(Number);
    const expires = new Date(Date.UTC(y + 5, m - 1, d)); // 60 months later; valid until the day before
    expect(c).toMatchObject({ number, kind: 'party_awareness', issuedOn: today, classId, className: 'Lớp nhận thức về Đảng K1', orgUnitId: units.centre, valid: true });
    expect(c.validUntil).toBe(new Date(expires.getTime() - 86_400_000).toISOString().slice(0, 10));
    expect(candidates).toContain(c.candidateId);
    expect((await users.outsider.get(`/api/certificates/${encodeURIComponent(number)}`)).status).toBe(404);
    expect((await users.centre.get(`/api/certificates/${encodeURIComponent('999/CN-1999')}`)).body.code).toBe('certificate_not_found');
  });

  it('admits three of the class through their real workflows, counted in the admissions report', async () => {
    const steps = [
      ['secretary', 'submit_application'],
      ['grassroots', 'verify_background'],
      ['secretary', 'record_introductions'],
      ['secretary', 'cell_admission_vote'],
      ['grassroots', 'grassroots_admission_review'],
      ['board', 'superior_admission_decision'],
    ] as const;
    for (const id of candidates.slice(0, 3)) for (const [who, step] of steps) await sys.decideOk(users[who], id, step);
    await ok(put(admin, `/api/quotas/${units.province}/${year}`, { quota: 10 }));
    await ok(put(users.provinceBoard, `/api/quotas/${units.superior}/${year}`, { quota: 6 }));
    const r = await ok(users.board.get(`/api/reports/admissions?orgUnitId=${units.superior}&from=${today}&to=${today}`));
    const grassroots = r.rows.find((x: any) => x.orgUnitId === units.grassroots);
    expect(grassroots).toMatchObject({ admitted: 3, women: 0, youthUnion: 3, age30OrUnder: 3, collegeOrAbove: 3 });
    const province = await ok(users.provinceBoard.get(`/api/reports/admissions?orgUnitId=${units.province}&from=${today}&to=${today}`));
    expect(province.rows.find((x: any) => x.orgUnitId === units.superior)).toMatchObject({ admitted: 3, quota: 6, percentOfQuota: 50 });
    expect(province.total).toMatchObject({ admitted: 3, quota: 10, percentOfQuota: 30 });
    const funnel = await ok(users.board.get(`/api/reports/funnel?orgUnitId=${units.superior}&from=${today}&to=${today}`));
    expect(funnel.steps.map((s: any) => s.count)).toEqual([41, 41, 40, 3, 0]);
    expect(funnel.steps[2].conversionPercent).toBe(percent(40, 41));
    // Another ward's board cannot read this ward's figures.
    expect((await users.outsiderBoard.get(`/api/reports/admissions?orgUnitId=${units.superior}`)).status).toBe(403);
  });

  it('certifies a new-member class into probation, numbering on in the centre\'s register', async () => {
    const two = candidates.slice(0, 2);
    for (const id of two) await sys.decideOk(users.secretary, id, 'admission_ceremony');
    for (const id of two) await sys.openTask(users.centre, id, 'record_new_member_training');
    const cls = await ok(users.centre.post('/api/training-classes', { kind: 'new_member', name: 'Lớp đảng viên mới K1', startsOn: today, endsOn: today, capacity: 30, orgUnitId: units.centre }), 201);
    // A sympathiser still waiting on the awareness class is not at this step.
    expect((await users.grassroots.post(`/api/training-classes/${cls.id}/proposals`, { candidateIds: [candidates[40]] })).body.code).toBe('training_candidate_not_at_step');
    await ok(users.grassroots.post(`/api/training-classes/${cls.id}/proposals`, { candidateIds: two }));
    await ok(users.centre.post(`/api/training-classes/${cls.id}/enrolments`, { candidateIds: two }));
    await ok(users.centre.post(`/api/training-classes/${cls.id}/attendance`, { records: two.map((candidateId) => ({ candidateId, attendance: 'full', result: 'pass' })) }));
    // Without `results`, the provisional results recorded with the attendance are certified.
    const r = await certifyAndWait(users.centre, cls.id, { issuedOn: today });
    expect(r).toMatchObject({ applied: 2, refused: 0 });
    expect(r.results.map((x: any) => x.certificateNo).sort()).toEqual([`41/CN-${year}`, `42/CN-${year}`]);
    for (const id of two) {
      const c = await ok(users.secretary.get(`/api/candidates/${id}`));
      expect(c.stage).toBe('probation');
      expect(c.openTasks.map((t: any) => t.type)).not.toContain('record_new_member_training');
    }
    const cert = await ok(users.secretary.get(`/api/certificates/${encodeURIComponent(`41/CN-${year}`)}`));
    expect(cert).toMatchObject({ kind: 'new_member', validUntil: null, valid: true });

    // An answer lost after the decision was sent: the next certify finds the task closed with that result.
    await ds.query(`UPDATE class_enrolments SET applied_at = NULL WHERE class_id = $1 AND candidate_id = $2`, [cls.id, two[0]]);
    const again = await certifyAndWait(users.centre, cls.id, { issuedOn: today });
    expect(again).toMatchObject({ applied: 0, alreadyApplied: 2, refused: 0 });
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM candidate_events WHERE candidate_id = $1 AND type = 'decision_recorded' AND data->>'taskType' = 'record_new_member_training'`,
      [two[0]],
    );
    expect(n).toBe(1);
  });

  it('counts a transferred candidate where they are now', async () => {
    const moved = candidates[2];
    await ok(users.provinceBoard.post(`/api/candidates/${moved}/transfer`, { toCellId: units.otherCell, reason: 'Chuyển công tác' }));
    const r = await ok(users.provinceBoard.get(`/api/reports/admissions?orgUnitId=${units.province}&from=${today}&to=${today}`));
    expect(r.rows.find((x: any) => x.orgUnitId === units.superior).admitted).toBe(2);
    expect(r.rows.find((x: any) => x.orgUnitId === units.otherSuperior).admitted).toBe(1);
    expect(r.total.admitted).toBe(3);
  });
});

describe('quotas', () => {
  it('refuses allocating the children more than the parent, naming the figures in Vietnamese and English', async () => {
    // The province has 10 for the year and gave the ward 6 (above); the other ward may have 4, not 5.
    const over = await put(users.provinceBoard, `/api/quotas/${units.otherSuperior}/${year}`, { quota: 5 });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('quota_exceeds_parent');
    expect(over.body.message).toBe('Tổng chỉ tiêu giao cho các đơn vị trực thuộc sẽ là 11 (đã giao 6 + đề nghị 5), vượt chỉ tiêu của cấp trên là 10');
    const en = await put(users.provinceBoard, `/api/quotas/${units.otherSuperior}/${year}`, { quota: 5 }, { 'accept-language': 'en' });
    expect(en.body.message).toBe('The quotas given to the units below would total 11 (6 already allocated + 5 requested), more than the parent quota of 10');
    await ok(put(users.provinceBoard, `/api/quotas/${units.otherSuperior}/${year}`, { quota: 4 }));
    const q = await ok(users.provinceBoard.get(`/api/quotas?orgUnitId=${units.province}&year=${year}`));
    expect(q).toMatchObject({ quota: 10, allocated: 10, unallocated: 0, percentAllocated: 100 });
    // The ward's board hands down within its own quota, and its quota cannot drop below that.
    await ok(put(users.board, `/api/quotas/${units.grassroots}/${year}`, { quota: 5 }));
    const below = await put(users.provinceBoard, `/api/quotas/${units.superior}/${year}`, { quota: 4 });
    expect(below.body).toMatchObject({ code: 'quota_below_children' });
    expect(below.status).toBe(422);
    // A unit does not set its own quota; auditors never write; the top unit's quota is the administrator's.
    expect((await put(users.board, `/api/quotas/${units.superior}/${year}`, { quota: 6 })).status).toBe(403);
    expect((await put(users.auditor, `/api/quotas/${units.superior}/${year}`, { quota: 6 })).status).toBe(403);
    expect((await put(users.provinceBoard, `/api/quotas/${units.province}/${year}`, { quota: 12 })).status).toBe(403);
    // Term quotas are allocated the same way.
    await ok(put(admin, `/api/quotas/${units.province}/term/2025-2030`, { quota: 50 }));
    expect((await put(users.provinceBoard, `/api/quotas/${units.superior}/term/2025-2030`, { quota: 51 })).body.code).toBe('quota_exceeds_parent');
    expect((await ok(users.auditor.get(`/api/quotas?orgUnitId=${units.province}&term=2025-2030`))).quota).toBe(50);
  });
});

describe('reports over a seeded read model', () => {
  const u: Record<string, string> = {};
  const fixtures: FixtureCandidate[] = [];
  const H1 = { from: '2026-01-01', to: '2026-06-30' };
  const TERM = { from: '2020-10-01', to: '2025-09-30' };

  beforeAll(async () => {
    const unit = async (key: string, name: string, kind: string, parent?: string) => {
      u[key] = (await ok(admin.post('/api/org-units', { name: `${name} ${sys.tag}`, kind, parentId: parent ? u[parent] : undefined }), 201)).id;
    };
    await unit('P', 'Tỉnh ủy mẫu', 'province');
    await unit('A', 'Đảng ủy phường A', 'superior', 'P');
    await unit('gA1', 'Đảng ủy cơ sở A1', 'grassroots_committee', 'A');
    await unit('cA1', 'Chi bộ A1', 'cell', 'gA1');
    await unit('gA2', 'Đảng ủy cơ sở A2', 'grassroots_committee', 'A');
    await unit('cA2', 'Chi bộ A2', 'cell', 'gA2');
    await unit('B', 'Đảng ủy phường B', 'superior', 'P');
    await unit('gB1', 'Chi bộ cơ sở B1', 'grassroots_cell', 'B');
    await unit('C', 'Đảng ủy xã C', 'superior', 'P');
    await unit('gC1', 'Đảng ủy cơ sở C1', 'grassroots_committee', 'C');
    await unit('cC1', 'Chi bộ C1', 'cell', 'gC1');

    // Ward A: 52 admitted in the first half of 2026 (30 in A1, 22 in A2), plus some outside the period.
    for (let i = 0; i < 52; i++) {
      const inA1 = i < 30;
      fixtures.push({
        cellId: inA1 ? u.cA1 : u.cA2,
        grassrootsId: inA1 ? u.gA1 : u.gA2,
        gender: i % 2 === 0 ? 'female' : 'male', // 26 women
        ethnicity: i % 9 === 0 ? 'Tày' : i % 13 === 0 ? ' kinh ' : 'Kinh', // i = 0, 9, …, 45: 6 minorities
        religion: i % 10 === 3 ? 'Công giáo' : i % 10 === 4 ? 'Không' : null, // 3, 13, …, 43: 5 believers
        youthUnionMember: i % 4 !== 0, // 39
        dateOfBirth: i < 20 ? '1990-02-10' : i < 35 ? `1995-${String((i % 12) + 1).padStart(2, '0')}-15` : '2000-06-30',
        education: i % 5 === 0 ? 'lower_secondary' : i % 5 === 1 ? 'university' : 'upper_secondary',
        introducedOn: '2025-03-01',
        sympathiserOn: '2025-04-01',
        certifiedOn: '2025-06-01',
        admittedOn: plusDays('2026-01-05', i * 3), // up to 2026-06-07
      });
    }
    for (const admittedOn of ['2025-12-31', '2026-07-01', '2026-08-15']) fixtures.push({ cellId: u.cA1, grassrootsId: u.gA1, introducedOn: '2025-01-01', admittedOn });
    // Ward B (a grassroots cell): 54 admitted over the 2020–2025 term.
    for (let i = 0; i < 54; i++) fixtures.push({ cellId: u.gB1, grassrootsId: u.gB1, introducedOn: '2020-09-01', admittedOn: plusDays('2020-11-01', i * 30) });
    // Commune C: a 2026 cohort of 10 introduced, for the funnel (admitted from September on).
    const gaps = [
      [10, 30, 200, 365],
      [20, 40, 220, 370],
      [30, 50, 240],
      [40, 60, 260],
      [50, 70],
      [60, 80],
      [70],
      [80],
      [],
      [],
    ];
    gaps.forEach((g, i) => {
      const introducedOn = plusDays('2026-01-10', i);
      const at = (k: number) => (g[k] === undefined ? undefined : plusDays(introducedOn, g.slice(0, k + 1).reduce((a, b) => a + b, 0)));
      fixtures.push({ cellId: u.cC1, grassrootsId: u.gC1, introducedOn, sympathiserOn: at(0), certifiedOn: at(1), admittedOn: at(2), officialOn: at(3) });
    });
    await seedReadModel(ds, fixtures);

    // Quotas: ward A 80 for 2026 out of the province's 200; ward B 50 for the term.
    await ok(put(admin, `/api/quotas/${u.P}/2026`, { quota: 200 }));
    await ok(put(admin, `/api/quotas/${u.A}/2026`, { quota: 80 }));
    await ok(put(admin, `/api/quotas/${u.B}/term/2020-2025`, { quota: 50 }));
    // Membership at the start of 2026: 400 + 250 in ward A (a later count does not count).
    await ok(put(admin, `/api/membership/${u.cA1}`, { asOf: '2025-12-31', partyMembers: 400 }));
    await ok(put(admin, `/api/membership/${u.cA2}`, { asOf: '2025-12-31', partyMembers: 250 }));
    await ok(put(admin, `/api/membership/${u.cA2}`, { asOf: '2026-03-01', partyMembers: 999 }));
    await ok(put(admin, `/api/membership/${u.gB1}`, { asOf: '2020-01-01', partyMembers: 300 }));
  });

  it('gives admissions against the annual quota and membership, with the composition: 52 of 80 = 65%', async () => {
    const r = await ok(admin.get(`/api/reports/admissions?orgUnitId=${u.P}&from=${H1.from}&to=${H1.to}`));
    const a = fixtures.filter((f) => f.cellId === u.cA1 || f.cellId === u.cA2).filter((f) => f.admittedOn! >= H1.from && f.admittedOn! <= H1.to);
    expect(a).toHaveLength(52);
    const expected = {
      orgUnitId: u.A,
      admitted: 52,
      quota: 80,
      percentOfQuota: 65,
      women: a.filter((f) => f.gender === 'female').length,
      ethnicMinority: a.filter((f) => isEthnicMinority(f.ethnicity ?? 'Kinh')).length,
      religious: a.filter((f) => isReligious(f.religion)).length,
      youthUnion: a.filter((f) => f.youthUnionMember).length,
      age30OrUnder: a.filter((f) => ageOn(f.dateOfBirth!, f.admittedOn!) <= 30).length,
      upperSecondaryOrAbove: a.filter((f) => f.education !== 'lower_secondary').length,
      collegeOrAbove: a.filter((f) => f.education === 'university').length,
      membershipAtStart: 650,
      percentOfMembership: percent(52, 650),
    };
    expect(expected).toMatchObject({ women: 26, ethnicMinority: 6, religious: 5, youthUnion: 39, percentOfMembership: 8 });
    expect(r.rows.find((x: any) => x.orgUnitId === u.A)).toMatchObject(expected);
    expect(r.rows.find((x: any) => x.orgUnitId === u.C)).toMatchObject({ admitted: 0, quota: null, percentOfQuota: null });
    expect(r.total).toMatchObject({ orgUnitId: u.P, admitted: 52, quota: 200, percentOfQuota: 26, total: true });
    expect(r.shares.women).toBe(50);
    expect(r.composition.education).toEqual({ upper_secondary: 30, lower_secondary: 11, university: 11 });
    // The ward's own breakdown by grassroots organisation.
    const ward = await ok(admin.get(`/api/reports/admissions?orgUnitId=${u.A}&from=${H1.from}&to=${H1.to}`));
    expect(ward.rows.map((x: any) => [x.orgUnitId, x.admitted, x.membershipAtStart])).toEqual(
      expect.arrayContaining([
        [u.gA1, 30, 400],
        [u.gA2, 22, 250],
      ]),
    );
  });

  it('gives a ward admitting 54 against a term quota of 50 = 108%', async () => {
    const r = await ok(admin.get(`/api/reports/admissions?orgUnitId=${u.P}&from=${TERM.from}&to=${TERM.to}&term=2020-2025`));
    expect(r.quotaBasis).toEqual({ kind: 'term', periods: ['2020-2025'] });
    expect(r.rows.find((x: any) => x.orgUnitId === u.B)).toMatchObject({ admitted: 54, quota: 50, percentOfQuota: 108, membershipAtStart: 300, percentOfMembership: 18 });
  });

  it('gives the funnel of a cohort with conversion and median days per step', async () => {
    const r = await ok(admin.get(`/api/reports/funnel?orgUnitId=${u.C}&from=2026-01-01&to=2026-12-31`));
    const cohort = fixtures.filter((f) => f.cellId === u.cC1);
    const days = (a?: string, b?: string) => (a && b ? (Date.parse(b) - Date.parse(a)) / 86_400_000 : undefined);
    const md = (pick: (f: FixtureCandidate) => number | undefined) => median(cohort.map(pick).filter((x): x is number => x !== undefined));
    expect(r.steps.map((s: any) => [s.step, s.count])).toEqual([
      ['sources', 10],
      ['sympathisers', 8],
      ['certified', 6],
      ['admitted', 4],
      ['official', 2],
    ]);
    expect(r.steps.map((s: any) => s.medianDaysFromPrevious)).toEqual([
      null,
      md((f) => days(f.introducedOn, f.sympathiserOn)),
      md((f) => days(f.sympathiserOn, f.certifiedOn)),
      md((f) => days(f.certifiedOn, f.admittedOn)),
      md((f) => days(f.admittedOn, f.officialOn)),
    ]);
    expect(r.steps[1].medianDaysFromPrevious).toBe(45);
    expect(r.steps.map((s: any) => s.conversionPercent)).toEqual([null, 80, 75, 66.67, 50]);
  });

  it('gives the share of grassroots organisations that admitted at least one member', async () => {
    const r = await ok(admin.get(`/api/reports/grassroots?orgUnitId=${u.P}&from=${H1.from}&to=${H1.to}`));
    expect(r).toMatchObject({ total: 4, withAdmissions: 2, percent: 50 });
  });

  it('lists the overdue steps by the unit that has to act', async () => {
    const [c] = await seedReadModel(ds, [{ cellId: u.cA1, grassrootsId: u.gA1, introducedOn: '2025-01-01' }]);
    await ds.query(
      `INSERT INTO tasks (id, candidate_id, type, role, org_unit_id, status, opened_at, opened_on, due_date, due_at, version)
       VALUES ($1, $2, 'superior_admission_decision', 'superior_board', $3, 'open', now() - interval '90 days', current_date - 90, current_date - 5, now() - interval '5 days', 1)`,
      [`fixture-${c}`, c, u.A],
    );
    const r = await ok(admin.get(`/api/reports/overdue?orgUnitId=${u.P}`));
    expect(r.total).toBe(1);
    expect(r.rows).toEqual([expect.objectContaining({ orgUnitId: u.A, taskType: 'superior_admission_decision', overdue: 1 })]);
  });

  it('lists places with no member or no cell and the trend over the period', async () => {
    const place = async (name: string, partyMembers: number, hasCell: boolean) =>
      (await ok(admin.post('/api/places', { name, kind: 'village', orgUnitId: u.C, partyMembers, hasCell, asOf: '2025-12-31' }), 201)).id as string;
    const p1 = await place('Bản Nậm 1', 0, false);
    const p2 = await place('Bản Nậm 2', 0, false);
    await place('Bản Nậm 3', 0, false);
    await place('Thôn Đông', 12, true);
    const p5 = await place('Tổ dân phố 5', 4, false);
    await ok(patch(admin, `/api/places/${p1}`, { partyMembers: 3, hasCell: true, asOf: '2026-03-01' }));
    await ok(patch(admin, `/api/places/${p2}`, { partyMembers: 1, asOf: '2026-05-01' }));
    await ok(patch(admin, `/api/places/${p5}`, { hasCell: true, asOf: '2026-09-01' })); // after the period
    expect((await ok(admin.get(`/api/places/${p1}`))).history).toHaveLength(2);
    const r = await ok(admin.get(`/api/reports/places?orgUnitId=${u.P}&from=2026-01-01&to=2026-06-30`));
    expect(r.start).toEqual({ total: 5, withoutMembers: 3, withoutCell: 4 });
    expect(r.end).toEqual({ total: 5, withoutMembers: 1, withoutCell: 3 });
    expect(r.change).toEqual({ withoutMembers: -2, withoutCell: -1 });
    expect(r.rows.map((p: any) => p.name).sort()).toEqual(['Bản Nậm 2', 'Bản Nậm 3', 'Tổ dân phố 5']);
  });

  it('exports the admissions report as CSV and XLSX that parse back to the same figures', async () => {
    const q = `orgUnitId=${u.P}&from=${H1.from}&to=${H1.to}`;
    const csv = await download(admin, `/api/reports/admissions?${q}&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const rows = parseCsv(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows[0].slice(0, 4)).toEqual(['Đơn vị', 'Số kết nạp', 'Chỉ tiêu', '% chỉ tiêu']);
    const a = rows.find((r) => r[0] === `Đảng ủy phường A ${sys.tag}`)!;
    expect(a.slice(1, 4)).toEqual(['52', '80', '65']);
    expect(rows.at(-1)![0]).toContain('Tổng cộng');

    const xlsx = await download(admin, `/api/reports/admissions?${q}&format=xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.type).toContain('spreadsheetml');
    const book = parseXlsx(xlsx.bytes);
    expect(book.sheets).toEqual(['Ket nap']);
    expect(book.rows[0][0]).toBe('Đơn vị');
    expect(book.rows.find((r) => r[0] === `Đảng ủy phường A ${sys.tag}`)!.slice(1, 4)).toEqual([52, 80, 65]);
    expect(book.rows).toHaveLength(rows.length);

    const funnel = await download(admin, `/api/reports/funnel?orgUnitId=${u.C}&from=2026-01-01&to=2026-12-31&format=csv`);
    expect(parseCsv(funnel.bytes.toString('utf8').replace(/^\uFEFF/, '')).slice(1).map((r) => r[1])).toEqual(['10', '8', '6', '4', '2']);
  });

  it('keeps the new candidate attributes, and refuses an unknown place', async () => {
    const placeId = (await ok(admin.post('/api/places', { name: 'Trường THPT Lê Lợi', kind: 'school', orgUnitId: units.superior }), 201)).id;
    const body = {
      cellId: units.cell,
      fullName: 'Lò Thị Mai',
      dateOfBirth: '2001-02-03',
      gender: 'female',
      ethnicity: 'Thái',
      education: 'upper_secondary',
      youthUnionMember: true,
      occupation: 'public_employee',
      sector: 'Giáo dục',
      professionalQualification: 'college',
      placeId,
      source: { organization: 'Đoàn trường', introducedOn: today },
    };
    const id = (await ok(users.secretary.post('/api/candidates', body), 201)).id;
    expect(await ok(users.secretary.get(`/api/candidates/${id}`))).toMatchObject({ occupation: 'public_employee', sector: 'Giáo dục', professionalQualification: 'college', placeId });
    const bad = await users.secretary.post('/api/candidates', { ...body, placeId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(404);
    expect(bad.body.code).toBe('place_not_found');
  });
});

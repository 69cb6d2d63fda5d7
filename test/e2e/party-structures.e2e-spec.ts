import { randomUUID } from 'node:crypto';
import type { Api } from '../support/http.js';
import { awaitJob } from '../support/jobs.js';
import { TestSystem } from '../support/system.js';

/**
 * The structures of issue 16 on the running system (real Temporal, real PostgreSQL): a partial committee
 * (đảng ủy bộ phận) between a grassroots committee and its cells, which appraises the cell's resolution in its
 * own inbox (7-KNĐ, §3.2 S7); and a grassroots committee authorised to admit, which decides itself at two
 * thirds of all its members (§3.2 S8–S9) — the authority given through the reorganisation job, so the cases
 * already under way take it and record it.
 */
const sys = new TestSystem();

beforeAll(async () => {
  await sys.start();
});

afterAll(async () => {
  await sys.stop();
});

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

async function inboxOf(as: Api, candidateId: string, type: string): Promise<any[]> {
  const r = await as.get(`/api/tasks?type=${type}&limit=500`);
  if (r.status !== 200) throw new Error(`inbox: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.items.filter((t: any) => t.candidateId === candidateId);
}

async function unit(name: string, kind: string, parentId: string): Promise<string> {
  return (await ok(sys.admin.post('/api/org-units', { name: `${name} ${sys.tag}`, kind, parentId }), 201)).id;
}

async function user(key: string, role: string, orgUnitId: string): Promise<Api> {
  const username = `${key}-${sys.tag}`;
  await ok(sys.admin.post('/api/users', { username, password: 'password-0001', fullName: `Người dùng ${key}`, roles: [{ role, orgUnitId }] }), 201);
  return sys.anon.login(username, 'password-0001');
}

async function candidateIn(as: Api, cellId: string, fullName: string): Promise<string> {
  const body = {
    cellId,
    fullName,
    dateOfBirth: '1999-04-12',
    gender: 'female',
    ethnicity: 'Kinh',
    education: 'university',
    youthUnionMember: true,
    source: { organization: 'Đoàn trường', introducedOn: await sys.today() },
  };
  return (await ok(as.post('/api/candidates', body), 201)).id;
}

/** From a new case to the introductions, by the cell's secretary `secretary`. */
async function toIntroductions(secretary: Api, cellId: string, name: string): Promise<string> {
  const { users } = sys;
  const id = await candidateIn(secretary, cellId, name);
  await sys.decideOk(secretary, id, 'recognize_sympathiser');
  await sys.decideOk(users.centre, id, 'record_training_certificate');
  await sys.decideOk(secretary, id, 'submit_application');
  await sys.decideOk(users.grassroots, id, 'verify_background');
  await sys.decideOk(secretary, id, 'record_introductions');
  return id;
}

describe('a partial committee (đảng ủy bộ phận)', () => {
  it('sits only under a grassroots committee', async () => {
    const r = await sys.admin.post('/api/org-units', { name: `Đảng ủy bộ phận sai ${sys.tag}`, kind: 'partial_committee', parentId: sys.units.superior });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('org_unit_parent_invalid');
    expect(r.body.message).toContain('không thể trực thuộc');
  });

  it("appraises the cell's resolution in its own inbox (7-KNĐ) before the grassroots committee reviews it", async () => {
    const partial = await unit('Đảng ủy bộ phận khoa Toán', 'partial_committee', sys.units.grassroots);
    const cell = await unit('Chi bộ bộ môn Đại số', 'cell', partial);
    const secretary = await user('pc-secretary', 'cell_secretary', cell);
    const appraiser = await user('pc-member', 'partial_committee', partial);
    const id = await toIntroductions(secretary, cell, 'Đỗ Thị Thẩm Định');
    await sys.decideOk(secretary, id, 'cell_admission_vote');

    const appraisal = await sys.openTask(appraiser, id, 'partial_admission_appraisal');
    expect(appraisal).toMatchObject({ orgUnitId: partial, role: 'partial_committee' });
    // Not the grassroots committee's step, nor the cell's.
    expect(await inboxOf(sys.users.grassroots, id, 'partial_admission_appraisal')).toEqual([]);
    const foreign = await sys.users.grassroots.post(`/api/tasks/${appraisal.id}/complete`, { outcome: 'submit', data: { appraisedOn: await sys.today(), opinion: 'agree' } });
    expect(foreign.status).toBe(403);
    // A conclusion is required, and said so in Vietnamese.
    const bad = await appraiser.post(`/api/tasks/${appraisal.id}/complete`, { outcome: 'submit', data: { appraisedOn: await sys.today() } });
    expect(bad.status).toBe(400);
    expect(bad.body.violations.map((v: any) => v.field)).toContain('opinion');
    expect(await inboxOf(sys.users.grassroots, id, 'grassroots_admission_review')).toEqual([]);

    await sys.decideOk(appraiser, id, 'partial_admission_appraisal');
    const review = await sys.openTask(sys.users.grassroots, id, 'grassroots_admission_review');
    // One clock for the whole chain above the cell (T3): the review keeps the appraisal's due date.
    expect(review.dueAt).toBe(appraisal.dueAt);
    const events = (await ok(secretary.get(`/api/candidates/${id}/history`))).events as any[];
    expect(events.find((e) => e.type === 'decision_recorded' && e.data.taskType === 'partial_admission_appraisal')).toMatchObject({
      actor: { username: `pc-member-${sys.tag}`, role: 'partial_committee' },
      data: { decision: expect.objectContaining({ opinion: 'agree' }) },
    });
    // The dossier has 7-KNĐ, generated from the appraisal, printable as the partial committee's report.
    const dossier = await ok(secretary.get(`/api/candidates/${id}/dossier-forms`));
    const seven = dossier.forms.find((f: any) => f.code === '7-KNĐ');
    expect(seven).toMatchObject({ due: true, status: 'present', generated: true });
    const pdf = await fetch(`${secretary.baseUrl}${seven.download}`, { headers: { authorization: `Bearer ${secretary.token}` } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe('a grassroots committee authorised to admit', () => {
  it('is given the authority through a job that the cases under way record, then decides itself at two thirds', async () => {
    const { users, units, admin } = sys;
    const id = await toIntroductions(users.secretary, units.cell, 'Vũ Văn Ủy Quyền');

    const onCell = await admin.post(`/api/org-units/${units.cell}/admission-authority`, { authorisedToAdmit: true }, { 'accept-language': 'en' });
    expect(onCell.status).toBe(422);
    expect(onCell.body).toMatchObject({ code: 'org_unit_not_grassroots_committee' });
    expect(onCell.body.message).toContain('Only a grassroots committee');
    expect((await users.grassroots.post(`/api/org-units/${units.grassroots}/admission-authority`, { authorisedToAdmit: true })).status).toBe(403);

    const key = randomUUID();
    const started = await ok(admin.post(`/api/org-units/${units.grassroots}/admission-authority`, { authorisedToAdmit: true }, { 'idempotency-key': key }), 202);
    expect(started).toMatchObject({ kind: 'org_reorganisation', action: 'authorise', unitId: units.grassroots });
    const job = await awaitJob(admin, started.jobId);
    expect(job.status).toBe('succeeded');
    expect(job.result.moved).toBeGreaterThanOrEqual(1);
    expect(job.result.refused).toBe(0);
    const unitsNow = (await ok(admin.get('/api/org-units?limit=1000'))).items;
    expect(unitsNow.find((u: any) => u.id === units.grassroots).authorisedToAdmit).toBe(true);
    // Asking again changes nothing and says so.
    const same = await admin.post(`/api/org-units/${units.grassroots}/admission-authority`, { authorisedToAdmit: true });
    expect(same.body.code).toBe('org_unit_no_change');

    const events = await sys.history(id);
    expect(events.filter((e) => e.type === 'org_restructured')).toEqual([
      expect.objectContaining({ actor: expect.objectContaining({ role: 'admin' }), data: expect.objectContaining({ action: 'authorise', grassrootsAuthorised: true, tasks: [] }) }),
    ]);

    // The cell's resolution now goes to the committee's decision, in its inbox; no 8-KNĐ proposal step.
    await sys.decideOk(users.secretary, id, 'cell_admission_vote');
    const decision = await sys.openTask(users.grassroots, id, 'superior_admission_decision');
    expect(decision).toMatchObject({ orgUnitId: units.grassroots, role: 'grassroots_committee' });
    expect(await inboxOf(users.board, id, 'superior_admission_decision')).toEqual([]);
    expect(await inboxOf(users.grassroots, id, 'grassroots_admission_review')).toEqual([]);

    // 5 of 9 is more than half but not two thirds of all its members: refused, in Vietnamese; 6 of 9 is valid.
    const today = await sys.today();
    const data = { boardMembers: 9, inFavour: 5, decisionNo: `7-QĐ/ĐU-${sys.tag}`, decisionDate: today };
    const short = await users.grassroots.post(`/api/tasks/${decision.id}/complete`, { outcome: 'approve', data });
    expect(short.status).toBe(422);
    expect(short.body.violations[0]).toMatchObject({ code: 'two_thirds_not_reached' });
    expect(short.body.message).toMatch(/hai phần ba|2\/3/);
    await ok(users.grassroots.post(`/api/tasks/${decision.id}/complete`, { outcome: 'approve', data: { ...data, inFavour: 6 } }));
    await sys.openTask(users.secretary, id, 'admission_ceremony');
    const decided = (await sys.history(id)).find((e) => e.type === 'decision_recorded' && e.data.taskType === 'superior_admission_decision');
    expect(decided.actor).toMatchObject({ role: 'grassroots_committee' });
  });
});

describe('re-admission (kết nạp lại, §2.4, T11)', () => {
  const yearsBefore = (date: string, years: number) => `${Number(date.slice(0, 4)) - years}${date.slice(4)}`;
  async function create(readmission: Record<string, unknown>, lang = 'vi') {
    const today = await sys.today();
    return sys.users.secretary.post(
      '/api/candidates',
      {
        cellId: sys.units.cell,
        fullName: 'Lý Văn Trở Lại',
        dateOfBirth: '1985-07-01',
        gender: 'male',
        ethnicity: 'Kinh',
        education: 'university',
        youthUnionMember: false,
        source: { organization: 'Công đoàn trường', introducedOn: today },
        readmission,
      },
      { 'accept-language': lang },
    );
  }

  it('refuses, before any case exists, a person who left less than 36 months ago, one never re-admitted, and a second re-admission', async () => {
    const today = await sys.today();
    const early = await create({ leftOn: yearsBefore(today, 2), leftHow: 'removed', previouslyReadmitted: false });
    expect(early.status).toBe(422);
    expect(early.body.code).toBe('readmission_too_early');
    expect(early.body.message).toContain('Chưa đủ 36 tháng');
    const never = await create({ leftOn: yearsBefore(today, 5), leftHow: 'abandoned_activity', previouslyReadmitted: false }, 'en');
    expect(never.body).toMatchObject({ code: 'readmission_never' });
    expect(never.body.message).toContain('never re-admitted');
    const twice = await create({ leftOn: yearsBefore(today, 5), leftHow: 'removed', previouslyReadmitted: true });
    expect(twice.body.code).toBe('readmission_only_once');
    const bad = await create({ leftOn: yearsBefore(today, 5), leftHow: 'walked_away', previouslyReadmitted: false });
    expect(bad.status).toBe(400);
  });

  it("opens the case and asks the province standing board's written approval before the competent committee decides", async () => {
    const { users } = sys;
    const today = await sys.today();
    const created = await create({ leftOn: yearsBefore(today, 4), leftHow: 'resigned_hardship', previouslyReadmitted: false, firstAdmittedOn: yearsBefore(today, 15) });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
    await sys.decideOk(users.centre, id, 'record_training_certificate');
    await sys.decideOk(users.secretary, id, 'submit_application');
    await sys.decideOk(users.grassroots, id, 'verify_background');
    await sys.decideOk(users.secretary, id, 'record_introductions');
    await sys.decideOk(users.secretary, id, 'cell_admission_vote');
    // The grassroots committee of this file was authorised to admit above: still, the province approves first.
    const approval = await sys.openTask(users.provinceBoard, id, 'province_readmission_approval');
    expect(approval.orgUnitId).toBe(sys.units.province);
    expect(await inboxOf(users.grassroots, id, 'superior_admission_decision')).toEqual([]);
    await sys.decideOk(users.provinceBoard, id, 'province_readmission_approval');
    await sys.openTask(users.grassroots, id, 'superior_admission_decision');
    const created0 = (await sys.history(id)).find((e) => e.type === 'candidate_created');
    expect(created0.data.readmission).toMatchObject({ leftHow: 'resigned_hardship', leftOn: yearsBefore(today, 4) });
  });
});

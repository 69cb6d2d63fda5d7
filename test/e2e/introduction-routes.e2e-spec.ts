import { addMonths } from '../../libs/domain/src/dates.js';
import { waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * Issue 16 on the running system (API + worker on the real Temporal server and PostgreSQL): the introduction
 * routes of §2.3 at `record_introductions` and the province standing board's exception to a failed verification
 * (§5.5). The test candidate is born 1999-04-12, a Youth Union member: of youth age (≤ 30) in 2026.
 */
const sys = new TestSystem();

beforeAll(async () => {
  await sys.start();
});

afterAll(async () => {
  await sys.stop();
});

/** A new candidate through the steps before the one named (verification or introductions). */
async function candidateAt(step: 'verify_background' | 'record_introductions', name: string): Promise<string> {
  const { users } = sys;
  const id = await sys.newCandidate(users.secretary, name);
  await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
  await sys.decideOk(users.centre, id, 'record_training_certificate');
  await sys.decideOk(users.secretary, id, 'submit_application');
  if (step === 'record_introductions') await sys.decideOk(users.grassroots, id, 'verify_background');
  return id;
}

const ONE_MEMBER = [{ fullName: 'Lê Văn Cường', official: true, monthsTogether: 24, sameGrassroots: true }];

describe('introduction routes (§2.3)', () => {
  it('refuses two members for a Youth Union member of youth age where a Youth Union organisation exists, in Vietnamese and English', async () => {
    const id = await candidateAt('record_introductions', `Trần Văn Đoàn ${sys.tag}`);
    const r = await sys.decide(sys.users.secretary, id, 'record_introductions', { data: { youthUnionAtGrassroots: true } });
    expect(r.status).toBe(422);
    expect(r.body.code).toBe('youth_union_route_required');
    expect(r.body.message).toContain('phải được Ban Chấp hành Đoàn cơ sở giới thiệu bằng nghị quyết (mẫu 4-KNĐ)');
    const task = await sys.openTask(sys.users.secretary, id, 'record_introductions');
    const en = await sys.users.secretary.post(
      `/api/tasks/${task.id}/complete`,
      { data: { introducers: [{ ...ONE_MEMBER[0], sameGrassroots: false }, { ...ONE_MEMBER[0], fullName: 'Phạm Thị Dung' }], youthUnionAtGrassroots: false, opinions: { massOrganizations: 'Nhất trí', residence: 'Nhất trí' } } },
      { 'accept-language': 'en' },
    );
    expect(en.status).toBe(422);
    expect(en.body.code).toBe('introducer_not_same_grassroots');
    expect(en.body.message).toContain("Introducer \"Lê Văn Cường\" must be an official member of the candidate's own grassroots party organisation");
    // Refusals never enter the history: the step is still open.
    expect((await sys.users.secretary.get(`/api/candidates/${id}`)).body.stage).toBe('introductions');
  });

  it('records the trade-union route (4A-KNĐ) where there is no Youth Union organisation, and the dossier then needs 4A-KNĐ', async () => {
    const id = await candidateAt('record_introductions', `Nguyễn Thị Công Đoàn ${sys.tag}`);
    const today = await sys.today();
    const resolution = { number: `07-NQ/CĐCS-${sys.tag}`, date: today, tradeUnionMember: true };
    // The grassroots organisation allows the union resolution in place of an introducer (§2.3, local configuration).
    expect((await sys.admin.call('PUT', `/api/org-units/${sys.units.grassroots}/trade-union-route`, { allowed: true })).status).toBe(200);
    const body = await sys.decideOk(sys.users.secretary, id, 'record_introductions', {
      data: { introducers: ONE_MEMBER, youthUnionAtGrassroots: false, tradeUnionResolution: resolution },
    });
    expect(body.stage).toBe('cell_admission_vote');
    const recorded = (await sys.history(id)).find((e) => e.type === 'decision_recorded' && e.data.taskType === 'record_introductions');
    expect(recorded.data.decision).toMatchObject({ route: 'trade_union', youthUnionAtGrassroots: false, tradeUnionResolution: resolution, introducers: [{ fullName: 'Lê Văn Cường', sameGrassroots: true }] });

    const forms = await sys.users.secretary.get(`/api/candidates/${id}/dossier-forms`);
    expect(forms.status).toBe(200);
    const byCode = Object.fromEntries(forms.body.forms.map((f: any) => [f.code, f]));
    expect(byCode['4A-KNĐ']).toMatchObject({ status: 'missing', recorded: { taskType: 'record_introductions', ref: resolution.number } });
    expect(byCode['4-KNĐ']).toMatchObject({ status: 'not_applicable', reason: 'not_youth_union_route' });
  });
});

describe('the trade-union route as a setting of the grassroots organisation (§2.3 "Conflict to flag")', () => {
  const UNION_ROUTE = (date: string) => ({
    introducers: ONE_MEMBER,
    youthUnionAtGrassroots: false,
    tradeUnionResolution: { number: `08-NQ/CĐCS-${sys.tag}`, date, tradeUnionMember: true },
  });
  const setting = (unit: string) => `/api/org-units/${unit}/trade-union-route`;

  beforeAll(async () => {
    await sys.admin.call('PUT', setting(sys.units.grassroots), { allowed: null });
  });

  afterEach(async () => {
    await sys.admin.call('PUT', setting(sys.units.grassroots), { allowed: null });
  });

  it('refuses the union resolution in place of an introducer (422, Vietnamese and English) until the grassroots organisation allows it', async () => {
    const { users, admin, units } = sys;
    const id = await candidateAt('record_introductions', `Phan Văn Chưa Cho Phép ${sys.tag}`);
    const today = await sys.today();
    // Off where no unit sets it: the cell inherits the default from its grassroots organisation and the levels above.
    expect((await users.secretary.get(setting(units.cell))).body).toEqual({ orgUnitId: units.cell, own: null, effective: false, setOn: null });
    const task = await sys.openTask(users.secretary, id, 'record_introductions');
    expect((await users.secretary.get(`/api/tasks/${task.id}`)).body.tradeUnionRoute).toEqual({ allowed: false, setOn: null });

    const refused = await sys.decide(users.secretary, id, 'record_introductions', { data: UNION_ROUTE(today) });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 422, code: 'trade_union_route_not_enabled' });
    expect(refused.body.message).toContain('chưa cho phép nghị quyết giới thiệu của Ban Chấp hành công đoàn cơ sở (mẫu 4A-KNĐ) thay cho một đảng viên giới thiệu');
    const en = await sys.decide(users.secretary, id, 'record_introductions', { data: UNION_ROUTE(today) }, { 'accept-language': 'en' });
    expect(en.status).toBe(422);
    expect(en.body.message).toContain("does not allow the grassroots trade-union committee's introduction resolution (form 4A-KNĐ) to replace one introducer");
    // Through the bulk route too; nothing recorded.
    const bulk = await users.secretary.post('/api/tasks/bulk-complete', { items: [{ taskId: task.id, idempotencyKey: `tu-${id}`, data: { ...UNION_ROUTE(today), opinions: { massOrganizations: 'Nhất trí', residence: 'Nhất trí' } } }] });
    expect(bulk.body.results[0]).toMatchObject({ ok: false, status: 422, error: { code: 'trade_union_route_not_enabled' } });
    expect((await sys.history(id)).filter((e) => e.type === 'decision_recorded' && e.data.taskType === 'record_introductions')).toEqual([]);

    // Administrators only, on the grassroots organisation or above: a cell follows its grassroots organisation.
    expect((await users.board.call('PUT', setting(units.grassroots), { allowed: true })).status).toBe(403);
    expect((await admin.call('PUT', setting(units.grassroots), { allowed: 'yes' })).status).toBe(400);
    const onCell = await admin.call('PUT', setting(units.cell), { allowed: true });
    expect({ status: onCell.status, code: onCell.body.code }).toEqual({ status: 422, code: 'org_unit_setting_level' });
    const on = await admin.call('PUT', setting(units.grassroots), { allowed: true });
    expect(on.body).toEqual({ orgUnitId: units.grassroots, own: true, effective: true, setOn: units.grassroots });
    expect((await users.secretary.get(setting(units.cell))).body).toEqual({ orgUnitId: units.cell, own: null, effective: true, setOn: units.grassroots });
    // Another grassroots organisation is not concerned.
    expect((await users.secretary.get(setting(units.otherCell))).body).toMatchObject({ effective: false, setOn: null });

    const body = await sys.decideOk(users.secretary, id, 'record_introductions', { data: UNION_ROUTE(today) });
    expect(body.stage).toBe('cell_admission_vote');
  });

  it('keeps two party members open where the route is off, and refuses the union route again once turned off explicitly', async () => {
    const { users, admin, units } = sys;
    expect((await admin.call('PUT', setting(units.superior), { allowed: true })).status).toBe(200);
    expect((await admin.call('PUT', setting(units.grassroots), { allowed: false })).status).toBe(200);
    try {
      // The grassroots organisation's own "no" wins over the superior's "yes".
      expect((await users.secretary.get(setting(units.cell))).body).toMatchObject({ effective: false, setOn: units.grassroots });
      const id = await candidateAt('record_introductions', `Vũ Thị Hai Đảng Viên ${sys.tag}`);
      const refused = await sys.decide(users.secretary, id, 'record_introductions', { data: UNION_ROUTE(await sys.today()) });
      expect(refused.body.code).toBe('trade_union_route_not_enabled');
      const two = await sys.decideOk(users.secretary, id, 'record_introductions');
      expect(two.stage).toBe('cell_admission_vote');
    } finally {
      await admin.call('PUT', setting(units.superior), { allowed: null });
    }
  });
});

describe('a dossier gone stale (T2: 12 months without the cell considering the candidate)', () => {
  /** A candidate whose introductions were compiled 13 months ago: the 12-month clock has run out at once. */
  async function compiledThirteenMonthsAgo(name: string, introductions: (date: string) => Record<string, unknown>) {
    const { users } = sys;
    const today = await sys.today();
    const then = addMonths(today, -13);
    const created = await users.secretary.post('/api/candidates', {
      cellId: sys.units.cell,
      fullName: `${name} ${sys.tag}`,
      dateOfBirth: '1985-04-12',
      gender: 'male',
      ethnicity: 'Kinh',
      education: 'university',
      youthUnionMember: false,
      source: { organization: 'Công đoàn công ty', introducedOn: addMonths(today, -14) },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await sys.decideOk(users.secretary, id, 'recognize_sympathiser', { data: { meetingDate: then } });
    await sys.decideOk(users.centre, id, 'record_training_certificate', { data: { certificateNo: `CN-${sys.tag}-${id.slice(0, 8)}`, issuedOn: then } });
    await sys.decideOk(users.secretary, id, 'submit_application', { data: { applicationDate: then, cvSubmittedOn: then } });
    await sys.decideOk(users.grassroots, id, 'verify_background', { data: { concludedOn: then } });
    await sys.decideOk(users.secretary, id, 'record_introductions', { data: { ...introductions(then), compiledOn: then } });
    const stale = await waitFor('the dossier to go stale', async () => (await sys.history(id)).find((e) => e.type === 'dossier_stale'));
    return { id, stale };
  }

  afterAll(async () => {
    await sys.admin.call('PUT', `/api/org-units/${sys.units.grassroots}/trade-union-route`, { allowed: null });
  });

  it('asks for the trade-union resolution (4A-KNĐ) to be redone with the letters and opinions when the union introduced', async () => {
    expect((await sys.admin.call('PUT', `/api/org-units/${sys.units.grassroots}/trade-union-route`, { allowed: true })).status).toBe(200);
    const { id, stale } = await compiledThirteenMonthsAgo('Đinh Văn Công Đoàn', (date) => ({
      introducers: ONE_MEMBER,
      youthUnionAtGrassroots: false,
      tradeUnionResolution: { number: `09-NQ/CĐCS-${sys.tag}`, date, tradeUnionMember: true },
    }));
    expect(stale.data.redo).toEqual(['3-KNĐ', '4A-KNĐ', '5-KNĐ']);
    // The introductions are asked for again: a second attempt of the step.
    expect(await sys.openTask(sys.users.secretary, id, 'record_introductions')).toMatchObject({ attempt: 2 });
  });

  it('asks for no organisation resolution when two party members introduced', async () => {
    const { stale } = await compiledThirteenMonthsAgo('Mai Văn Hai Người', () => ({
      introducers: [ONE_MEMBER[0], { ...ONE_MEMBER[0], fullName: 'Phạm Thị Dung' }],
      youthUnionAtGrassroots: false,
    }));
    expect(stale.data.redo).toEqual(['3-KNĐ', '5-KNĐ']);
  });
});

describe("the province standing board's exception to a failed verification (§5.5)", () => {
  const exceptionAsked = {
    conclusion: 'does_not_meet',
    relativesChecked: [
      { relation: 'father', result: 'issue' },
      { relation: 'mother', result: 'clear' },
    ],
    grounds: 'Cha có vấn đề lịch sử chính trị',
    provinceException: { outstandingRecord: 'Chiến sĩ thi đua cơ sở hai năm liền', condemnedRelativesActs: true },
  };

  it("puts the exception in the province standing board's inbox (not the superior's), and goes on to the introductions when it approves", async () => {
    const { users } = sys;
    const id = await candidateAt('verify_background', `Lê Văn Ngoại Lệ ${sys.tag}`);
    const concluded = await sys.decideOk(users.grassroots, id, 'verify_background', { data: exceptionAsked });
    expect(concluded).toMatchObject({ stage: 'verification', status: 'active' });
    const task = await sys.openTask(users.provinceBoard, id, 'province_political_exception');
    expect(task).toMatchObject({ orgUnitId: sys.units.province, role: 'superior_board' });
    const superiorInbox = await users.board.get('/api/tasks?type=province_political_exception&limit=500');
    expect(superiorInbox.body.items.some((t: any) => t.candidateId === id)).toBe(false);

    // 15 members: more than half is 8; 7 is refused.
    const short = await sys.decide(users.provinceBoard, id, 'province_political_exception', { data: { boardMembers: 15, inFavour: 7 } });
    expect({ status: short.status, code: short.body.code }).toEqual({ status: 422, code: 'majority_not_reached' });
    const approved = await sys.decideOk(users.provinceBoard, id, 'province_political_exception', { data: { boardMembers: 15, inFavour: 8 } });
    expect(approved.stage).toBe('introductions');
    await sys.openTask(users.secretary, id, 'record_introductions');
  });

  it('ends the path as not admitted when the province does not approve', async () => {
    const { users } = sys;
    const id = await candidateAt('verify_background', `Phạm Văn Không Duyệt ${sys.tag}`);
    await sys.decideOk(users.grassroots, id, 'verify_background', { data: exceptionAsked });
    const refused = await sys.decideOk(users.provinceBoard, id, 'province_political_exception', { outcome: 'reject', data: { boardMembers: 15, inFavour: 6, decisionNo: undefined } });
    expect(refused).toMatchObject({ stage: 'rejected', status: 'rejected' });
    const ended = (await sys.history(id)).find((e) => e.type === 'path_ended');
    expect(ended.data).toMatchObject({ endState: 'rejected', step: 'province_political_exception', reason: 'province_did_not_approve_exception' });
  });

  it("refuses the exception for the candidate's own past: no exception there", async () => {
    const id = await candidateAt('verify_background', `Đỗ Văn Bản Thân ${sys.tag}`);
    const r = await sys.decide(sys.users.grassroots, id, 'verify_background', { data: { ...exceptionAsked, relativesChecked: [{ relation: 'self', result: 'issue' }] } });
    expect({ status: r.status, code: r.body.code }).toEqual({ status: 422, code: 'province_exception_not_applicable' });
  });
});

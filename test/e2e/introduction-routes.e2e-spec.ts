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

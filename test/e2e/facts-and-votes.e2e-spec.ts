import { FAST_SPEED } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * Issue 16 on the running system (API, worker, real Temporal and PostgreSQL): the cell vote's denominator (§3.2 S6)
 * and the candidate's facts changing over a long path.
 */
const sys = new TestSystem();

beforeAll(async () => {
  await sys.start({ KETNAP_CLOCK_SPEED: String(FAST_SPEED) });
});

afterAll(() => sys.stop());

/** A new candidate taken up to the cell's admission vote (open). */
async function toCellVote(name: string): Promise<string> {
  const { users } = sys;
  const id = await sys.newCandidate(users.secretary, name);
  await sys.decideOk(users.secretary, id, 'recognize_sympathiser');
  await sys.decideOk(users.centre, id, 'record_training_certificate');
  await sys.decideOk(users.secretary, id, 'submit_application');
  await sys.decideOk(users.grassroots, id, 'verify_background');
  await sys.decideOk(users.secretary, id, 'record_introductions');
  return id;
}

describe('the cell vote counts against official members less those the rules leave out (§3.2 S6)', () => {
  it('refuses impossible counts with a code and a message in Vietnamese or English, then records the denominator of an accepted vote', async () => {
    const sec = sys.users.secretary;
    const id = await toCellVote('Trần Văn Mẫu Số');

    // 4 official members, 5 left out: refused, nothing recorded.
    const over = await sys.decide(sec, id, 'cell_admission_vote', { outcome: 'reject', data: { officialMembers: 4, exclusions: { suspended: 5 }, inFavour: 0 } });
    expect(over.status).toBe(422);
    expect(over.body.code).toBe('vote_exclusions_exceed_members');
    expect(over.body.message).toContain('không được lớn hơn số đảng viên chính thức của chi bộ (4)');
    const task = await sys.openTask(sec, id, 'cell_admission_vote');
    const en = await sec.post(
      `/api/tasks/${task.id}/complete`,
      { outcome: 'approve', data: { meetingDate: await sys.today(), officialMembers: 9, exclusions: { temporarilyAttached: 2 }, inFavour: 8 } },
      { 'accept-language': 'en' },
    );
    // 9 − 2 = 7 counted: 8 votes are more than could be cast.
    expect(en.status).toBe(422);
    expect(en.body.code).toBe('votes_exceed_denominator');
    expect(en.body.message).toBe('Votes (8) cannot exceed the official members counted in the vote (7 = 9 − 2 left out)');

    // 12 − 1 prosecuted − 2 detained = 9 counted; 5 of 9 is below two thirds (6 needed).
    const low = await sys.decide(sec, id, 'cell_admission_vote', { data: { officialMembers: 12, exclusions: { prosecuted: 1, detained: 2 }, inFavour: 5 } });
    expect(low.status).toBe(422);
    expect(low.body.message).toBe('Chưa đạt ít nhất hai phần ba: 5/9 tán thành, cần tối thiểu 6');

    // 6 of 9 counted reaches two thirds (6 · 3 = 18 ≥ 9 · 2 = 18), though 6 of all 12 would not (8 needed).
    const ok = await sys.decideOk(sec, id, 'cell_admission_vote', { data: { officialMembers: 12, exclusions: { prosecuted: 1, detained: 2 }, inFavour: 6 } });
    expect(ok.stage).toBe('grassroots_admission_review');
    const vote = (await sys.history(id)).find((e) => e.type === 'decision_recorded' && e.data.taskType === 'cell_admission_vote');
    expect(vote.data.decision).toMatchObject({
      officialMembers: 12,
      exclusions: { temporarilyAttached: 0, exemptedAbsent: 0, suspended: 0, prosecuted: 1, detained: 2 },
      denominator: 9,
      inFavour: 6,
    });
  });

  it('takes the vote of a three-member cell with one member left out over the two counted: both must agree', async () => {
    const sec = sys.users.secretary;
    const id = await toCellVote('Lê Thị Ba Người');
    // 3 − 1 exempted and absent = 2; two thirds of 2 = 4/3 → 2 needed.
    const one = await sys.decide(sec, id, 'cell_admission_vote', { data: { officialMembers: 3, exclusions: { exemptedAbsent: 1 }, inFavour: 1 } });
    expect(one.status).toBe(422);
    expect(one.body.message).toBe('Chưa đạt ít nhất hai phần ba: 1/2 tán thành, cần tối thiểu 2');
    await sys.decideOk(sec, id, 'cell_admission_vote', { data: { officialMembers: 3, exclusions: { exemptedAbsent: 1 }, inFavour: 2 } });
    const vote = (await sys.history(id)).find((e) => e.type === 'decision_recorded' && e.data.taskType === 'cell_admission_vote');
    expect(vote.data.decision).toMatchObject({ officialMembers: 3, denominator: 2, inFavour: 2 });
  });
});

describe('PATCH /api/candidates/:id/facts: the candidate facts change over a long path (issue 16)', () => {
  it('records who changed what, when, from → to; the row follows; the cell vote is checked against the new education', async () => {
    const { users } = sys;
    const sec = users.secretary;
    const today = await sys.today();
    // Primary education only, outside a hardship area.
    const created = await sec.post('/api/candidates', {
      cellId: sys.units.cell,
      fullName: 'Đỗ Thị Tiểu Học',
      dateOfBirth: '1999-04-12',
      gender: 'female',
      ethnicity: 'Kinh',
      education: 'primary',
      youthUnionMember: true,
      source: { organization: 'Đoàn trường', introducedOn: today },
    });
    expect(created.status).toBe(201);
    const cid = created.body.id as string;
    await sys.decideOk(sec, cid, 'recognize_sympathiser');
    await sys.decideOk(users.centre, cid, 'record_training_certificate');
    await sys.decideOk(sec, cid, 'submit_application');
    await sys.decideOk(users.grassroots, cid, 'verify_background');
    await sys.decideOk(sec, cid, 'record_introductions');
    const refused = await sys.decide(sec, cid, 'cell_admission_vote');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('education_insufficient');

    // Outside the roles that may create candidates over the cell: 403; nothing that changes: 422; bad value: 400.
    const body = { education: 'lower_secondary', reason: 'Bằng tốt nghiệp THCS số 45/2025', effectiveOn: today };
    expect((await users.auditor.call('PATCH', `/api/candidates/${cid}/facts`, body)).status).toBe(403);
    expect((await users.outsider.call('PATCH', `/api/candidates/${cid}/facts`, body)).status).toBe(403);
    const same = await sec.call('PATCH', `/api/candidates/${cid}/facts`, { education: 'primary', reason: 'Không đổi gì' });
    expect(same.status).toBe(422);
    expect(same.body.code).toBe('facts_unchanged');
    expect((await sec.call('PATCH', `/api/candidates/${cid}/facts`, { education: 'kindergarten', reason: 'Sai' })).status).toBe(400);
    expect((await sec.call('PATCH', `/api/candidates/${cid}/facts`, { reason: 'Không có thông tin' })).status).toBe(400);

    // Applied once with its Idempotency-Key; the repeat gets the first answer.
    const key = `facts-${cid}`;
    const ok = await sec.call('PATCH', `/api/candidates/${cid}/facts`, body, { 'idempotency-key': key });
    expect(ok.status).toBe(200);
    expect(ok.body.facts).toEqual({ education: 'lower_secondary', youthUnionMember: true, hardshipArea: false, placeId: null });
    const again = await sec.call('PATCH', `/api/candidates/${cid}/facts`, body, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(ok.body);

    const view = await sec.get(`/api/candidates/${cid}`);
    expect(view.body).toMatchObject({ education: 'lower_secondary', youthUnionMember: true });
    const changes = (await sys.history(cid)).filter((e) => e.type === 'candidate_facts_changed');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({
      businessDate: today,
      actor: { username: `secretary-${sys.tag}`, role: 'cell_secretary', orgUnitId: sys.units.cell },
      data: { changes: [{ field: 'education', from: 'primary', to: 'lower_secondary' }], reason: 'Bằng tốt nghiệp THCS số 45/2025', effectiveOn: today },
    });

    // The later decision reads the facts in force.
    const vote = await sys.decideOk(sec, cid, 'cell_admission_vote');
    expect(vote.stage).toBe('grassroots_admission_review');
  });
});

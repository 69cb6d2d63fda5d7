import { randomUUID } from 'node:crypto';
import type { TaskType } from '../../libs/domain/src/procedure.js';
import { validDecision, type DecisionPayload } from '../support/decisions.js';
import { FAST_SPEED } from '../support/fixtures.js';
import type { Api } from '../support/http.js';
import { TestSystem } from '../support/system.js';

/**
 * The running system over HTTP: API and worker built from the production modules, on the real Temporal
 * server and PostgreSQL, with a fast business clock so 12 months of probation pass in ~3 seconds.
 */
const sys = new TestSystem();
let anon: Api;
let users: TestSystem['users'];
let units: TestSystem['units'];
let tag: string;

beforeAll(async () => {
  await sys.start({ KETNAP_CLOCK_SPEED: String(FAST_SPEED) });
  ({ anon, users, units, tag } = sys);
});

afterAll(() => sys.stop());

const today = () => sys.today();
const openTask = (as: Api, id: string, type: TaskType) => sys.openTask(as, id, type);
const decide = (as: Api, id: string, type: TaskType, o: Partial<DecisionPayload> = {}, h: Record<string, string> = {}) => sys.decide(as, id, type, o, h);
const decideOk = (as: Api, id: string, type: TaskType, o: Partial<DecisionPayload> = {}) => sys.decideOk(as, id, type, o);
const newCandidate = (as: Api, name?: string) => sys.newCandidate(as, name);

describe('the running API on real Temporal and PostgreSQL', () => {
  it('answers health only when database and Temporal are reachable', async () => {
    const r = await anon.get('/api/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ database: 'up', temporal: 'up' });
  });

  it('refuses requests without a token (401) in Vietnamese, and in English on request', async () => {
    const vi = await anon.get('/api/tasks');
    expect(vi.status).toBe(401);
    expect(vi.body.message).toBe('Cần đăng nhập');
    const en = await anon.get('/api/tasks', { 'accept-language': 'en-GB,en;q=0.9' });
    expect(en.body.message).toBe('Sign-in required');
    expect((await anon.post('/api/auth/login', { username: `admin-${tag}`, password: 'wrong' })).status).toBe(401);
  });

  it('drives a candidate from source to official member as different approvers, with refusals along the way', async () => {
    const sec = users.secretary;
    const id = await newCandidate(sec);

    // Outside the jurisdiction: another cell's secretary and another ward's board get 403.
    const first = await openTask(sec, id, 'recognize_sympathiser');
    const foreign = await users.outsider.post(`/api/tasks/${first.id}/complete`, validDecision('recognize_sympathiser', await today()));
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe('out_of_jurisdiction');
    expect((await users.outsider.get(`/api/candidates/${id}`)).status).toBe(403);
    expect((await users.outsider.get('/api/tasks')).body.items.find((t: any) => t.candidateId === id)).toBeUndefined();

    // 422 with a specific message; nothing recorded.
    const noMentor = await decide(sec, id, 'recognize_sympathiser', { data: { mentor: undefined } });
    expect(noMentor.status).toBe(422);
    expect(noMentor.body.code).toBe('mentor_required');
    const future = await decide(sec, id, 'recognize_sympathiser', { data: { meetingDate: '2150-01-01' } });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('date_in_future');

    // Idempotent retry: same key, same answer, applied once.
    const key = randomUUID();
    const payload = validDecision('recognize_sympathiser', await today());
    const a = await sec.post(`/api/tasks/${first.id}/complete`, payload, { 'idempotency-key': key });
    expect(a.status).toBe(200);
    expect(a.body.stage).toBe('awareness_training');
    const again = await sec.post(`/api/tasks/${first.id}/complete`, payload, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(a.body);
    // The same key on a different request is refused rather than silently answered.
    const reused = await sec.post(`/api/tasks/${first.id}/complete`, { ...payload, note: 'khác' }, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
    // Without the key, the closed task is a conflict.
    const stale = await sec.post(`/api/tasks/${first.id}/complete`, validDecision('recognize_sympathiser', await today()));
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('task_not_open');

    // The secretary cannot act on the training centre's task.
    const cert = await decide(sec, id, 'record_training_certificate').catch(() => undefined);
    expect(cert).toBeUndefined(); // not in the secretary's inbox
    await decideOk(users.centre, id, 'record_training_certificate');
    await decideOk(sec, id, 'submit_application');
    await decideOk(users.grassroots, id, 'verify_background');
    await decideOk(sec, id, 'record_introductions');

    // The cell vote below two thirds is refused with an explanation, then a valid vote moves on.
    const low = await decide(sec, id, 'cell_admission_vote', { data: { officialMembers: 9, inFavour: 5 } });
    expect(low.status).toBe(422);
    expect(low.body.message).toBe('Chưa đạt ít nhất hai phần ba: 5/9 tán thành, cần tối thiểu 6');
    const vote = await decideOk(sec, id, 'cell_admission_vote');
    expect(vote.stage).toBe('grassroots_admission_review');
    await decideOk(users.grassroots, id, 'grassroots_admission_review');

    // The superior's decision carries its statutory deadline (60 working days from the cell resolution).
    const superiorTask = await openTask(users.board, id, 'superior_admission_decision');
    expect(superiorTask.dueAt).toBeTruthy();
    expect(superiorTask.dueRule.workingDays).toBe(60);
    expect((await users.outsiderBoard.post(`/api/tasks/${superiorTask.id}/complete`, validDecision('superior_admission_decision', await today()))).status).toBe(403);
    await decideOk(users.board, id, 'superior_admission_decision');
    const probation = await decideOk(sec, id, 'admission_ceremony');
    expect(probation.stage).toBe('probation');
    await decideOk(users.centre, id, 'record_new_member_training');

    // The 12 months run on a durable timer; the review then appears in the secretary's inbox.
    await openTask(sec, id, 'probation_review');
    await decideOk(sec, id, 'probation_review');
    await decideOk(sec, id, 'cell_recognition_vote');
    await decideOk(users.grassroots, id, 'grassroots_recognition_review');
    const last = await decideOk(users.board, id, 'superior_recognition_decision');
    expect(last.status).toBe('official');

    const view = await sec.get(`/api/candidates/${id}`);
    expect(view.body).toMatchObject({ status: 'official', stage: 'official', openTasks: [] });
    expect(view.body.officialFrom).toBe(view.body.probationEndsOn);

    const history = (await sec.get(`/api/candidates/${id}/history`)).body.events as any[];
    expect(history.map((e) => e.seq)).toEqual(history.map((_, i) => i + 1));
    const decisions = history.filter((e) => e.type === 'decision_recorded');
    expect(decisions.filter((e) => e.data.taskType === 'recognize_sympathiser')).toHaveLength(1);
    expect(decisions.map((e) => e.actor.username)).toEqual(expect.arrayContaining([`secretary-${tag}`, `board-${tag}`, `centre-${tag}`, `grassroots-${tag}`]));
    expect(decisions.every((e) => typeof e.ruleSetId === 'string')).toBe(true);
    expect(history.at(-1)).toMatchObject({ type: 'path_ended', data: { endState: 'official' } });
  });

  it('refuses bad input with 400 naming the field, and unknown ids with 404', async () => {
    const sec = users.secretary;
    const bad = await sec.post('/api/candidates', { cellId: units.cell, fullName: 'X Y', dateOfBirth: '1999-02-30' });
    expect(bad.status).toBe(400);
    expect(bad.body.violations.map((v: any) => v.field)).toEqual(expect.arrayContaining(['dateOfBirth', 'gender']));
    expect((await sec.get(`/api/candidates/${randomUUID()}`)).status).toBe(404);
    expect((await sec.post(`/api/tasks/nope/complete`, { data: {} })).status).toBe(404);
    expect((await sec.post('/api/org-units', { name: 'x', kind: 'cell' })).status).toBe(403);
  });

  it('withdraws a candidate and refuses further decisions with 409', async () => {
    const sec = users.secretary;
    const id = await newCandidate(sec, 'Trần Thị Hoa');
    const task = await openTask(sec, id, 'recognize_sympathiser');
    const w = await sec.post(`/api/candidates/${id}/withdraw`, { reason: 'Xin rút hồ sơ' });
    expect(w.status).toBe(200);
    expect(w.body.status).toBe('withdrawn');
    const after = await sec.post(`/api/tasks/${task.id}/complete`, validDecision('recognize_sympathiser', await today()));
    expect(after.status).toBe(409);
    expect((await sec.post(`/api/candidates/${id}/withdraw`, { reason: 'lần nữa' })).status).toBe(409);
  });

  it('finds candidates in the inbox by name with or without diacritics', async () => {
    const sec = users.secretary;
    const id = await newCandidate(sec, 'Đặng Thị Ngọc Ánh');
    for (const q of ['dang thi ngoc anh', 'Ngọc Ánh', 'NGOC']) {
      const r = await sec.get(`/api/tasks?search=${encodeURIComponent(q)}`);
      expect(r.body.items.map((t: any) => t.candidateId)).toContain(id);
    }
    await sec.post(`/api/candidates/${id}/withdraw`, { reason: 'dọn dữ liệu kiểm thử' });
  });
});

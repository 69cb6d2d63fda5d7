import { mkdir, writeFile } from 'node:fs/promises';
import { PDFParse } from 'pdf-parse';
import { DataSource } from 'typeorm';
import { ReplayService } from '../../apps/api/src/audit/replay.service.js';
import { progressBar, replayJurisdiction } from '../../apps/api/src/audit/replay-jurisdiction.js';
import { AuditRepository } from '../../libs/persistence/src/repositories/audit.repository.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * Auditors on the running system: history folded as of past dates, a hash-chained history PostgreSQL itself
 * keeps append-only, read-only access, and a log of personal-data reads. The clock runs at 200,000× (a
 * business day every 0.43 s) so successive decisions fall on different business days.
 */
const sys = new TestSystem();
let superuser: DataSource;

beforeAll(async () => {
  await sys.start({ KETNAP_CLOCK_SPEED: '200000' });
  superuser = await openDataSource();
});

afterAll(async () => {
  await superuser?.destroy();
  await sys.stop();
});

const nextBusinessDay = () => new Promise((r) => setTimeout(r, 600));

describe('auditors', () => {
  let candidateId: string;
  let alteredSeq: number;
  const stageOn = new Map<string, string>();

  it('reconstructs the stage a candidate had on several past dates from the history', async () => {
    const { users } = sys;
    candidateId = await sys.newCandidate(users.secretary, 'Vương Thị Lan');
    stageOn.set(await sys.today(), 'source_review');
    await nextBusinessDay();
    for (const [who, step] of [
      [users.secretary, 'recognize_sympathiser'],
      [users.centre, 'record_training_certificate'],
      [users.secretary, 'submit_application'],
    ] as const) {
      const r = await sys.decideOk(who, candidateId, step);
      stageOn.set(await sys.today(), r.stage);
      await nextBusinessDay();
    }
    expect(new Set(stageOn.values()).size).toBe(4);
    for (const [date, stage] of stageOn) {
      const s = await users.auditor.get(`/api/candidates/${candidateId}/state?asOf=${date}`);
      expect(s.status).toBe(200);
      expect({ date, stage: s.body.stage }).toEqual({ date, stage });
    }
    const created = (await users.auditor.get(`/api/candidates/${candidateId}/history`)).body.events[0];
    expect(created.type).toBe('candidate_created');
    const before = new Date(Date.parse(created.recordedOn) - 86_400_000).toISOString().slice(0, 10);
    expect((await users.auditor.get(`/api/candidates/${candidateId}/state?asOf=${before}`)).body.exists).toBe(false);
    const bad = await users.auditor.get(`/api/candidates/${candidateId}/state?asOf=31-12-2025`);
    expect(bad.status).toBe(400);
  });

  it('verifies the hash chain, and names the first event altered behind the application', async () => {
    const { users } = sys;
    const ok = await users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.province}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true });
    expect(ok.body.checked).toBeGreaterThan(10);

    const history = (await users.auditor.get(`/api/candidates/${candidateId}/history`)).body.events;
    expect(history.every((e: any, i: number) => e.prevHash === (i === 0 ? null : history[i - 1].hash))).toBe(true);
    expect(history.find((e: any) => e.type === 'decision_recorded').temporalRef).toMatchObject({ workflowId: `candidate-${candidateId}` });
    const target = history.find((e: any) => e.type === 'decision_recorded' && e.data.taskType === 'record_training_certificate');

    // A superuser switching triggers off is the only way round the append-only rule; the chain shows it.
    await superuser.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      await m.query(`UPDATE candidate_events SET data = jsonb_set(data, '{outcome}', '"fail"') WHERE candidate_id = $1 AND seq = $2`, [candidateId, target.seq]);
    });
    alteredSeq = target.seq;
    const broken = await users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.province}`);
    expect(broken.body).toMatchObject({ ok: false, firstBroken: { candidateId, seq: target.seq, reason: 'hash_mismatch' } });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of history to the application database role, and to its owner', async () => {
    // The application's role has no such privilege (libs/persistence/src/roles.ts) ...
    const app = sys.app.get(DataSource);
    await expect(app.query(`UPDATE candidate_events SET type = type WHERE candidate_id = $1`, [candidateId])).rejects.toThrow(/permission denied for table candidate_events/);
    await expect(app.query(`DELETE FROM candidate_events WHERE candidate_id = $1`, [candidateId])).rejects.toThrow(/permission denied for table candidate_events/);
    await expect(app.query(`TRUNCATE candidate_events CASCADE`)).rejects.toThrow(/permission denied for table candidate_events/);
    // ... and the trigger refuses it even to the owner, unless a superuser switches triggers off.
    await expect(superuser.query(`UPDATE candidate_events SET type = type WHERE candidate_id = $1`, [candidateId])).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(superuser.query(`DELETE FROM candidate_events WHERE candidate_id = $1`, [candidateId])).rejects.toThrow(/append-only: DELETE refused/);
    await expect(superuser.query(`TRUNCATE candidate_events CASCADE`)).rejects.toThrow(/append-only: TRUNCATE refused/);
  });

  it('lets auditors read but change nothing, and only in their subtree', async () => {
    const { users, units } = sys;
    const a = users.auditor;
    const anyTask = await sys.openTask(users.grassroots, candidateId, 'verify_background');
    const writes = await Promise.all([
      a.post('/api/candidates', { cellId: units.cell, fullName: 'X Y', dateOfBirth: '2000-01-01', gender: 'male', ethnicity: 'Kinh', education: 'university', youthUnionMember: false, source: { organization: 'x', introducedOn: '2020-01-01' } }),
      a.post(`/api/tasks/${anyTask.id}/complete`, { data: {} }),
      a.post(`/api/tasks/${anyTask.id}/extend`, { workingDays: 5, reason: 'kiểm tra' }),
      a.post(`/api/candidates/${candidateId}/withdraw`, { reason: 'kiểm tra' }),
      a.post('/api/org-units', { name: 'x', kind: 'province' }),
      a.call('PUT', '/api/calendar/2030', { source: 'x', holidays: [], extraWorkingDays: [] }),
      a.post(`/api/candidates/${candidateId}/transfer`, { toCellId: units.otherCell, reason: 'kiểm tra' }),
    ]);
    expect(writes.map((w) => w.status)).toEqual([403, 403, 403, 403, 403, 403, 403]);
    expect((await a.get(`/api/candidates/${candidateId}`)).status).toBe(200);
    expect((await users.otherAuditor.get(`/api/candidates/${candidateId}`)).status).toBe(403);
    expect((await users.otherAuditor.get(`/api/audit/verify?orgUnitId=${units.province}`)).status).toBe(403);
  });

  it('logs every read of a candidate’s personal data, and lists the reads for auditors', async () => {
    const { users } = sys;
    await users.secretary.get(`/api/candidates/${candidateId}`);
    await users.grassroots.get(`/api/candidates/${candidateId}/history`);
    const reads = await waitFor('the reads to be listed', async () => {
      const r = await users.auditor.get(`/api/audit/pii-reads?orgUnitId=${sys.units.province}&limit=1000`);
      const mine = r.body.items.filter((i: any) => i.candidateId === candidateId);
      return mine.some((i: any) => i.username === `grassroots-${sys.tag}`) ? mine : undefined;
    });
    expect(reads).toEqual(expect.arrayContaining([
      expect.objectContaining({ username: `secretary-${sys.tag}`, what: 'profile' }),
      expect.objectContaining({ username: `grassroots-${sys.tag}`, what: 'history' }),
    ]));
    expect((await users.secretary.get(`/api/audit/pii-reads?orgUnitId=${sys.units.province}`)).status).toBe(403);
  });

  it('replays a real Temporal history on the deployed code: an intact case matches, the altered one diverges at the altered event', async () => {
    const { users } = sys;
    const intact = await sys.newCandidate(users.secretary, 'Trịnh Văn Hùng');
    await sys.decideOk(users.secretary, intact, 'recognize_sympathiser');
    await sys.decideOk(users.centre, intact, 'record_training_certificate');
    const ok = await users.auditor.post(`/api/audit/replay/${intact}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ candidateId: intact, match: true });
    expect(ok.body.events).toBeGreaterThan(5);

    const bad = await users.auditor.post(`/api/audit/replay/${candidateId}`);
    expect(bad.body).toMatchObject({ match: false, divergence: { kind: 'different', seq: alteredSeq, field: 'data' } });
    expect(bad.body.divergence.recorded.outcome).toBe('fail');
    expect(bad.body.divergence.replayed.outcome).toBe('pass');
    expect(Number(bad.body.divergence.temporalEventId)).toBeGreaterThan(0);
    expect((await users.secretary.post(`/api/audit/replay/${intact}`)).status).toBe(403);
  });

  it('replays a whole jurisdiction with progress, and the summary names the diverged case', async () => {
    const ids = await sys.app.get(AuditRepository).candidateIdsUnder((await superuser.query(`SELECT path FROM org_units WHERE id = $1`, [sys.units.province]))[0].path);
    const progress: string[] = [];
    const summary = await replayJurisdiction(sys.app.get(ReplayService), ids, (done, total) => progress.push(progressBar(done, total, 10)));
    expect(summary.total).toBe(ids.length);
    expect(summary.failed).toEqual([]);
    expect(summary.diverged.map((d) => d.candidateId)).toEqual([candidateId]);
    expect(summary.matched).toBe(ids.length - 1);
    expect(progress.at(-1)).toBe(`[##########] ${ids.length}/${ids.length}`);
  });

  it('exports a dossier as JSON with the chain hashes and as a Vietnamese PDF, and logs both reads', async () => {
    const { users } = sys;
    const json = await users.auditor.get(`/api/candidates/${candidateId}/export?format=json`);
    expect(json.status).toBe(200);
    expect(json.body.candidate).toMatchObject({ id: candidateId, fullName: 'Vương Thị Lan' });
    expect(json.body.chain.head).toBe(json.body.history.at(-1).hash);
    expect(json.body.history.every((e: any) => typeof e.hash === 'string' && e.hash.length === 64)).toBe(true);

    const res = await fetch(`${users.auditor.baseUrl}/api/candidates/${candidateId}/export?format=pdf`, { headers: { authorization: `Bearer ${users.auditor.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await mkdir(new URL('../artifacts/', import.meta.url), { recursive: true });
    await writeFile(new URL('../artifacts/dossier.pdf', import.meta.url), pdf);
    const text = (await new PDFParse({ data: new Uint8Array(pdf) }).getText()).text;
    expect(text).toContain('HỒ SƠ NGƯỜI VÀO ĐẢNG');
    expect(text).toContain('Vương Thị Lan');
    expect(text).toContain('Ghi nhận quyết định');

    const reads = (await users.auditor.get(`/api/audit/pii-reads?orgUnitId=${sys.units.province}&limit=1000`)).body.items;
    expect(reads.filter((r: any) => r.candidateId === candidateId).map((r: any) => r.what)).toEqual(expect.arrayContaining(['export-json', 'export-pdf']));
    expect((await users.otherAuditor.get(`/api/candidates/${candidateId}/export?format=json`)).status).toBe(403);
  });

  it('records a transfer to another cell with who, when and why; the open step moves to the new cell’s inbox', async () => {
    const { users, units } = sys;
    const id = await sys.newCandidate(users.secretary, 'Đinh Văn Quang');
    const task = await sys.openTask(users.secretary, id, 'recognize_sympathiser');
    const body = { toCellId: units.otherCell, reason: 'Chuyển công tác về xã khác' };
    // The superior board of the origin only: the destination is outside its jurisdiction.
    const refused = await users.board.post(`/api/candidates/${id}/transfer`, body);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('transfer_out_of_jurisdiction');
    const ok = await users.provinceBoard.post(`/api/candidates/${id}/transfer`, body, { 'Idempotency-Key': `transfer-${id}` });
    expect(ok.status).toBe(200);
    const again = await users.provinceBoard.post(`/api/candidates/${id}/transfer`, body, { 'Idempotency-Key': `transfer-${id}` });
    expect(again.status).toBe(200);
    expect((await users.provinceBoard.post(`/api/candidates/${id}/transfer`, body)).body.code).toBe('transfer_same_cell');
    const mine = (await users.secretary.get(`/api/tasks?type=recognize_sympathiser&limit=500`)).body.items.map((t: any) => t.id);
    expect(mine).not.toContain(task.id);
    const theirs = await sys.openTask(users.outsider, id, 'recognize_sympathiser');
    expect(theirs.id).toBe(task.id);
    const events = (await users.auditor.get(`/api/candidates/${id}/history`)).body.events;
    const moved = events.filter((e: any) => e.type === 'candidate_transferred');
    expect(moved).toHaveLength(1); // the retried request did not move it twice
    expect(moved[0]).toMatchObject({ actor: { username: `provinceBoard-${sys.tag}`, role: 'superior_board' }, data: { fromCellId: units.cell, toCellId: units.otherCell, reason: body.reason } });
    const asOf = (await users.auditor.get(`/api/candidates/${id}/state?asOf=${moved[0].recordedOn ?? moved[0].businessDate}`)).body;
    expect(asOf.cellId).toBe(units.otherCell);
    expect(asOf.openTasks).toEqual([expect.objectContaining({ id: task.id, orgUnitId: units.otherCell })]);
    // The chain of the moved case is whole, and it is now checked under the destination's jurisdiction.
    const verified = (await users.auditor.get(`/api/audit/verify?orgUnitId=${units.otherSuperior}`)).body;
    expect(verified).toMatchObject({ ok: true });
    expect(verified.checked).toBeGreaterThanOrEqual(events.length);
  });

  it('streams a jurisdiction’s history for a date range as CSV', async () => {
    const { users } = sys;
    const history = (await users.auditor.get(`/api/candidates/${candidateId}/history`)).body.events;
    const from = history[0].recordedOn;
    const to = '2199-12-31'; // the last date any date field takes (the calendar's range)
    const res = await fetch(`${users.auditor.baseUrl}/api/audit/history.csv?orgUnitId=${sys.units.province}&from=${from}&to=${to}`, { headers: { authorization: `Bearer ${users.auditor.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const body = await res.text();
    const lines = body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('"at","candidateId","candidateName","cellName","seq","type","recordedOn","businessDate","actor","ruleSetId","data","hash"');
    const mine = lines.filter((l) => l.includes(candidateId));
    expect(mine).toHaveLength(history.length);
    expect(mine[0]).toContain('Vương Thị Lan');
    expect(mine.some((l) => l.includes('""taskType""'))).toBe(true); // JSON data quoted CSV-style
    const empty = await fetch(`${users.auditor.baseUrl}/api/audit/history.csv?orgUnitId=${sys.units.province}&from=2000-01-01&to=2000-01-02`, { headers: { authorization: `Bearer ${users.auditor.token}` } });
    expect((await empty.text()).replace(/^\uFEFF/, '').trim().split('\r\n')).toHaveLength(1);
    expect((await users.secretary.get(`/api/audit/history.csv?orgUnitId=${sys.units.province}&from=${from}&to=${to}`)).status).toBe(403);
  });
});

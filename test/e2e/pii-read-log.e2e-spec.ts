import { DataSource } from 'typeorm';
import { openDataSource } from '../support/fixtures.js';
import type { Api } from '../support/http.js';
import { certifyAndWait } from '../support/jobs.js';
import { TestSystem } from '../support/system.js';

/**
 * Every read of a candidate's personal data leaves a row in `pii_reads` (who, which candidate, what, when),
 * and PostgreSQL keeps that log append-only for the application's database role.
 */
const sys = new TestSystem();
let owner: DataSource;
let candidate: string;
let classId: string;
let certificate: string;
let today: string;

beforeAll(async () => {
  await sys.start();
  owner = await openDataSource();
  const { users, units } = sys;
  today = await sys.today();
  candidate = await sys.newCandidate(users.secretary, 'Quách Thị Nhật Ký');
  await sys.decideOk(users.secretary, candidate, 'recognize_sympathiser');
  const ok = async (p: Promise<{ status: number; body: any }>, status = 200) => {
    const r = await p;
    if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
  classId = (await ok(users.centre.post('/api/training-classes', { kind: 'party_awareness', name: `Lớp ${sys.tag}`, startsOn: today, endsOn: today, capacity: 5, orgUnitId: units.centre }), 201)).id;
  await ok(users.grassroots.post(`/api/training-classes/${classId}/proposals`, { candidateIds: [candidate] }));
  await ok(users.centre.post(`/api/training-classes/${classId}/enrolments`, { candidateIds: [candidate], status: 'enrolled' }));
  await ok(users.centre.post(`/api/training-classes/${classId}/attendance`, { records: [{ candidateId: candidate, attendance: 'full', result: 'pass' }] }));
  certificate = (await certifyAndWait(users.centre, classId, { issuedOn: today })).results[0].certificateNo;
  await ok(users.secretary.post(`/api/candidates/${candidate}/comments`, { body: 'Gia đình đồng ý.' }), 201);
});

afterAll(async () => {
  await owner?.destroy();
  await sys.stop();
});

async function userId(as: Api): Promise<string> {
  return (await as.get('/api/auth/me')).body.id;
}

/** The `what` of every logged read of the candidate by that user, oldest first. */
async function reads(as: Api): Promise<string[]> {
  const rows = await owner.query(`SELECT what FROM pii_reads WHERE user_id = $1 AND candidate_id = $2 ORDER BY at, id`, [await userId(as), candidate]);
  return rows.map((r: { what: string }) => r.what);
}

/** The reads of the candidate that user's calls in `act` logged. */
async function readsOf(as: Api, act: () => Promise<void>): Promise<string[]> {
  const before = (await reads(as)).length;
  await act();
  return (await reads(as)).slice(before);
}

async function fetchText(as: Api, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${as.baseUrl}${path}`, { headers: { authorization: `Bearer ${as.token}` } });
  return { status: res.status, text: await res.text() };
}

describe('the personal-data read log', () => {
  it('logs the history export (one row per candidate in it, naming the filter)', async () => {
    const { users, units } = sys;
    const logged = await readsOf(users.auditor, async () => {
      const r = await fetchText(users.auditor, `/api/audit/history.csv?orgUnitId=${units.superior}&from=2000-01-01&to=${today}`);
      expect(r.status).toBe(200);
      expect(r.text).toContain(candidate);
    });
    expect(logged).toEqual([`history-csv:${units.superior}:2000-01-01..${today}`]);
  });

  it('logs the state as of a date, the comments, the attachments list', async () => {
    const { users } = sys;
    const logged = await readsOf(users.grassroots, async () => {
      expect((await users.grassroots.get(`/api/candidates/${candidate}/state?asOf=${today}`)).status).toBe(200);
      expect((await users.grassroots.get(`/api/candidates/${candidate}/comments`)).status).toBe(200);
      expect((await users.grassroots.get(`/api/candidates/${candidate}/attachments`)).status).toBe(200);
    });
    expect(logged).toEqual([`state:${today}`, 'comments', 'attachments']);
  });

  it('logs a certificate look-up, a class’s enrolment list and the training centre’s reduced profile', async () => {
    const { users } = sys;
    const logged = await readsOf(users.board, async () => {
      expect((await users.board.get(`/api/certificates/${encodeURIComponent(certificate)}?centreId=${sys.units.centre}`)).status).toBe(200);
      expect((await users.board.get(`/api/training-classes/${classId}`)).body.enrolments).toHaveLength(1);
    });
    expect(logged).toEqual([`certificate:${certificate}`, `training-class:${classId}`]);
    const centre = await readsOf(users.centre, async () => {
      expect((await users.centre.get(`/api/candidates/${candidate}`)).body.view).toBe('training_centre');
    });
    expect(centre).toEqual(['profile:training_centre']);
  });

  it('logs the replay check, whose divergence carries the recorded event data', async () => {
    const { users } = sys;
    const logged = await readsOf(users.auditor, async () => {
      const r = await users.auditor.post(`/api/audit/replay/${candidate}`);
      expect(r.status).toBe(200);
      expect(r.body.match).toBe(true);
    });
    expect(logged).toEqual(['replay']);
  });

  it('lists the reads to auditors, and PostgreSQL refuses UPDATE, DELETE and TRUNCATE of the log to the application and to the table’s owner', async () => {
    const { users, units } = sys;
    const listed = (await users.auditor.get(`/api/audit/pii-reads?orgUnitId=${units.province}&limit=1000`)).body.items.filter((i: any) => i.candidateId === candidate);
    expect(listed.map((i: any) => i.what)).toEqual(expect.arrayContaining(['comments', `state:${today}`, 'replay', `certificate:${certificate}`]));
    const app = sys.app.get(DataSource);
    const [row] = await app.query(`SELECT id FROM pii_reads WHERE candidate_id = $1 LIMIT 1`, [candidate]);
    // The application's role (no UPDATE/DELETE grant, and the trigger behind it).
    await expect(app.query(`UPDATE pii_reads SET what = 'nothing' WHERE id = $1`, [row.id])).rejects.toThrow(/pii_reads is append-only: UPDATE refused|permission denied/);
    await expect(app.query(`DELETE FROM pii_reads WHERE id = $1`, [row.id])).rejects.toThrow(/pii_reads is append-only: DELETE refused|permission denied/);
    await expect(app.query(`TRUNCATE pii_reads`)).rejects.toThrow(/pii_reads is append-only: TRUNCATE refused|permission denied/);
    // The owner of the table (the migrations' role, which holds every grant) is stopped by the trigger.
    await expect(owner.query(`UPDATE pii_reads SET what = 'nothing' WHERE id = $1`, [row.id])).rejects.toThrow(/pii_reads is append-only: UPDATE refused/);
    await expect(owner.query(`DELETE FROM pii_reads WHERE id = $1`, [row.id])).rejects.toThrow(/pii_reads is append-only: DELETE refused/);
    await expect(owner.query(`TRUNCATE pii_reads CASCADE`)).rejects.toThrow(/pii_reads is append-only: TRUNCATE refused/);
    expect((await owner.query(`SELECT count(*)::int AS n FROM pii_reads WHERE id = $1 AND what <> 'nothing'`, [row.id]))[0].n).toBe(1);
  });
});

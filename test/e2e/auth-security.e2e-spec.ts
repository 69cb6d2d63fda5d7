import { createHash } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { loadConfig } from '../../libs/config/src/config.js';
import { databaseUrl, temporalAddress } from '../support/env.js';
import { openDataSource } from '../support/fixtures.js';
import { Api } from '../support/http.js';
import { TestSystem } from '../support/system.js';

/**
 * Sign-in, sessions and user administration on the running system (real PostgreSQL, real Temporal): failed
 * sign-ins lock an account and a client address in every API process, a session ends when its user signs out,
 * is deactivated, changes roles or password, and every one of these is in the append-only security log.
 */
const sys = new TestSystem();
let ds: DataSource;
/** A second API process on the same database, with its own (lower) per-address limit. */
let second: INestApplication;
let api2: Api;

const PASSWORD = 'correct-horse-01';
/** Lower limits than the defaults so the test reaches them. */
const LIMITS = JSON.stringify({ audit_replay: { limit: 3, windowSeconds: 3600 } });

beforeAll(async () => {
  // The production password hash cost; a lock of 1 s (doubling) so the test can wait one out.
  await sys.start({ KETNAP_RATE_LIMITS: LIMITS, KETNAP_PASSWORD_HASH_COST: '15:8:3', KETNAP_LOGIN_LOCK_SECONDS: '1', KETNAP_LOGIN_MAX_FAILURES: '5', KETNAP_LOGIN_MAX_FAILURES_PER_ADDRESS: '1000' });
  ds = await openDataSource();
  const config = {
    ...loadConfig({ DATABASE_URL: databaseUrl(), TEMPORAL_ADDRESS: temporalAddress(), KETNAP_TASK_QUEUE: `e2e-${sys.tag}`, KETNAP_PASSWORD_HASH_COST: '12:8:1', KETNAP_LOGIN_MAX_FAILURES_PER_ADDRESS: '3', KETNAP_LOGIN_LOCK_SECONDS: '30', KETNAP_RATE_LIMITS: LIMITS }),
    port: 0,
  };
  second = await createApi(config, { logger: ['error'] });
  await second.listen(0, '127.0.0.1');
  api2 = new Api(`http://127.0.0.1:${second.getHttpServer().address().port}`);
});

afterAll(async () => {
  await ds?.query(`DELETE FROM login_throttle WHERE key LIKE 'address:%'`);
  await second?.close();
  await ds?.destroy();
  await sys.stop();
});

let n = 0;
async function newUser(roles: { role: string; orgUnitId?: string | null }[] = [{ role: 'cell_secretary', orgUnitId: sys.units.cell }]) {
  const username = `u${++n}-${sys.tag}`;
  const r = await sys.admin.post('/api/users', { username, password: PASSWORD, fullName: `Người dùng ${n}`, roles });
  expect(r.status).toBe(201);
  return { id: r.body.id as string, username };
}

async function login(base: Api, username: string, password: string, lang = 'vi') {
  const res = await fetch(`${base.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': lang },
    body: JSON.stringify({ username, password }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

const patch = (as: Api, path: string, body: unknown) => as.call('PATCH', path, body);

async function securityLog(userId: string) {
  const r = await sys.admin.get(`/api/security-log?userId=${userId}&limit=100`);
  expect(r.status).toBe(200);
  return r.body.items as { kind: string; actorUsername: string | null; username: string; details: any; at: string }[];
}

describe('sign-in throttling', () => {
  it('locks an account after 5 failed sign-ins: 429 with Retry-After in every API process, even for the right password', async () => {
    const u = await newUser();
    for (let i = 0; i < 5; i++) expect((await login(sys.anon, u.username, `wrong-password-${i}`)).status).toBe(401);
    const locked = await login(sys.anon, u.username, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(locked.body.code).toBe('too_many_login_attempts');
    expect(locked.body.message).toMatch(/Đăng nhập sai quá nhiều lần/);
    // The lock lives in PostgreSQL: the other API process refuses too, in English when asked.
    const elsewhere = await login(api2, u.username, PASSWORD, 'en');
    expect(elsewhere.status).toBe(429);
    expect(elsewhere.body.message).toMatch(/Too many failed sign-ins/);

    // The lock runs out (1 s here); one more failure locks again for twice as long.
    await new Promise((r) => setTimeout(r, 1_300));
    expect((await login(sys.anon, u.username, 'wrong-again-123')).status).toBe(401);
    const again = await login(sys.anon, u.username, PASSWORD);
    expect(again.status).toBe(429);
    expect(Number(again.retryAfter)).toBe(2);
    await new Promise((r) => setTimeout(r, 2_300));
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(200);
    // A successful sign-in starts the count over: one failure no longer locks.
    expect((await login(sys.anon, u.username, 'wrong-once-1234')).status).toBe(401);
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(200);

    const kinds = (await securityLog(u.id)).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'login_failed')).toHaveLength(7);
    expect(kinds.filter((k) => k === 'login_throttled')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'login_succeeded')).toHaveLength(2);
  });

  it('lets a burst of parallel sign-ins check no more passwords than the limit: the rest wait behind the lock', async () => {
    const u = await newUser();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => login(sys.anon, u.username, `burst-guess-${i}-xyz`)));
    const statuses = answers.map((a) => a.status).sort();
    // Exactly the limit (5) were checked against the password; 15 came in behind the lock the fifth armed.
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect((await securityLog(u.id)).filter((e) => e.kind === 'login_failed')).toHaveLength(5);
    await ds.query(`DELETE FROM login_throttle WHERE key LIKE 'address:%'`);
  });

  it('locks a client address after its limit of failures across usernames, unknown ones included, for every API process', async () => {
    await ds.query(`DELETE FROM login_throttle WHERE key LIKE 'address:%'`); // the failures of the test before
    const u = await newUser();
    for (let i = 0; i < 3; i++) expect((await login(api2, `nobody-${i}-${sys.tag}`, 'whatever-password')).status).toBe(401);
    const r = await login(api2, u.username, PASSWORD);
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThan(20);
    // The first process has a higher limit, but the lock on the address is shared.
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(429);
    await ds.query(`DELETE FROM login_throttle WHERE key LIKE 'address:%'`);
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('stores only a hash of each session token, and no token signing key at all', async () => {
    const u = await newUser();
    const r = await login(sys.anon, u.username, PASSWORD);
    const token: string = r.body.accessToken;
    const rows = await ds.query(`SELECT token_hash FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE u.username = $1`, [u.username]);
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0].token_hash).equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(await ds.query(`SELECT key FROM app_settings WHERE key ILIKE '%secret%' OR key ILIKE '%key%'`)).toEqual([]);
  });

  it('ends only the signed-out session: its token is refused, the same user’s other session still works', async () => {
    const u = await newUser();
    const a = await sys.anon.login(u.username, PASSWORD);
    const b = await sys.anon.login(u.username, PASSWORD);
    expect((await a.get('/api/auth/me')).status).toBe(200);
    expect((await a.post('/api/auth/logout')).status).toBe(204);
    const after = await a.get('/api/tasks');
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthenticated');
    expect((await a.post('/api/auth/logout')).status).toBe(401);
    expect((await b.get('/api/auth/me')).status).toBe(200);
    expect((await securityLog(u.id)).map((e) => e.kind)).toContain('logout');
  });

  it('ends every session of a deactivated user at once and refuses their sign-in until reactivated', async () => {
    const u = await newUser();
    const s = await sys.anon.login(u.username, PASSWORD);
    expect((await s.get('/api/tasks')).status).toBe(200);
    const r = await patch(sys.admin, `/api/users/${u.id}`, { active: false });
    expect(r.status).toBe(200);
    expect(r.body.active).toBe(false);
    expect((await s.get('/api/tasks')).status).toBe(401);
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(401);
    expect((await patch(sys.admin, `/api/users/${u.id}`, { active: true })).status).toBe(200);
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(200);

    const log = await securityLog(u.id);
    const deactivated = log.find((e) => e.kind === 'user_deactivated')!;
    expect(deactivated.actorUsername).toBe(`admin-${sys.tag}`);
    expect(deactivated.details.sessionsEnded).toBe(1);
    expect(log.map((e) => e.kind)).toContain('user_reactivated');
  });

  it('ends the sessions of a user whose roles change; a new sign-in carries the new roles', async () => {
    const u = await newUser();
    const s = await sys.anon.login(u.username, PASSWORD);
    expect((await s.get('/api/tasks')).status).toBe(200);
    const r = await patch(sys.admin, `/api/users/${u.id}`, { roles: [{ role: 'grassroots_committee', orgUnitId: sys.units.grassroots }] });
    expect(r.status).toBe(200);
    expect(r.body.roles).toEqual([{ role: 'grassroots_committee', orgUnitId: sys.units.grassroots, scope: 'subtree' }]);
    expect((await s.get('/api/tasks')).status).toBe(401);
    const again = await sys.anon.login(u.username, PASSWORD);
    expect((await again.get('/api/auth/me')).body.roles).toEqual([{ role: 'grassroots_committee', orgUnitId: sys.units.grassroots, scope: 'subtree' }]);
    // A profile edit does not end sessions.
    expect((await patch(sys.admin, `/api/users/${u.id}`, { fullName: 'Tên mới' })).status).toBe(200);
    expect((await again.get('/api/auth/me')).status).toBe(200);

    const log = await securityLog(u.id);
    const changed = log.find((e) => e.kind === 'roles_changed')!;
    expect(changed.details.from).toEqual([{ role: 'cell_secretary', orgUnitId: sys.units.cell }]);
    expect(changed.details.to).toEqual([{ role: 'grassroots_committee', orgUnitId: sys.units.grassroots }]);
    expect(log.find((e) => e.kind === 'user_updated')!.details.fullName.to).toBe('Tên mới');
  });

  it('ends every session on a password reset by an admin: the old password is refused, the new one works', async () => {
    const u = await newUser();
    const s = await sys.anon.login(u.username, PASSWORD);
    const short = await sys.admin.post(`/api/users/${u.id}/password`, { password: 'short-pass1' });
    expect(short.status).toBe(400);
    expect(short.body.message).toBe('Mật khẩu phải có ít nhất 12 ký tự');
    expect((await sys.admin.post(`/api/users/${u.id}/password`, { password: 'brand-new-password-7' })).status).toBe(204);
    expect((await s.get('/api/tasks')).status).toBe(401);
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(401);
    expect((await login(sys.anon, u.username, 'brand-new-password-7')).status).toBe(200);
    expect((await securityLog(u.id)).find((e) => e.kind === 'password_reset')!.details.sessionsEnded).toBe(1);
  });

  it('lets a user change their own password: the current one is required, the other sessions end, this one stays', async () => {
    const u = await newUser();
    const here = await sys.anon.login(u.username, PASSWORD);
    const elsewhere = await sys.anon.login(u.username, PASSWORD);
    const wrong = await here.post('/api/auth/password', { currentPassword: 'not-my-password', newPassword: 'another-password-9' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('current_password_wrong');
    expect((await here.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: 'another-password-9' })).status).toBe(204);
    expect((await here.get('/api/auth/me')).status).toBe(200);
    expect((await elsewhere.get('/api/auth/me')).status).toBe(401);
    expect((await login(sys.anon, u.username, 'another-password-9')).status).toBe(200);
  });

  it('signs a user out everywhere on an admin’s request', async () => {
    const u = await newUser();
    const a = await sys.anon.login(u.username, PASSWORD);
    const b = await sys.anon.login(u.username, PASSWORD);
    const r = await sys.admin.post(`/api/users/${u.id}/revoke-sessions`);
    expect(r.status).toBe(200);
    expect(r.body.sessionsEnded).toBe(2);
    expect((await a.get('/api/auth/me')).status).toBe(401);
    expect((await b.get('/api/auth/me')).status).toBe(401);
  });
});

describe('user administration', () => {
  it('refuses a password under 12 characters with a message in the user’s language and creates nothing', async () => {
    const username = `short-${sys.tag}`;
    const vi = await sys.admin.post('/api/users', { username, password: 'elevenchars', fullName: 'X', roles: [{ role: 'auditor', orgUnitId: sys.units.province }] });
    expect(vi.status).toBe(400);
    expect(vi.body).toMatchObject({ code: 'password_too_short', message: 'Mật khẩu phải có ít nhất 12 ký tự' });
    const en = await sys.admin.post('/api/users', { username, password: 'elevenchars', fullName: 'X', roles: [{ role: 'auditor', orgUnitId: sys.units.province }] }, { 'accept-language': 'en' });
    expect(en.body.message).toBe('The password must be at least 12 characters long');
    expect(await ds.query(`SELECT 1 FROM users WHERE username = $1`, [username])).toEqual([]);
  });

  it('creates a username once when two admins submit it at the same moment: the other gets 409, not a 500', async () => {
    const body = { username: `twice-${sys.tag}`, password: PASSWORD, fullName: 'Hai lần', roles: [{ role: 'auditor', orgUnitId: sys.units.province }] };
    const answers = await Promise.all(Array.from({ length: 4 }, () => sys.admin.post('/api/users', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('username_taken');
  });

  it('counts wrong current passwords against the account like sign-ins: a stolen session cannot guess the password', async () => {
    const u = await newUser();
    const s = await sys.anon.login(u.username, PASSWORD);
    const tries = await Promise.all(Array.from({ length: 10 }, (_, i) => s.post('/api/auth/password', { currentPassword: `guess-${i}-password`, newPassword: 'whatever-new-123' })));
    expect(tries.filter((r) => r.status === 400)).toHaveLength(5);
    expect(tries.filter((r) => r.status === 429)).toHaveLength(5);
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(429);
  });

  it('pages the user list and marks the admin grant as global', async () => {
    const page = await sys.admin.get(`/api/users?limit=2&offset=0&search=${sys.tag}`);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThan(2);
    const admin = await sys.admin.get(`/api/users?search=admin-${sys.tag}`);
    expect(admin.body.items[0].roles).toEqual([{ role: 'admin', orgUnitId: null, scope: 'global' }]);
    expect((await sys.admin.get('/api/users?limit=501')).status).toBe(400);
  });

  it('leaves user administration and the security log to admins', async () => {
    const u = await newUser();
    for (const as of [sys.users.secretary, sys.users.auditor, sys.users.provinceBoard]) {
      expect((await as.get('/api/users')).status).toBe(403);
      expect((await as.get('/api/security-log')).status).toBe(403);
      expect((await patch(as, `/api/users/${u.id}`, { active: false })).status).toBe(403);
      expect((await as.post(`/api/users/${u.id}/password`, { password: 'taken-over-password' })).status).toBe(403);
    }
    expect((await login(sys.anon, u.username, PASSWORD)).status).toBe(200);
  });

  it('records who created a user, and the security log cannot be rewritten', async () => {
    const u = await newUser();
    const created = (await securityLog(u.id)).find((e) => e.kind === 'user_created')!;
    expect(created.actorUsername).toBe(`admin-${sys.tag}`);
    expect(created.details.roles).toEqual([{ role: 'cell_secretary', orgUnitId: sys.units.cell }]);
    await expect(ds.query(`UPDATE security_events SET kind = 'x' WHERE subject_id = $1`, [u.id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`DELETE FROM security_events WHERE subject_id = $1`, [u.id])).rejects.toThrow(/append-only/);
    await expect(ds.query(`TRUNCATE security_events CASCADE`)).rejects.toThrow(/append-only|permission/);
  });
});

describe('heavy endpoints', () => {
  it('limits replays per user, across API processes, with 429 and Retry-After; other users keep their own allowance', async () => {
    const id = await sys.newCandidate(sys.users.secretary, 'Phạm Văn Giới Hạn');
    const replay = (as: Api) => as.post(`/api/audit/replay/${id}`);
    for (let i = 0; i < 3; i++) expect((await replay(sys.users.auditor)).status).toBe(200);
    const over = await fetch(`${sys.users.auditor.baseUrl}/api/audit/replay/${id}`, { method: 'POST', headers: { authorization: `Bearer ${sys.users.auditor.token}`, 'accept-language': 'en' } });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await over.json()).message).toMatch(/more than 3 times in 3600 seconds/);
    // The count is in PostgreSQL: the other API process refuses the same user too.
    expect((await replay(api2.as(sys.users.auditor.token!))).status).toBe(429);
    expect((await replay(sys.admin)).status).toBe(200);
  });
});

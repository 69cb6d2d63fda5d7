import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { validDecision } from '../support/decisions.js';
import type { Api } from '../support/http.js';
import { TestSystem, type UserKey } from '../support/system.js';

/**
 * Property-based fuzzing of the API on the running system: for each route, arbitrary JSON bodies, bodies one
 * mutation away from a valid one, arbitrary query strings and malformed path ids. Whatever arrives, the answer
 * is never a 5xx, and a refusal (4xx) writes nothing: the row counts of every business table are the same
 * before and after it. A 2xx may write (then the test waits for the worker's projection to settle).
 *
 * Runs per route: KETNAP_FUZZ_RUNS (default 25); the seed of a failing run is printed to replay it
 * (KETNAP_FUZZ_SEED).
 */
const RUNS = Number(process.env.KETNAP_FUZZ_RUNS ?? 25);
const SEED = process.env.KETNAP_FUZZ_SEED ? Number(process.env.KETNAP_FUZZ_SEED) : undefined;
/**
 * Bookkeeping a refused request may still write: the idempotency store (refusals are remembered), sign-in and
 * session state, the security log, rate-limit counters; and settings and migrations.
 */
const NOT_COUNTED = /^(idempotency_keys|login_throttle|security_events|user_sessions|rate_limit_\w+|typeorm_migrations|app_settings)$/;

const sys = new TestSystem();
let base: string;
let tables: string[];
/** `selfId`: a user of the test's own whose account the fuzzing may change (profile, roles, password, sessions). */
const f = {} as { selfId: string; today: string; candidate: string; other: string; taskId: string; classId: string; placeId: string; filterId: string; attachmentId: string };

beforeAll(async () => {
  await sys.start();
  base = sys.anon.baseUrl;
  const ds = sys.app.get(DataSource);
  tables = (await ds.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).map((r: any) => r.tablename).filter((t: string) => !NOT_COUNTED.test(t));
  f.today = await sys.today();
  f.candidate = await sys.newCandidate(sys.users.secretary, 'Nguyễn Thử Nghiệm');
  f.other = await sys.newCandidate(sys.users.secretary, 'Trần Thử Nghiệm');
  f.taskId = (await sys.openTask(sys.users.secretary, f.candidate, 'recognize_sympathiser')).id;
  const ok = async (p: Promise<{ status: number; body: any }>) => {
    const r = await p;
    if (r.status >= 300) throw new Error(`fixture: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  f.classId = (await ok(sys.users.centre.post('/api/training-classes', { kind: 'party_awareness', name: 'Lớp thử', startsOn: f.today, endsOn: f.today, capacity: 10, orgUnitId: sys.units.centre }))).id;
  f.placeId = (await ok(sys.admin.post('/api/places', { name: 'Thôn thử', kind: 'village', orgUnitId: sys.units.cell }))).id;
  f.filterId = (await ok(sys.users.secretary.post('/api/saved-filters', { name: 'Bộ lọc thử', query: { due: 'overdue' } }))).id;
  f.attachmentId = '00000000-0000-4000-8000-000000000000';
  const self = await ok(sys.admin.post('/api/users', { username: `fuzz-self-${sys.tag}`, password: SELF_PASSWORD, fullName: 'Người thử', roles: [{ role: 'cell_secretary', orgUnitId: sys.units.otherCell }] }));
  f.selfId = self.id;
});

afterAll(async () => {
  // Fuzzed sign-ins counted failures against this machine's address: the next test files sign in from it too.
  await sys.app?.get(DataSource).query(`DELETE FROM login_throttle`);
  await sys.stop();
});

const SELF_PASSWORD = 'fuzz-self-password-1';

// ------------------------------------------------------------------------------------------- arbitraries

const junkDate = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom('0000-01-01', '0001-12-31', '1899-12-31', '2200-01-01', '9999-12-31', '2026-02-29', '2026-02-30', '2026-13-01', '2026-1-1', '+012026-01-01', '2026-01-01T00:00:00Z', '1900-01-01', '2199-12-31') },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)) },
);
const junkText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.uuid(),
  fc.constantFrom('', ' ', 'true', 'false', 'null', '[]', '{}', '1e999', '-0', ' 5 ', '0x10', 'NaN', '-1', '2000', "'; DROP TABLE candidates; --", '\u0000', 'x'.repeat(5001)),
  junkDate,
);
const anyJson = fc.jsonValue({ maxDepth: 3 });
const anyValue = fc.oneof(anyJson, junkText, junkDate);

/** A malformed path segment (some not even valid %-encoding). */
const junkSegment = fc.oneof(
  { weight: 3, arbitrary: junkText.map((s) => encodeURIComponent(s) || '%20') },
  { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%E0%A4%A', '..%2F..', '00000000-0000-0000-0000-000000000000', '1e309', 'x'.repeat(2000)) },
);

/** A query string: the route's valid parameters, spoilt by junk values, unknown names and repeated names. */
function spoiltQuery(params: Record<string, () => string>): fc.Arbitrary<string> {
  const names = Object.keys(params);
  const pair = fc.tuple(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...(names.length ? names : ['x'])) }, { weight: 1, arbitrary: fc.string({ maxLength: 10 }) }), fc.boolean(), junkText);
  return fc.array(pair, { minLength: 1, maxLength: 4 }).map((pairs) => {
    const q = validQuery(params);
    for (const [name, replace, junk] of pairs) (replace ? q.set(name, junk) : q.append(name, junk));
    return `?${q}`;
  });
}

function validQuery(params: Record<string, () => string>): URLSearchParams {
  return new URLSearchParams(Object.entries(params).map(([k, v]) => [k, v()]));
}

/** Leaf paths of a JSON value. */
function leaves(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(v)) return v.length ? v.flatMap((x, i) => leaves(x, [...at, i])) : [at];
  if (v && typeof v === 'object') return [at, ...Object.entries(v).flatMap(([k, x]) => leaves(x, [...at, k]))];
  return [at];
}

function setAt(v: unknown, at: (string | number)[], value: unknown, remove: boolean): unknown {
  if (!at.length) return value;
  const copy: any = Array.isArray(v) ? [...v] : { ...(v as object) };
  const [head, ...rest] = at;
  if (!rest.length && remove) Array.isArray(copy) ? copy.splice(head as number, 1) : delete copy[head];
  else copy[head] = setAt(copy[head], rest, value, remove);
  return copy;
}

function getAt(v: unknown, at: (string | number)[]): unknown {
  return at.reduce((x: any, k) => x?.[k], v);
}

/** What may replace a value: mostly its own kind gone wrong (a date out of range, a huge number), else anything. */
function mutantOf(v: unknown): fc.Arbitrary<unknown> {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return fc.oneof({ weight: 3, arbitrary: junkDate }, { weight: 1, arbitrary: anyValue });
  if (typeof v === 'string') return fc.oneof(junkText, anyValue);
  if (typeof v === 'number') return fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, 1e308, -1e308, 0.5), anyValue);
  return anyValue;
}

/** A body: arbitrary JSON, or a valid one with one field replaced or removed. */
function body(valid: () => unknown): fc.Arbitrary<unknown> {
  const mutated = fc.tuple(fc.nat(), fc.boolean()).chain(([i, remove]) => {
    const v = valid();
    const paths = leaves(v);
    const at = paths[i % paths.length];
    return remove && at.length ? fc.constant(setAt(v, at, undefined, true)) : mutantOf(getAt(v, at)).map((value) => setAt(v, at, value, false));
  });
  return fc.oneof({ weight: 1, arbitrary: anyJson }, { weight: 4, arbitrary: mutated });
}

// ------------------------------------------------------------------------------------------- the routes

interface RouteSpec {
  /** Path parameters (`:name` in the route) with a valid value each. */
  params?: Record<string, () => string>;
  /** Query parameters with a valid value each. */
  query?: Record<string, () => string>;
  /** A valid body. */
  body?: () => unknown;
}

interface Fuzzed {
  route: string;
  as: UserKey | 'admin';
  spec: RouteSpec;
  /** A request with one of its parts spoilt (path, query or body), the others valid; now and then all valid. */
  request: fc.Arbitrary<{ path: string; body?: unknown }>;
}

function fuzzed(route: string, as: Fuzzed['as'], spec: RouteSpec = {}): Fuzzed {
  const template = route.split(' ')[1];
  const names = Object.keys(spec.params ?? {});
  const path = (spoil?: { name: string; junk: string }) => template.replace(/:(\w+)/g, (_, n: string) => (spoil?.name === n ? spoil.junk : encodeURIComponent(spec.params![n]())));
  const query = () => (spec.query ? `?${validQuery(spec.query)}` : '');
  const valid = fc.constant(null).map(() => ({ path: path() + query(), body: spec.body?.() }));
  const parts: fc.Arbitrary<{ path: string; body?: unknown }>[] = [valid];
  if (names.length) parts.push(fc.tuple(fc.constantFrom(...names), junkSegment).map(([name, junk]) => ({ path: path({ name, junk }) + query(), body: spec.body?.() })));
  parts.push(spoiltQuery(spec.query ?? {}).map((q) => ({ path: path() + q, body: spec.body?.() })));
  if (spec.body) parts.push(body(spec.body).map((b) => ({ path: path() + query(), body: b })));
  else if (!route.startsWith('GET')) parts.push(anyJson.map((b) => ({ path: path() + query(), body: b })));
  return { route, as, spec, request: fc.oneof({ weight: 1, arbitrary: valid }, ...parts.slice(1).map((arbitrary) => ({ weight: 4, arbitrary }))) };
}

const cand = { id: () => f.candidate };
const unitId = () => sys.units.cell;
const period = { orgUnitId: unitId, from: () => '2026-01-01', to: () => f.today, format: () => 'csv' };
const candidateBody = () => ({
  cellId: sys.units.cell,
  fullName: 'Lê Thử Nghiệm',
  dateOfBirth: '1999-04-12',
  gender: 'male',
  ethnicity: 'Kinh',
  religion: null,
  education: 'university',
  youthUnionMember: true,
  hardshipArea: false,
  occupation: 'civil_servant',
  sector: 'Giáo dục',
  placeId: f.placeId,
  source: { organization: 'Đoàn trường', introducedOn: f.today },
});

const ROUTES: Fuzzed[] = [
  fuzzed('POST /api/candidates', 'secretary', { body: candidateBody }),
  fuzzed('GET /api/candidates/:id', 'secretary', { params: cand }),
  fuzzed('GET /api/candidates/:id/history', 'secretary', { params: cand }),
  fuzzed('GET /api/candidates/:id/state', 'secretary', { params: cand, query: { asOf: () => f.today } }),
  fuzzed('GET /api/candidates/:id/export', 'secretary', { params: cand, query: { format: () => 'json' } }),
  fuzzed('POST /api/candidates/:id/transfer', 'provinceBoard', { params: { id: () => f.other }, body: () => ({ toCellId: sys.units.cell, reason: 'Chuyển sinh hoạt', effectiveOn: f.today }) }),
  // The facts it has (refused: facts_unchanged) unless a spoilt body happens to change one.
  fuzzed('PATCH /api/candidates/:id/facts', 'secretary', { params: { id: () => f.other }, body: () => ({ education: 'university', youthUnionMember: true, hardshipArea: false, placeId: f.placeId, reason: 'Cập nhật thông tin', effectiveOn: f.today }) }),
  fuzzed('POST /api/candidates/:id/withdraw', 'outsider', { params: { id: () => f.other }, body: () => ({ reason: 'Xin rút' }) }),
  fuzzed('GET /api/candidates/:id/comments', 'secretary', { params: cand, query: { limit: () => '10', offset: () => '0' } }),
  fuzzed('POST /api/candidates/:id/comments', 'secretary', { params: cand, body: () => ({ body: 'Ý kiến' }) }),
  fuzzed('GET /api/candidates/:id/attachments', 'secretary', { params: cand }),
  fuzzed('GET /api/candidates/:id/attachments/:attachmentId', 'secretary', { params: { ...cand, attachmentId: () => f.attachmentId } }),
  fuzzed('POST /api/candidates/:id/attachments', 'secretary', { params: cand, query: { filename: () => 'don.pdf', kind: () => 'application' } }),
  fuzzed('GET /api/candidates/:id/dossier-forms', 'secretary', { params: cand }),
  fuzzed('GET /api/candidates/:id/forms/:code.pdf', 'secretary', { params: { ...cand, code: () => '6-KNĐ' } }),
  fuzzed('GET /api/tasks', 'secretary', {
    query: { type: () => 'recognize_sympathiser', orgUnitId: unitId, due: () => 'none', search: () => 'Nguyễn', dueWithin: () => '5', sort: () => 'opened', limit: () => '10', offset: () => '0' },
  }),
  fuzzed('GET /api/tasks/:id', 'secretary', { params: { id: () => f.taskId } }),
  // The outsider may not decide: a valid decision is refused (403) after every check of its input.
  fuzzed('POST /api/tasks/:id/complete', 'outsider', { params: { id: () => f.taskId }, body: () => validDecision('recognize_sympathiser', f.today) }),
  fuzzed('POST /api/tasks/:id/complete', 'secretary', { params: { id: () => f.taskId }, body: () => ({ ...validDecision('recognize_sympathiser', f.today), outcome: 'reject' }) }),
  fuzzed('POST /api/tasks/bulk-complete', 'secretary', { body: () => ({ items: [{ taskId: f.taskId, idempotencyKey: `fuzz-${Math.random()}`, ...validDecision('recognize_sympathiser', f.today), outcome: 'reject' }] }) }),
  fuzzed('POST /api/tasks/:id/extend', 'board', { params: { id: () => f.taskId }, body: () => ({ workingDays: 5, reason: 'Gia hạn thử' }) }),
  fuzzed('GET /api/notifications', 'secretary', { query: { unread: () => 'true', limit: () => '10', offset: () => '0' } }),
  fuzzed('POST /api/notifications/:id/read', 'secretary', { params: { id: () => f.attachmentId } }),
  fuzzed('GET /api/notifications/email-failures', 'admin', { query: { limit: () => '10', offset: () => '0' } }),
  fuzzed('POST /api/notifications/email-failures/:id/retry', 'admin', { params: { id: () => f.attachmentId } }),
  fuzzed('GET /api/saved-filters', 'secretary'),
  fuzzed('POST /api/saved-filters', 'secretary', { body: () => ({ name: `Lọc ${Math.random()}`, query: { type: 'recognize_sympathiser', orgUnitId: sys.units.cell, due: 'overdue', search: 'An', dueWithin: 3, sort: 'due' } }) }),
  fuzzed('DELETE /api/saved-filters/:id', 'outsider', { params: { id: () => f.filterId } }),
  fuzzed('GET /api/audit/verify', 'auditor', { query: { orgUnitId: unitId, limit: () => '10', offset: () => '0' } }),
  fuzzed('GET /api/audit/history.csv', 'auditor', { query: { orgUnitId: unitId, from: () => f.today, to: () => f.today } }),
  fuzzed('GET /api/audit/pii-reads', 'auditor', { query: { orgUnitId: unitId, limit: () => '10', offset: () => '0' } }),
  fuzzed('POST /api/audit/replay/:candidateId', 'auditor', { params: { candidateId: () => f.candidate } }),
  fuzzed('POST /api/org-units', 'admin', { body: () => ({ name: 'Chi bộ thử', kind: 'cell', parentId: sys.units.grassroots }) }),
  fuzzed('GET /api/org-units', 'admin', { query: { limit: () => '10', offset: () => '0', parentId: () => sys.units.grassroots } }),
  fuzzed('GET /api/org-units/:id/dossier-forms-policy', 'secretary', { params: { id: unitId } }),
  fuzzed('PUT /api/org-units/:id/dossier-forms-policy', 'admin', { params: { id: () => sys.units.otherCell }, body: () => ({ policy: 'warn' }) }),
  fuzzed('GET /api/org-units/:id/trade-union-route', 'secretary', { params: { id: unitId } }),
  fuzzed('PUT /api/org-units/:id/trade-union-route', 'admin', { params: { id: () => sys.units.otherGrassroots }, body: () => ({ allowed: null }) }),
  // Reorganisation (issue 16): valid bodies refused by the rules (409 already there, 409 into itself, 422 a cell dissolved), so the tree stays.
  fuzzed('POST /api/org-units/:id/rename', 'admin', { params: { id: () => sys.units.otherCell }, body: () => ({ name: `Chi bộ khác ${Math.random().toString(36).slice(2, 6)}` }) }),
  fuzzed('POST /api/org-units/:id/move', 'admin', { params: { id: () => sys.units.otherCell }, body: () => ({ parentId: sys.units.otherGrassroots }) }),
  fuzzed('POST /api/org-units/:id/merge', 'admin', { params: { id: () => sys.units.otherCell }, body: () => ({ intoId: sys.units.otherCell }) }),
  fuzzed('POST /api/org-units/:id/dissolve', 'admin', { params: { id: () => sys.units.otherCell }, body: () => ({ childrenTo: null }) }),
  // 422: a cell is never authorised to admit, so the tree stays.
  fuzzed('POST /api/org-units/:id/admission-authority', 'admin', { params: { id: () => sys.units.otherCell }, body: () => ({ authorisedToAdmit: true }) }),
  fuzzed('POST /api/users', 'admin', {
    body: () => ({ username: `u${Math.random().toString(36).slice(2, 10)}`, password: 'password-0001-x', fullName: 'Người thử', email: 'a@b.vn', roles: [{ role: 'cell_secretary', orgUnitId: sys.units.cell }] }),
  }),
  fuzzed('GET /api/users', 'admin', { query: { search: () => 'fuzz', limit: () => '10', offset: () => '0' } }),
  fuzzed('GET /api/users/:id', 'admin', { params: { id: () => f.selfId } }),
  fuzzed('PATCH /api/users/:id', 'admin', { params: { id: () => f.selfId }, body: () => ({ fullName: 'Người thử', email: 'self@ketnap.test', active: true, roles: [{ role: 'cell_secretary', orgUnitId: sys.units.otherCell }] }) }),
  fuzzed('POST /api/users/:id/password', 'admin', { params: { id: () => f.selfId }, body: () => ({ password: SELF_PASSWORD }) }),
  fuzzed('POST /api/users/:id/revoke-sessions', 'admin', { params: { id: () => f.selfId } }),
  fuzzed('GET /api/security-log', 'admin', { query: { userId: () => f.selfId, kind: () => 'login_failed', limit: () => '10', offset: () => '0' } }),
  fuzzed('POST /api/auth/login', 'secretary', { body: () => ({ username: `fuzz-self-${sys.tag}`, password: SELF_PASSWORD }) }),
  fuzzed('GET /api/auth/me', 'secretary'),
  fuzzed('GET /api/calendar/:year', 'admin', { params: { year: () => '2026' } }),
  fuzzed('PUT /api/calendar/:year', 'admin', {
    params: { year: () => '2199' },
    body: () => ({
      source: 'Quyết định thử',
      holidays: [{ date: '2199-09-02', name_vi: 'Quốc khánh', name_en: 'National Day', kind: 'statutory', confirmed: true }],
      extraWorkingDays: [{ date: '2199-09-07', reason: 'Làm bù' }],
    }),
  }),
  fuzzed('POST /api/training-classes', 'centre', { body: () => ({ kind: 'new_member', name: 'Lớp thử', startsOn: f.today, endsOn: f.today, capacity: 5, orgUnitId: sys.units.centre }) }),
  fuzzed('GET /api/training-classes', 'centre', { query: { kind: () => 'party_awareness' } }),
  fuzzed('GET /api/training-classes/:id', 'centre', { params: { id: () => f.classId } }),
  fuzzed('GET /api/training-classes/:id/eligible', 'grassroots', { params: { id: () => f.classId } }),
  fuzzed('POST /api/training-classes/:id/proposals', 'grassroots', { params: { id: () => f.classId }, body: () => ({ candidateIds: [f.candidate] }) }),
  fuzzed('POST /api/training-classes/:id/enrolments', 'centre', { params: { id: () => f.classId }, body: () => ({ candidateIds: [f.candidate], status: 'declined' }) }),
  fuzzed('POST /api/training-classes/:id/attendance', 'centre', { params: { id: () => f.classId }, body: () => ({ records: [{ candidateId: f.candidate, attendance: 'full', result: 'pass' }] }) }),
  fuzzed('POST /api/training-classes/:id/certify', 'centre', { params: { id: () => f.classId }, body: () => ({ issuedOn: f.today, results: [{ candidateId: f.other, result: 'fail' }] }) }),
  fuzzed('GET /api/jobs/:id', 'admin', { params: { id: () => f.attachmentId } }),
  // The import routes take the file as the raw body (text/csv): a JSON body is 415, after the query and the jurisdiction.
  fuzzed('GET /api/candidate-imports/template.csv', 'secretary'),
  fuzzed('GET /api/candidate-imports/template.xlsx', 'secretary'),
  fuzzed('POST /api/candidate-imports/preview', 'grassroots', { query: { orgUnitId: unitId, filename: () => 'dang-bo.csv' } }),
  fuzzed('POST /api/candidate-imports', 'grassroots', { query: { orgUnitId: unitId, filename: () => 'dang-bo.csv' } }),
  fuzzed('GET /api/certificates/:number', 'centre', { params: { number: () => '1/CN-2026' }, query: { centreId: () => sys.units.centre } }),
  fuzzed('GET /api/quotas', 'admin', { query: { orgUnitId: unitId, year: () => '2026' } }),
  fuzzed('PUT /api/quotas/:orgUnitId/:year', 'admin', { params: { orgUnitId: () => sys.units.otherCell, year: () => '2031' }, body: () => ({ quota: 1 }) }),
  fuzzed('PUT /api/quotas/:orgUnitId/term/:term', 'admin', { params: { orgUnitId: () => sys.units.otherCell, term: () => '2030-2035' }, body: () => ({ quota: 1 }) }),
  fuzzed('GET /api/membership', 'admin', { query: { orgUnitId: unitId, asOf: () => f.today } }),
  fuzzed('PUT /api/membership/:orgUnitId', 'admin', { params: { orgUnitId: unitId }, body: () => ({ asOf: f.today, partyMembers: 9 }) }),
  fuzzed('POST /api/places', 'admin', { body: () => ({ name: 'Tổ dân phố thử', kind: 'residential_group', orgUnitId: sys.units.cell, partyMembers: 3, hasCell: false, asOf: f.today }) }),
  fuzzed('GET /api/places', 'admin', { query: { orgUnitId: unitId, includeInactive: () => 'true', limit: () => '10', offset: () => '0' } }),
  fuzzed('GET /api/places/:id', 'admin', { params: { id: () => f.placeId } }),
  fuzzed('PATCH /api/places/:id', 'admin', { params: { id: () => f.placeId }, body: () => ({ name: 'Thôn thử', partyMembers: 2, hasCell: false, active: true, asOf: f.today }) }),
  fuzzed('GET /api/reports/admissions', 'admin', { query: { ...period, term: () => '2025-2030' } }),
  fuzzed('GET /api/reports/funnel', 'admin', { query: period }),
  fuzzed('GET /api/reports/grassroots', 'admin', { query: period }),
  fuzzed('GET /api/reports/overdue', 'admin', { query: { orgUnitId: unitId, format: () => 'xlsx' } }),
  fuzzed('GET /api/reports/places', 'admin', { query: period }),
];

// ------------------------------------------------------------------------------------------- the check

async function counts(): Promise<Record<string, number>> {
  const row = (await sys.app.get(DataSource).query(`SELECT ${tables.map((t) => `(SELECT count(*)::int FROM "${t}") AS "${t}"`).join(', ')}`))[0];
  return row;
}

/** After a write that succeeded, the worker may still be projecting: wait until the counts stop moving. */
async function settled(): Promise<Record<string, number>> {
  let last = await counts();
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const now = await counts();
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  return last;
}

function client(as: Fuzzed['as']): Api {
  return as === 'admin' ? sys.admin : sys.users[as];
}

async function send(as: Fuzzed['as'], method: string, path: string, body: unknown): Promise<{ status: number; type: string; text: string }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${client(as).token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('fuzzing every route', () => {
  let before: Record<string, number>;

  beforeAll(async () => {
    before = await settled();
  });

  it('starts from requests that pass validation, so that the spoilt ones reach past the parser', async () => {
    const refused: string[] = [];
    for (const r of ROUTES) {
      const method = r.route.split(' ')[0];
      const template = r.route.split(' ')[1];
      const path = template.replace(/:(\w+)/g, (_, n: string) => encodeURIComponent(r.spec.params![n]())) + (r.spec.query ? `?${validQuery(r.spec.query)}` : '');
      const res = await send(r.as, method, path, r.spec.body?.());
      // 415: the attachment route takes raw files, not JSON; the rest must get past the parser.
      if (res.status === 400 || res.status >= 500) refused.push(`${r.route} → ${res.status} ${res.text.slice(0, 200)}`);
      before = await settled();
    }
    expect(refused).toEqual([]);
  });

  it.each(ROUTES.map((r) => [`${r.route} (${r.as})`, r] as const))('%s: never a 5xx, and a refusal writes nothing', async (_name, r) => {
    const route = r.route;
    const method = route.split(' ')[0];
    await fc.assert(
      fc.asyncProperty(r.request, async ({ path, body: b }) => {
        const res = await send(r.as, method, path, b);
        const what = `${method} ${path} ${JSON.stringify(b)?.slice(0, 500)} → ${res.status} ${res.text.slice(0, 300)}`;
        if (res.status >= 500) throw new Error(`5xx: ${what}`);
        if (res.status >= 400) {
          if (!res.type.startsWith('application/json') || typeof JSON.parse(res.text).code !== 'string') throw new Error(`a refusal without a JSON {code}: ${what}`);
          const after = await counts();
          if (JSON.stringify(after) !== JSON.stringify(before)) {
            const changed = tables.filter((t) => after[t] !== before[t]).map((t) => `${t} ${before[t]}→${after[t]}`);
            before = after;
            throw new Error(`a refusal wrote ${changed.join(', ')}: ${what}`);
          }
        } else {
          before = await settled();
        }
      }),
      { numRuns: RUNS, endOnFailure: true, ...(SEED !== undefined ? { seed: SEED } : {}) },
    );
  });
});

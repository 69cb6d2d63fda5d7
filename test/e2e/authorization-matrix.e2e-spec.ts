import { DataSource } from 'typeorm';
import { importTemplateCsv } from '../../libs/domain/src/candidate-import.js';
import { appRoutes } from '../support/app-routes.js';
import { awaitJob } from '../support/jobs.js';
import { TestSystem } from '../support/system.js';

/**
 * Who may call what, on the running system: every API route × every role × inside / outside the role's
 * jurisdiction → the expected status. The list of routes comes from the running app (the Express router of
 * the Nest application), so a route added without an entry in MATRIX below fails this test.
 *
 * Adding a route: add `'METHOD /api/path/:param': { path, body?, expect }` to MATRIX. `path` (and `body`)
 * build the request from the fixtures; `expect` gives, per column, `'ok'` (passes authorization: any answer
 * but 401, 403, 404 and 5xx — a 400/409/422 from an empty or refused body is fine), or an exact status:
 * 401 for the anonymous caller (except public routes), 403 for a caller refused, 404 where the route hides
 * whether the thing exists (training classes, certificates, someone else's saved filter or notification).
 * Choose a body that passes validation where one is needed, so a refusal is the guard's and not the
 * parser's. Routes of the matrix that the app does not have (yet) are skipped, never failed. A path served
 * for (nearly) every method — a middleware bound to all of them — is one entry `ALL /path`, with `method`.
 *
 * The org tree (test/support/system.ts): province ⊃ superior ⊃ grassroots ⊃ cell, superior ⊃ centre;
 * province ⊃ otherSuperior ⊃ otherGrassroots ⊃ otherCell, plus here otherSuperior ⊃ otherCentre. "Inside"
 * users hold their role over the fixtures' units (cell, grassroots, superior, centre, province for the
 * auditor); "outside" ones hold the same role in the other branch.
 */

const COLUMNS = [
  'anonymous',
  'admin',
  'secretary',
  'secretaryOutside',
  'grassroots',
  'grassrootsOutside',
  'board',
  'boardOutside',
  'centre',
  'centreOutside',
  'auditor',
  'auditorOutside',
] as const;
type Column = (typeof COLUMNS)[number];
type Expectation = 'ok' | 401 | 403 | 404 | 200 | 201 | 204 | 302 | 400;
type Row = Record<Column, Expectation>;

interface Fixtures {
  today: string;
  /** A candidate of `cell`, certified in `classId`: waiting on nothing at the centre any more. */
  candidate: string;
  /** A candidate withdrawn (ended): an allowed withdraw answers 409 and changes nothing. */
  ended: string;
  /** The open `recognize_sympathiser` task of another candidate of `cell` (the cell secretary's). */
  taskId: string;
  attachmentId: string;
  classId: string;
  /** The job of the class's certification, started by the centre. */
  jobId: string;
  certificate: string;
  placeId: string;
  notificationId: string;
  /** A user of the other branch the user-administration routes act on. */
  targetUserId: string;
  units: Record<string, string>;
  /** A fresh place on `cell` (for DELETE), a fresh saved filter of the cell secretary. */
  freshPlace(): Promise<string>;
  freshSecretaryFilter(): Promise<string>;
}

interface Entry {
  /** The method sent, for an `ALL /path` entry (a path served for every method, e.g. by a middleware). */
  method?: string;
  path: (f: Fixtures) => string | Promise<string>;
  headers?: Record<string, string>;
  body?: (f: Fixtures) => unknown;
  /** Sent as the raw body with this content type instead of JSON. */
  raw?: { type: string; bytes: Buffer };
  /** Each caller on a session of its own, signed in for this call (logout). */
  fresh?: boolean;
  /** The status that counts, when the answer carries it inside (bulk decisions). */
  status?: (r: { status: number; body: any }) => number;
  expect: Row;
}

/** Every signed-in caller gets `e`; the anonymous one 401. */
const everyone = (e: Expectation = 'ok'): Row => Object.fromEntries(COLUMNS.map((c) => [c, c === 'anonymous' ? 401 : e])) as Row;
/** A public route: the anonymous caller too. */
const publicRoute = (e: Expectation = 'ok'): Row => Object.fromEntries(COLUMNS.map((c) => [c, e])) as Row;
/** The listed callers pass; every other signed-in caller gets `denied`. */
const only = (allowed: Column[], denied: Expectation = 403): Row => ({ ...everyone(denied), ...Object.fromEntries(allowed.map((c) => [c, 'ok'])) });

/** Who reads a candidate's whole dossier (history, state, comments, attachments, exports): not the training centre. */
const DOSSIER_READERS: Column[] = ['admin', 'secretary', 'grassroots', 'board', 'auditor'];
/** Who reads a unit's figures, quotas, places (any role over `cell`). */
const UNIT_READERS: Column[] = ['admin', 'secretary', 'grassroots', 'board', 'auditor'];
/** Who plans for `cell` (quotas, places): the committees above it. */
const PLANNERS: Column[] = ['admin', 'grassroots', 'board'];
/** Who sees the class: its centre, the units whose candidates are in it, auditors over it — others get 404. */
const CLASS_SEERS: Column[] = ['admin', 'secretary', 'grassroots', 'board', 'centre', 'auditor'];
const AUDIT: Column[] = ['admin', 'auditor'];
const ADMIN: Column[] = ['admin'];

const FUTURE = '2199-01-01';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

export const MATRIX: Record<string, Entry> = {
  // Public: no token needed.
  'GET /api/health': { path: () => '/api/health', expect: publicRoute(200) },
  'GET /api/health/live': { path: () => '/api/health/live', expect: publicRoute(200) },
  'GET /api/health/ready': { path: () => '/api/health/ready', expect: publicRoute(200) },
  // Off without KETNAP_METRICS_TOKEN (as here): 404 to everyone, a session token included (operations.e2e-spec.ts).
  'GET /api/metrics': { path: () => '/api/metrics', expect: publicRoute(404) },
  'GET /api/clock': { path: () => '/api/clock', expect: publicRoute(200) },
  // The OpenAPI document and its page describe shapes, never data (test/e2e/openapi.e2e-spec.ts).
  'GET /api/openapi.json': { path: () => '/api/openapi.json', expect: publicRoute(200) },
  'GET /api/docs': { path: () => '/api/docs', expect: publicRoute(200) },
  'POST /api/auth/login': { path: () => '/api/auth/login', body: () => ({}), expect: publicRoute('ok') },

  // The caller's own account and session.
  'GET /api/auth/me': { path: () => '/api/auth/me', expect: everyone(200) },
  'POST /api/auth/logout': { path: () => '/api/auth/logout', fresh: true, expect: everyone('ok') },
  'POST /api/auth/password': { path: () => '/api/auth/password', body: () => ({}), expect: everyone('ok') },

  // Reference data every signed-in user reads.
  'GET /api/procedure': { path: () => '/api/procedure', expect: everyone(200) },
  'GET /api/org-units': { path: () => '/api/org-units', expect: everyone(200) },
  'GET /api/calendar/:year': { path: () => '/api/calendar/2026', expect: everyone(200) },
  // Whether a unit's steps require their documents (issue 16): read by all, set by administrators.
  'GET /api/org-units/:id/dossier-forms-policy': { path: (f) => `/api/org-units/${f.units.cell}/dossier-forms-policy`, expect: everyone(200) },
  // Whether the trade union's resolution may replace an introducer (§2.3, local configuration): read by all, set by administrators.
  'GET /api/org-units/:id/trade-union-route': { path: (f) => `/api/org-units/${f.units.cell}/trade-union-route`, expect: everyone(200) },

  // Administration: the admin's grant is global; nobody else.
  'POST /api/org-units': { path: () => '/api/org-units', body: () => ({}), expect: only(ADMIN) },
  'PUT /api/calendar/:year': { path: () => '/api/calendar/2199', body: () => ({}), expect: only(ADMIN) },
  // Clearing the cell's own setting (it has none): nothing changes.
  'PUT /api/org-units/:id/dossier-forms-policy': { path: (f) => `/api/org-units/${f.units.cell}/dossier-forms-policy`, body: () => ({ policy: null }), expect: only(ADMIN) },
  // Clearing the grassroots committee's own setting (it has none, or the default): nothing changes.
  'PUT /api/org-units/:id/trade-union-route': { path: (f) => `/api/org-units/${f.units.grassroots}/trade-union-route`, body: () => ({ allowed: null }), expect: only(ADMIN) },
  // Reorganisation of the org tree (issue 16). Valid bodies the admin's call refuses after the guard (already
  // there, a cell into itself, a cell dissolved), so the fixtures' tree stays as it is; the rename is harmless.
  'POST /api/org-units/:id/rename': { path: (f) => `/api/org-units/${f.units.otherCell}/rename`, body: () => ({ name: 'Chi bộ khác (đổi tên)' }), expect: only(ADMIN) },
  'POST /api/org-units/:id/move': { path: (f) => `/api/org-units/${f.units.cell}/move`, body: (f) => ({ parentId: f.units.grassroots }), expect: only(ADMIN) },
  'POST /api/org-units/:id/merge': { path: (f) => `/api/org-units/${f.units.cell}/merge`, body: (f) => ({ intoId: f.units.cell }), expect: only(ADMIN) },
  'POST /api/org-units/:id/dissolve': { path: (f) => `/api/org-units/${f.units.cell}/dissolve`, body: () => ({}), expect: only(ADMIN) },
  // A cell cannot be authorised to admit: refused after the guard, nothing changes.
  'POST /api/org-units/:id/admission-authority': { path: (f) => `/api/org-units/${f.units.cell}/admission-authority`, body: () => ({ authorisedToAdmit: true }), expect: only(ADMIN) },
  'GET /api/users': { path: () => '/api/users', expect: only(ADMIN) },
  'POST /api/users': {
    path: () => '/api/users',
    // Valid in shape, refused after the guard for the admin (too short a password): no user is made.
    body: (f) => ({ username: 'matrix-nobody', password: 'short', fullName: 'Không ai', roles: [{ role: 'cell_secretary', orgUnitId: f.units.cell }] }),
    expect: only(ADMIN),
  },
  'GET /api/users/:id': { path: (f) => `/api/users/${f.targetUserId}`, expect: only(ADMIN) },
  'PATCH /api/users/:id': { path: (f) => `/api/users/${f.targetUserId}`, body: () => ({}), expect: only(ADMIN) },
  'POST /api/users/:id/password': { path: (f) => `/api/users/${f.targetUserId}/password`, body: () => ({ password: 'matrix-password-0001' }), expect: only(ADMIN) },
  'POST /api/users/:id/revoke-sessions': { path: (f) => `/api/users/${f.targetUserId}/revoke-sessions`, expect: only(ADMIN) },
  'GET /api/security-log': { path: () => '/api/security-log', expect: only(ADMIN) },

  // The Temporal codec endpoint: decoding shows personal data (administrators and auditors), encoding makes
  // payloads the worker trusts (administrators). Its CORS middleware serves every method of the path: a
  // browser of a foreign origin is refused before anything else.
  'POST /api/temporal-codec/decode': { path: () => '/api/temporal-codec/decode', body: () => ({ payloads: [] }), expect: only(['admin', 'auditor']) }, // auditors over a whole tree only: a payload does not say whose data it holds
  'POST /api/temporal-codec/encode': { path: () => '/api/temporal-codec/encode', body: () => ({ payloads: [] }), expect: only(ADMIN) },
  'ALL /api/temporal-codec/*path': { method: 'OPTIONS', path: () => '/api/temporal-codec/decode', headers: { origin: 'https://elsewhere.example' }, expect: publicRoute(403) },

  // Candidates: the case roles over the cell; the centre its reduced view; auditors read only.
  'POST /api/candidates': {
    path: () => '/api/candidates',
    // In the future: refused after the guard (422), so nobody is created.
    body: (f) => ({ cellId: f.units.cell, fullName: 'Không ai', dateOfBirth: FUTURE, gender: 'male', ethnicity: 'Kinh', education: 'university', youthUnionMember: true, source: { organization: 'Đoàn', introducedOn: f.today } }),
    expect: only(['admin', 'secretary', 'grassroots', 'board']),
  },
  'GET /api/candidates/:id': { path: (f) => `/api/candidates/${f.candidate}`, expect: only([...DOSSIER_READERS, 'centre']) },
  'GET /api/candidates/:id/history': { path: (f) => `/api/candidates/${f.candidate}/history`, expect: only(DOSSIER_READERS) },
  'GET /api/candidates/:id/state': { path: (f) => `/api/candidates/${f.candidate}/state?asOf=${f.today}`, expect: only(DOSSIER_READERS) },
  'GET /api/candidates/:id/export': { path: (f) => `/api/candidates/${f.candidate}/export?format=json`, expect: only(DOSSIER_READERS) },
  'POST /api/candidates/:id/transfer': {
    // To its own cell: refused after the guard (transfer_same_cell), nothing moves.
    path: (f) => `/api/candidates/${f.candidate}/transfer`,
    body: (f) => ({ toCellId: f.units.cell, reason: 'kiểm tra quyền' }),
    expect: only(['admin', 'grassroots', 'board']),
  },
  'PATCH /api/candidates/:id/facts': {
    // The facts it already has: refused after the guard (facts_unchanged), nothing is recorded.
    path: (f) => `/api/candidates/${f.candidate}/facts`,
    body: () => ({ education: 'university', reason: 'kiểm tra quyền' }),
    expect: only(['admin', 'secretary', 'grassroots', 'board']),
  },
  'POST /api/candidates/:id/withdraw': {
    // Party decisions need the case role itself: the admin's grant does not act for a cell.
    path: (f) => `/api/candidates/${f.ended}/withdraw`,
    body: () => ({ reason: 'kiểm tra quyền' }),
    expect: only(['secretary', 'grassroots', 'board']),
  },
  'GET /api/candidates/:id/comments': { path: (f) => `/api/candidates/${f.candidate}/comments`, expect: only(DOSSIER_READERS) },
  'POST /api/candidates/:id/comments': { path: (f) => `/api/candidates/${f.candidate}/comments`, body: () => ({ body: 'Ý kiến kiểm tra quyền' }), expect: only(['admin', 'secretary', 'grassroots', 'board']) },
  'GET /api/candidates/:id/attachments': { path: (f) => `/api/candidates/${f.candidate}/attachments`, expect: only(DOSSIER_READERS) },
  'POST /api/candidates/:id/attachments': {
    // JSON is not an accepted type: 415 after the guard, nothing is stored.
    // The training centre adds the scan of a certificate it issued, without reading any.
    path: (f) => `/api/candidates/${f.candidate}/attachments?filename=x.pdf`,
    expect: only(['admin', 'secretary', 'grassroots', 'board', 'centre']),
  },
  'GET /api/candidates/:id/attachments/:attachmentId': { path: (f) => `/api/candidates/${f.candidate}/attachments/${f.attachmentId}`, expect: only(DOSSIER_READERS) },
  // The dossier as forms: read as the dossier is. The fixture candidate's application is not recorded yet, so
  // every printable form answers 404 form_decision_not_recorded to those who may read it, 403 to the others.
  'GET /api/candidates/:id/dossier-forms': { path: (f) => `/api/candidates/${f.candidate}/dossier-forms`, expect: only(DOSSIER_READERS) },
  'GET /api/candidates/:id/forms/:code.pdf': {
    path: (f) => `/api/candidates/${f.candidate}/forms/20-KND.pdf`,
    expect: { ...everyone(403), ...Object.fromEntries(DOSSIER_READERS.map((c) => [c, 404])) } as Row,
  },

  // Tasks: the task's own role over the task's unit (here the cell secretary's step); nobody else, not the admin.
  'GET /api/tasks': { path: () => '/api/tasks', expect: everyone(200) },
  'GET /api/tasks/:id': { path: (f) => `/api/tasks/${f.taskId}`, expect: only(['secretary']) },
  'POST /api/tasks/:id/complete': { path: (f) => `/api/tasks/${f.taskId}/complete`, body: () => ({ data: {} }), expect: only(['secretary']) },
  'POST /api/tasks/bulk-complete': {
    path: () => '/api/tasks/bulk-complete',
    body: (f) => ({ items: [{ taskId: f.taskId, data: {}, idempotencyKey: `matrix-${Math.random()}` }] }),
    status: (r) => (r.status === 200 ? (r.body.results[0].ok ? 200 : r.body.results[0].status) : r.status),
    expect: only(['secretary']),
  },
  'POST /api/tasks/:id/extend': { path: (f) => `/api/tasks/${f.taskId}/extend`, body: () => ({ workingDays: 1, reason: 'kiểm tra quyền' }), expect: only(['board']) },

  // The caller's own things: someone else's reads as not found.
  'GET /api/notifications': { path: () => '/api/notifications', expect: everyone(200) },
  'POST /api/notifications/read-all': { path: () => '/api/notifications/read-all', expect: everyone(200) },
  'POST /api/notifications/:id/read': { path: (f) => `/api/notifications/${f.notificationId}/read`, expect: only(['secretary'], 404) },
  // The e-mail outbox's failures: administrators only (re-queueing a row that never failed is a 409 after the guard).
  'GET /api/notifications/email-failures': { path: () => '/api/notifications/email-failures', expect: only(ADMIN) },
  'POST /api/notifications/email-failures/:id/retry': { path: (f) => `/api/notifications/email-failures/${f.notificationId}/retry`, expect: only(ADMIN) },
  // Outside /api: the links of e-mails sent before the hash routes redirect to the web app's page (it asks for a session).
  'GET /tasks/:id': { path: (f) => `/tasks/${f.taskId}`, expect: publicRoute(302) },
  'GET /candidates/:id': { path: (f) => `/candidates/${f.candidate}`, expect: publicRoute(302) },
  'GET /api/saved-filters': { path: () => '/api/saved-filters', expect: everyone(200) },
  'POST /api/saved-filters': { path: () => '/api/saved-filters', body: () => ({ name: `matrix ${Math.random()}`, query: {} }), expect: everyone('ok') },
  'DELETE /api/saved-filters/:id': { path: async (f) => `/api/saved-filters/${await f.freshSecretaryFilter()}`, expect: only(['secretary'], 404) },

  // Audit: auditors and the admin, over the subtree.
  'GET /api/audit/verify': { path: (f) => `/api/audit/verify?orgUnitId=${f.units.cell}`, expect: only(AUDIT) },
  'POST /api/audit/replay/:candidateId': { path: (f) => `/api/audit/replay/${f.candidate}`, expect: only(AUDIT) },
  'GET /api/audit/history.csv': { path: (f) => `/api/audit/history.csv?orgUnitId=${f.units.cell}&from=2000-01-01&to=${f.today}`, expect: only(AUDIT) },
  'GET /api/audit/pii-reads': { path: (f) => `/api/audit/pii-reads?orgUnitId=${f.units.cell}`, expect: only(AUDIT) },

  // Training classes: the centre runs them; the units whose candidates are in one see it; others 404.
  'POST /api/training-classes': {
    path: () => '/api/training-classes',
    body: (f) => ({ kind: 'party_awareness', name: 'Lớp kiểm tra quyền', startsOn: f.today, endsOn: f.today, capacity: 5, orgUnitId: f.units.centre }),
    expect: only(['admin', 'centre']),
  },
  'GET /api/training-classes': { path: () => '/api/training-classes', expect: everyone(200) },
  'GET /api/training-classes/:id': { path: (f) => `/api/training-classes/${f.classId}`, expect: only(CLASS_SEERS, 404) },
  'GET /api/training-classes/:id/eligible': { path: (f) => `/api/training-classes/${f.classId}/eligible`, expect: only(CLASS_SEERS, 404) },
  'POST /api/training-classes/:id/proposals': {
    path: (f) => `/api/training-classes/${f.classId}/proposals`,
    body: (f) => ({ candidateIds: [f.candidate] }),
    expect: { ...only(CLASS_SEERS, 404), secretary: 403, centre: 403, auditor: 403, grassroots: 'ok', board: 'ok' },
  },
  'POST /api/training-classes/:id/enrolments': {
    path: (f) => `/api/training-classes/${f.classId}/enrolments`,
    body: (f) => ({ candidateIds: [f.candidate], status: 'enrolled' }),
    expect: { ...only(CLASS_SEERS, 404), secretary: 403, grassroots: 403, board: 403, auditor: 403 },
  },
  'POST /api/training-classes/:id/attendance': {
    path: (f) => `/api/training-classes/${f.classId}/attendance`,
    body: (f) => ({ records: [{ candidateId: f.candidate, attendance: 'full' }] }),
    expect: { ...only(CLASS_SEERS, 404), secretary: 403, grassroots: 403, board: 403, auditor: 403 },
  },
  'POST /api/training-classes/:id/certify': {
    // Issued in the future: refused after the guard, nothing issued.
    path: (f) => `/api/training-classes/${f.classId}/certify`,
    body: () => ({ issuedOn: FUTURE }),
    expect: { ...only(CLASS_SEERS, 404), secretary: 403, grassroots: 403, board: 403, auditor: 403 },
  },
  // Importing cases under way (issue 16): the template for everyone signed in; a file into a unit for the roles
  // that create candidates over it. The template itself as the file: no row, so nothing is ever written
  // (the preview answers 200, the import 422 import_file_empty).
  'GET /api/candidate-imports/template.csv': { path: () => '/api/candidate-imports/template.csv', expect: everyone(200) },
  'GET /api/candidate-imports/template.xlsx': { path: () => '/api/candidate-imports/template.xlsx', expect: everyone(200) },
  'POST /api/candidate-imports/preview': {
    path: (f) => `/api/candidate-imports/preview?orgUnitId=${f.units.cell}&filename=mau.csv`,
    raw: { type: 'text/csv', bytes: Buffer.from(importTemplateCsv(), 'utf8') },
    expect: only(['admin', 'secretary', 'grassroots', 'board']),
  },
  'POST /api/candidate-imports': {
    path: (f) => `/api/candidate-imports?orgUnitId=${f.units.cell}&filename=mau.csv`,
    raw: { type: 'text/csv', bytes: Buffer.from(importTemplateCsv(), 'utf8') },
    expect: only(['admin', 'secretary', 'grassroots', 'board']),
  },
  // A fan-out job: the user who started it (the centre), admins and auditors over its unit; others 404.
  'GET /api/jobs/:id': { path: (f) => `/api/jobs/${f.jobId}`, expect: only(['admin', 'centre', 'auditor'], 404) },
  'GET /api/certificates/:number': { path: (f) => `/api/certificates/${encodeURIComponent(f.certificate)}?centreId=${f.units.centre}`, expect: only(CLASS_SEERS, 404) },

  // Quotas, membership, places and reports of `cell`.
  'GET /api/quotas': { path: (f) => `/api/quotas?orgUnitId=${f.units.cell}&year=2026`, expect: only(UNIT_READERS) },
  'PUT /api/quotas/:orgUnitId/:year': { path: (f) => `/api/quotas/${f.units.cell}/2026`, body: () => ({ quota: 0 }), expect: only(PLANNERS) },
  'PUT /api/quotas/:orgUnitId/term/:term': { path: (f) => `/api/quotas/${f.units.cell}/term/2025-2030`, body: () => ({ quota: 0 }), expect: only(PLANNERS) },
  'GET /api/membership': { path: (f) => `/api/membership?orgUnitId=${f.units.cell}`, expect: only(UNIT_READERS) },
  'PUT /api/membership/:orgUnitId': { path: (f) => `/api/membership/${f.units.cell}`, body: () => ({ asOf: FUTURE, partyMembers: 1 }), expect: only([...PLANNERS, 'secretary']) },
  'POST /api/places': { path: () => '/api/places', body: (f) => ({ name: 'Thôn kiểm tra quyền', kind: 'village', orgUnitId: f.units.cell }), expect: only(PLANNERS) },
  'GET /api/places': { path: (f) => `/api/places?orgUnitId=${f.units.cell}`, expect: only(UNIT_READERS) },
  'GET /api/places/:id': { path: (f) => `/api/places/${f.placeId}`, expect: only(UNIT_READERS) },
  'PATCH /api/places/:id': { path: (f) => `/api/places/${f.placeId}`, body: () => ({ asOf: FUTURE }), expect: only(PLANNERS) },
  'DELETE /api/places/:id': { path: async (f) => `/api/places/${await f.freshPlace()}`, expect: only(PLANNERS) },
  'GET /api/reports/admissions': { path: (f) => `/api/reports/admissions?orgUnitId=${f.units.cell}`, expect: only(UNIT_READERS) },
  'GET /api/reports/funnel': { path: (f) => `/api/reports/funnel?orgUnitId=${f.units.cell}`, expect: only(UNIT_READERS) },
  'GET /api/reports/grassroots': { path: (f) => `/api/reports/grassroots?orgUnitId=${f.units.cell}`, expect: only(UNIT_READERS) },
  'GET /api/reports/overdue': { path: (f) => `/api/reports/overdue?orgUnitId=${f.units.cell}`, expect: only(UNIT_READERS) },
  'GET /api/reports/places': { path: (f) => `/api/reports/places?orgUnitId=${f.units.cell}`, expect: only(UNIT_READERS) },
};

const sys = new TestSystem();
const PASSWORD = 'password-0001';
const LOGIN: Record<Exclude<Column, 'anonymous'>, () => string> = {
  admin: () => `admin-${sys.tag}`,
  secretary: () => `secretary-${sys.tag}`,
  secretaryOutside: () => `outsider-${sys.tag}`,
  grassroots: () => `grassroots-${sys.tag}`,
  grassrootsOutside: () => `grassrootsOutside-${sys.tag}`,
  board: () => `board-${sys.tag}`,
  boardOutside: () => `outsiderBoard-${sys.tag}`,
  centre: () => `centre-${sys.tag}`,
  centreOutside: () => `centreOutside-${sys.tag}`,
  auditor: () => `auditor-${sys.tag}`,
  auditorOutside: () => `otherAuditor-${sys.tag}`,
};
const tokens = {} as Record<Column, string | undefined>;
let f: Fixtures;
let base: string;
let routes: string[];

async function send(token: string | undefined, method: string, path: string, body?: unknown, raw?: Entry['raw'], extra: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = { ...extra, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let payload: string | Uint8Array | undefined;
  if (raw) {
    headers['content-type'] = raw.type;
    payload = new Uint8Array(raw.bytes);
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  // Redirects are the answer under test (the old e-mail links), never followed.
  const res = await fetch(`${base}${path}`, { method, headers, body: payload as BodyInit | undefined, redirect: 'manual' });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* CSV, PDF, a file */
  }
  return { status: res.status, body: parsed };
}

async function login(username: string, password = PASSWORD): Promise<string> {
  const r = await send(undefined, 'POST', '/api/auth/login', { username, password });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

async function ok<T = any>(p: Promise<{ status: number; body: T }>, status = 200): Promise<T> {
  const r = await p;
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body;
}

beforeAll(async () => {
  await sys.start();
  base = `http://127.0.0.1:${sys.app.getHttpServer().address().port}`;
  const { users, units, admin } = sys;
  // The other branch gets a grassroots committee member and a training centre of its own.
  const otherCentre = await ok(admin.post('/api/org-units', { name: `Trung tâm khác ${sys.tag}`, kind: 'training_centre', parentId: units.otherSuperior }), 201);
  units.otherCentre = otherCentre.id;
  const extra = async (username: string, role: string, orgUnitId: string) =>
    (await ok(admin.post('/api/users', { username, password: PASSWORD, fullName: `Người dùng ${username}`, roles: [{ role, orgUnitId }] }), 201)).id as string;
  await extra(LOGIN.grassrootsOutside(), 'grassroots_committee', units.otherGrassroots);
  await extra(LOGIN.centreOutside(), 'training_centre', units.otherCentre);
  const targetUserId = await extra(`target-${sys.tag}`, 'cell_secretary', units.otherCell);
  for (const c of COLUMNS) tokens[c] = c === 'anonymous' ? undefined : c === 'admin' ? admin.token : await login(LOGIN[c]());

  const today = await sys.today();
  // A candidate taken through the party-awareness class and certified: the class has one of `cell`'s candidates.
  const candidate = await sys.newCandidate(users.secretary, 'Hoàng Văn Quyền');
  await sys.decideOk(users.secretary, candidate, 'recognize_sympathiser');
  const cls = await ok(users.centre.post('/api/training-classes', { kind: 'party_awareness', name: `Lớp ma trận ${sys.tag}`, startsOn: today, endsOn: today, capacity: 5, orgUnitId: units.centre }), 201);
  await ok(users.grassroots.post(`/api/training-classes/${cls.id}/proposals`, { candidateIds: [candidate] }));
  await ok(users.centre.post(`/api/training-classes/${cls.id}/enrolments`, { candidateIds: [candidate], status: 'enrolled' }));
  await ok(users.centre.post(`/api/training-classes/${cls.id}/attendance`, { records: [{ candidateId: candidate, attendance: 'full', result: 'pass' }] }));
  const job = await ok(users.centre.post(`/api/training-classes/${cls.id}/certify`, { issuedOn: today }), 202);
  const certified = (await awaitJob(users.centre, job.jobId)).result;
  expect(certified).toMatchObject({ applied: 1 });

  const ended = await sys.newCandidate(users.secretary, 'Lý Thị Rút');
  await ok(users.secretary.post(`/api/candidates/${ended}/withdraw`, { reason: 'chuyển đi nơi khác' }));
  const waiting = await sys.newCandidate(users.secretary, 'Mạc Văn Chờ');
  const task = await sys.openTask(users.secretary, waiting, 'recognize_sympathiser');

  await ok(users.secretary.post(`/api/candidates/${candidate}/comments`, { body: 'Đã học xong lớp.' }), 201);
  const upload = await send(tokens.secretary, 'POST', `/api/candidates/${candidate}/attachments?filename=don.pdf&kind=application`, undefined, { type: 'application/pdf', bytes: PDF });
  if (upload.status !== 201) throw new Error(`upload: ${upload.status} ${JSON.stringify(upload.body)}`);

  const place = await ok(admin.post('/api/places', { name: `Thôn ${sys.tag}`, kind: 'village', orgUnitId: units.cell }), 201);
  const secretaryId = (await ok(users.secretary.get('/api/auth/me'))).id;
  const app = sys.app.get(DataSource);
  const [note] = await app.query(
    `INSERT INTO notifications (user_id, candidate_id, kind, dedupe_key, title, body) VALUES ($1, $2, 'reminder', $3, 'Nhắc hạn', 'Kiểm tra quyền') RETURNING id`,
    [secretaryId, candidate, `matrix-${sys.tag}`],
  );
  let n = 0;
  f = {
    today,
    candidate,
    ended,
    taskId: task.id,
    attachmentId: upload.body.id,
    classId: cls.id,
    jobId: job.jobId,
    certificate: certified.results[0].certificateNo,
    placeId: place.id,
    notificationId: note.id,
    targetUserId,
    units,
    freshPlace: async () => (await ok(admin.post('/api/places', { name: `Thôn xóa ${++n}`, kind: 'village', orgUnitId: units.cell }), 201)).id,
    freshSecretaryFilter: async () => (await ok(users.secretary.post('/api/saved-filters', { name: `xóa ${sys.tag} ${++n}`, query: {} }), 201)).id,
  };
  routes = appRoutes(sys.app);
});

afterAll(async () => {
  await sys.stop();
});

describe('the authorization matrix', () => {
  it('has an entry for every route the running app serves', () => {
    expect(routes.length).toBeGreaterThan(50);
    const missing = routes.filter((r) => !(r in MATRIX));
    // A route without an entry: add it to MATRIX with the expected status of every role (see the top).
    expect(missing).toEqual([]);
    const notServed = Object.keys(MATRIX).filter((k) => !routes.includes(k));
    if (notServed.length) process.stderr.write(`authorization matrix: not served (skipped): ${notServed.join(', ')}\n`);
  });

  it.each(Object.keys(MATRIX))('%s', async (key) => {
    if (!routes.includes(key)) return; // not served (yet): nothing to check
    const entry = MATRIX[key];
    const method = entry.method ?? key.slice(0, key.indexOf(' '));
    const observed = {} as Record<Column, Expectation | number>;
    for (const column of COLUMNS) {
      const token = entry.fresh && column !== 'anonymous' ? await login(LOGIN[column](), column === 'admin' ? 'admin-password' : PASSWORD) : tokens[column];
      const r = await send(token, method, await entry.path(f), entry.body?.(f), entry.raw, entry.headers);
      const status = entry.status ? entry.status(r) : r.status;
      const want = entry.expect[column];
      const passed = status < 500 && ![401, 403, 404].includes(status);
      observed[column] = want === 'ok' ? (passed ? 'ok' : status) : status;
      if (status >= 500) process.stderr.write(`${key} as ${column}: ${status} ${JSON.stringify(r.body)}\n`);
    }
    expect(observed).toEqual(entry.expect);
  });
});

describe('training classes', () => {
  it('are seen only by the centre running them and the units whose candidates are in them or wait on them, wherever the class sits', async () => {
    const { users, units, admin } = sys;
    const today = f.today;
    const classOn = async (orgUnitId: string, name: string) =>
      (await ok(admin.post('/api/training-classes', { kind: 'party_awareness', name: `${name} ${sys.tag}`, startsOn: today, endsOn: today, capacity: 10, orgUnitId }), 201)).id as string;
    const onProvince = await classOn(units.province, 'Lớp của tỉnh');
    const onSuperior = await classOn(units.superior, 'Lớp của phường');
    const sees = async (as: typeof admin, id: string) => {
      const one = await as.get(`/api/training-classes/${id}`);
      const listed = (await ok(as.get('/api/training-classes'))).items.some((c: any) => c.id === id);
      if ((one.status === 200) !== listed) throw new Error(`GET ${one.status} but listed ${listed}`);
      if (![200, 404].includes(one.status)) throw new Error(`GET ${one.status}`);
      return listed;
    };
    // Nobody's candidates are in them or wait on them yet: only the administrator and the auditor over them.
    for (const id of [onProvince, onSuperior]) {
      expect({ outsider: await sees(users.outsider, id), outsiderBoard: await sees(users.outsiderBoard, id), secretary: await sees(users.secretary, id), centre: await sees(users.centre, id), auditor: await sees(users.auditor, id), otherAuditor: await sees(users.otherAuditor, id) })
        .toEqual({ outsider: false, outsiderBoard: false, secretary: false, centre: false, auditor: true, otherAuditor: false });
    }
    expect((await users.outsiderBoard.post(`/api/training-classes/${onProvince}/proposals`, { candidateIds: [f.candidate] })).status).toBe(404);

    // A candidate of `cell` now waits on the party-awareness step (at `centre`, under both classes' units).
    const mine = await sys.newCandidate(users.secretary, 'Tạ Văn Chờ Lớp');
    await sys.decideOk(users.secretary, mine, 'recognize_sympathiser');
    for (const id of [onProvince, onSuperior]) {
      expect({ secretary: await sees(users.secretary, id), grassroots: await sees(users.grassroots, id), board: await sees(users.board, id), outsider: await sees(users.outsider, id), outsiderBoard: await sees(users.outsiderBoard, id) })
        .toEqual({ secretary: true, grassroots: true, board: true, outsider: false, outsiderBoard: false });
    }
    // One of the other branch waits at its own centre: under the province, not under the ward.
    const theirs = (
      await ok(
        users.outsider.post('/api/candidates', { cellId: units.otherCell, fullName: 'Tô Thị Nhánh Khác', dateOfBirth: '1999-04-12', gender: 'female', ethnicity: 'Kinh', education: 'university', youthUnionMember: true, source: { organization: 'Đoàn xã', introducedOn: today } }),
        201,
      )
    ).id as string;
    await sys.decideOk(users.outsider, theirs, 'recognize_sympathiser');
    expect(await sees(users.outsider, onProvince)).toBe(true);
    expect(await sees(users.outsider, onSuperior)).toBe(false);

    // Both proposed to the province's class: each side sees its own enrolments only; the administrator all.
    const grassrootsOutside = sys.anon.as(tokens.grassrootsOutside!);
    await ok(users.grassroots.post(`/api/training-classes/${onProvince}/proposals`, { candidateIds: [mine] }));
    await ok(grassrootsOutside.post(`/api/training-classes/${onProvince}/proposals`, { candidateIds: [theirs] }));
    const enrolled = async (as: typeof admin) => (await ok(as.get(`/api/training-classes/${onProvince}`))).enrolments.map((e: any) => e.candidateId).sort();
    expect(await enrolled(users.secretary)).toEqual([mine]);
    expect(await enrolled(users.outsider)).toEqual([theirs]);
    expect(await enrolled(admin)).toEqual([mine, theirs].sort());
    // The proposals of one side never reach the other through the class.
    expect((await grassrootsOutside.post(`/api/training-classes/${onProvince}/proposals`, { candidateIds: [mine] })).status).toBe(403);
  });
});

describe('a training centre', () => {
  it('reads a candidate’s name, date of birth, its own steps and classes — nothing else of the dossier', async () => {
    const centre = sys.users.centre;
    const view = await ok(centre.get(`/api/candidates/${f.candidate}`));
    expect(Object.keys(view).sort()).toEqual(['classes', 'dateOfBirth', 'fullName', 'id', 'openTasks', 'view']);
    expect(view).toMatchObject({ id: f.candidate, fullName: 'Hoàng Văn Quyền', dateOfBirth: '1999-04-12', view: 'training_centre', openTasks: [] });
    expect(view.classes).toEqual([expect.objectContaining({ classId: f.classId, status: 'enrolled', result: 'pass', certificateNo: f.certificate })]);
    // The secretary's view of the same candidate carries the whole profile.
    expect(await ok(sys.users.secretary.get(`/api/candidates/${f.candidate}`))).toMatchObject({ view: 'full', ethnicity: 'Kinh', stage: 'application' });
    for (const path of ['history', `state?asOf=${f.today}`, 'export?format=json', 'export?format=pdf', 'comments', 'attachments', `attachments/${f.attachmentId}`]) {
      const r = await send(tokens.centre, 'GET', `/api/candidates/${f.candidate}/${path}`);
      expect({ path, status: r.status, code: r.body?.code }).toEqual({ path, status: 403, code: 'training_centre_limited_view' });
    }
    // It adds the scan of the certificate it issued, and still reads no attachment.
    const upload = await send(tokens.centre, 'POST', `/api/candidates/${f.candidate}/attachments?filename=giay-chung-nhan.pdf`, undefined, { type: 'application/pdf', bytes: PDF });
    expect(upload.status).toBe(201);
    expect((await centre.get(`/api/candidates/${f.candidate}/attachments/${upload.body.id}`)).status).toBe(403);
    expect((await centre.post(`/api/candidates/${f.candidate}/comments`, { body: 'x' })).status).toBe(403);
  });

  it('still sees a waiting candidate’s open step at the centre, to record the certificate', async () => {
    const id = await sys.newCandidate(sys.users.secretary, 'Đỗ Văn Học');
    await sys.decideOk(sys.users.secretary, id, 'recognize_sympathiser');
    const view = await ok(sys.users.centre.get(`/api/candidates/${id}`));
    expect(view.openTasks.map((t: any) => t.type)).toEqual(['record_training_certificate']);
    expect((await ok(sys.users.secretary.get(`/api/candidates/${id}`))).openTasks.map((t: any) => t.type)).toEqual(['record_training_certificate']);
  });
});

describe('places', () => {
  it('refuse a candidate tied to a place of another branch; a place on the cell’s line or in the caller’s subtree is accepted', async () => {
    const { users, units, admin } = sys;
    const body = (placeId: string) => ({ cellId: units.otherCell, fullName: 'Cù Văn Nơi Ở', dateOfBirth: '1998-02-02', gender: 'male', ethnicity: 'Kinh', education: 'university', youthUnionMember: true, placeId, source: { organization: 'Đoàn xã', introducedOn: f.today } });
    const refused = await users.outsider.post('/api/candidates', body(f.placeId));
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 403, code: 'place_out_of_jurisdiction' });
    // A hamlet of the commune above the other cell: on that cell's line.
    const theirs = (await ok(admin.post('/api/places', { name: `Xóm ${sys.tag}`, kind: 'hamlet', orgUnitId: units.otherSuperior }), 201)).id;
    const created = await ok(users.outsider.post('/api/candidates', body(theirs)), 201);
    expect((await ok(users.outsider.get(`/api/candidates/${created.id}`))).placeId).toBe(theirs);
    // Nor is another branch's place read or changed directly.
    expect((await users.outsider.get(`/api/places/${f.placeId}`)).status).toBe(403);
    expect((await users.outsiderBoard.call('PATCH', `/api/places/${f.placeId}`, { partyMembers: 3 })).status).toBe(403);
    expect((await users.outsiderBoard.get(`/api/places?orgUnitId=${units.cell}`)).status).toBe(403);
  });
});

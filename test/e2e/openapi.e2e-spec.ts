import { openApiProblems } from '../../apps/api/src/openapi/openapi-check.js';
import { openApiPath, UNDOCUMENTED } from '../../apps/api/src/openapi/openapi-document.js';
import { STEPS, TASK_TYPES } from '../../libs/domain/src/procedure.js';
import { appRoutes } from '../support/app-routes.js';
import { validDecision } from '../support/decisions.js';
import { TestSystem } from '../support/system.js';

/**
 * The OpenAPI document the running API serves (GET /api/openapi.json) against the routes it really serves —
 * the Express router, the list the authorization matrix checks too — and its browsable page (GET /api/docs).
 */
const sys = new TestSystem();
let base: string;
let doc: any;
let routes: string[];

/**
 * Routes of the router that are not API operations: the old e-mail links outside /api (redirects to the web
 * app) and the Temporal codec's CORS middleware, bound to every method of its path. A new one is added here
 * knowingly.
 */
const NOT_OPERATIONS = ['GET /tasks/:id', 'GET /candidates/:id', 'ALL /api/temporal-codec/*path'];

beforeAll(async () => {
  await sys.start();
  base = `http://127.0.0.1:${sys.app.getHttpServer().address().port}`;
  const res = await fetch(`${base}/api/openapi.json`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  doc = await res.json();
  routes = appRoutes(sys.app);
});

afterAll(async () => {
  await sys.stop();
});

/** `METHOD /openapi/{path}` of every operation of the document. */
const documented = () => Object.entries<Record<string, unknown>>(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));

describe('GET /api/openapi.json', () => {
  it('documents every route the app serves, and no route it does not', () => {
    expect(routes.length).toBeGreaterThan(50);
    const served = routes.filter((r) => !NOT_OPERATIONS.includes(r)).map((r) => `${r.slice(0, r.indexOf(' '))} ${openApiPath(r.slice(r.indexOf(' ') + 1))}`);
    expect({ missing: served.filter((r) => !documented().includes(r)), notServed: documented().filter((r) => !served.includes(r)) }).toEqual({ missing: [], notServed: [] });
    // The exceptions are still served: a stale entry here would hide nothing.
    expect(NOT_OPERATIONS.filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('is a structurally valid OpenAPI 3.1 document: each operation with an id, responses, resolving references', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(openApiProblems(doc)).toEqual([]);
  });

  it('gives every operation a summary in English and in Vietnamese (an @ApiDoc on its handler)', () => {
    const undocumented = Object.entries<Record<string, any>>(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, op]) => !op.summary || !op['x-summary-vi'] || op.summary === UNDOCUMENTED || op['x-summary-vi'] === UNDOCUMENTED)
        .map(([m]) => `${m.toUpperCase()} ${path}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('documents on POST /api/tasks/{id}/complete every task type with its outcomes and its data schema', () => {
    const op = doc.paths['/api/tasks/{id}/complete'].post;
    expect(Object.keys(op['x-decisions']).sort()).toEqual([...TASK_TYPES].sort());
    for (const t of TASK_TYPES) {
      const variant = doc.components.schemas[`Decision.${t}`];
      expect({ t, outcomes: op['x-decisions'][t].outcomes, enum: variant.properties.outcome.enum }).toEqual({ t, outcomes: [...STEPS[t].outcomes], enum: [...STEPS[t].outcomes] });
      expect(doc.components.schemas[`DecisionData.${t}`].type).toBe('object');
    }
    expect(op.requestBody.content['application/json'].schema.anyOf).toHaveLength(TASK_TYPES.length);
    expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
  });

  it('describes the decisions the system accepts: each field of a valid decision is in its step’s schema, each required field in the decision', () => {
    const today = '2026-03-02';
    for (const t of TASK_TYPES) {
      const d = validDecision(t, today);
      const schema = doc.components.schemas[`DecisionData.${t}`];
      expect({ t, unknown: Object.keys(d.data).filter((k) => !(k in schema.properties)), absent: (schema.required ?? []).filter((k: string) => !(k in d.data)) }).toEqual({ t, unknown: [], absent: [] });
      if (d.outcome !== undefined) expect(STEPS[t].outcomes).toContain(d.outcome);
    }
  });

  it('asks for the session’s bearer token, except on the public routes', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const open = documented().filter((k) => {
      const [m, p] = k.split(' ');
      return doc.paths[p][m.toLowerCase()].security?.length === 0;
    });
    // The Prometheus scrape is public to the session guard but asks for a token of its own.
    expect(doc.paths['/api/metrics'].get.security).toEqual([{ metricsToken: [] }]);
    expect(open.sort()).toEqual(['GET /api/clock', 'GET /api/docs', 'GET /api/health', 'GET /api/health/live', 'GET /api/health/ready', 'GET /api/openapi.json', 'POST /api/auth/login']);
  });
});

describe('GET /api/docs', () => {
  it('is an HTML page of every operation, served under the app’s CSP with nothing from another origin', async () => {
    const res = await fetch(`${base}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|src="https?:/i);
    for (const op of documented()) expect(html).toContain(`<code>${op.slice(op.indexOf(' ') + 1).replace(/&/g, '&amp;')}</code>`);
    expect(html).toContain(STEPS.cell_admission_vote.vi);
  });
});

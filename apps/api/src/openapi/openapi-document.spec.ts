import { z } from 'zod';
import { STEPS, TASK_TYPES } from '../../../../libs/domain/src/procedure.js';
import { BulkComplete, CompleteTask, InboxQuery } from '../tasks/tasks.schemas.js';
import { renderDocsPage } from './docs-page.js';
import { openApiProblems } from './openapi-check.js';
import { buildOpenApi, openApiPath, UNDOCUMENTED, type RouteDoc } from './openapi-document.js';

const route = (r: Partial<RouteDoc> & Pick<RouteDoc, 'method' | 'path'>): RouteDoc => ({
  operationId: `${r.method}${r.path}`,
  tag: 'tasks',
  isPublic: false,
  status: r.method === 'POST' ? 201 : 200,
  uuidParams: [],
  ...r,
});

const ROUTES: RouteDoc[] = [
  route({ method: 'GET', path: '/api/tasks', spec: { en: 'Inbox', vi: 'Hộp việc', query: InboxQuery } }),
  route({ method: 'POST', path: '/api/tasks/:id/complete', status: 200, spec: { en: 'Decide', vi: 'Quyết định', body: CompleteTask, decisions: 'one', idempotent: true } }),
  route({ method: 'POST', path: '/api/tasks/bulk-complete', status: 200, spec: { en: 'Decide many', vi: 'Quyết định nhiều', body: BulkComplete, decisions: 'bulk' } }),
  route({ method: 'GET', path: '/api/candidates/:id/forms/:code.pdf', uuidParams: ['id'], spec: { en: 'Form', vi: 'Biểu mẫu', produces: ['application/pdf'] } }),
  route({ method: 'POST', path: '/api/auth/login', isPublic: true, status: 200, spec: { en: 'Sign in', vi: 'Đăng nhập', body: z.object({ username: z.string() }) } }),
  route({ method: 'POST', path: '/api/auth/logout', status: 204 }),
];

describe('buildOpenApi', () => {
  const doc = buildOpenApi(ROUTES, { version: '1.2.3' });

  it('builds a structurally valid OpenAPI 3.1 document whose every $ref resolves', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(openApiProblems(doc)).toEqual([]);
  });

  it('documents on the complete route the outcomes and data schema of every task type', () => {
    const op = doc.paths['/api/tasks/{id}/complete'].post;
    expect(Object.keys(op['x-decisions']).sort()).toEqual([...TASK_TYPES].sort());
    const variants = op.requestBody.content['application/json'].schema.anyOf.map((v: { $ref: string }) => v.$ref);
    expect(variants).toEqual(TASK_TYPES.map((t) => `#/components/schemas/Decision.${t}`));
    for (const t of TASK_TYPES) {
      const variant = doc.components.schemas[`Decision.${t}`];
      expect({ t, outcomes: variant.properties.outcome.enum, data: variant.properties.data.$ref }).toEqual({ t, outcomes: [...STEPS[t].outcomes], data: `#/components/schemas/DecisionData.${t}` });
      expect(op['x-decisions'][t].outcomes).toEqual([...STEPS[t].outcomes]);
    }
    // A step with several outcomes needs one named; a step with one takes it by default.
    expect(doc.components.schemas['Decision.cell_admission_vote'].required).toContain('outcome');
    expect(doc.components.schemas['Decision.admission_ceremony'].properties.outcome.default).toBe('held');
    // The data schema is the domain's: the cell vote's fields, its date a 'YYYY-MM-DD' string.
    const vote = doc.components.schemas['DecisionData.cell_admission_vote'];
    expect(vote.required).toEqual(expect.arrayContaining(['meetingDate', 'officialMembers', 'inFavour']));
    expect(vote.properties.meetingDate).toMatchObject({ type: 'string', format: 'date' });
  });

  it('gives each bulk item its task id, its key and one of the same decision variants', () => {
    const items = doc.paths['/api/tasks/bulk-complete'].post.requestBody.content['application/json'].schema.properties.items;
    expect(items).toMatchObject({ type: 'array', minItems: 1, maxItems: 200 });
    expect(items.items.allOf[0].required).toEqual(['taskId', 'idempotencyKey']);
    expect(items.items.allOf[1].anyOf).toHaveLength(TASK_TYPES.length);
  });

  it('turns Express paths into templates, with each path parameter and the query’s fields as parameters', () => {
    expect(openApiPath('/api/candidates/:id/forms/:code.pdf')).toBe('/api/candidates/{id}/forms/{code}.pdf');
    const form = doc.paths['/api/candidates/{id}/forms/{code}.pdf'].get;
    expect(form.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'code', in: 'path', required: true, schema: { type: 'string' } },
    ]);
    expect(Object.keys(form.responses['200'].content)).toEqual(['application/pdf']);
    const inbox = doc.paths['/api/tasks'].get.parameters;
    expect(inbox.find((p: { name: string }) => p.name === 'limit')).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } });
    expect(doc.paths['/api/tasks/{id}/complete'].post.parameters).toContainEqual(expect.objectContaining({ name: 'Idempotency-Key', in: 'header' }));
  });

  it('asks for the bearer token except on public routes, and names the error shape of refusals', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    const login = doc.paths['/api/auth/login'].post;
    expect(login.security).toEqual([]);
    expect(login.responses['401']).toBeUndefined();
    const complete = doc.paths['/api/tasks/{id}/complete'].post;
    expect(Object.keys(complete.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '409', '422', 'default']));
    expect(complete.responses['422'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(doc.components.schemas.Error).toMatchObject({ required: ['statusCode', 'code', 'message'], properties: { violations: { type: 'array' } } });
    expect(doc.paths['/api/auth/logout'].post.responses['204']).toEqual({ description: 'No content' });
  });

  it('lists a route without @ApiDoc with an UNDOCUMENTED summary, for the e2e check to refuse', () => {
    expect(doc.paths['/api/auth/logout'].post.summary).toBe(UNDOCUMENTED);
  });
});

describe('openApiProblems', () => {
  it('names a path parameter missing, a response-less operation and a dangling $ref', () => {
    const problems = openApiProblems({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: { '/a/{id}': { get: { operationId: 'a', responses: {}, requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Nope' } } } } } } },
      components: { schemas: {} },
    });
    expect(problems).toEqual([
      'openapi: 3.0.0 is not 3.1.x',
      'GET /a/{id}: no responses',
      'GET /a/{id}: {id} has no path parameter',
      '#/paths//a/{id}/get/requestBody/content/application/json/schema: $ref #/components/schemas/Nope does not resolve',
    ]);
  });
});

describe('renderDocsPage', () => {
  it('renders every operation and the decision table in both languages, without a script or another origin', () => {
    const html = renderDocsPage(buildOpenApi(ROUTES, { version: '1.2.3' }));
    expect(html).not.toMatch(/<script|https?:\/\//i);
    expect(html).toContain('<code>/api/tasks/{id}/complete</code> Quyết định <small>— Decide</small>');
    for (const t of TASK_TYPES) expect(html).toContain(`href="#schema-DecisionData.${t}"`);
    expect(html).toContain(STEPS.cell_admission_vote.vi);
  });
});

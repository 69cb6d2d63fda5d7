import { z } from 'zod';
import { DECISION_DATA_SCHEMAS } from '../../../../libs/domain/src/decisions.js';
import { STEPS, TASK_TYPES } from '../../../../libs/domain/src/procedure.js';
import { ErrorBodySchema } from '../common/error-body.js';
import type { ApiDocSpec } from './api-doc.decorator.js';

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = Record<string, any>;

/** One route the app serves, as Nest declares it (apps/api/src/openapi/api-routes.ts). */
export interface RouteDoc {
  /** `GET`, `POST`… */
  method: string;
  /** Express's form, with the global prefix: `/api/tasks/:id/complete`. */
  path: string;
  /** `<Controller>.<handler>`: unique. */
  operationId: string;
  tag: string;
  isPublic: boolean;
  /** The success status (@HttpCode, else 201 for POST and 200 for the others). */
  status: number;
  /** Path parameters checked as UUIDs by the `uuid` pipe. */
  uuidParams: string[];
  spec?: ApiDocSpec;
}

/** The summary of a route without @ApiDoc: the e2e check refuses it. */
export const UNDOCUMENTED = 'UNDOCUMENTED: add @ApiDoc to the handler';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const ERROR = ref('Error');

/** The schema of what a zod schema accepts (its input: defaulted fields optional, coerced ones as declared). */
export function jsonSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/api/candidates/:id/forms/:code.pdf` → `/api/candidates/{id}/forms/{code}.pdf`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/[:*]([A-Za-z_$][\w$]*)/g, '{$1}');
}

/** Names of the path's parameters, in order. */
export function pathParams(expressPath: string): string[] {
  return [...expressPath.matchAll(/[:*]([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
}

/**
 * The decision a task takes, per task type: its outcomes (STEPS) and the shape of its data
 * (DECISION_DATA_SCHEMAS), as `Decision.<type>` and `DecisionData.<type>` components.
 */
function decisionComponents(completeBody: JsonSchema): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const type of TASK_TYPES) {
    const step = STEPS[type];
    const data = jsonSchema(DECISION_DATA_SCHEMAS[type]);
    out[`DecisionData.${type}`] = { title: `DecisionData.${type}`, ...data };
    const outcome: JsonSchema = { type: 'string', enum: [...step.outcomes] };
    if (step.outcomes.length === 1) outcome.default = step.outcomes[0];
    out[`Decision.${type}`] = {
      title: type,
      description: `${step.vi} — ${step.en}`,
      type: 'object',
      properties: { outcome, data: ref(`DecisionData.${type}`), ...(completeBody.properties?.note ? { note: completeBody.properties.note } : {}) },
      required: [...(step.outcomes.length > 1 ? ['outcome'] : []), ...(data.required?.length ? ['data'] : [])],
      'x-task-type': type,
      'x-role': step.role,
      ...(step.form ? { 'x-form': step.form } : {}),
    };
  }
  return out;
}

/** Per task type: what the step is, who decides, its outcomes and its data schema (an extension of the complete routes). */
function decisionsExtension(): Record<string, JsonSchema> {
  return Object.fromEntries(
    TASK_TYPES.map((t) => [t, { vi: STEPS[t].vi, en: STEPS[t].en, role: STEPS[t].role, ...(STEPS[t].form ? { form: STEPS[t].form } : {}), outcomes: [...STEPS[t].outcomes], data: ref(`DecisionData.${t}`) }]),
  );
}

const ANY_DECISION = { anyOf: TASK_TYPES.map((t) => ref(`Decision.${t}`)) };
const DECISION_NOTE =
  'The task’s type (GET /api/tasks/{id} → `type`) selects the variant: `outcome` among the step’s outcomes (may be left out when there is one), `data` of the step’s shape (x-decisions). / Loại của nhiệm vụ chọn dạng: `outcome` là một kết quả của bước, `data` theo mẫu của bước.';

function requestBody(r: RouteDoc, components: Record<string, JsonSchema>): JsonSchema | undefined {
  const spec = r.spec;
  if (spec?.rawBody) return { required: true, content: Object.fromEntries(spec.rawBody.map((t) => [t, { schema: { type: 'string', contentMediaType: t } }])) };
  if (!spec?.body) return undefined;
  let schema = jsonSchema(spec.body);
  if (spec.decisions === 'one') {
    Object.assign(components, decisionComponents(schema));
    schema = { description: DECISION_NOTE, ...ANY_DECISION };
  } else if (spec.decisions === 'bulk') {
    const item = schema.properties?.items?.items ?? {};
    Object.assign(components, decisionComponents(item));
    const keys = { type: 'object', properties: { taskId: item.properties?.taskId, idempotencyKey: item.properties?.idempotencyKey }, required: ['taskId', 'idempotencyKey'] };
    schema = { ...schema, properties: { ...schema.properties, items: { ...schema.properties.items, items: { description: DECISION_NOTE, allOf: [keys, ANY_DECISION] } } } };
  }
  return { required: !!schema.required?.length || !!spec.decisions, content: { 'application/json': { schema } } };
}

function parameters(r: RouteDoc): JsonSchema[] {
  const out: JsonSchema[] = [];
  const declared = r.spec?.params ? jsonSchema(r.spec.params).properties ?? {} : {};
  for (const name of pathParams(r.path)) {
    const schema = declared[name] ?? (r.uuidParams.includes(name) ? { type: 'string', format: 'uuid' } : { type: 'string' });
    out.push({ name, in: 'path', required: true, schema });
  }
  if (r.spec?.query) {
    const q = jsonSchema(r.spec.query);
    for (const [name, schema] of Object.entries<JsonSchema>(q.properties ?? {})) {
      out.push({ name, in: 'query', required: (q.required ?? []).includes(name), schema });
    }
  }
  if (r.spec?.idempotent) {
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'A retry with the same key gets the first answer, and the change is applied once. / Gửi lại cùng khóa: nhận lại câu trả lời đầu, thay đổi chỉ áp dụng một lần.',
      schema: { type: 'string', minLength: 1, maxLength: 200 },
    });
  }
  return out;
}

function responses(r: RouteDoc): JsonSchema {
  const spec = r.spec;
  const err = (description: string) => ({ description, content: { 'application/json': { schema: ERROR } } });
  const out: JsonSchema = {};
  const media = spec?.produces ?? ['application/json'];
  out[String(r.status)] =
    r.status === 204 || r.status === 302
      ? { description: spec?.answer ?? 'No content' }
      : { description: spec?.answer ?? 'OK', content: Object.fromEntries(media.map((t) => [t, { schema: t === 'application/json' ? {} : { type: 'string', contentMediaType: t } }])) };
  const validated = !!(spec?.body || spec?.query || spec?.params || spec?.rawBody || r.uuidParams.length);
  if (validated) out['400'] = err('A bad body, query or path parameter: `violations` names each field. / Dữ liệu gửi lên không hợp lệ.');
  if (!r.isPublic || spec?.auth) {
    out['401'] = err('No valid session token. / Chưa đăng nhập hoặc phiên đã hết hạn.');
    out['403'] = err('The caller’s roles or jurisdiction do not allow it. / Không có quyền.');
  }
  if (pathParams(r.path).length) out['404'] = err('Not found, or hidden from the caller. / Không tìm thấy.');
  if (r.method !== 'GET' && !r.isPublic) {
    out['409'] = err('Conflicts with the current state (task closed, case ended, request in progress). / Xung đột với trạng thái hiện tại.');
    out['422'] = err('Refused by a rule of the procedure: `code` (and `violations`) name it. / Bị từ chối theo quy định.');
  }
  if (spec?.rawBody) {
    out['413'] = err('The body is too large. / Tệp quá lớn.');
    out['415'] = err('A media type not accepted. / Loại tệp không được chấp nhận.');
  }
  out.default = err('Any other error (429 rate limited, 503 Temporal unavailable, 500), in the same shape. / Lỗi khác, cùng dạng.');
  return out;
}

/**
 * The OpenAPI 3.1 document of the routes: summaries in English (`summary`) and Vietnamese (`x-summary-vi`),
 * bodies and queries from the zod schemas the handlers parse with, and on the decision routes the data of
 * every step (components `Decision.<type>`, `DecisionData.<type>`; extension `x-decisions`).
 */
export function buildOpenApi(routes: RouteDoc[], info: { version: string }): JsonSchema {
  const components: Record<string, JsonSchema> = { Error: { title: 'Error', ...jsonSchema(ErrorBodySchema) } };
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const r of [...routes].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method))) {
    const op: JsonSchema = {
      operationId: r.operationId,
      tags: [r.tag],
      summary: r.spec?.en ?? UNDOCUMENTED,
      'x-summary-vi': r.spec?.vi ?? UNDOCUMENTED,
    };
    const params = parameters(r);
    if (params.length) op.parameters = params;
    const body = requestBody(r, components);
    if (body) op.requestBody = body;
    if (r.spec?.decisions) op['x-decisions'] = decisionsExtension();
    op.responses = responses(r);
    if (r.spec?.auth) op.security = [{ [r.spec.auth]: [] }];
    else if (r.isPublic) op.security = [];
    (paths[openApiPath(r.path)] ??= {})[r.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'ketnap API',
      version: info.version,
      description:
        'Admission of new party members: cases, tasks and decisions. Sign in with POST /api/auth/login and send its `accessToken` as `Authorization: Bearer <token>`. Messages follow `Accept-Language` (Vietnamese by default). The browsable page: /api/docs.\n\n' +
        'Kết nạp đảng viên: hồ sơ, nhiệm vụ và quyết định. Đăng nhập qua POST /api/auth/login, gửi `accessToken` trong `Authorization: Bearer <token>`. Trang xem: /api/docs.',
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The `accessToken` of POST /api/auth/login (a session, revoked at logout).' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'KETNAP_METRICS_TOKEN, for the Prometheus scrape only (a session token is refused).' },
      },
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
    },
  };
}

import type { JsonSchema } from './openapi-document.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * What is structurally wrong with an OpenAPI 3.1 document (empty: nothing found): the version, info, every
 * path's template against its path parameters, every operation's id and responses, every `$ref` and security
 * requirement resolving. Not a full validator of the specification; enough to fail CI on a broken document.
 */
export function openApiProblems(doc: JsonSchema): string[] {
  const problems: string[] = [];
  if (typeof doc.openapi !== 'string' || !/^3\.1\.\d+$/.test(doc.openapi)) problems.push(`openapi: ${doc.openapi} is not 3.1.x`);
  if (typeof doc.info?.title !== 'string' || typeof doc.info?.version !== 'string') problems.push('info: title and version are required strings');
  if (!doc.paths || typeof doc.paths !== 'object') problems.push('paths: missing');
  const schemes = doc.components?.securitySchemes ?? {};
  const schemas = doc.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) if (!/^[a-zA-Z0-9.\-_]+$/.test(name)) problems.push(`components.schemas: bad name ${name}`);
  const checkSecurity = (where: string, security: unknown) => {
    if (security === undefined) return;
    if (!Array.isArray(security)) return problems.push(`${where}: security is not an array`);
    for (const req of security) for (const name of Object.keys(req)) if (!(name in schemes)) problems.push(`${where}: unknown security scheme ${name}`);
  };
  checkSecurity('root', doc.security);
  const ids = new Set<string>();
  for (const [path, item] of Object.entries<Record<string, JsonSchema>>(doc.paths ?? {})) {
    if (!path.startsWith('/')) problems.push(`${path}: does not start with /`);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(item)) {
      const where = `${method.toUpperCase()} ${path}`;
      if (!METHODS.includes(method)) {
        problems.push(`${where}: not an HTTP method`);
        continue;
      }
      if (!op.operationId) problems.push(`${where}: no operationId`);
      else if (ids.has(op.operationId)) problems.push(`${where}: operationId ${op.operationId} is not unique`);
      else ids.add(op.operationId);
      const responses = Object.entries<JsonSchema>(op.responses ?? {});
      if (!responses.length) problems.push(`${where}: no responses`);
      for (const [status, r] of responses) {
        if (status !== 'default' && !/^[1-5](\d\d|XX)$/.test(status)) problems.push(`${where}: bad status ${status}`);
        if (typeof r.description !== 'string') problems.push(`${where}: response ${status} has no description`);
      }
      const params: JsonSchema[] = op.parameters ?? [];
      const seen = new Set<string>();
      for (const p of params) {
        const key = `${p.in}:${p.name}`;
        if (seen.has(key)) problems.push(`${where}: parameter ${key} twice`);
        seen.add(key);
        if (!['path', 'query', 'header', 'cookie'].includes(p.in)) problems.push(`${where}: parameter ${p.name} in ${p.in}`);
        if (p.in === 'path' && (p.required !== true || !templated.includes(p.name))) problems.push(`${where}: path parameter ${p.name} not required or not in the path`);
      }
      for (const name of templated) if (!params.some((p) => p.in === 'path' && p.name === name)) problems.push(`${where}: {${name}} has no path parameter`);
      if (op.requestBody && !op.requestBody.content) problems.push(`${where}: requestBody without content`);
      checkSecurity(where, op.security);
    }
  }
  const walk = (node: unknown, where: string) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') {
          const m = /^#\/components\/schemas\/(.+)$/.exec(v);
          if (!m || !(m[1] in schemas)) problems.push(`${where}: $ref ${v} does not resolve`);
        } else walk(v, `${where}/${k}`);
      }
    }
  };
  walk(doc, '#');
  return problems;
}

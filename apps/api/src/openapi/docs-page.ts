import type { JsonSchema } from './openapi-document.js';

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Pretty JSON, HTML-escaped, each `$ref` a link to its schema below. */
function schemaHtml(schema: unknown): string {
  return esc(JSON.stringify(schema, null, 2)).replace(/&quot;#\/components\/schemas\/([\w.-]+)&quot;/g, (_, name: string) => `<a href="#schema-${esc(name)}">${esc(name)}</a>`);
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operationHtml(path: string, method: string, op: JsonSchema): string {
  const rows = (op.parameters ?? [])
    .map((p: JsonSchema) => `<tr><td><code>${esc(p.name)}</code></td><td>${esc(p.in)}</td><td>${p.required ? 'yes / có' : ''}</td><td><pre>${schemaHtml(p.schema)}</pre>${p.description ? esc(p.description) : ''}</td></tr>`)
    .join('');
  const params = rows ? `<h4>Parameters / Tham số</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${rows}</table>` : '';
  const bodyContent = op.requestBody?.content ?? {};
  const body = Object.entries<JsonSchema>(bodyContent)
    .map(([type, c]) => `<h4>Body <code>${esc(type)}</code></h4><pre>${schemaHtml(c.schema)}</pre>`)
    .join('');
  const decisions = op['x-decisions']
    ? `<h4>Decision data per step / Dữ liệu quyết định theo bước</h4><table><tr><th>type</th><th>step / bước</th><th>role</th><th>outcomes</th><th>data</th></tr>${Object.entries<JsonSchema>(op['x-decisions'])
        .map(([type, d]) => `<tr><td><code>${esc(type)}</code></td><td>${esc(d.vi)}<br><small>${esc(d.en)}</small></td><td>${esc(d.role)}</td><td>${d.outcomes.map((o: string) => `<code>${esc(o)}</code>`).join(' ')}</td><td><a href="#schema-DecisionData.${esc(type)}">DecisionData.${esc(type)}</a></td></tr>`)
        .join('')}</table>`
    : '';
  const responses = Object.entries<JsonSchema>(op.responses ?? {})
    .map(([status, r]) => `<li><b>${esc(status)}</b> ${esc(r.description)}${r.content ? ` <small>${Object.keys(r.content).map(esc).join(', ')}</small>` : ''}</li>`)
    .join('');
  const lock = op.security?.length === 0 ? '<span class="pub">public / công khai</span>' : '<span class="auth">Bearer</span>';
  return `<details class="op" id="${esc(op.operationId)}"><summary><span class="m m-${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code> ${esc(op['x-summary-vi'])} <small>— ${esc(op.summary)}</small> ${lock}</summary>
<div class="body"><p><code>${esc(op.operationId)}</code></p>${params}${body}${decisions}<h4>Responses / Trả lời</h4><ul>${responses}</ul></div></details>`;
}

/**
 * The browsable page of the OpenAPI document, rendered on the server: plain HTML and an inline style, no script
 * and nothing from another origin (the deployment has no internet; the CSP allows only 'self' scripts).
 */
export function renderDocsPage(doc: JsonSchema): string {
  const byTag = new Map<string, string[]>();
  for (const [path, item] of Object.entries<Record<string, JsonSchema>>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), operationHtml(path, method, op)]);
    }
  }
  const tags = [...byTag.keys()].sort();
  const schemas = Object.entries<JsonSchema>(doc.components?.schemas ?? {})
    .map(([name, s]) => `<details class="schema" id="schema-${esc(name)}"><summary><code>${esc(name)}</code>${s.description ? ` <small>${esc(s.description)}</small>` : ''}</summary><pre>${schemaHtml(s)}</pre></details>`)
    .join('\n');
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.info.title)} — OpenAPI</title>
<style>
body{font-family:system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem;color:#1a1a1a}
pre{background:#f5f5f5;padding:.5rem;overflow:auto;font-size:12px;max-height:30rem;margin:.2rem 0}
details.op{border:1px solid #ddd;border-radius:4px;margin:.3rem 0}
details.op>summary{padding:.4rem;cursor:pointer}
details.op .body{padding:0 .8rem .5rem}
.m{display:inline-block;min-width:4.2rem;text-align:center;font-weight:bold;color:#fff;border-radius:3px;font-size:12px;padding:1px 0}
.m-get{background:#2f7d32}.m-post{background:#1565c0}.m-put{background:#8d6e00}.m-patch{background:#6a1b9a}.m-delete{background:#b71c1c}
.pub{color:#2f7d32;font-size:12px}.auth{color:#777;font-size:12px}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ddd;padding:.2rem .4rem;vertical-align:top;text-align:left;font-size:14px}
nav a{margin-right:.6rem}
</style></head><body>
<h1>${esc(doc.info.title)} <small>${esc(doc.info.version)} · OpenAPI ${esc(doc.openapi)}</small></h1>
<p>${esc(doc.info.description).replace(/\n\n/g, '</p><p>')}</p>
<p>The document / Tài liệu: <a href="/api/openapi.json">/api/openapi.json</a></p>
<nav>${tags.map((t) => `<a href="#tag-${esc(t)}">${esc(t)}</a>`).join('')} <a href="#schemas">schemas</a></nav>
${tags.map((t) => `<h2 id="tag-${esc(t)}">${esc(t)}</h2>\n${byTag.get(t)!.join('\n')}`).join('\n')}
<h2 id="schemas">Schemas / Lược đồ</h2>
${schemas}
</body></html>`;
}

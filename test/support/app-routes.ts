import type { INestApplication } from '@nestjs/common';

/**
 * `METHOD /path` of every route the running app serves, from its Express router; a path served for (nearly)
 * every method — a middleware bound to all of them — is one `ALL /path`. The authorization matrix and the
 * OpenAPI check both compare themselves with this list.
 */
export function appRoutes(app: INestApplication): string[] {
  const express = app.getHttpAdapter().getInstance();
  const stack: any[] = (express.router ?? express._router).stack;
  const byPath = new Map<string, Set<string>>();
  for (const layer of stack) {
    if (!layer.route) continue;
    const methods = byPath.get(layer.route.path) ?? new Set<string>();
    for (const [method, on] of Object.entries(layer.route.methods as Record<string, boolean>)) if (on) methods.add(method === '_all' ? 'ALL' : method.toUpperCase());
    byPath.set(layer.route.path, methods);
  }
  const out = new Set<string>();
  for (const [path, methods] of byPath) {
    if (methods.has('ALL') || methods.size >= 20) out.add(`ALL ${path}`);
    else for (const m of methods) out.add(`${m} ${path}`);
  }
  return [...out].sort();
}

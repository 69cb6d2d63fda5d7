/**
 * Seeds the demo data THROUGH THE HTTP API (so it passes the same validation and workflows as real
 * input).
 *
 *   KETNAP_API_URL=http://127.0.0.1:3000 KETNAP_ADMIN_USERNAME=admin KETNAP_ADMIN_PASSWORD=ketnap-admin-2026 \
 *     node dist/infra/src/seed-demo.js
 *
 * Idempotent: when the org unit "Đảng ủy Phường Demo" already exists it prints
 * "demo data already present" and exits 0. Org units are found-or-created by (name, kind, parent)
 * and an existing username (HTTP 409) is reported and skipped, so a province or admin created by
 * other seeding does not get in the way.
 */
import { DEMO_CANDIDATES, DEMO_MARKER_ALIASES, DEMO_MARKER_UNIT, DEMO_PASSWORD, DEMO_UNITS, DEMO_USERS, type UnitKey } from './demo-data.js';
import { logger } from './processes.js';

const log = logger('seed');

interface OrgUnit {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    readonly path: string,
    readonly body: string,
  ) {
    super(`${method} ${path} → HTTP ${status}: ${body.slice(0, 1000)}`);
  }
}

function apiBase(): string {
  const raw = process.env.KETNAP_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;
  // Accept both http://host:port and http://host:port/api.
  return raw.replace(/\/+$/, '').replace(/\/api$/, '');
}

async function call<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  let res: Response;
  try {
    res = await fetch(`${apiBase()}/api${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new Error(`${method} /api${path}: cannot reach the API at ${apiBase()} (${(e as Error).message})`);
  }
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, method, `/api${path}`, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

function listItems<T>(response: unknown): T[] {
  if (Array.isArray(response)) return response as T[];
  const items = (response as { items?: T[] } | undefined)?.items;
  if (!Array.isArray(items)) throw new Error(`unexpected list response: ${JSON.stringify(response).slice(0, 300)}`);
  return items;
}

async function main() {
  const username = process.env.KETNAP_ADMIN_USERNAME ?? 'admin';
  const password = process.env.KETNAP_ADMIN_PASSWORD ?? 'ketnap-admin-2026';

  log.info(`logging in to ${apiBase()}/api as ${username}`);
  const { accessToken } = await call<{ accessToken: string }>('POST', '/auth/login', { username, password });
  if (!accessToken) throw new Error('login answered without an accessToken');
  const api = <T>(method: string, path: string, body?: unknown) => call<T>(method, path, body, accessToken);

  let units = listItems<OrgUnit>(await api('GET', '/org-units'));
  const markers = [DEMO_MARKER_UNIT, ...DEMO_MARKER_ALIASES];
  if (units.some((u) => markers.includes(u.name))) {
    log.info('demo data already present');
    return;
  }

  const ids = new Map<UnitKey, string>();
  for (const unit of DEMO_UNITS) {
    const parentId = unit.parent ? ids.get(unit.parent)! : null;
    const existing = units.find((u) => u.name === unit.name && u.kind === unit.kind && (u.parentId ?? null) === parentId);
    if (existing) {
      ids.set(unit.key, existing.id);
      log.info(`org unit exists: ${unit.name} (${unit.kind})`);
      continue;
    }
    const created = await api<OrgUnit>('POST', '/org-units', { name: unit.name, kind: unit.kind, ...(parentId ? { parentId } : {}) });
    ids.set(unit.key, created.id);
    units = [...units, { ...created, parentId }];
    log.info(`created org unit: ${unit.name} (${unit.kind})`);
  }

  for (const user of DEMO_USERS) {
    try {
      await api('POST', '/users', {
        username: user.username,
        password: DEMO_PASSWORD,
        fullName: user.fullName,
        roles: [{ role: user.role, orgUnitId: ids.get(user.unit)! }],
      });
      log.info(`created user: ${user.username} / ${DEMO_PASSWORD} — ${user.role} @ ${DEMO_UNITS.find((u) => u.key === user.unit)!.name}`);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        log.warn(`user ${user.username} already exists — left unchanged`);
        continue;
      }
      throw e;
    }
  }

  for (const c of DEMO_CANDIDATES) {
    const { cell, ...fields } = c;
    const created = await api<{ id: string; stage?: string }>('POST', '/candidates', { cellId: ids.get(cell)!, ...fields });
    log.info(`created candidate: ${c.fullName} (${c.dateOfBirth}) in ${DEMO_UNITS.find((u) => u.key === cell)!.name} → ${created.stage ?? 'created'}`);
  }

  log.info(`demo data created: ${DEMO_UNITS.length} org units, ${DEMO_USERS.length} users (password ${DEMO_PASSWORD}), ${DEMO_CANDIDATES.length} candidates`);
}

main().catch((e) => {
  log.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});

import { api } from './api.js';
import type { Me } from './session.js';

export interface OrgUnit {
  id: string;
  name: string;
  kind: string;
  parentId: string | null;
  /** Grassroots committees: authorised to admit (decides admission and recognition itself). */
  authorisedToAdmit?: boolean;
}

/** The whole tree, read page by page (the API gives at most 1,000 units a call). */
async function allOrgUnits(): Promise<OrgUnit[]> {
  const all: OrgUnit[] = [];
  for (;;) {
    const page = await api<{ items: OrgUnit[]; total: number }>('GET', `/org-units?limit=1000&offset=${all.length}`);
    all.push(...page.items);
    if (page.items.length === 0 || all.length >= page.total) return all;
  }
}

let cache: Promise<OrgUnit[]> | undefined;
export function orgUnits(refresh = false): Promise<OrgUnit[]> {
  if (!cache || refresh) cache = allOrgUnits();
  return cache;
}

/** The units a user's grants cover (each grant covers its subtree), in tree order. */
export function unitsInJurisdiction(all: OrgUnit[], me: Me): OrgUnit[] {
  if (me.roles.some((r) => r.role === 'admin')) return all;
  const children = new Map<string | null, OrgUnit[]>();
  for (const u of all) children.set(u.parentId, [...(children.get(u.parentId) ?? []), u]);
  const out = new Map<string, OrgUnit>();
  const walk = (u: OrgUnit) => {
    if (out.has(u.id)) return;
    out.set(u.id, u);
    for (const c of children.get(u.id) ?? []) walk(c);
  };
  for (const r of me.roles) {
    const u = all.find((x) => x.id === r.orgUnitId);
    if (u) walk(u);
  }
  return [...out.values()];
}

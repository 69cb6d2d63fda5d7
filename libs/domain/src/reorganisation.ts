/**
 * Reorganisation of the org tree (issue 16): a unit renamed, moved under another parent, merged into another
 * unit of the same kind, or dissolved with its children handed to another unit (the 2025 two-tier
 * restructuring abolished the district level: its grassroots committees move under the province or the new
 * superior). Pure checks and path arithmetic; the API applies them in one transaction, a durable job moves the
 * cases (`org_restructured`).
 */
import type { MessageCode, MessageParams } from './messages.js';
import { ALLOWED_PARENT_KINDS, type OrgUnitKind, type Routing } from './procedure.js';

export const REORGANISATION_ACTIONS = ['rename', 'move', 'merge', 'dissolve'] as const;
export type ReorganisationAction = (typeof REORGANISATION_ACTIONS)[number];

/** What the checks need of a unit: its kind and materialised path (`/<root id>/…/<id>/`). */
export interface TreeUnit {
  id: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
}

export interface ReorganisationRefusal {
  code: MessageCode;
  params: MessageParams;
}

/** True when `unit` is `ancestor` or lies in its subtree. */
export function isWithin(unit: Pick<TreeUnit, 'path'>, ancestor: Pick<TreeUnit, 'path'>): boolean {
  return unit.path.startsWith(ancestor.path);
}

const parentLabel = (p: TreeUnit | null) => (p ? `"${p.kind}"` : '(không có / none)');

function parentRefusal(kind: OrgUnitKind, parent: TreeUnit | null): ReorganisationRefusal | undefined {
  if (ALLOWED_PARENT_KINDS[kind].includes(parent ? parent.kind : null)) return undefined;
  return { code: 'org_unit_parent_invalid', params: { kind, parent: parentLabel(parent) } };
}

/** A unit moved under `parent` (null: to the top): kinds as at creation, no cycle, a real change. */
export function checkMove(unit: TreeUnit, parent: TreeUnit | null): ReorganisationRefusal | undefined {
  if (parent && isWithin(parent, unit)) return { code: 'org_unit_cycle', params: { id: unit.id, target: parent.id } };
  if ((parent?.id ?? null) === unit.parentId) return { code: 'org_unit_no_change', params: { id: unit.id } };
  return parentRefusal(unit.kind, parent);
}

/** `unit` merged into `into`: the same kind, another unit, not one of its own descendants (its children move there). */
export function checkMerge(unit: TreeUnit, into: TreeUnit): ReorganisationRefusal | undefined {
  if (into.id === unit.id) return { code: 'org_unit_no_change', params: { id: unit.id } };
  if (into.kind !== unit.kind) return { code: 'org_unit_merge_kind', params: { kind: unit.kind, intoKind: into.kind } };
  if (isWithin(into, unit)) return { code: 'org_unit_cycle', params: { id: unit.id, target: into.id } };
  return undefined;
}

/**
 * `unit` dissolved, its children handed to `childrenTo` (null when it has none): each child's kind must be
 * allowed under the new parent, which cannot be in the dissolved subtree. A cell holds cases, not units: it is
 * merged into another cell instead.
 */
export function checkDissolve(unit: TreeUnit, childrenTo: TreeUnit | null, childKinds: readonly OrgUnitKind[]): ReorganisationRefusal | undefined {
  if (unit.kind === 'cell' || unit.kind === 'grassroots_cell') return { code: 'org_unit_dissolve_cell', params: { kind: unit.kind } };
  if (!childrenTo) return childKinds.length ? { code: 'missing_field', params: { field: 'childrenTo' } } : undefined;
  if (isWithin(childrenTo, unit)) return { code: 'org_unit_cycle', params: { id: unit.id, target: childrenTo.id } };
  for (const kind of new Set(childKinds)) {
    const r = parentRefusal(kind, childrenTo);
    if (r) return r;
  }
  return undefined;
}

/** The path of a unit in a subtree whose root moves from `oldRoot` to `newRoot` (both root paths, `/…/`). */
export function rebasePath(path: string, oldRoot: string, newRoot: string): string {
  if (!path.startsWith(oldRoot)) throw new Error(`${path} is not under ${oldRoot}`);
  return newRoot + path.slice(oldRoot.length);
}

export const ROUTING_KEYS = ['cellId', 'partialCommitteeId', 'grassrootsId', 'superiorId', 'provinceId', 'trainingCentreId'] as const satisfies readonly (keyof Routing)[];

/** Same units in every slot (grassrootsIsCell and the grassroots committee's authority included). */
export function sameRouting(a: Routing, b: Routing): boolean {
  return a.grassrootsIsCell === b.grassrootsIsCell && !a.grassrootsAuthorised === !b.grassrootsAuthorised && ROUTING_KEYS.every((k) => (a[k] ?? null) === (b[k] ?? null));
}

/** The slots whose unit changed: `{slot, from, to}` (either side may be absent for the province). */
export function routingChanges(from: Routing, to: Routing): { slot: (typeof ROUTING_KEYS)[number]; from: string | null; to: string | null }[] {
  return ROUTING_KEYS.filter((k) => (from[k] ?? null) !== (to[k] ?? null)).map((k) => ({ slot: k, from: from[k] ?? null, to: to[k] ?? null }));
}

/**
 * What a merged unit held of its own goes to the unit it was merged into (issue 16, gap of the first cut). A
 * per-unit setting (dossier-forms policy, trade-union route): the successor is the organisation that goes on,
 * so its own setting stays; when it has none (it only follows the level above), the merged unit's explicit
 * choice is kept on it rather than silently lost. Null: neither set one.
 */
export function settingAfterMerge<T>(successorOwn: T | null, mergedOwn: T | null): T | null {
  return successorOwn ?? mergedOwn;
}

/**
 * A dissolved level's own setting stays with the units it governed: each child handed over without a setting
 * of its own takes it (where its kind may hold that setting), so the rules its cases run under do not change
 * because a level above disappeared. A setting the dissolved unit only inherited was the wider organisation's:
 * the children follow their new parent's line for it.
 */
export function settingHandedDown<T>(childOwn: T | null, dissolvedOwn: T | null, childMayHold = true): T | null {
  return childOwn ?? (childMayHold ? dissolvedOwn : null);
}

/**
 * Where a dissolved unit's admission quotas go: into the unit that takes its children when that unit is not
 * the one the quota was allocated from (a sibling level takes over the share and its children's quotas), and
 * nowhere when it is an ancestor (the share returns to the allocation it came from, already in its quota).
 * A merged unit's quotas always add up into its successor (the same level, the same periods).
 */
export function dissolvedQuotaGoesTo<T extends Pick<TreeUnit, 'path'>>(unit: Pick<TreeUnit, 'path'>, childrenTo: T | null): T | null {
  return childrenTo && !isWithin(unit, childrenTo) ? childrenTo : null;
}

/**
 * A candidate's units from the org tree: the one rule the API (a new case, a transfer) and the reorganisation
 * job (cases whose units moved) both apply. Pure: the callers read the units.
 */
import type { OrgUnitKind, Routing } from './procedure.js';

export interface RoutingUnit {
  id: string;
  kind: OrgUnitKind;
  parentId: string | null;
  /** A grassroots committee authorised to admit (đảng ủy cơ sở được ủy quyền kết nạp đảng viên). */
  authorisedToAdmit?: boolean;
}

/**
 * `ancestors`: the cell's parent first, then its parent, up to the root (as many as the tree has). `centreOf`
 * gives a unit's training centre, if it has one. Undefined when the tree gives no complete route: the unit is
 * no cell, or no superior sits above its grassroots organisation.
 */
export function resolveRouting(cell: RoutingUnit, ancestors: readonly RoutingUnit[], centreOf: (unitId: string) => string | undefined): Routing | undefined {
  if (cell.kind !== 'cell' && cell.kind !== 'grassroots_cell') return undefined;
  let i = 0;
  const partial = cell.kind === 'cell' && ancestors[i]?.kind === 'partial_committee' ? ancestors[i++] : undefined;
  const grassroots = cell.kind === 'grassroots_cell' ? cell : ancestors[i++];
  if (!grassroots || (cell.kind === 'cell' && grassroots.kind !== 'grassroots_committee')) return undefined;
  const superior = ancestors[i++];
  if (!superior || superior.kind !== 'superior') return undefined;
  const above = ancestors[i];
  const province = above?.kind === 'province' ? above : undefined;
  return {
    cellId: cell.id,
    ...(province ? { provinceId: province.id } : {}),
    grassrootsId: grassroots.id,
    grassrootsIsCell: cell.kind === 'grassroots_cell',
    // Only set where they apply, so the routing of every case without them stays as it was recorded.
    ...(partial ? { partialCommitteeId: partial.id } : {}),
    ...(grassroots.kind === 'grassroots_committee' && grassroots.authorisedToAdmit ? { grassrootsAuthorised: true } : {}),
    superiorId: superior.id,
    trainingCentreId: centreOf(superior.id) ?? (above ? centreOf(above.id) : undefined) ?? superior.id,
  };
}

/**
 * Local configuration of the introduction routes (§2.3). The sources conflict on the trade-union route: the Charter
 * as quoted by the Nghệ An portal has the grassroots union's resolution (4A-KNĐ) replace one party-member introducer
 * where there is no Youth Union organisation, while the same answer tells such a candidate to obtain two members'
 * introductions. The model's answer (§2.3 "Conflict to flag"; open question 6): "Treat the union resolution as
 * replacing one introducer only if local configuration says so." So the route is a setting of the grassroots party
 * organisation (or a level above it, for all its grassroots organisations), inherited by the units below it, and
 * off unless a unit on the candidate's path turns it on. Pure: the API reads the setting and applies this rule.
 */
import { introductionRouteOf, type Violation } from './decisions.js';
import type { OrgUnitKind } from './procedure.js';

/** With no unit on the path setting it, the union resolution does not replace an introducer (§2.3). */
export const TRADE_UNION_ROUTE_DEFAULT = false;

/**
 * The units that decide it: the grassroots organisation (đảng ủy cơ sở, chi bộ cơ sở) and the levels above it.
 * A cell or a partial committee follows its grassroots organisation.
 */
export const TRADE_UNION_ROUTE_SETTING_KINDS: readonly OrgUnitKind[] = ['province', 'superior', 'grassroots_committee', 'grassroots_cell'];

export function canSetTradeUnionRoute(kind: OrgUnitKind): boolean {
  return TRADE_UNION_ROUTE_SETTING_KINDS.includes(kind);
}

/**
 * A per-unit setting in force at a unit: the nearest unit on its path (the unit itself first, then upwards) whose
 * own value is set; the default with `setOn: null` when none is. `path` is root first, as org_units.path lists it.
 */
export function settingInForce<T>(path: readonly { id: string; own: T | null | undefined }[], fallback: T): { value: T; setOn: string | null } {
  for (let i = path.length - 1; i >= 0; i--) {
    const own = path[i].own;
    if (own !== null && own !== undefined) return { value: own, setOn: path[i].id };
  }
  return { value: fallback, setOn: null };
}

/**
 * The refusal of an introduction on the trade-union route (4A-KNĐ in place of one introducer) where the candidate's
 * organisation does not allow it; undefined for the other routes, or where it is allowed. The other rules of the
 * route (no Youth Union organisation, a union member, one member besides) stay with validateDecision.
 */
export function tradeUnionRouteRefusal(data: unknown, allowed: boolean): Violation | undefined {
  if (allowed) return undefined;
  const d = (data && typeof data === 'object' ? data : {}) as { youthUnionResolution?: unknown; tradeUnionResolution?: unknown };
  if (introductionRouteOf(d) !== 'trade_union') return undefined;
  return { code: 'trade_union_route_not_enabled', field: 'tradeUnionResolution' };
}

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { settingInForce, TRADE_UNION_ROUTE_DEFAULT } from '../../../domain/src/introduction-policy.js';
import type { OrgUnitKind, Routing } from '../../../domain/src/procedure.js';
import { resolveRouting, type RoutingUnit } from '../../../domain/src/routing.js';

export interface OrgUnit {
  id: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
  /** Grassroots committees only: authorised to admit (decides admission and recognition itself). */
  authorisedToAdmit: boolean;
}

const COLS = `id, name, kind, parent_id AS "parentId", path, authorised_to_admit AS "authorisedToAdmit"`;

/** A DataSource or a transaction's EntityManager. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

/**
 * The candidate's units for a cell, read from the tree (resolveRouting): its ancestors from the materialised
 * path, and the training centres of the superior and the unit above it. Undefined when the route is incomplete.
 */
export async function routingOfCell(db: Queryable, cell: RoutingUnit & { path: string }): Promise<Routing | undefined> {
  const ids = cell.path.split('/').filter(Boolean).slice(0, -1);
  const rows: (RoutingUnit & { path: string })[] = await db.query(
    `SELECT id, kind, parent_id AS "parentId", path, authorised_to_admit AS "authorisedToAdmit" FROM org_units WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  const ancestors = rows.sort((a, b) => b.path.length - a.path.length);
  const centres: { parentId: string; id: string }[] = await db.query(
    `SELECT DISTINCT ON (parent_id) parent_id AS "parentId", id FROM org_units
      WHERE kind = 'training_centre' AND dissolved_at IS NULL AND parent_id = ANY($1::uuid[]) ORDER BY parent_id, created_at`,
    [ids],
  );
  return resolveRouting(cell, ancestors, (id) => centres.find((c) => c.parentId === id)?.id);
}

export class OrgUnitRepository {
  constructor(private readonly ds: DataSource) {}

  async create(name: string, kind: OrgUnitKind, parent: OrgUnit | null): Promise<OrgUnit> {
    const id = randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    const rows = await this.ds.query(
      `INSERT INTO org_units (id, name, kind, parent_id, path) VALUES ($1,$2,$3,$4,$5) RETURNING ${COLS}`,
      [id, name, kind, parent?.id ?? null, path],
    );
    return rows[0];
  }

  /**
   * The dossier-forms policy in force for the unit at `path`: the nearest unit on the path (itself first) that
   * sets one, `warn` when none does.
   */
  async dossierFormsPolicy(path: string): Promise<{ policy: 'warn' | 'require'; setOn: string | null }> {
    const ids = path.split('/').filter(Boolean);
    const rows = await this.ds.query(
      `SELECT id, dossier_forms_policy AS policy FROM org_units WHERE id = ANY($1::uuid[]) AND dossier_forms_policy IS NOT NULL ORDER BY length(path) DESC LIMIT 1`,
      [ids],
    );
    return rows[0] ? { policy: rows[0].policy, setOn: rows[0].id } : { policy: 'warn', setOn: null };
  }

  /** Sets (or, with null, clears to inherit) a unit's own dossier-forms policy. */
  async setDossierFormsPolicy(id: string, policy: 'warn' | 'require' | null): Promise<void> {
    await this.ds.query(`UPDATE org_units SET dossier_forms_policy = $2 WHERE id = $1`, [id, policy]);
  }

  /**
   * Whether the trade union's resolution may replace an introducer for the unit at `path` (§2.3): the nearest unit
   * on the path (itself first) that sets it, not allowed when none does (libs/domain/src/introduction-policy.ts).
   */
  async tradeUnionRoute(path: string): Promise<{ allowed: boolean; setOn: string | null }> {
    const ids = path.split('/').filter(Boolean);
    const rows: { id: string; own: boolean | null }[] = await this.ds.query(`SELECT id, trade_union_route AS own FROM org_units WHERE id = ANY($1::uuid[])`, [ids]);
    const own = new Map(rows.map((r) => [r.id, r.own]));
    const { value, setOn } = settingInForce(ids.map((id) => ({ id, own: own.get(id) ?? null })), TRADE_UNION_ROUTE_DEFAULT);
    return { allowed: value, setOn };
  }

  /** Sets (or, with null, clears to inherit) a unit's own trade-union route setting. */
  async setTradeUnionRoute(id: string, allowed: boolean | null): Promise<void> {
    await this.ds.query(`UPDATE org_units SET trade_union_route = $2 WHERE id = $1`, [id, allowed]);
  }

  /** Merged into another unit or dissolved (issue 16, reorganisation): kept for the history, closed to new cases and units. */
  async isDissolved(id: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM org_units WHERE id = $1 AND dissolved_at IS NOT NULL`, [id]);
    return rows.length > 0;
  }

  async get(id: string): Promise<OrgUnit | undefined> {
    const rows = await this.ds.query(`SELECT ${COLS} FROM org_units WHERE id = $1`, [id]);
    return rows[0];
  }

  /** One page of the tree in path order (a parent before its children), optionally one unit's children only. */
  async list(page: { limit: number; offset: number; parentId?: string }): Promise<{ items: OrgUnit[]; total: number }> {
    // A merged or dissolved unit (issue 16, reorganisation) stays for the history but leaves the tree.
    const where = `WHERE ($1::uuid IS NULL OR parent_id = $1) AND dissolved_at IS NULL`;
    const [items, [{ total }]] = await Promise.all([
      this.ds.query(`SELECT ${COLS} FROM org_units ${where} ORDER BY path LIMIT $2 OFFSET $3`, [page.parentId ?? null, page.limit, page.offset]),
      this.ds.query(`SELECT count(*)::int AS total FROM org_units ${where}`, [page.parentId ?? null]),
    ]);
    return { items, total };
  }

  /** The cells (cells and grassroots cells) of a unit's subtree, the unit itself included, in tree order. */
  async cellsUnder(path: string): Promise<OrgUnit[]> {
    return this.ds.query(`SELECT ${COLS} FROM org_units WHERE left(path, length($1)) = $1 AND kind IN ('cell', 'grassroots_cell') ORDER BY path`, [path]);
  }

  /** The candidate's units for a cell (see routingOfCell). */
  async routingOf(cell: OrgUnit): Promise<Routing | undefined> {
    return routingOfCell(this.ds, cell);
  }

  async children(parentId: string, kind?: OrgUnitKind): Promise<OrgUnit[]> {
    return kind
      ? this.ds.query(`SELECT ${COLS} FROM org_units WHERE parent_id = $1 AND kind = $2 ORDER BY created_at`, [parentId, kind])
      : this.ds.query(`SELECT ${COLS} FROM org_units WHERE parent_id = $1 ORDER BY created_at`, [parentId]);
  }
}

import type { DataSource, EntityManager } from 'typeorm';
import type { OrgUnitKind, Routing } from '../../../domain/src/procedure.js';
import { rebasePath } from '../../../domain/src/reorganisation.js';

type Db = Pick<DataSource | EntityManager, 'query'>;

export interface OrgUnitState {
  id: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
  dissolvedAt: string | null;
  successorId: string | null;
}

/** A grant that a reorganisation moved to another unit (`to`) or removed (`to: null`). */
export interface GrantChange {
  userId: string;
  role: string;
  from: string;
  to: string | null;
}

const COLS = `id, name, kind, parent_id AS "parentId", path, dissolved_at AS "dissolvedAt", successor_id AS "successorId"`;

/**
 * The writes of a reorganisation of the org tree (issue 16), each inside the caller's transaction: one
 * reorganisation at a time (an advisory lock), the units read `FOR UPDATE`, a subtree's paths rewritten in one
 * statement, grants moved or removed with what changed returned for the log.
 */
export class OrgReorganisationRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('ketnap:org-reorganisation'))`);
      return fn(m);
    });
  }

  async get(id: string, db: Db = this.ds, forUpdate = false): Promise<OrgUnitState | undefined> {
    const rows = await db.query(`SELECT ${COLS} FROM org_units WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
    return rows[0];
  }

  /** Names of units by id (dissolved ones included: the history names the units as they were). */
  async names(ids: string[], db: Db = this.ds): Promise<Record<string, string>> {
    const rows: { id: string; name: string }[] = ids.length ? await db.query(`SELECT id, name FROM org_units WHERE id = ANY($1::uuid[])`, [ids]) : [];
    return Object.fromEntries(rows.map((r) => [r.id, r.name]));
  }

  async children(m: Db, parentId: string): Promise<OrgUnitState[]> {
    return m.query(`SELECT ${COLS} FROM org_units WHERE parent_id = $1 AND dissolved_at IS NULL ORDER BY created_at`, [parentId]);
  }

  /** The ids of a unit's subtree, the unit itself included. */
  async subtreeIds(m: Db, path: string): Promise<string[]> {
    const rows: { id: string }[] = await m.query(`SELECT id FROM org_units WHERE left(path, length($1)) = $1`, [path]);
    return rows.map((r) => r.id);
  }

  async rename(m: Db, id: string, name: string): Promise<void> {
    await m.query(`UPDATE org_units SET name = $2 WHERE id = $1`, [id, name]);
  }

  /** Moves a unit and its whole subtree under `parent` (null: to the top): every path rewritten in one statement. */
  async moveSubtree(m: Db, unit: OrgUnitState, parent: { id: string; path: string } | null): Promise<number> {
    const newRoot = `${parent?.path ?? '/'}${unit.id}/`;
    rebasePath(unit.path, unit.path, newRoot);
    await m.query(`UPDATE org_units SET parent_id = $2 WHERE id = $1`, [unit.id, parent?.id ?? null]);
    const r = await m.query(`UPDATE org_units SET path = $2 || substr(path, length($1) + 1) WHERE left(path, length($1)) = $1`, [unit.path, newRoot]);
    return Array.isArray(r) && typeof r[1] === 'number' ? r[1] : 0;
  }

  async markDissolved(m: Db, id: string, successorId: string | null): Promise<void> {
    await m.query(`UPDATE org_units SET dissolved_at = now(), successor_id = $2 WHERE id = $1`, [id, successorId]);
  }

  /** Moves every grant on `from` to `to` (a grant the user already holds there is dropped as a duplicate). */
  async moveGrants(m: Db, from: string, to: string): Promise<GrantChange[]> {
    const moved: { userId: string; role: string }[] = await m.query(
      `UPDATE user_roles r SET org_unit_id = $2
        WHERE r.org_unit_id = $1 AND NOT EXISTS (SELECT 1 FROM user_roles x WHERE x.user_id = r.user_id AND x.role = r.role AND x.org_unit_id = $2)
       RETURNING r.user_id AS "userId", r.role`,
      [from, to],
    ).then((r) => rows<{ userId: string; role: string }>(r));
    const dropped = await this.removeGrants(m, from);
    return [...moved.map((g) => ({ ...g, from, to })), ...dropped.map((g) => ({ ...g, to }))];
  }

  /** Removes every grant on a unit. */
  async removeGrants(m: Db, unitId: string): Promise<GrantChange[]> {
    const removed: { userId: string; role: string }[] = await m.query(`DELETE FROM user_roles WHERE org_unit_id = $1 RETURNING user_id AS "userId", role`, [unitId]).then((r) => rows<{ userId: string; role: string }>(r));
    return removed.map((g) => ({ ...g, from: unitId, to: null }));
  }

  /**
   * A case's units after a reorganisation, resolved from the tree as CandidatesService.routingFor does at
   * creation: its cell (or the cell a merged one went into), the cell's grassroots organisation, the superior
   * above it, the province above that, the superior's (or province's) training centre. Undefined when the tree
   * no longer gives a complete route (the caller reports the case).
   */
  async routingForCell(cellId: string): Promise<Routing | undefined> {
    let cell = await this.get(cellId);
    for (let hops = 0; cell?.dissolvedAt && cell.successorId && hops < 20; hops++) cell = await this.get(cell.successorId);
    if (!cell || cell.dissolvedAt || (cell.kind !== 'cell' && cell.kind !== 'grassroots_cell')) return undefined;
    const grassroots = cell.kind === 'grassroots_cell' ? cell : cell.parentId ? await this.get(cell.parentId) : undefined;
    const superior = grassroots?.parentId ? await this.get(grassroots.parentId) : undefined;
    if (!grassroots || !superior || superior.kind !== 'superior') return undefined;
    const centreOf = async (id: string) => (await this.children(this.ds, id)).find((u) => u.kind === 'training_centre');
    let centre = await centreOf(superior.id);
    if (!centre && superior.parentId) centre = await centreOf(superior.parentId);
    const province = superior.parentId ? await this.get(superior.parentId) : undefined;
    return {
      cellId: cell.id,
      ...(province?.kind === 'province' ? { provinceId: province.id } : {}),
      grassrootsId: grassroots.id,
      grassrootsIsCell: cell.kind === 'grassroots_cell',
      superiorId: superior.id,
      trainingCentreId: centre?.id ?? superior.id,
    };
  }

  /** The case's routing as the read model holds it now (null for a case not found or ended). */
  async activeRouting(candidateId: string): Promise<{ routing: Record<string, any>; workflowId: string } | undefined> {
    const r = await this.ds.query(`SELECT routing, workflow_id AS "workflowId" FROM candidates WHERE id = $1 AND status = 'active'`, [candidateId]);
    return r[0];
  }
}

/** TypeORM answers an UPDATE/DELETE … RETURNING as [rows, affected]. */
function rows<T>(r: any): T[] {
  return Array.isArray(r) && Array.isArray(r[0]) ? r[0] : r;
}

import type { DataSource, EntityManager } from 'typeorm';
import type { OrgUnitKind, Routing } from '../../../domain/src/procedure.js';
import { rebasePath } from '../../../domain/src/reorganisation.js';
import { routingOfCell } from './org-unit.repository.js';

type Db = Pick<DataSource | EntityManager, 'query'>;

export interface OrgUnitState {
  id: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
  dissolvedAt: string | null;
  successorId: string | null;
  authorisedToAdmit: boolean;
}

/** A grant that a reorganisation moved to another unit (`to`) or removed (`to: null`). */
export interface GrantChange {
  userId: string;
  role: string;
  from: string;
  to: string | null;
}

/** A unit's own per-unit settings (issue 16 and §2.3): null inherits from the unit above. */
export interface UnitSettings {
  id: string;
  kind: OrgUnitKind;
  dossierFormsPolicy: 'warn' | 'require' | null;
  tradeUnionRoute: boolean | null;
}

/** One period's quota moved (`to`, with the successor's new `total`) or removed (`to: null`). */
export interface QuotaHandover {
  periodKind: string;
  period: string;
  quota: number;
  to: string | null;
  total: number | null;
}

/** The unit's members counted in `to` from `asOf` (`total`: `to`'s new count), the unit's own count closed at 0. */
export interface MembershipHandover {
  asOf: string;
  partyMembers: number;
  to: string | null;
  total: number | null;
}

/** The advisory lock of the org tree: exclusive for a reorganisation, shared for a case being created on it. */
export const REORGANISATION_LOCK = `hashtext('ketnap:org-reorganisation')`;

const COLS = `id, name, kind, parent_id AS "parentId", path, dissolved_at AS "dissolvedAt", successor_id AS "successorId", authorised_to_admit AS "authorisedToAdmit"`;

/**
 * The writes of a reorganisation of the org tree (issue 16), each inside the caller's transaction: one
 * reorganisation at a time (an advisory lock), the units read `FOR UPDATE`, a subtree's paths rewritten in one
 * statement, grants moved or removed with what changed returned for the log.
 */
export class OrgReorganisationRepository {
  constructor(private readonly ds: DataSource) {}

  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(${REORGANISATION_LOCK})`);
      return fn(m);
    });
  }

  /**
   * Runs `fn` while no reorganisation is in its transaction: the reorganisation lock in shared mode, so any
   * number of callers at once, each waiting for a reorganisation that holds it and holding the next one off
   * until `fn` is done (the lock is released with the transaction, also when the connection drops). `fn` reads
   * through `m`: the lock's own connection, so callers waiting on it never need a second one from the pool.
   */
  whileTreeSteady<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock_shared(${REORGANISATION_LOCK})`);
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

  /** A unit's own per-unit settings (null: it inherits). */
  async ownSettings(m: Db, ids: string[]): Promise<UnitSettings[]> {
    return ids.length
      ? m.query(`SELECT id, kind, dossier_forms_policy AS "dossierFormsPolicy", trade_union_route AS "tradeUnionRoute" FROM org_units WHERE id = ANY($1::uuid[])`, [ids])
      : [];
  }

  async setOwnSettings(m: Db, id: string, s: Pick<UnitSettings, 'dossierFormsPolicy' | 'tradeUnionRoute'>): Promise<void> {
    await m.query(`UPDATE org_units SET dossier_forms_policy = $2, trade_union_route = $3 WHERE id = $1`, [id, s.dossierFormsPolicy, s.tradeUnionRoute]);
  }

  /**
   * Moves a unit's admission quotas into `to`, a period's quota added to the one `to` already has; with `to`
   * null they are only removed (the share returns to the allocation it came from). Either way the unit holds
   * none afterwards: a dissolved unit keeps its `parent_id`, and its quota would count twice among its old
   * siblings'. Returns what was moved or removed.
   */
  async handOverQuotas(m: Db, from: string, to: string | null, setBy: string): Promise<QuotaHandover[]> {
    const r = await m.query(
      `WITH gone AS (DELETE FROM admission_quotas WHERE org_unit_id = $1 RETURNING period_kind, period, quota),
            added AS (INSERT INTO admission_quotas (org_unit_id, period_kind, period, quota, set_by)
                      SELECT $2::uuid, period_kind, period, quota, $3::uuid FROM gone WHERE $2::uuid IS NOT NULL
                      ON CONFLICT ON CONSTRAINT pk_admission_quotas
                      DO UPDATE SET quota = admission_quotas.quota + EXCLUDED.quota, set_by = EXCLUDED.set_by, set_at = now()
                      RETURNING period_kind, period, quota)
       SELECT g.period_kind AS "periodKind", g.period, g.quota, a.quota AS "total"
         FROM gone g LEFT JOIN added a ON a.period_kind = g.period_kind AND a.period = g.period
        ORDER BY g.period_kind, g.period`,
      [from, to, setBy],
    );
    return rows<{ periodKind: string; period: string; quota: number; total: number | null }>(r).map((q) => ({ ...q, to }));
  }

  /**
   * The unit's party members join `to` on `asOf`: `to`'s count on that date becomes its latest count plus the
   * unit's latest, and the unit's becomes 0 (earlier counts stay: the history of both is kept, and totals over
   * the tree count the members once from that date). Without `to`, only the unit's count closes at 0. Nothing
   * when the unit has no count above 0.
   */
  async handOverMembership(m: Db, from: string, to: string | null, asOf: string, by: string): Promise<MembershipHandover | null> {
    const latest = async (id: string): Promise<number | undefined> =>
      (await m.query(`SELECT party_members AS n FROM membership_counts WHERE org_unit_id = $1 AND as_of <= $2 ORDER BY as_of DESC LIMIT 1`, [id, asOf]))[0]?.n;
    const moved = await latest(from);
    if (!moved) return null;
    const set = (id: string, n: number) =>
      m.query(
        `INSERT INTO membership_counts (org_unit_id, as_of, party_members, recorded_by) VALUES ($1,$2,$3,$4)
         ON CONFLICT ON CONSTRAINT pk_membership_counts DO UPDATE SET party_members = EXCLUDED.party_members, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
        [id, asOf, n, by],
      );
    let total: number | null = null;
    if (to) {
      total = ((await latest(to)) ?? 0) + moved;
      await set(to, total);
    }
    await set(from, 0);
    return { asOf, partyMembers: moved, to, total };
  }

  /** The unit's places (hamlets, villages, schools) go to `to`, their snapshots with them. Returns their ids. */
  async handOverPlaces(m: Db, from: string, to: string): Promise<string[]> {
    const r = await m.query(`UPDATE places SET org_unit_id = $2, updated_at = now() WHERE org_unit_id = $1 RETURNING id`, [from, to]);
    return rows<{ id: string }>(r).map((p) => p.id);
  }

  /**
   * A training centre's classes go to the centre that takes it over (planned, running and finished: the
   * successor holds the records). Certificates keep the centre that issued them and its numbering.
   */
  async handOverClasses(m: Db, from: string, to: string): Promise<string[]> {
    const r = await m.query(`UPDATE training_classes SET org_unit_id = $2 WHERE org_unit_id = $1 RETURNING id`, [from, to]);
    return rows<{ id: string }>(r).map((c) => c.id);
  }

  /** Whether a grassroots committee is authorised to admit (the caller checked its kind). */
  async setAuthorisedToAdmit(m: Db, id: string, authorised: boolean): Promise<void> {
    await m.query(`UPDATE org_units SET authorised_to_admit = $2 WHERE id = $1`, [id, authorised]);
  }

  /**
   * A case's units after a reorganisation, resolved from the tree by the rule of a new case (routingOfCell): its
   * cell, or the cell a merged one went into. Undefined when the tree
   * no longer gives a complete route (the caller reports the case).
   */
  async routingForCell(cellId: string): Promise<Routing | undefined> {
    let cell = await this.get(cellId);
    for (let hops = 0; cell?.dissolvedAt && cell.successorId && hops < 20; hops++) cell = await this.get(cell.successorId);
    if (!cell || cell.dissolvedAt || (cell.kind !== 'cell' && cell.kind !== 'grassroots_cell')) return undefined;
    return routingOfCell(this.ds, cell);
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

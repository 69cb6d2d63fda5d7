import type { DataSource } from 'typeorm';

export type PeriodKind = 'year' | 'term';
export type PlaceKind = 'hamlet' | 'village' | 'residential_group' | 'school';

export interface QuotaRecord {
  orgUnitId: string;
  name: string;
  kind: string;
  parentId: string | null;
  periodKind: PeriodKind;
  period: string;
  quota: number | null;
  setAt: string | null;
}

export interface Place {
  id: string;
  name: string;
  kind: PlaceKind;
  orgUnitId: string;
  orgUnitPath: string;
  partyMembers: number;
  hasCell: boolean;
  active: boolean;
  updatedAt: string;
}

const PLACE_COLS = `p.id, p.name, p.kind, p.org_unit_id AS "orgUnitId", ou.path AS "orgUnitPath", p.party_members AS "partyMembers",
  p.has_cell AS "hasCell", p.active, p.updated_at AS "updatedAt"`;

/** Quotas (allocated downwards), membership counts by date, and places with their dated snapshots. */
export class PlanningRepository {
  constructor(private readonly ds: DataSource) {}

  /** A unit and its children with their quota for the period (null where none is set). */
  async quotas(orgUnitId: string, periodKind: PeriodKind, period: string): Promise<QuotaRecord[]> {
    return this.ds.query(
      `SELECT ou.id AS "orgUnitId", ou.name, ou.kind, ou.parent_id AS "parentId", $2::text AS "periodKind", $3::text AS period,
              q.quota, q.set_at AS "setAt"
         FROM org_units ou
         LEFT JOIN admission_quotas q ON q.org_unit_id = ou.id AND q.period_kind = $2 AND q.period = $3
        WHERE (ou.id = $1 OR (ou.parent_id = $1 AND ou.dissolved_at IS NULL)) AND ou.kind <> 'training_centre'
        ORDER BY ou.id = $1 DESC, ou.name`,
      [orgUnitId, periodKind, period],
    );
  }

  /**
   * Sets a quota after `check` accepted the figures read under a lock on the parent's allocation (an
   * advisory lock per parent and period), so two concurrent allocations cannot both fit in what is left.
   * `check` gets the parent's quota, the siblings' total and the unit's children's total; a refusal it
   * returns is handed back and nothing is written.
   */
  async setQuota<R>(
    p: { orgUnitId: string; parentId: string | null; periodKind: PeriodKind; period: string; quota: number; setBy: string },
    check: (f: { parentQuota: number | null; siblingsTotal: number; childrenTotal: number }) => R | null,
  ): Promise<R | null> {
    return this.ds.transaction(async (m) => {
      const lockKey = `${p.parentId ?? 'root'}:${p.periodKind}:${p.period}`;
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('quota:' || $1))`, [lockKey]);
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('quota:' || $1))`, [`${p.orgUnitId}:${p.periodKind}:${p.period}`]);
      const [f] = await m.query(
        `SELECT (SELECT quota FROM admission_quotas WHERE org_unit_id = $2 AND period_kind = $3 AND period = $4) AS "parentQuota",
                (SELECT coalesce(sum(q.quota), 0)::int FROM admission_quotas q JOIN org_units ou ON ou.id = q.org_unit_id
                  WHERE ou.parent_id = $2 AND ou.id <> $1 AND q.period_kind = $3 AND q.period = $4) AS "siblingsTotal",
                (SELECT coalesce(sum(q.quota), 0)::int FROM admission_quotas q JOIN org_units ou ON ou.id = q.org_unit_id
                  WHERE ou.parent_id = $1 AND q.period_kind = $3 AND q.period = $4) AS "childrenTotal"`,
        [p.orgUnitId, p.parentId, p.periodKind, p.period],
      );
      const refusal = check({ parentQuota: p.parentId ? f.parentQuota : null, siblingsTotal: p.parentId ? f.siblingsTotal : 0, childrenTotal: f.childrenTotal });
      if (refusal) return refusal;
      await m.query(
        `INSERT INTO admission_quotas (org_unit_id, period_kind, period, quota, set_by) VALUES ($1,$2,$3,$4,$5)
         ON CONFLICT ON CONSTRAINT pk_admission_quotas DO UPDATE SET quota = EXCLUDED.quota, set_by = EXCLUDED.set_by, set_at = now()`,
        [p.orgUnitId, p.periodKind, p.period, p.quota, p.setBy],
      );
      return null;
    });
  }

  async setMembership(orgUnitId: string, asOf: string, partyMembers: number, userId: string): Promise<void> {
    await this.ds.query(
      `INSERT INTO membership_counts (org_unit_id, as_of, party_members, recorded_by) VALUES ($1,$2,$3,$4)
       ON CONFLICT ON CONSTRAINT pk_membership_counts DO UPDATE SET party_members = EXCLUDED.party_members, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
      [orgUnitId, asOf, partyMembers, userId],
    );
  }

  /** Party members of each unit in the subtree on a date: each unit's latest count on or before it, summed per child of the root. */
  async membership(rootPath: string, asOf: string): Promise<{ total: number; units: { orgUnitId: string; asOf: string; partyMembers: number }[] }> {
    const units: { orgUnitId: string; asOf: string; partyMembers: number }[] = await this.ds.query(
      `SELECT DISTINCT ON (mc.org_unit_id) mc.org_unit_id AS "orgUnitId", to_char(mc.as_of, 'YYYY-MM-DD') AS "asOf", mc.party_members AS "partyMembers"
         FROM membership_counts mc JOIN org_units ou ON ou.id = mc.org_unit_id
        WHERE ou.path LIKE $1 || '%' AND mc.as_of <= $2
        ORDER BY mc.org_unit_id, mc.as_of DESC`,
      [rootPath, asOf],
    );
    return { total: units.reduce((s, u) => s + u.partyMembers, 0), units };
  }

  async createPlace(p: { name: string; kind: PlaceKind; orgUnitId: string; partyMembers: number; hasCell: boolean; asOf: string; userId: string }): Promise<string> {
    return this.ds.transaction(async (m) => {
      const [{ id }] = await m.query(
        `INSERT INTO places (name, kind, org_unit_id, party_members, has_cell) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
        [p.name, p.kind, p.orgUnitId, p.partyMembers, p.hasCell],
      );
      await m.query(`INSERT INTO place_snapshots (place_id, as_of, party_members, has_cell, active, recorded_by) VALUES ($1,$2,$3,$4,true,$5)`, [id, p.asOf, p.partyMembers, p.hasCell, p.userId]);
      return id as string;
    });
  }

  /** Changes a place and records its state on `asOf` (the latest change on a date wins for that date). */
  async updatePlace(id: string, p: { name?: string; partyMembers?: number; hasCell?: boolean; active?: boolean; asOf: string; userId: string }): Promise<void> {
    await this.ds.transaction(async (m) => {
      const [[row]] = await m.query(
        `UPDATE places SET name = coalesce($2, name), party_members = coalesce($3, party_members), has_cell = coalesce($4, has_cell),
                active = coalesce($5, active), updated_at = now()
          WHERE id = $1 RETURNING party_members, has_cell, active`,
        [id, p.name ?? null, p.partyMembers ?? null, p.hasCell ?? null, p.active ?? null],
      );
      await m.query(
        `INSERT INTO place_snapshots (place_id, as_of, party_members, has_cell, active, recorded_by) VALUES ($1,$2,$3,$4,$5,$6)
         ON CONFLICT ON CONSTRAINT pk_place_snapshots DO UPDATE SET party_members = EXCLUDED.party_members, has_cell = EXCLUDED.has_cell,
           active = EXCLUDED.active, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
        [id, p.asOf, row.party_members, row.has_cell, row.active, p.userId],
      );
    });
  }

  async place(id: string): Promise<Place | undefined> {
    const rows = await this.ds.query(`SELECT ${PLACE_COLS} FROM places p JOIN org_units ou ON ou.id = p.org_unit_id WHERE p.id = $1`, [id]);
    return rows[0];
  }

  async places(rootPath: string, includeInactive: boolean, page: { limit: number; offset: number }): Promise<{ items: Place[]; total: number }> {
    const where = `FROM places p JOIN org_units ou ON ou.id = p.org_unit_id WHERE ou.path LIKE $1 || '%' AND ($2 OR p.active)`;
    const [items, [{ total }]] = await Promise.all([
      this.ds.query(`SELECT ${PLACE_COLS} ${where} ORDER BY p.name, p.id LIMIT $3 OFFSET $4`, [rootPath, includeInactive, page.limit, page.offset]),
      this.ds.query(`SELECT count(*)::int AS total ${where}`, [rootPath, includeInactive]),
    ]);
    return { items, total };
  }

  async snapshots(placeId: string): Promise<{ asOf: string; partyMembers: number; hasCell: boolean; active: boolean }[]> {
    return this.ds.query(
      `SELECT to_char(as_of, 'YYYY-MM-DD') AS "asOf", party_members AS "partyMembers", has_cell AS "hasCell", active FROM place_snapshots WHERE place_id = $1 ORDER BY as_of`,
      [placeId],
    );
  }
}

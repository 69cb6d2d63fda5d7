import type { DataSource } from 'typeorm';

/** Counts of admissions in a period for one unit of the report (a child of the root, or the root itself). */
export interface AdmissionCounts {
  orgUnitId: string;
  admitted: number;
  women: number;
  ethnicMinority: number;
  youthUnion: number;
  religious: number;
  age30OrUnder: number;
  upperSecondaryOrAbove: number;
  collegeOrAbove: number;
}

export interface FunnelCounts {
  sources: number;
  sympathisers: number;
  certified: number;
  admitted: number;
  official: number;
  mdSympathisers: number | null;
  mdCertified: number | null;
  mdAdmitted: number | null;
  mdOfficial: number | null;
  inPeriod: { sources: number; sympathisers: number; certified: number; admitted: number; official: number };
}

export interface ReportUnit {
  id: string;
  name: string;
  kind: string;
  path: string;
}

// The SQL twins of isEthnicMinority / isReligious in libs/domain/src/reports.ts.
const ETHNIC_MINORITY = `(lower(c.ethnicity) NOT LIKE '%kinh%' AND lower(btrim(c.ethnicity)) <> 'việt')`;
const RELIGIOUS = `(c.religion IS NOT NULL AND lower(btrim(c.religion)) NOT IN ('', 'không', 'khong', 'none', 'không có'))`;
/** The child of the root a milestone row belongs to (the root itself for candidates of the root's own cell). */
const CHILD_OF_ROOT = `CASE WHEN m.unit_path = $1 THEN $2::text ELSE split_part(substr(m.unit_path, length($1) + 1), '/', 1) END`;

/**
 * The statistics reports, in SQL on the read model. Candidates are counted from candidate_milestones (one
 * row per candidate, kept by a trigger from the business history) so a report reads narrow indexed rows.
 */
export class ReportsRepository {
  constructor(private readonly ds: DataSource) {}

  /** The units a report breaks down into: the root's children (training centres aside). */
  async children(rootId: string): Promise<ReportUnit[]> {
    return this.ds.query(`SELECT id, name, kind, path FROM org_units WHERE parent_id = $1 AND kind <> 'training_centre' ORDER BY name, id`, [rootId]);
  }

  async admissions(root: ReportUnit, from: string, to: string): Promise<AdmissionCounts[]> {
    return this.ds.query(
      `SELECT ${CHILD_OF_ROOT} AS "orgUnitId",
              count(*)::int AS admitted,
              count(*) FILTER (WHERE c.gender = 'female')::int AS women,
              count(*) FILTER (WHERE ${ETHNIC_MINORITY})::int AS "ethnicMinority",
              count(*) FILTER (WHERE c.youth_union_member)::int AS "youthUnion",
              count(*) FILTER (WHERE ${RELIGIOUS})::int AS religious,
              count(*) FILTER (WHERE m.admitted_on < c.date_of_birth + interval '31 years')::int AS "age30OrUnder",
              count(*) FILTER (WHERE c.education IN ('upper_secondary','vocational','college','university','postgraduate'))::int AS "upperSecondaryOrAbove",
              count(*) FILTER (WHERE c.education IN ('college','university','postgraduate'))::int AS "collegeOrAbove"
         FROM candidate_milestones m JOIN candidates c ON c.id = m.candidate_id
        WHERE m.admitted_on BETWEEN $3 AND $4 AND m.unit_path LIKE $1 || '%'
        GROUP BY 1`,
      [root.path, root.id, from, to],
    );
  }

  /** How the admissions of the period split by education, professional qualification and occupation. */
  async composition(root: ReportUnit, from: string, to: string): Promise<{ dimension: string; value: string; count: number }[]> {
    return this.ds.query(
      `SELECT d.dimension, d.value, count(*)::int AS count
         FROM candidate_milestones m JOIN candidates c ON c.id = m.candidate_id
         CROSS JOIN LATERAL (VALUES ('education', c.education), ('professionalQualification', coalesce(c.professional_qualification, 'unknown')),
                                    ('occupation', coalesce(c.occupation, 'unknown'))) AS d(dimension, value)
        WHERE m.admitted_on BETWEEN $2 AND $3 AND m.unit_path LIKE $1 || '%'
        GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`,
      [root.path, from, to],
    );
  }

  /** Quotas of the given units for a set of periods of one kind, summed per unit. */
  async quotas(unitIds: string[], periodKind: string, periods: string[]): Promise<Map<string, number>> {
    const rows: { id: string; quota: number }[] = await this.ds.query(
      `SELECT org_unit_id AS id, sum(quota)::int AS quota FROM admission_quotas
        WHERE org_unit_id = ANY($1::uuid[]) AND period_kind = $2 AND period = ANY($3::text[]) GROUP BY org_unit_id`,
      [unitIds, periodKind, periods],
    );
    return new Map(rows.map((r) => [r.id, r.quota]));
  }

  /** Party members on a date (each unit's latest count on or before it) summed per child of the root. */
  async membershipByChild(root: ReportUnit, asOf: string): Promise<Map<string, number>> {
    const rows: { id: string; members: number }[] = await this.ds.query(
      `SELECT CASE WHEN x.path = $1 THEN $2::text ELSE split_part(substr(x.path, length($1) + 1), '/', 1) END AS id, sum(x.party_members)::int AS members
         FROM (SELECT DISTINCT ON (mc.org_unit_id) ou.path, mc.party_members
                 FROM membership_counts mc JOIN org_units ou ON ou.id = mc.org_unit_id
                WHERE ou.path LIKE $1 || '%' AND mc.as_of <= $3
                ORDER BY mc.org_unit_id, mc.as_of DESC) x
        GROUP BY 1`,
      [root.path, root.id, asOf],
    );
    return new Map(rows.map((r) => [r.id, r.members]));
  }

  /**
   * The pipeline of the candidates introduced in the period (a cohort): how many reached each step so far and
   * the median days from the step before; plus how many reached each step within the period, whoever they are.
   */
  async funnel(root: ReportUnit, from: string, to: string): Promise<FunnelCounts> {
    const [cohort] = await this.ds.query(
      `SELECT count(*)::int AS sources, count(sympathiser_on)::int AS sympathisers, count(certified_on)::int AS certified,
              count(admitted_on)::int AS admitted, count(official_on)::int AS official,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY sympathiser_on - introduced_on) AS "mdSympathisers",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY certified_on - sympathiser_on) AS "mdCertified",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY admitted_on - certified_on) AS "mdAdmitted",
              percentile_cont(0.5) WITHIN GROUP (ORDER BY official_on - admitted_on) AS "mdOfficial"
         FROM candidate_milestones m
        WHERE m.introduced_on BETWEEN $2 AND $3 AND m.unit_path LIKE $1 || '%'`,
      [root.path, from, to],
    );
    const [period] = await this.ds.query(
      `SELECT count(*) FILTER (WHERE introduced_on BETWEEN $2 AND $3)::int AS sources,
              count(*) FILTER (WHERE sympathiser_on BETWEEN $2 AND $3)::int AS sympathisers,
              count(*) FILTER (WHERE certified_on BETWEEN $2 AND $3)::int AS certified,
              count(*) FILTER (WHERE admitted_on BETWEEN $2 AND $3)::int AS admitted,
              count(*) FILTER (WHERE official_on BETWEEN $2 AND $3)::int AS official
         FROM candidate_milestones m
        WHERE m.unit_path LIKE $1 || '%'
          AND (introduced_on BETWEEN $2 AND $3 OR sympathiser_on BETWEEN $2 AND $3 OR certified_on BETWEEN $2 AND $3
               OR admitted_on BETWEEN $2 AND $3 OR official_on BETWEEN $2 AND $3)`,
      [root.path, from, to],
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return {
      ...cohort,
      mdSympathisers: num(cohort.mdSympathisers),
      mdCertified: num(cohort.mdCertified),
      mdAdmitted: num(cohort.mdAdmitted),
      mdOfficial: num(cohort.mdOfficial),
      inPeriod: period,
    };
  }

  /** Every grassroots organisation in the subtree with the number it admitted in the period. */
  async grassrootsAdmissions(root: ReportUnit, from: string, to: string): Promise<{ orgUnitId: string; name: string; kind: string; admitted: number }[]> {
    return this.ds.query(
      `SELECT g.id AS "orgUnitId", g.name, g.kind,
              (SELECT count(*) FROM candidate_milestones m WHERE m.grassroots_id = g.id AND m.admitted_on BETWEEN $2 AND $3)::int AS admitted
         FROM org_units g
        WHERE g.path LIKE $1 || '%' AND g.kind IN ('grassroots_committee', 'grassroots_cell')
        ORDER BY g.name, g.id`,
      [root.path, from, to],
    );
  }

  /** Open tasks past their due time in the subtree, by the unit that has to act and the step. */
  async overdue(root: ReportUnit, nowIso: string): Promise<{ orgUnitId: string; name: string; kind: string; taskType: string; overdue: number; oldestDueDate: string }[]> {
    return this.ds.query(
      `SELECT ou.id AS "orgUnitId", ou.name, ou.kind, t.type AS "taskType", count(*)::int AS overdue, to_char(min(t.due_date), 'YYYY-MM-DD') AS "oldestDueDate"
         FROM tasks t JOIN org_units ou ON ou.id = t.org_unit_id
        WHERE t.status = 'open' AND t.due_at < $2::timestamptz AND ou.path LIKE $1 || '%'
        GROUP BY ou.id, ou.name, ou.kind, t.type
        ORDER BY count(*) DESC, ou.name, t.type`,
      [root.path, nowIso],
    );
  }

  /** Each place of the subtree as it stood on a date (its latest snapshot on or before it); places created later are absent. */
  async placesAsOf(root: ReportUnit, asOf: string): Promise<{ id: string; name: string; kind: string; orgUnitId: string; partyMembers: number; hasCell: boolean }[]> {
    return this.ds.query(
      `SELECT p.id, p.name, p.kind, p.org_unit_id AS "orgUnitId", s.party_members AS "partyMembers", s.has_cell AS "hasCell"
         FROM places p JOIN org_units ou ON ou.id = p.org_unit_id
         JOIN LATERAL (SELECT party_members, has_cell, active FROM place_snapshots WHERE place_id = p.id AND as_of <= $2 ORDER BY as_of DESC LIMIT 1) s ON s.active
        WHERE ou.path LIKE $1 || '%'
        ORDER BY p.name, p.id`,
      [root.path, asOf],
    );
  }

  /** Admissions in the period per place (where the candidate lives or works). */
  async admissionsByPlace(root: ReportUnit, from: string, to: string): Promise<Map<string, number>> {
    const rows: { id: string; n: number }[] = await this.ds.query(
      `SELECT c.place_id AS id, count(*)::int AS n FROM candidate_milestones m JOIN candidates c ON c.id = m.candidate_id
        WHERE m.admitted_on BETWEEN $2 AND $3 AND m.unit_path LIKE $1 || '%' AND c.place_id IS NOT NULL GROUP BY c.place_id`,
      [root.path, from, to],
    );
    return new Map(rows.map((r) => [r.id, r.n]));
  }
}

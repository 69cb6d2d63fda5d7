import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reorganisation of the org tree (issue 16). A merged or dissolved unit is kept (tasks, events, jobs and
 * grants of the past name it) but marked `dissolved_at`, with the unit that took it over (`successor_id`: the
 * unit merged into, or the one that received a dissolved unit's children). Moving the cases is a durable job of
 * a fourth kind, `org_reorganisation` (its ID is the reorganisation's).
 */
export class OrgReorganisation1764860000000 implements MigrationInterface {
  name = 'OrgReorganisation1764860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_units ADD COLUMN dissolved_at timestamptz NULL`);
    await q.query(`ALTER TABLE org_units ADD COLUMN successor_id uuid NULL CONSTRAINT fk_org_units_successor REFERENCES org_units(id)`);
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT ck_jobs_kind`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT ck_jobs_kind CHECK (kind IN ('calendar_update','class_certify','candidate_import','org_reorganisation'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM jobs WHERE kind = 'org_reorganisation'`);
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT ck_jobs_kind`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT ck_jobs_kind CHECK (kind IN ('calendar_update','class_certify','candidate_import'))`);
    await q.query(`ALTER TABLE org_units DROP COLUMN IF EXISTS successor_id`);
    await q.query(`ALTER TABLE org_units DROP COLUMN IF EXISTS dissolved_at`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Admission quotas per org unit, per year and per congress term, and the party-member counts of org units
 * by date (so admissions can be set against the membership at the start of a period).
 */
export class QuotasAndMembership1764520000000 implements MigrationInterface {
  name = 'QuotasAndMembership1764520000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE admission_quotas (
      org_unit_id uuid NOT NULL CONSTRAINT fk_admission_quotas_unit REFERENCES org_units(id),
      period_kind text NOT NULL CONSTRAINT ck_admission_quotas_kind CHECK (period_kind IN ('year','term')),
      period text NOT NULL,
      quota int NOT NULL CONSTRAINT ck_admission_quotas_quota CHECK (quota >= 0),
      set_by uuid NULL,
      set_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_admission_quotas PRIMARY KEY (org_unit_id, period_kind, period)
    )`);
    await q.query(`CREATE TABLE membership_counts (
      org_unit_id uuid NOT NULL CONSTRAINT fk_membership_counts_unit REFERENCES org_units(id),
      as_of date NOT NULL,
      party_members int NOT NULL CONSTRAINT ck_membership_counts_members CHECK (party_members >= 0),
      recorded_by uuid NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_membership_counts PRIMARY KEY (org_unit_id, as_of)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS membership_counts`);
    await q.query(`DROP TABLE IF EXISTS admission_quotas`);
  }
}

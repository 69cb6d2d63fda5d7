import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the statistics need about a candidate beyond the eligibility facts (occupation, sector, professional
 * qualification, the place they live or work), and the places themselves — hamlets, villages, residential
 * groups, schools — with their party-member count and whether they have a cell, kept as dated snapshots
 * so the trend of places without members can be reported.
 */
export class PlacesAndAttributes1764510000000 implements MigrationInterface {
  name = 'PlacesAndAttributes1764510000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE places (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      kind text NOT NULL CONSTRAINT ck_places_kind CHECK (kind IN ('hamlet','village','residential_group','school')),
      org_unit_id uuid NOT NULL CONSTRAINT fk_places_unit REFERENCES org_units(id),
      party_members int NOT NULL DEFAULT 0 CONSTRAINT ck_places_members CHECK (party_members >= 0),
      has_cell boolean NOT NULL DEFAULT false,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_places_unit ON places (org_unit_id)`);
    // One row per place and date: the state on that date (the latest snapshot on or before a date is its state then).
    await q.query(`CREATE TABLE place_snapshots (
      place_id uuid NOT NULL CONSTRAINT fk_place_snapshots_place REFERENCES places(id),
      as_of date NOT NULL,
      party_members int NOT NULL,
      has_cell boolean NOT NULL,
      active boolean NOT NULL,
      recorded_by uuid NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_place_snapshots PRIMARY KEY (place_id, as_of)
    )`);

    await q.query(`ALTER TABLE candidates
      ADD COLUMN occupation text NULL,
      ADD COLUMN sector text NULL,
      ADD COLUMN professional_qualification text NULL,
      ADD COLUMN place_id uuid NULL CONSTRAINT fk_candidates_place REFERENCES places(id)`);
    await q.query(`CREATE INDEX ix_candidates_place ON candidates (place_id) WHERE place_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE candidates DROP COLUMN IF EXISTS place_id, DROP COLUMN IF EXISTS professional_qualification, DROP COLUMN IF EXISTS sector, DROP COLUMN IF EXISTS occupation`);
    await q.query(`DROP TABLE IF EXISTS place_snapshots`);
    await q.query(`DROP TABLE IF EXISTS places`);
  }
}

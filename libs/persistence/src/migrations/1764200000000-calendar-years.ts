import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Administrator-maintained working-day calendar data: one row per year and version, never overwritten. */
export class CalendarYears1764200000000 implements MigrationInterface {
  name = 'CalendarYears1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE calendar_years (
      year int NOT NULL,
      version int NOT NULL,
      data jsonb NOT NULL,
      source text NOT NULL,
      created_by uuid NULL CONSTRAINT fk_calendar_years_user REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT pk_calendar_years PRIMARY KEY (year, version)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS calendar_years`);
  }
}

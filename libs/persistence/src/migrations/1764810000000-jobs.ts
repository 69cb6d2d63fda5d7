import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Durable fan-out jobs (a calendar update told to every active case, a class's certificates applied to each
 * candidate's workflow): the job with its progress, and the list of its items fixed when it starts, each
 * marked once processed, so a job resumed after a crash skips what is done and its counts are exact.
 */
export class Jobs1764810000000 implements MigrationInterface {
  name = 'Jobs1764810000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE jobs (
      id uuid PRIMARY KEY,
      kind text NOT NULL CONSTRAINT ck_jobs_kind CHECK (kind IN ('calendar_update','class_certify')),
      status text NOT NULL DEFAULT 'running' CONSTRAINT ck_jobs_status CHECK (status IN ('running','succeeded','failed')),
      total int NOT NULL DEFAULT 0,
      done int NOT NULL DEFAULT 0,
      failed int NOT NULL DEFAULT 0,
      org_unit_id uuid NULL CONSTRAINT fk_jobs_unit REFERENCES org_units(id),
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz NULL,
      input jsonb NOT NULL,
      errors jsonb NOT NULL DEFAULT '[]'::jsonb,
      result jsonb NULL,
      CONSTRAINT ck_jobs_progress CHECK (done >= 0 AND failed >= 0 AND failed <= done AND done <= total)
    )`);
    await q.query(`CREATE INDEX ix_jobs_running ON jobs (created_at) WHERE status = 'running'`);
    await q.query(`CREATE TABLE job_items (
      job_id uuid NOT NULL CONSTRAINT fk_job_items_job REFERENCES jobs(id) ON DELETE CASCADE,
      seq int NOT NULL,
      item text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CONSTRAINT ck_job_items_status CHECK (status IN ('pending','done','failed')),
      outcome jsonb NULL,
      done_at timestamptz NULL,
      CONSTRAINT pk_job_items PRIMARY KEY (job_id, seq)
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS job_items`);
    await q.query(`DROP TABLE IF EXISTS jobs`);
  }
}

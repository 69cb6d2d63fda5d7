import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Imports of cases already under way (issue 16) run as durable jobs of a third kind, `candidate_import`: one
 * item per row of the file, each starting the candidate's workflow at its current stage.
 */
export class CandidateImportJobs1764840000000 implements MigrationInterface {
  name = 'CandidateImportJobs1764840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT ck_jobs_kind`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT ck_jobs_kind CHECK (kind IN ('calendar_update','class_certify','candidate_import'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM jobs WHERE kind = 'candidate_import'`);
    await q.query(`ALTER TABLE jobs DROP CONSTRAINT ck_jobs_kind`);
    await q.query(`ALTER TABLE jobs ADD CONSTRAINT ck_jobs_kind CHECK (kind IN ('calendar_update','class_certify'))`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A decode through the Temporal codec endpoint (/api/temporal-codec/decode) is a personal-data read that may
 * name no candidate (the Temporal UI does not say which workflow a payload came from): `pii_reads.candidate_id`
 * becomes nullable; such rows say what was decoded in `what`.
 */
export class PiiReadsCodec1764730000000 implements MigrationInterface {
  name = 'PiiReadsCodec1764730000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE pii_reads ALTER COLUMN candidate_id DROP NOT NULL`);
    await q.query(`CREATE INDEX ix_pii_reads_unattributed_at ON pii_reads (at) WHERE candidate_id IS NULL`);
  }

  /** Refused while rows without a candidate exist: the log is append-only, so they cannot be removed to go back. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_pii_reads_unattributed_at`);
    await q.query(`ALTER TABLE pii_reads ALTER COLUMN candidate_id SET NOT NULL`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log of personal-data reads is evidence like the history: PostgreSQL refuses UPDATE, DELETE and
 * TRUNCATE on `pii_reads` for every role (the same rule as `trg_candidate_events_append_only`); only a
 * superuser who switches triggers off can bypass it.
 */
export class PiiReadsAppendOnly1764700000000 implements MigrationInterface {
  name = 'PiiReadsAppendOnly1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION ketnap_pii_reads_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'pii_reads is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER trg_pii_reads_append_only BEFORE UPDATE OR DELETE ON pii_reads
      FOR EACH ROW EXECUTE FUNCTION ketnap_pii_reads_is_append_only()`);
    await q.query(`CREATE TRIGGER trg_pii_reads_no_truncate BEFORE TRUNCATE ON pii_reads
      FOR EACH STATEMENT EXECUTE FUNCTION ketnap_pii_reads_is_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON pii_reads FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS trg_pii_reads_no_truncate ON pii_reads`);
    await q.query(`DROP TRIGGER IF EXISTS trg_pii_reads_append_only ON pii_reads`);
    await q.query(`DROP FUNCTION IF EXISTS ketnap_pii_reads_is_append_only()`);
  }
}

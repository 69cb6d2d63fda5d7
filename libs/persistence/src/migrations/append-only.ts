import type { QueryRunner } from 'typeorm';

/**
 * Makes a table append-only for every role, its owner included: triggers refuse UPDATE, DELETE and TRUNCATE
 * (naming the table), and PUBLIC loses those privileges. Only a superuser who switches triggers off can bypass
 * it. Used by the migrations of the audit tables (pii_reads, security_events).
 */
export async function makeAppendOnly(q: QueryRunner, table: string): Promise<void> {
  await q.query(`CREATE OR REPLACE FUNCTION ketnap_table_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
    END $$`);
  await q.query(`CREATE TRIGGER trg_${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ketnap_table_is_append_only()`);
  await q.query(`CREATE TRIGGER trg_${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ketnap_table_is_append_only()`);
  await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM PUBLIC`);
}

export async function dropAppendOnly(q: QueryRunner, table: string): Promise<void> {
  await q.query(`DROP TRIGGER IF EXISTS trg_${table}_no_truncate ON ${table}`);
  await q.query(`DROP TRIGGER IF EXISTS trg_${table}_append_only ON ${table}`);
}

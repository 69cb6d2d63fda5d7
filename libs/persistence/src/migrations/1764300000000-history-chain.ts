import type { MigrationInterface, QueryRunner } from 'typeorm';
import { eventHash } from '../audit-chain.js';

/**
 * Tamper evidence for the business history: each event carries the hash of the previous one, and the table
 * is append-only in PostgreSQL itself (a trigger refuses UPDATE, DELETE and TRUNCATE for every role; only a
 * superuser who switches triggers off can bypass it, and the chain then shows it). Also records which
 * Temporal activity delivered each event, and who read a candidate's personal data.
 */
export class HistoryChain1764300000000 implements MigrationInterface {
  name = 'HistoryChain1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE candidate_events ADD COLUMN prev_hash text NULL, ADD COLUMN hash text NULL, ADD COLUMN temporal_ref jsonb NULL, ADD COLUMN recorded_on date NULL`);
    // Backfill the chain of events recorded before this migration, candidate by candidate, in order.
    const rows: any[] = await q.query(
      `SELECT candidate_id, seq, type, at, to_char(business_date, 'YYYY-MM-DD') AS business_date, actor, rule_set_id, data
         FROM candidate_events ORDER BY candidate_id, seq`,
    );
    let prev: string | null = null;
    let current = '';
    for (const r of rows) {
      if (r.candidate_id !== current) {
        current = r.candidate_id;
        prev = null;
      }
      const hash = eventHash(prev, {
        candidateId: r.candidate_id,
        seq: r.seq,
        type: r.type,
        at: new Date(r.at).toISOString(),
        businessDate: r.business_date,
        actor: r.actor,
        ruleSetId: r.rule_set_id,
        data: r.data,
      });
      await q.query(`UPDATE candidate_events SET prev_hash = $3, hash = $4 WHERE candidate_id = $1 AND seq = $2`, [r.candidate_id, r.seq, prev, hash]);
      prev = hash;
    }
    await q.query(`ALTER TABLE candidate_events ALTER COLUMN hash SET NOT NULL`);
    await q.query(`CREATE OR REPLACE FUNCTION ketnap_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'candidate_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`CREATE TRIGGER trg_candidate_events_append_only BEFORE UPDATE OR DELETE ON candidate_events
      FOR EACH ROW EXECUTE FUNCTION ketnap_history_is_append_only()`);
    await q.query(`CREATE TRIGGER trg_candidate_events_no_truncate BEFORE TRUNCATE ON candidate_events
      FOR EACH STATEMENT EXECUTE FUNCTION ketnap_history_is_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON candidate_events FROM PUBLIC`);

    await q.query(`CREATE TABLE pii_reads (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL CONSTRAINT fk_pii_reads_user REFERENCES users(id),
      candidate_id uuid NOT NULL CONSTRAINT fk_pii_reads_candidate REFERENCES candidates(id),
      what text NOT NULL,
      at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_pii_reads_candidate_at ON pii_reads (candidate_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS pii_reads`);
    await q.query(`DROP TRIGGER IF EXISTS trg_candidate_events_no_truncate ON candidate_events`);
    await q.query(`DROP TRIGGER IF EXISTS trg_candidate_events_append_only ON candidate_events`);
    await q.query(`DROP FUNCTION IF EXISTS ketnap_history_is_append_only()`);
    await q.query(`ALTER TABLE candidate_events DROP COLUMN IF EXISTS recorded_on, DROP COLUMN IF EXISTS temporal_ref, DROP COLUMN IF EXISTS hash, DROP COLUMN IF EXISTS prev_hash`);
  }
}

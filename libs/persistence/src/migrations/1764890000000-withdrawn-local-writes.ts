import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

/**
 * Withdrawal of projection writes whose workflow task never committed (issue 17, patch `local-projection-v1`).
 *
 * The projection runs as a local activity inside the workflow task that made the events, so its rows are in
 * PostgreSQL before Temporal has recorded that task. When the task is lost after the write (the worker killed,
 * the task timed out), Temporal runs it again and the same sequence numbers come back with other content (a
 * later workflow time, a signal that arrived in between). The history says which one happened: the later.
 *
 * - `candidate_events_withdrawn` keeps every withdrawn row exactly as it was (append-only, like the history):
 *   nothing written is ever lost, and an auditor sees what was withdrawn, when and for which write.
 * - `ketnap_withdraw_local_events(candidate, from_seq, for)` is the only way rows leave `candidate_events`: it
 *   copies the tail from `from_seq` on into the withdrawn table, then deletes it. It refuses when any row of that
 *   tail was not written by a local activity (`temporal_ref->>'local' = 'true'`: a row an ordinary activity
 *   wrote belongs to a committed workflow task), belongs to another workflow run than `for` (the write that
 *   replaces it), or was recorded more than WITHDRAWAL_WINDOW ago. SECURITY DEFINER: the application's role has no DELETE on the
 *   history (libs/persistence/src/roles.ts) and gets none.
 * - The history's trigger still refuses UPDATE, TRUNCATE and every DELETE of a row that is not local or has no
 *   identical copy (same candidate, seq and hash) in the withdrawn table, for every role, the owner included.
 * - The candidate's milestones (reports) are computed again from the events that remain, as the fold of
 *   1764530000000-candidate-milestones.ts does for new events.
 */
/**
 * How old a row may be and still be withdrawn. A lost workflow task is retried within seconds (its timeout is
 * 10 s); the window bounds what a compromised application role could take out of the history through this
 * function (and every row it takes out stays in the withdrawn table, which that role may only read).
 */
const WITHDRAWAL_WINDOW = '1 hour';

export class WithdrawnLocalWrites1764890000000 implements MigrationInterface {
  name = 'WithdrawnLocalWrites1764890000000';

  async up(q: QueryRunner): Promise<void> {
    const [{ schema }] = await q.query(`SELECT current_schema() AS schema`);
    const ident = `"${String(schema).replace(/"/g, '""')}"`;
    // The history's columns as they are (LIKE: names, types, NOT NULL), then when and for which write.
    await q.query(`CREATE TABLE candidate_events_withdrawn (
      LIKE candidate_events,
      withdrawn_at timestamptz NOT NULL DEFAULT now(),
      withdrawn_for jsonb NULL,
      CONSTRAINT fk_candidate_events_withdrawn_candidate FOREIGN KEY (candidate_id) REFERENCES candidates(id),
      CONSTRAINT pk_candidate_events_withdrawn PRIMARY KEY (candidate_id, seq, hash)
    )`);
    await makeAppendOnly(q, 'candidate_events_withdrawn');

    await q.query(`CREATE OR REPLACE FUNCTION ketnap_history_is_append_only() RETURNS trigger LANGUAGE plpgsql
      SET search_path = ${ident}, pg_temp AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND OLD.temporal_ref->>'local' = 'true' AND EXISTS (
             SELECT 1 FROM candidate_events_withdrawn w
              WHERE w.candidate_id = OLD.candidate_id AND w.seq = OLD.seq AND w.hash = OLD.hash) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'candidate_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);

    await q.query(`CREATE FUNCTION ketnap_withdraw_local_events(p_candidate uuid, p_from_seq int, p_for jsonb) RETURNS int
      LANGUAGE plpgsql SECURITY DEFINER SET search_path = ${ident}, pg_temp AS $$
      DECLARE n int;
      BEGIN
        PERFORM 1 FROM candidates WHERE id = p_candidate FOR UPDATE;
        IF EXISTS (SELECT 1 FROM candidate_events WHERE candidate_id = p_candidate AND seq >= p_from_seq
                     AND coalesce(temporal_ref->>'local', 'false') <> 'true') THEN
          RAISE EXCEPTION 'candidate % seq >= %: only rows a local activity wrote can be withdrawn', p_candidate, p_from_seq
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM candidate_events WHERE candidate_id = p_candidate AND seq >= p_from_seq
                     AND (temporal_ref->>'runId' IS DISTINCT FROM p_for->>'runId'
                          OR temporal_ref->>'workflowId' IS DISTINCT FROM p_for->>'workflowId')) THEN
          RAISE EXCEPTION 'candidate % seq >= %: only rows of the same workflow run as the write that replaces them can be withdrawn', p_candidate, p_from_seq
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF EXISTS (SELECT 1 FROM candidate_events WHERE candidate_id = p_candidate AND seq >= p_from_seq
                     AND recorded_at < now() - interval '${WITHDRAWAL_WINDOW}') THEN
          RAISE EXCEPTION 'candidate % seq >= %: rows recorded more than ${WITHDRAWAL_WINDOW} ago are not withdrawn', p_candidate, p_from_seq
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        INSERT INTO candidate_events_withdrawn (candidate_id, seq, type, at, business_date, actor, rule_set_id, data, recorded_at,
                                                prev_hash, hash, temporal_ref, recorded_on, withdrawn_for)
        SELECT candidate_id, seq, type, at, business_date, actor, rule_set_id, data, recorded_at, prev_hash, hash, temporal_ref, recorded_on, p_for
          FROM candidate_events WHERE candidate_id = p_candidate AND seq >= p_from_seq
        ON CONFLICT DO NOTHING;
        DELETE FROM candidate_events WHERE candidate_id = p_candidate AND seq >= p_from_seq;
        GET DIAGNOSTICS n = ROW_COUNT;
        UPDATE candidate_milestones m SET
               introduced_on = x.introduced_on, sympathiser_on = x.sympathiser_on, certified_on = x.certified_on,
               admitted_on = x.admitted_on, official_on = x.official_on, ended_on = x.ended_on, end_state = x.end_state
          FROM (SELECT min(coalesce((e.data->'source'->>'introducedOn')::date, e.business_date)) FILTER (WHERE e.type = 'candidate_created') AS introduced_on,
                       min(e.business_date) FILTER (WHERE e.type = 'decision_recorded' AND e.data->>'taskType' = 'recognize_sympathiser' AND e.data->>'outcome' = 'approve') AS sympathiser_on,
                       min(e.business_date) FILTER (WHERE e.type = 'decision_recorded' AND e.data->>'taskType' = 'record_training_certificate' AND e.data->>'outcome' = 'pass') AS certified_on,
                       min(e.business_date) FILTER (WHERE e.type = 'decision_recorded' AND e.data->>'taskType' = 'superior_admission_decision' AND e.data->>'outcome' = 'approve') AS admitted_on,
                       min((e.data->>'officialFrom')::date) FILTER (WHERE e.type = 'path_ended' AND e.data->>'endState' = 'official') AS official_on,
                       max(e.business_date) FILTER (WHERE e.type = 'path_ended') AS ended_on,
                       max(e.data->>'endState') FILTER (WHERE e.type = 'path_ended') AS end_state
                  FROM candidate_events e WHERE e.candidate_id = p_candidate) x
         WHERE m.candidate_id = p_candidate;
        RETURN n;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION ketnap_withdraw_local_events(uuid, int, jsonb) FROM PUBLIC`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION IF EXISTS ketnap_withdraw_local_events(uuid, int, jsonb)`);
    await q.query(`CREATE OR REPLACE FUNCTION ketnap_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'candidate_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await dropAppendOnly(q, 'candidate_events_withdrawn');
    await q.query(`DROP TABLE IF EXISTS candidate_events_withdrawn`);
  }
}

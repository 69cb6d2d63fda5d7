import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One row per candidate with the dates the reports count (introduced, listed as sympathiser, certified,
 * admitted by the superior's decision, official) and where the candidate sits in the org tree, kept by
 * PostgreSQL itself from the business history: a statement-level trigger folds each batch of inserted
 * candidate_events into it (so the projection code is unchanged and bulk loads cost one statement). Reports
 * over hundreds of thousands of candidates then read one narrow, indexed row per candidate instead of
 * searching the event history.
 */
export class CandidateMilestones1764530000000 implements MigrationInterface {
  name = 'CandidateMilestones1764530000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE candidate_milestones (
      candidate_id uuid PRIMARY KEY CONSTRAINT fk_candidate_milestones_candidate REFERENCES candidates(id),
      unit_path text NULL,
      grassroots_id uuid NULL,
      introduced_on date NULL,
      sympathiser_on date NULL,
      certified_on date NULL,
      admitted_on date NULL,
      official_on date NULL,
      ended_on date NULL,
      end_state text NULL
    )`);
    await q.query(`CREATE INDEX ix_candidate_milestones_admitted ON candidate_milestones (admitted_on, unit_path text_pattern_ops) WHERE admitted_on IS NOT NULL`);
    await q.query(`CREATE INDEX ix_candidate_milestones_introduced ON candidate_milestones (introduced_on, unit_path text_pattern_ops)`);
    await q.query(`CREATE INDEX ix_candidate_milestones_path ON candidate_milestones (unit_path text_pattern_ops)`);
    await q.query(`CREATE INDEX ix_candidate_milestones_grassroots ON candidate_milestones (grassroots_id, admitted_on)`);

    // The fold of a set of events (the transition table of one INSERT statement) into the milestones.
    const fold = (events: string) => `
      INSERT INTO candidate_milestones AS m (candidate_id, unit_path, grassroots_id, introduced_on, sympathiser_on, certified_on, admitted_on, official_on, ended_on, end_state)
      SELECT e.candidate_id,
             max(ou.path),
             max(c.routing->>'grassrootsId')::uuid,
             min(coalesce((e.data->'source'->>'introducedOn')::date, e.business_date)) FILTER (WHERE e.type = 'candidate_created'),
             min(e.business_date) FILTER (WHERE e.type = 'decision_recorded' AND e.data->>'taskType' = 'recognize_sympathiser' AND e.data->>'outcome' = 'approve'),
             min(e.business_date) FILTER (WHERE e.type = 'decision_recorded' AND e.data->>'taskType' = 'record_training_certificate' AND e.data->>'outcome' = 'pass'),
             min(e.business_date) FILTER (WHERE e.type = 'decision_recorded' AND e.data->>'taskType' = 'superior_admission_decision' AND e.data->>'outcome' = 'approve'),
             min((e.data->>'officialFrom')::date) FILTER (WHERE e.type = 'path_ended' AND e.data->>'endState' = 'official'),
             max(e.business_date) FILTER (WHERE e.type = 'path_ended'),
             max(e.data->>'endState') FILTER (WHERE e.type = 'path_ended')
        FROM ${events} e
        JOIN candidates c ON c.id = e.candidate_id
        JOIN org_units ou ON ou.id = c.cell_id
       WHERE e.type IN ('candidate_created', 'decision_recorded', 'path_ended')
       GROUP BY e.candidate_id
      ON CONFLICT (candidate_id) DO UPDATE SET
        unit_path = coalesce(m.unit_path, EXCLUDED.unit_path),
        grassroots_id = coalesce(m.grassroots_id, EXCLUDED.grassroots_id),
        introduced_on = coalesce(m.introduced_on, EXCLUDED.introduced_on),
        sympathiser_on = coalesce(m.sympathiser_on, EXCLUDED.sympathiser_on),
        certified_on = coalesce(m.certified_on, EXCLUDED.certified_on),
        admitted_on = coalesce(m.admitted_on, EXCLUDED.admitted_on),
        official_on = coalesce(m.official_on, EXCLUDED.official_on),
        ended_on = coalesce(EXCLUDED.ended_on, m.ended_on),
        end_state = coalesce(EXCLUDED.end_state, m.end_state)`;
    await q.query(`CREATE OR REPLACE FUNCTION ketnap_fold_milestones() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        ${fold('new_events')};
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER trg_candidate_events_milestones AFTER INSERT ON candidate_events
      REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION ketnap_fold_milestones()`);
    // The history recorded before this migration.
    await q.query(fold('candidate_events'));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS trg_candidate_events_milestones ON candidate_events`);
    await q.query(`DROP FUNCTION IF EXISTS ketnap_fold_milestones()`);
    await q.query(`DROP TABLE IF EXISTS candidate_milestones`);
  }
}

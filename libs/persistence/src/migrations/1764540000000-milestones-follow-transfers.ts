import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transferred candidate (chuyển sinh hoạt) is counted by the reports where they are now: when the
 * projection moves a candidate to another cell, their milestones row takes the new cell's place in the
 * tree and the new grassroots organisation.
 */
export class MilestonesFollowTransfers1764540000000 implements MigrationInterface {
  name = 'MilestonesFollowTransfers1764540000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE FUNCTION ketnap_milestones_follow_candidate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE candidate_milestones m
           SET unit_path = (SELECT path FROM org_units WHERE id = NEW.cell_id),
               grassroots_id = coalesce((NEW.routing->>'grassrootsId')::uuid, m.grassroots_id)
         WHERE m.candidate_id = NEW.id;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER trg_candidates_milestones_follow AFTER UPDATE OF cell_id, routing ON candidates
      FOR EACH ROW WHEN (OLD.cell_id IS DISTINCT FROM NEW.cell_id OR OLD.routing->>'grassrootsId' IS DISTINCT FROM NEW.routing->>'grassrootsId')
      EXECUTE FUNCTION ketnap_milestones_follow_candidate()`);
    // Candidates moved before this migration.
    await q.query(`UPDATE candidate_milestones m SET unit_path = ou.path, grassroots_id = coalesce((c.routing->>'grassrootsId')::uuid, m.grassroots_id)
      FROM candidates c JOIN org_units ou ON ou.id = c.cell_id
      WHERE c.id = m.candidate_id AND m.unit_path IS DISTINCT FROM ou.path`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS trg_candidates_milestones_follow ON candidates`);
    await q.query(`DROP FUNCTION IF EXISTS ketnap_milestones_follow_candidate()`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox reads the open tasks of each (unit, role) pair in the user's subtree, in due order: one index
 * range per pair. It replaces ix_tasks_open_unit_due (org_unit_id, due_at), whose lookups by unit it
 * also serves, so a projection still maintains one partial index of open tasks.
 */
export class InboxIndex1764600000000 implements MigrationInterface {
  name = 'InboxIndex1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX ix_tasks_open_unit_role_due ON tasks (org_unit_id, role, due_at) WHERE status = 'open'`);
    await q.query(`DROP INDEX IF EXISTS ix_tasks_open_unit_due`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS ix_tasks_open_unit_due ON tasks (org_unit_id, due_at) WHERE status = 'open'`);
    await q.query(`DROP INDEX IF EXISTS ix_tasks_open_unit_role_due`);
  }
}

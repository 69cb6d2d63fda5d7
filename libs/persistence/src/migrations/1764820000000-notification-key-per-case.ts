import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A reminder's key names a point in time (`2027-05-31:before:1`), the same for every case due that day: unique
 * per (user, key), the second case's reminder to the same approver was dropped as a duplicate of the first
 * (found by `npm run chaos`). A notification is now unique per user, case, task and key; a digest (no case,
 * no task) stays unique per user and key.
 */
export class NotificationKeyPerCase1764820000000 implements MigrationInterface {
  name = 'NotificationKeyPerCase1764820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT uq_notifications_user_key`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT uq_notifications_user_case_key UNIQUE NULLS NOT DISTINCT (user_id, candidate_id, task_id, dedupe_key)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications DROP CONSTRAINT uq_notifications_user_case_key`);
    await q.query(`ALTER TABLE notifications ADD CONSTRAINT uq_notifications_user_key UNIQUE (user_id, dedupe_key)`);
  }
}

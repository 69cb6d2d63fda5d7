import type { MigrationInterface, QueryRunner } from 'typeorm';

/** E-mail addresses for users, and the in-app notification feed (one row per user and reminder key). */
export class Notifications1764100000000 implements MigrationInterface {
  name = 'Notifications1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN email text NULL`);
    await q.query(`CREATE TABLE notifications (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL CONSTRAINT fk_notifications_user REFERENCES users(id) ON DELETE CASCADE,
      candidate_id uuid NULL CONSTRAINT fk_notifications_candidate REFERENCES candidates(id),
      task_id text NULL,
      kind text NOT NULL,
      dedupe_key text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      data jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      read_at timestamptz NULL,
      emailed_at timestamptz NULL,
      CONSTRAINT uq_notifications_user_key UNIQUE (user_id, dedupe_key)
    )`);
    await q.query(`CREATE INDEX ix_notifications_user_created ON notifications (user_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS notifications`);
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS email`);
  }
}

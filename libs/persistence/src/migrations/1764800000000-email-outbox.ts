import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The e-mail outbox on the notification feed: a row that needs an e-mail is `pending` until the worker's
 * sender claims it (`sending`, `email_claimed_at` set before the SMTP call), then `sent`; an SMTP error puts it
 * back to `pending` with a later `email_next_attempt_at` until `failed`; a claim never confirmed is `in_doubt`
 * (never resent by itself). Rows e-mailed before this migration are `sent`; the others stay without e-mail.
 */
export class EmailOutbox1764800000000 implements MigrationInterface {
  name = 'EmailOutbox1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications
      ADD COLUMN email_status text NULL CONSTRAINT ck_notifications_email_status CHECK (email_status IN ('pending', 'sending', 'sent', 'failed', 'in_doubt')),
      ADD COLUMN email_to text NULL,
      ADD COLUMN email_attempts integer NOT NULL DEFAULT 0,
      ADD COLUMN email_next_attempt_at timestamptz NULL,
      ADD COLUMN email_claimed_at timestamptz NULL,
      ADD COLUMN email_error text NULL`);
    await q.query(`UPDATE notifications SET email_status = 'sent' WHERE emailed_at IS NOT NULL`);
    await q.query(`CREATE INDEX ix_notifications_email_due ON notifications (email_next_attempt_at) WHERE email_status = 'pending'`);
    await q.query(`CREATE INDEX ix_notifications_email_claimed ON notifications (email_claimed_at) WHERE email_status = 'sending'`);
    await q.query(`CREATE INDEX ix_notifications_email_problems ON notifications (created_at DESC, id) WHERE email_status IN ('failed', 'in_doubt')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_notifications_email_problems`);
    await q.query(`DROP INDEX IF EXISTS ix_notifications_email_claimed`);
    await q.query(`DROP INDEX IF EXISTS ix_notifications_email_due`);
    await q.query(`ALTER TABLE notifications
      DROP COLUMN IF EXISTS email_error,
      DROP COLUMN IF EXISTS email_claimed_at,
      DROP COLUMN IF EXISTS email_next_attempt_at,
      DROP COLUMN IF EXISTS email_attempts,
      DROP COLUMN IF EXISTS email_to,
      DROP COLUMN IF EXISTS email_status`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the approvers' web app keeps on the server: each user's saved inbox filters, comments on a candidate,
 * and scanned forms attached to a candidate (the bytes in PostgreSQL, with their sha256).
 */
export class WebApp1764400000000 implements MigrationInterface {
  name = 'WebApp1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE saved_filters (
      id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT pk_saved_filters PRIMARY KEY,
      user_id uuid NOT NULL CONSTRAINT fk_saved_filters_user REFERENCES users(id) ON DELETE CASCADE,
      name text NOT NULL,
      query jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT uq_saved_filters_user_name UNIQUE (user_id, name)
    )`);
    await q.query(`CREATE TABLE candidate_comments (
      id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT pk_candidate_comments PRIMARY KEY,
      candidate_id uuid NOT NULL CONSTRAINT fk_candidate_comments_candidate REFERENCES candidates(id),
      author_id uuid NOT NULL CONSTRAINT fk_candidate_comments_author REFERENCES users(id),
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_candidate_comments_candidate ON candidate_comments (candidate_id, created_at, id)`);
    await q.query(`CREATE TABLE candidate_attachments (
      id uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT pk_candidate_attachments PRIMARY KEY,
      candidate_id uuid NOT NULL CONSTRAINT fk_candidate_attachments_candidate REFERENCES candidates(id),
      filename text NOT NULL,
      content_type text NOT NULL,
      kind text NULL,
      size int NOT NULL CONSTRAINT ck_candidate_attachments_size CHECK (size > 0),
      sha256 text NOT NULL,
      content bytea NOT NULL,
      uploaded_by uuid NOT NULL CONSTRAINT fk_candidate_attachments_uploader REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX ix_candidate_attachments_candidate ON candidate_attachments (candidate_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS candidate_attachments`);
    await q.query(`DROP TABLE IF EXISTS candidate_comments`);
    await q.query(`DROP TABLE IF EXISTS saved_filters`);
  }
}

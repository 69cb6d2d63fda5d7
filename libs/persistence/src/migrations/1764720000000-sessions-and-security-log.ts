import type { MigrationInterface, QueryRunner } from 'typeorm';
import { makeAppendOnly } from './append-only.js';

/**
 * Revocable sessions, login throttling shared by every API process, and the append-only security log.
 *
 * - `user_sessions`: one row per sign-in. The bearer token is a random value the client keeps; only its
 *   SHA-256 is stored, so nothing in the database can be replayed as a token and there is no signing key
 *   to steal (the former `jwt_secret` setting is deleted).
 * - `login_throttle`: failed sign-ins counted per account and per client address, with a lock that grows.
 * - `security_events`: sign-ins, failures, lockouts, sign-outs and every change to a user — who, when, what.
 *   Append-only like `candidate_events` (a trigger that names the table it guards).
 */
export class SessionsAndSecurityLog1764720000000 implements MigrationInterface {
  name = 'SessionsAndSecurityLog1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE user_sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL CONSTRAINT fk_user_sessions_user REFERENCES users(id) ON DELETE CASCADE,
      token_hash bytea NOT NULL CONSTRAINT uq_user_sessions_token UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz NULL,
      revoked_reason text NULL,
      client_address text NULL,
      user_agent text NULL
    )`);
    await q.query(`CREATE INDEX ix_user_sessions_user_live ON user_sessions (user_id) WHERE revoked_at IS NULL`);

    await q.query(`CREATE TABLE login_throttle (
      key text PRIMARY KEY,
      failures integer NOT NULL,
      last_failure_at timestamptz NOT NULL,
      locked_until timestamptz NULL,
      -- the lock as it was before the last attempt was counted: tells that attempt whether it came in behind one
      prev_locked_until timestamptz NULL
    )`);

    await q.query(`CREATE TABLE security_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      kind text NOT NULL,
      actor_id uuid NULL CONSTRAINT fk_security_events_actor REFERENCES users(id),
      subject_id uuid NULL CONSTRAINT fk_security_events_subject REFERENCES users(id),
      username text NULL,
      client_address text NULL,
      details jsonb NOT NULL DEFAULT '{}'
    )`);
    await q.query(`CREATE INDEX ix_security_events_at ON security_events (at)`);
    await q.query(`CREATE INDEX ix_security_events_subject_at ON security_events (subject_id, at)`);
    await makeAppendOnly(q, 'security_events');

    await q.query(`ALTER TABLE users ADD COLUMN password_changed_at timestamptz NULL, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
    // Tokens were HMAC-signed with a key kept here; sessions replace them, and the key must not stay readable.
    await q.query(`DELETE FROM app_settings WHERE key = 'jwt_secret'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN IF EXISTS password_changed_at, DROP COLUMN IF EXISTS updated_at`);
    await q.query(`DROP TABLE IF EXISTS security_events`);
    await q.query(`DROP TABLE IF EXISTS login_throttle`);
    await q.query(`DROP TABLE IF EXISTS user_sessions`);
  }
}

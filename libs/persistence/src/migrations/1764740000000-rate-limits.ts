import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-user counters of the heavy endpoints (replay, verify, exports), in fixed windows shared by every API process. */
export class RateLimits1764740000000 implements MigrationInterface {
  name = 'RateLimits1764740000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE rate_limit_hits (
      key text NOT NULL,
      window_start timestamptz NOT NULL,
      hits integer NOT NULL,
      CONSTRAINT pk_rate_limit_hits PRIMARY KEY (key, window_start)
    )`);
    await q.query(`CREATE INDEX ix_rate_limit_hits_window ON rate_limit_hits (window_start)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS rate_limit_hits`);
  }
}

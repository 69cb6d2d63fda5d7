import type { DataSource } from 'typeorm';

export type IdempotencyBegin =
  | { state: 'new' }
  | { state: 'done'; statusCode: number; response: unknown }
  | { state: 'in_progress' }
  | { state: 'mismatch' };

/** Remembers the first answer to a request carrying an Idempotency-Key, per user. */
export class IdempotencyRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * `rerunAfterSeconds`: a request still unanswered after this long (its API process died mid-way) is taken over
   * by the retry — only for requests whose effect is itself keyed downstream, so running them again applies
   * nothing twice (a decision's Temporal update id, a job's workflow id, both derived from the key).
   */
  async begin(userId: string, key: string, requestHash: string, rerunAfterSeconds?: number): Promise<IdempotencyBegin> {
    const inserted = await this.ds.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, requestHash],
    );
    if (inserted.length) return { state: 'new' };
    const rows = await this.ds.query(`SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [userId, key]);
    const row = rows[0];
    if (!row) return this.begin(userId, key, requestHash, rerunAfterSeconds);
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    if (row.status_code === null) {
      if (rerunAfterSeconds === undefined) return { state: 'in_progress' };
      const [taken] = await this.ds.query(
        `WITH t AS (UPDATE idempotency_keys SET created_at = now() WHERE user_id = $1 AND key = $2 AND status_code IS NULL
                      AND created_at < now() - make_interval(secs => $3::float8) RETURNING key)
         SELECT count(*)::int AS n FROM t`,
        [userId, key, rerunAfterSeconds],
      );
      return taken.n > 0 ? { state: 'new' } : { state: 'in_progress' };
    }
    return { state: 'done', statusCode: row.status_code, response: row.response };
  }

  async finish(userId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.ds.query(`UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE user_id = $1 AND key = $2`, [
      userId,
      key,
      statusCode,
      JSON.stringify(response ?? null),
    ]);
  }

  /** Forgets a key whose request failed for a transient reason, so a retry runs again. */
  async abandon(userId: string, key: string): Promise<void> {
    await this.ds.query(`DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status_code IS NULL`, [userId, key]);
  }
}

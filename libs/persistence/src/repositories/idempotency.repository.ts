import type { DataSource } from 'typeorm';

export type IdempotencyBegin =
  | { state: 'new' }
  | { state: 'done'; statusCode: number; response: unknown }
  | { state: 'in_progress' }
  | { state: 'mismatch' };

/** Remembers the first answer to a request carrying an Idempotency-Key, per user. */
export class IdempotencyRepository {
  constructor(private readonly ds: DataSource) {}

  async begin(userId: string, key: string, requestHash: string): Promise<IdempotencyBegin> {
    const inserted = await this.ds.query(
      `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING RETURNING key`,
      [userId, key, requestHash],
    );
    if (inserted.length) return { state: 'new' };
    const rows = await this.ds.query(`SELECT request_hash, status_code, response FROM idempotency_keys WHERE user_id = $1 AND key = $2`, [userId, key]);
    const row = rows[0];
    if (!row) return this.begin(userId, key, requestHash);
    if (row.request_hash !== requestHash) return { state: 'mismatch' };
    if (row.status_code === null) return { state: 'in_progress' };
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

import type { DataSource } from 'typeorm';

export interface SavedFilterRow {
  id: string;
  name: string;
  query: Record<string, unknown>;
  createdAt: string;
}

const COLS = `id, name, query, created_at AS "createdAt"`;

/** Each user's saved inbox filters; a user sees and deletes only their own. */
export class SavedFilterRepository {
  constructor(private readonly ds: DataSource) {}

  async list(userId: string): Promise<SavedFilterRow[]> {
    return this.ds.query(`SELECT ${COLS} FROM saved_filters WHERE user_id = $1 ORDER BY lower(name), name, id`, [userId]);
  }

  /** Undefined when the user already has a filter with that name. */
  async insert(userId: string, name: string, query: Record<string, unknown>): Promise<SavedFilterRow | undefined> {
    const rows = await this.ds.query(
      `INSERT INTO saved_filters (user_id, name, query) VALUES ($1,$2,$3)
       ON CONFLICT ON CONSTRAINT uq_saved_filters_user_name DO NOTHING RETURNING ${COLS}`,
      [userId, name, JSON.stringify(query)],
    );
    return rows[0];
  }

  /** False when there is no such filter of this user. */
  async delete(userId: string, id: string): Promise<boolean> {
    const [, affected] = await this.ds.query(`DELETE FROM saved_filters WHERE id = $1 AND user_id = $2`, [id, userId]);
    return affected > 0;
  }
}

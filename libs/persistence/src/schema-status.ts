import { MIGRATIONS } from './migrations/index.js';
import type { Queryable } from './roles.js';

/**
 * The migrations this build knows that the database has not recorded as applied (empty: the schema is the
 * one the code expects). Readiness checks of the API and the worker use it; the app role may read the table.
 */
export async function pendingMigrations(q: Queryable): Promise<string[]> {
  const rows: { name: string }[] = await q.query(`SELECT name FROM typeorm_migrations`);
  const applied = new Set(rows.map((r) => r.name));
  return MIGRATIONS.map((m) => (new m() as { name?: string }).name ?? m.name).filter((n) => !applied.has(n));
}

import { DataSource } from 'typeorm';
import { MIGRATIONS } from './migrations/index.js';

/**
 * `statementTimeoutMs` (the app's connections: KETNAP_DB_STATEMENT_TIMEOUT_MS) makes PostgreSQL cancel any
 * statement running longer, so one pathological query cannot hold a connection and the pool; unset or 0:
 * no limit (migrations, tests' own connections).
 *
 * No entities: every query is SQL written in a repository (repositories/), and the schema is what the
 * migrations make (migrations/). Entity classes that no query read used to sit here and drifted from it.
 */
export function createDataSource(databaseUrl: string, opts: { poolSize?: number; statementTimeoutMs?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    migrations: MIGRATIONS,
    synchronize: false,
    migrationsRun: false,
    migrationsTableName: 'typeorm_migrations',
    poolSize: opts.poolSize ?? 10,
    applicationName: 'ketnap',
    // node-postgres sends it as a startup parameter of every connection of the pool.
    ...(opts.statementTimeoutMs ? { extra: { statement_timeout: opts.statementTimeoutMs } } : {}),
  });
}

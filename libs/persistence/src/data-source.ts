import { DataSource } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

/**
 * `statementTimeoutMs` (the app's connections: KETNAP_DB_STATEMENT_TIMEOUT_MS) makes PostgreSQL cancel any
 * statement running longer, so one pathological query cannot hold a connection and the pool; unset or 0:
 * no limit (migrations, tests' own connections).
 */
export function createDataSource(databaseUrl: string, opts: { poolSize?: number; statementTimeoutMs?: number } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
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

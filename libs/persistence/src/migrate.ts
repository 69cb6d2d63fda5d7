import { createDataSource } from './data-source.js';
import { APP_ROLE, grantAppRole } from './roles.js';

/**
 * Applies pending migrations as the owner (`databaseUrl`: KETNAP_MIGRATION_DATABASE_URL), then grants the
 * application's group role ketnap_app its privileges on every table, old and new (roles.ts). Returns the names applied.
 */
export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const ds = createDataSource(databaseUrl, { poolSize: 2 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`applied migration ${m.name}`);
    if (applied.length === 0) log('database schema is up to date');
    await grantAppRole(ds);
    log(`privileges of role ${APP_ROLE} granted`);
    return applied.map((m) => m.name);
  } finally {
    await ds.destroy();
  }
}

export async function revertLast(databaseUrl: string): Promise<void> {
  const ds = createDataSource(databaseUrl, { poolSize: 2 });
  await ds.initialize();
  try {
    await ds.undoLastMigration({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
}

import { createDataSource } from './data-source.js';

/** Applies pending migrations; returns the names applied. */
export async function migrate(databaseUrl: string, log: (line: string) => void = () => {}): Promise<string[]> {
  const ds = createDataSource(databaseUrl, { poolSize: 2 });
  await ds.initialize();
  try {
    const applied = await ds.runMigrations({ transaction: 'each' });
    for (const m of applied) log(`applied migration ${m.name}`);
    if (applied.length === 0) log('database schema is up to date');
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

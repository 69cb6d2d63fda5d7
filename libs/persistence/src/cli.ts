import { loadConfig } from '../../config/src/config.js';
import { migrate, revertLast } from './migrate.js';

/**
 * `node dist/libs/persistence/src/cli.js migrate|revert` — schema changes only through migrations, as the owner
 * (KETNAP_MIGRATION_DATABASE_URL, else DATABASE_URL); `migrate` also grants the app's role its privileges.
 */
async function main(): Promise<void> {
  const cmd = process.argv[2];
  const { migrationDatabaseUrl } = loadConfig();
  if (cmd === 'migrate') await migrate(migrationDatabaseUrl, (l) => console.log(`[migrate] ${l}`));
  else if (cmd === 'revert') await revertLast(migrationDatabaseUrl);
  else {
    console.error('usage: cli.js migrate|revert');
    process.exit(2);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

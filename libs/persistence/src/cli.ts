import { loadConfig } from '../../config/src/config.js';
import { migrate, revertLast } from './migrate.js';

/** `node dist/libs/persistence/src/cli.js migrate|revert` — schema changes only through migrations. */
async function main(): Promise<void> {
  const cmd = process.argv[2];
  const { databaseUrl } = loadConfig();
  if (cmd === 'migrate') await migrate(databaseUrl, (l) => console.log(`[migrate] ${l}`));
  else if (cmd === 'revert') await revertLast(databaseUrl);
  else {
    console.error('usage: cli.js migrate|revert');
    process.exit(2);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

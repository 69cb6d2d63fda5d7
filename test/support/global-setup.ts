/**
 * Jest global setup of the "system" project (runs once, in the jest parent process, before any
 * system test file):
 *
 *  - Temporal: unless TEMPORAL_ADDRESS is set, starts a fresh Temporal dev server
 *    (TEMPORAL_BIN, default <repo>/.tools/bin/temporal) on a free port with a fresh SQLite file
 *    .data/test/temporal-<timestamp>.sqlite, and sets TEMPORAL_ADDRESS.
 *  - PostgreSQL: requires DATABASE_URL (an admin URL of a server we may create databases on;
 *    `npm test` / infra/test.sh provides an embedded one). Creates a fresh database
 *    ketnap_test_<timestamp>_<pid> and runs the migrations on it as the admin (the tables' owner). Then a
 *    login role ketnap_test_<timestamp>_<pid>_app, member of ketnap_app (libs/persistence/src/roles.ts), for
 *    the system under test: DATABASE_URL names the database as that least-privileged role (so every API
 *    and worker the tests start runs as production does), KETNAP_MIGRATION_DATABASE_URL as the owner (what
 *    fixtures use for direct reads and writes), KETNAP_TEST_ADMIN_DATABASE_URL is the server's admin URL.
 *
 * Test files read the values through test/support/env.ts. global-teardown.ts stops the server and
 * drops the database and the login role (kept when KETNAP_KEEP_TEST_DB=1).
 *
 * How jest loads this file: jest requires global setup/teardown modules through a CommonJS require
 * hook (even in ESM mode), so @swc/jest compiles this file — and everything it imports — to
 * CommonJS, and jest's moduleNameMapper (`./x.js` → `./x.ts`) does not apply. installTsResolution()
 * supplies that mapping for relative imports; local modules are therefore imported dynamically,
 * after it ran.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface KetnapTestGlobals {
  temporal?: { address: string; external: boolean; stop(): Promise<void>; dbFile?: string };
  adminDatabaseUrl?: string;
  databaseName?: string;
  /** The run's login role (cluster-wide), dropped with the database. */
  appRole?: string;
}

declare global {
  var __KETNAP_TEST__: KetnapTestGlobals | undefined;
}

/**
 * When loaded as CommonJS: let `require('./x.js')` fall back to `./x.ts` (relative requests from
 * outside node_modules only, and only when the .js file does not exist). No-op under native ESM.
 */
export function installTsResolution(): void {
  if (typeof require === 'undefined') return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Module = require('node:module') as {
    _resolveFilename: (request: string, parent: { filename?: string | null } | undefined, ...rest: unknown[]) => string;
    __ketnapTsResolution?: boolean;
  };
  if (Module.__ketnapTsResolution) return;
  Module.__ketnapTsResolution = true;
  const original = Module._resolveFilename;
  Module._resolveFilename = function (this: unknown, request, parent, ...rest) {
    try {
      return original.call(this, request, parent, ...rest);
    } catch (e) {
      const fromOurCode = parent?.filename && !parent.filename.includes(`${path.sep}node_modules${path.sep}`);
      if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && fromOurCode && /^\.\.?\//.test(request) && request.endsWith('.js')) {
        return original.call(this, request.slice(0, -3) + '.ts', parent, ...rest);
      }
      throw e;
    }
  };
}

/**
 * Stops the Temporal dev server (removing its SQLite files) and drops the test database and its login
 * role; all kept when KETNAP_KEEP_TEST_DB=1. Used by global-teardown.ts and by a failed setup.
 */
export async function cleanUp(globals: KetnapTestGlobals, report: (message: string) => void): Promise<string[]> {
  const keep = process.env.KETNAP_KEEP_TEST_DB === '1';
  const problems: string[] = [];
  if (globals.temporal && !globals.temporal.external) {
    try {
      await globals.temporal.stop();
    } catch (e) {
      problems.push(`stopping Temporal: ${(e as Error).message}`);
    }
    const { dbFile } = globals.temporal;
    if (dbFile && keep) report(`kept the Temporal state ${dbFile} (KETNAP_KEEP_TEST_DB=1)`);
    else if (dbFile) for (const f of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) fs.rmSync(f, { force: true });
  }
  if (globals.adminDatabaseUrl && globals.databaseName) {
    if (keep) {
      report(`kept the test database ${globals.databaseName} (KETNAP_KEEP_TEST_DB=1)`);
    } else {
      try {
        const { dropDatabase } = await import('../../infra/src/postgres.js');
        await dropDatabase(globals.adminDatabaseUrl, globals.databaseName);
      } catch (e) {
        problems.push(`dropping database ${globals.databaseName}: ${(e as Error).message}`);
      }
    }
  }
  if (globals.adminDatabaseUrl && globals.appRole && !keep) {
    try {
      const { dropRole } = await import('../../infra/src/postgres.js');
      await dropRole(globals.adminDatabaseUrl, globals.appRole);
    } catch (e) {
      problems.push(`dropping role ${globals.appRole}: ${(e as Error).message}`);
    }
  }
  return problems;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes leftovers of earlier runs that were killed before their teardown: test databases named
 * ketnap_test_<stamp>_<pid> whose jest process is gone (local servers only, where the pid means
 * something; a plain DROP, which refuses databases still in use), their login roles
 * ketnap_test_<stamp>_<pid>_<word> (the app's, and those tests make), and such runs' SQLite files.
 */
async function pruneLeftovers(root: string, adminUrl: string, report: (message: string) => void): Promise<void> {
  const dir = path.join(root, '.data/test');
  for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const m = /^temporal-\d{14}-(\d+)\.sqlite(-wal|-shm|-journal)?$/.exec(f);
    if (m && Number(m[1]) !== process.pid && !pidAlive(Number(m[1]))) fs.rmSync(path.join(dir, f), { force: true });
  }
  const host = new URL(adminUrl).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) return;
  const { withClient } = await import('../../infra/src/postgres.js');
  await withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'ketnap\\_test\\_%'");
    for (const { datname } of rows) {
      const m = /^ketnap_test_\d{14}_(\d+)$/.exec(datname);
      if (!m || pidAlive(Number(m[1]))) continue;
      try {
        await client.query(`DROP DATABASE ${client.escapeIdentifier(datname)}`);
        report(`dropped ${datname}, left behind by an interrupted run`);
      } catch {
        /* in use or not ours to drop: leave it */
      }
    }
    const roles = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolname LIKE 'ketnap\\_test\\_%'");
    for (const { rolname } of roles.rows) {
      const m = /^ketnap_test_\d{14}_(\d+)_[a-z]+$/.exec(rolname);
      if (!m || pidAlive(Number(m[1]))) continue;
      try {
        await client.query(`DROP ROLE ${client.escapeIdentifier(rolname)}`);
        report(`dropped role ${rolname}, left behind by an interrupted run`);
      } catch {
        /* still owns or is granted something: leave it */
      }
    }
  });
}

function say(message: string) {
  process.stdout.write(`[system-tests] ${message}\n`);
}

/** Jest passes (globalConfig, projectConfig); only projectConfig.rootDir is used. */
export default async function globalSetup(_globalConfig?: unknown, projectConfig?: { rootDir?: string }): Promise<void> {
  installTsResolution();
  const root = projectConfig?.rootDir ?? process.cwd();
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').replace(/\..*$/, ''); // YYYYMMDDhhmmss
  const globals: KetnapTestGlobals = {};
  globalThis.__KETNAP_TEST__ = globals;

  // In jest watch mode this runs again in the same process, where DATABASE_URL already names the
  // previous (dropped) test database: the admin URL kept from the first run wins.
  const adminUrl = process.env.KETNAP_TEST_ADMIN_DATABASE_URL || process.env.DATABASE_URL;
  if (!adminUrl) {
    throw new Error(
      'System tests need PostgreSQL: set DATABASE_URL to a server where databases may be created ' +
        '(e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres), or run `npm test` (infra/test.sh), ' +
        'which starts an embedded PostgreSQL for the tests.',
    );
  }

  const { startTemporalDevServer, waitForTemporal, RECOMMENDED_SQLITE_PRAGMAS } = await import('../../infra/src/temporal-dev.js');
  const { findFreePort } = await import('../../infra/src/processes.js');
  const { ensureDatabase, ensureLoginRole, withCredentials, withDatabase, redactUrl } = await import('../../infra/src/postgres.js');

  try {
    // --- PostgreSQL (first: a wrong DATABASE_URL fails fast) -----------------------------------
    const dbName = `ketnap_test_${stamp}_${process.pid}`;
    try {
      if (process.env.KETNAP_KEEP_TEST_DB !== '1') await pruneLeftovers(root, adminUrl, say);
      await ensureDatabase(adminUrl, dbName);
    } catch (e) {
      throw new Error(`cannot create the test database on ${redactUrl(adminUrl)} (DATABASE_URL): ${(e as Error).message}`);
    }
    globals.adminDatabaseUrl = adminUrl;
    globals.databaseName = dbName;
    const ownerUrl = withDatabase(adminUrl, dbName);
    say(`PostgreSQL: fresh database ${redactUrl(ownerUrl)}`);

    const migrateStarted = Date.now();
    await (await import('../../libs/persistence/src/migrate.js')).migrate(ownerUrl);
    say(`PostgreSQL: migrations applied in ${Date.now() - migrateStarted} ms`);

    // The system under test connects as a least-privileged login role, as in production (README, Security).
    const { APP_ROLE } = await import('../../libs/persistence/src/roles.js');
    const appRole = `${dbName}_app`;
    const password = randomBytes(18).toString('base64url');
    globals.appRole = appRole;
    await ensureLoginRole(adminUrl, appRole, password, APP_ROLE);
    process.env.KETNAP_TEST_ADMIN_DATABASE_URL = adminUrl;
    process.env.KETNAP_MIGRATION_DATABASE_URL = ownerUrl;
    process.env.DATABASE_URL = withCredentials(ownerUrl, appRole, password);
    say(`PostgreSQL: the system under test connects as ${appRole} (member of ${APP_ROLE})`);

    // --- Temporal -------------------------------------------------------------------------------
    const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
    if (process.env.TEMPORAL_ADDRESS) {
      const address = process.env.TEMPORAL_ADDRESS;
      say(`Temporal: using the existing server TEMPORAL_ADDRESS=${address}`);
      await waitForTemporal(address, namespace, { timeoutMs: 30_000 });
      globals.temporal = { address, external: true, stop: async () => undefined };
    } else {
      const bin = process.env.TEMPORAL_BIN ?? path.join(root, '.tools/bin/temporal');
      if (!fs.existsSync(bin)) {
        throw new Error(`Temporal CLI not found at ${bin}: run \`bash infra/install-temporal.sh\`, set TEMPORAL_BIN, or set TEMPORAL_ADDRESS to a running server`);
      }
      const dbFile = path.join(root, '.data/test', `temporal-${stamp}-${process.pid}.sqlite`);
      const port = await findFreePort();
      const started = Date.now();
      globals.temporal = { address: `127.0.0.1:${port}`, external: false, dbFile, stop: async () => undefined };
      // The settings `npm run up` gives its server (SQLite in WAL mode).
      const temporal = await startTemporalDevServer({ bin, dbFile, port, namespace, headless: true, existingAddress: null, logName: 'test-temporal', sqlitePragmas: RECOMMENDED_SQLITE_PRAGMAS });
      globals.temporal = { address: temporal.address, external: false, dbFile, stop: () => temporal.stop() };
      process.env.TEMPORAL_ADDRESS = temporal.address;
      say(`Temporal: dev server ready at ${temporal.address} in ${Date.now() - started} ms (${path.relative(root, dbFile)})`);
    }
  } catch (e) {
    // Jest does not run the global teardown when the setup fails: clean up here.
    globalThis.__KETNAP_TEST__ = undefined;
    await cleanUp(globals, (m) => say(m)).catch(() => undefined);
    throw e;
  }
}

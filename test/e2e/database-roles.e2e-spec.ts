import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createApi } from '../../apps/api/src/bootstrap.js';
import { startWorker } from '../../apps/worker/src/run-worker.js';
import { loadConfig } from '../../libs/config/src/config.js';
import { createDataSource } from '../../libs/persistence/src/data-source.js';
import { migrate } from '../../libs/persistence/src/migrate.js';
import { APP_ROLE, AUDIT_TABLES, assertLeastPrivilegedRole, databaseRoleProblems } from '../../libs/persistence/src/roles.js';
import { withClient, withCredentials } from '../../infra/src/postgres.js';
import { adminDatabaseUrl, databaseUrl, ownerDatabaseUrl, temporalAddress } from '../support/env.js';
import { openDataSource, waitFor } from '../support/fixtures.js';
import { TestSystem } from '../support/system.js';

/**
 * The API and the worker run as a login role that is a member of ketnap_app (global-setup.ts makes one per run, as
 * infra/src/up.ts does for the demo): it reads and writes rows, but cannot change or remove the append-only history,
 * nor alter, drop or disable triggers on any table; and the apps refuse to start as a superuser or the tables' owner
 * unless KETNAP_DEV_DATABASE=true.
 */
const sys = new TestSystem();
let owner: DataSource;
let app: DataSource;
let auditTables: string[];
/** The admin role the tests' migrations ran as (the tables' owner): `postgres` in CI. */
let ownerRole: string;
/** Roles this file creates (cluster-wide), dropped at the end. */
const extraRoles: string[] = [];

beforeAll(async () => {
  await sys.start();
  owner = await openDataSource();
  app = sys.app.get(DataSource);
  ownerRole = (await owner.query(`SELECT current_user AS u`))[0].u;
  auditTables = (await owner.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename = ANY($1::text[]) ORDER BY 1`, [AUDIT_TABLES])).map((r: any) => r.tablename);
});

afterAll(async () => {
  await sys.stop();
  for (const role of extraRoles) {
    await owner.query(`DROP OWNED BY "${role}"`).catch(() => undefined);
    await withClient(adminDatabaseUrl(), (c) => c.query(`DROP ROLE IF EXISTS "${role}"`)).catch(() => undefined);
  }
  await owner?.destroy();
});

/** A login role of this run (named after the run's database, so an interrupted run's leftovers are pruned). */
async function loginRole(suffix: string, grants: (role: string) => string[]): Promise<DataSource> {
  const db = new URL(ownerDatabaseUrl()).pathname.slice(1);
  const role = `${db}_${suffix}`;
  const password = randomBytes(12).toString('hex');
  extraRoles.push(role);
  await withClient(adminDatabaseUrl(), async (c) => {
    await c.query(`CREATE ROLE "${role}" LOGIN PASSWORD '${password}'`);
  });
  for (const sql of grants(`"${role}"`)) await owner.query(sql);
  return createDataSource(withCredentials(ownerDatabaseUrl(), role, password), { poolSize: 1 }).initialize();
}

describe('the application database role', () => {
  it('is what the running API and worker connect as, and their ordinary writes work', async () => {
    const [who] = await app.query(`SELECT current_user AS "user", pg_has_role(current_user, $1, 'MEMBER') AS member, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS super`, [APP_ROLE]);
    expect(who).toEqual({ user: decodeURIComponent(new URL(databaseUrl()).username), member: true, super: false });
    expect(await databaseRoleProblems(app)).toEqual([]);

    // The worker appends history, the API logs a personal-data read: both inserts into append-only tables.
    const id = await sys.newCandidate(sys.users.secretary, 'Đỗ Thị Quyền');
    expect((await sys.users.secretary.get(`/api/candidates/${id}/history`)).status).toBe(200);
    const counts = await waitFor('the history and the read log', async () => {
      const [r] = await owner.query(`SELECT (SELECT count(*) FROM candidate_events WHERE candidate_id = $1)::int AS events, (SELECT count(*) FROM pii_reads WHERE candidate_id = $1)::int AS reads`, [id]);
      return r.events > 0 && r.reads > 0 ? r : undefined;
    });
    expect(counts.events).toBeGreaterThan(0);
  });

  it('may not UPDATE, DELETE or TRUNCATE the append-only tables, and rows stay', async () => {
    expect(auditTables).toEqual(expect.arrayContaining(['candidate_events', 'pii_reads']));
    const before = await owner.query(`SELECT (SELECT count(*) FROM candidate_events)::int AS e, (SELECT count(*) FROM pii_reads)::int AS p`);
    for (const t of auditTables) {
      await expect(app.query(`UPDATE ${t} SET at = at`)).rejects.toThrow(`permission denied for table ${t}`);
      await expect(app.query(`DELETE FROM ${t}`)).rejects.toThrow(`permission denied for table ${t}`);
      await expect(app.query(`TRUNCATE ${t} CASCADE`)).rejects.toThrow(`permission denied for table ${t}`);
      const [p] = await app.query(`SELECT has_table_privilege($1, 'SELECT') AS s, has_table_privilege($1, 'INSERT') AS i`, [t]);
      expect({ t, ...p }).toEqual({ t, s: true, i: true });
    }
    expect(await owner.query(`SELECT (SELECT count(*) FROM candidate_events)::int AS e, (SELECT count(*) FROM pii_reads)::int AS p`)).toEqual(before);
  });

  it('may not alter, drop or disable triggers on any table, create one, or switch triggers off for its session', async () => {
    for (const t of [...auditTables, 'candidates', 'users']) {
      await expect(app.query(`ALTER TABLE ${t} DISABLE TRIGGER ALL`)).rejects.toThrow(new RegExp(`must be owner of (table|relation) ${t}$`));
      await expect(app.query(`ALTER TABLE ${t} ADD COLUMN sneaky text`)).rejects.toThrow(new RegExp(`must be owner of (table|relation) ${t}$`));
      await expect(app.query(`DROP TABLE ${t} CASCADE`)).rejects.toThrow(new RegExp(`must be owner of (table|relation) ${t}$`));
    }
    await expect(app.query(`DROP TRIGGER trg_candidate_events_append_only ON candidate_events`)).rejects.toThrow(/must be owner of (table|relation) candidate_events$/);
    await expect(app.query(`CREATE TABLE sneaky (id int)`)).rejects.toThrow('permission denied for schema public');
    await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied to set parameter "session_replication_role"/);
    await expect(app.query(`DELETE FROM typeorm_migrations`)).rejects.toThrow('permission denied for table typeorm_migrations');
    const triggers = await owner.query(`SELECT tgname FROM pg_trigger WHERE tgrelid = 'candidate_events'::regclass AND tgenabled <> 'D' AND NOT tgisinternal`);
    expect(triggers.length).toBeGreaterThanOrEqual(2);
  });

  it('gets the grants on tables a later migration adds, and migrate re-grants idempotently', async () => {
    const table = `later_${randomBytes(4).toString('hex')}`;
    await owner.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text)`);
    try {
      // Default privileges: a table the owner creates is the app's to use at once.
      await app.query(`INSERT INTO ${table} VALUES (1, 'a')`);
      await app.query(`UPDATE ${table} SET note = 'b' WHERE id = 1`);
      await app.query(`DELETE FROM ${table} WHERE id = 1`);
      await expect(app.query(`TRUNCATE ${table}`)).rejects.toThrow(`permission denied for table ${table}`);

      // Someone grants too much by hand; the next migrate puts back exactly what the app needs.
      await owner.query(`GRANT ALL ON candidate_events, ${table} TO ${APP_ROLE}`);
      expect(await databaseRoleProblems(app)).toEqual([expect.stringContaining('may UPDATE, DELETE or TRUNCATE the append-only candidate_events')]);
      await migrate(ownerDatabaseUrl());
      await migrate(ownerDatabaseUrl());
      expect(await databaseRoleProblems(app)).toEqual([]);
      const [p] = await app.query(
        `SELECT has_table_privilege('candidate_events', 'UPDATE') AS "eventsUpdate", has_table_privilege('candidate_events', 'INSERT') AS "eventsInsert",
                has_table_privilege($1, 'UPDATE') AS "laterUpdate", has_table_privilege($1, 'TRUNCATE') AS "laterTruncate"`,
        [table],
      );
      expect(p).toEqual({ eventsUpdate: false, eventsInsert: true, laterUpdate: true, laterTruncate: false });
    } finally {
      await owner.query(`DROP TABLE ${table}`);
    }
  });
});

describe('the start-up check of the API and the worker', () => {
  const config = (env: Record<string, string> = {}) => ({
    ...loadConfig({ DATABASE_URL: ownerDatabaseUrl(), TEMPORAL_ADDRESS: temporalAddress(), KETNAP_TASK_QUEUE: `roles-${sys.tag}`, ...env }),
    port: 0,
  });

  it('refuses to start the API or the worker as a superuser that owns the tables', async () => {
    await expect(createApi(config(), { logger: false })).rejects.toThrow(`not least-privileged: "${ownerRole}" is a superuser; "${ownerRole}" owns the ketnap tables; "${ownerRole}" may UPDATE, DELETE or TRUNCATE the append-only ${auditTables.join(', ')}.`);
    await expect(createApi(config(), { logger: false })).rejects.toThrow(/On a development machine only, KETNAP_DEV_DATABASE=true allows it/);
    await expect(startWorker(config())).rejects.toThrow(/Refusing to start.*superuser/);
  });

  it('starts the API as a superuser with KETNAP_DEV_DATABASE=true, and warns', async () => {
    const api = await createApi(config({ KETNAP_DEV_DATABASE: 'true' }), { logger: false });
    try {
      await api.listen(0, '127.0.0.1');
      const res = await fetch(`http://127.0.0.1:${api.getHttpServer().address().port}/api/health`);
      expect(res.status).toBe(200);
    } finally {
      await api.close();
    }
    const warnings: string[] = [];
    await assertLeastPrivilegedRole(owner, true, (m) => warnings.push(m));
    expect(warnings).toEqual([expect.stringMatching(/^KETNAP_DEV_DATABASE=true: running with a privileged database role \(".+" is a superuser; ".+" owns the ketnap tables; .+\) — a development machine only, never production$/)]);
  });

  it('refuses a role that is a member of the owner, and one that may change the append-only tables', async () => {
    const member = await loginRole('member', (r) => [`GRANT "${ownerRole}" TO ${r}`]);
    const writer = await loginRole('writer', (r) => [`GRANT SELECT, INSERT, UPDATE ON candidate_events TO ${r}`]);
    try {
      // A member of the owner has the owner's privileges, hence also on the history.
      expect(await databaseRoleProblems(member)).toEqual([
        expect.stringMatching(new RegExp(`_member" is a member of the tables' owner "${ownerRole}"$`)),
        expect.stringMatching(new RegExp(`_member" may UPDATE, DELETE or TRUNCATE the append-only ${auditTables.join(', ')}$`)),
      ]);
      expect(await databaseRoleProblems(writer)).toEqual([expect.stringMatching(/may UPDATE, DELETE or TRUNCATE the append-only candidate_events$/)]);
      await expect(assertLeastPrivilegedRole(writer, false)).rejects.toThrow(/Refusing to start/);
      // CREATEROLE could grant itself the owner's role; server-file roles reach past the database.
      const creator = await loginRole('creator', (r) => [`GRANT ${APP_ROLE} TO ${r}`, `ALTER ROLE ${r} CREATEROLE`, `GRANT pg_write_server_files TO ${r}`]);
      try {
        expect(await databaseRoleProblems(creator)).toEqual([expect.stringMatching(/may create roles \(CREATEROLE\)$/), expect.stringMatching(/is a member of pg_write_server_files/)]);
      } finally {
        await creator.destroy();
      }
    } finally {
      await member.destroy();
      await writer.destroy();
    }
  });
});

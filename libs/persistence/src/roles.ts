/**
 * Database roles. Migrations run as the owner of the tables (KETNAP_MIGRATION_DATABASE_URL); the API and the
 * worker run as a login role that is a member of the NOLOGIN group role `ketnap_app` (DATABASE_URL), which may
 * read and write rows but owns nothing, so it cannot ALTER, DROP, disable triggers on or TRUNCATE any table, and
 * on the append-only tables may only SELECT and INSERT.
 */
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

/** The group role of the application. Roles are cluster-wide: every ketnap database on a server shares it. */
export const APP_ROLE = 'ketnap_app';

/**
 * Append-only evidence: the application may read and add rows, never change or remove them (a trigger refuses
 * it to every role as well). Tables not in the database (yet) are skipped. Add new append-only tables here.
 */
export const AUDIT_TABLES = ['candidate_events', 'pii_reads', 'security_events'] as const;

/**
 * Evidence only a SECURITY DEFINER function writes: the application may read it, nothing more (the rows a lost
 * workflow task wrote, kept when they are withdrawn: migration 1764890000000).
 */
export const DEFINER_WRITTEN_TABLES = ['candidate_events_withdrawn'] as const;

/**
 * SECURITY DEFINER functions the application may call (every other function keeps its default). The only one:
 * the withdrawal of projection rows whose workflow task never committed (migration 1764890000000).
 */
const APP_FUNCTIONS = ['ketnap_withdraw_local_events(uuid, int, jsonb)'] as const;

/** Read-only to the application: the migrations' own bookkeeping. */
const READ_ONLY_TABLES = ['typeorm_migrations'] as const;

/** A DataSource, an EntityManager or a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Creates the NOLOGIN group role unless it exists (roles are cluster-wide; concurrent creators are fine). */
export async function ensureAppRole(q: Queryable): Promise<void> {
  const found = await q.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [APP_ROLE]);
  if (found.length) return;
  try {
    await q.query(`CREATE ROLE ${ident(APP_ROLE)} NOLOGIN`);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === '42710' || code === '23505') return; // created meanwhile by another migrate on this server
    throw new Error(
      `cannot create the database role ${APP_ROLE} (${(e as Error).message}): create it once as a role with CREATEROLE — CREATE ROLE ${APP_ROLE} NOLOGIN — then run the migrations again`,
    );
  }
}

/**
 * Grants `ketnap_app` exactly what the application needs, idempotently; run at the end of every `migrate`, as
 * the owner, so tables added later are covered too:
 *  - USAGE on the schema, never CREATE;
 *  - SELECT, INSERT, UPDATE, DELETE on every table; on the append-only tables only SELECT, INSERT; on the
 *    migrations' table only SELECT; nothing else (no TRUNCATE, REFERENCES, TRIGGER);
 *  - USAGE on every sequence;
 *  - the same by default on tables and sequences the owner creates later (until the next grant).
 * Ownership stays with the migrating role, so ALTER / DROP / DISABLE TRIGGER are the owner's alone.
 */
export async function grantAppRole(q: DataSource): Promise<void> {
  await ensureAppRole(q);
  await q.transaction(async (m) => {
    const [{ owner, schema, schemaOwner }] = await m.query(
      `SELECT current_user AS owner, current_schema() AS schema,
              pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = current_schema()), 'USAGE') AS "schemaOwner"`,
    );
    const s = ident(schema);
    const app = ident(APP_ROLE);
    await m.query(`GRANT USAGE ON SCHEMA ${s} TO ${app}`);
    await m.query(`REVOKE CREATE ON SCHEMA ${s} FROM ${app}`);
    // PostgreSQL 14 and older let every role (PUBLIC) create objects in `public`; take that away where we may.
    if (schemaOwner) await m.query(`REVOKE CREATE ON SCHEMA ${s} FROM PUBLIC`);

    await m.query(`REVOKE ALL ON ALL TABLES IN SCHEMA ${s} FROM ${app}`);
    await m.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${s} TO ${app}`);
    const present = async (tables: readonly string[]) =>
      ((await m.query(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY($1::text[])`, [tables])) as { tablename: string }[]).map((r) => r.tablename);
    for (const t of await present(AUDIT_TABLES)) {
      await m.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${s}.${ident(t)} FROM ${app}, PUBLIC`);
    }
    for (const t of await present(READ_ONLY_TABLES)) await m.query(`REVOKE INSERT, UPDATE, DELETE ON ${s}.${ident(t)} FROM ${app}`);
    for (const t of await present(DEFINER_WRITTEN_TABLES)) await m.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${s}.${ident(t)} FROM ${app}, PUBLIC`);

    for (const f of APP_FUNCTIONS) {
      const [{ present: exists }] = await m.query(`SELECT to_regprocedure($1) IS NOT NULL AS present`, [f]);
      if (exists) await m.query(`GRANT EXECUTE ON FUNCTION ${s}.${f} TO ${app}`);
    }

    await m.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA ${s} FROM ${app}`);
    await m.query(`GRANT USAGE ON ALL SEQUENCES IN SCHEMA ${s} TO ${app}`);

    await m.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner)} IN SCHEMA ${s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`);
    await m.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(owner)} IN SCHEMA ${s} GRANT USAGE ON SEQUENCES TO ${app}`);
  });
}

/** What makes the current database role unfit to run the application; empty when it is least-privileged. */
export async function databaseRoleProblems(q: Queryable): Promise<string[]> {
  const [r] = await q.query(
    `SELECT current_user AS "user",
            (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS "superuser",
            (SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user) AS "createrole",
            (SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user) AS "bypassrls",
            (SELECT array_agg(g ORDER BY g) FROM unnest(ARRAY['pg_write_server_files', 'pg_execute_server_program', 'pg_read_server_files']) g
              WHERE to_regrole(g) IS NOT NULL AND pg_has_role(current_user, g, 'MEMBER')) AS "serverRoles",
            (SELECT array_agg(DISTINCT t.tableowner::text ORDER BY t.tableowner::text) FROM pg_tables t
              WHERE t.schemaname = current_schema() AND pg_has_role(current_user, t.tableowner, 'MEMBER')) AS "owners",
            (SELECT array_agg(t ORDER BY t) FROM unnest($1::text[]) t
              WHERE to_regclass(quote_ident(current_schema()) || '.' || quote_ident(t)) IS NOT NULL
                AND has_table_privilege(current_user, quote_ident(current_schema()) || '.' || quote_ident(t), 'UPDATE, DELETE, TRUNCATE')) AS "writableAudit"`,
    [AUDIT_TABLES],
  );
  const problems: string[] = [];
  if (r.superuser) problems.push(`"${r.user}" is a superuser`);
  // (A superuser has all of the following too: said once above.) CREATEROLE could, before PostgreSQL 16, grant
  // itself the owner's role and switch the append-only triggers off.
  if (r.createrole && !r.superuser) problems.push(`"${r.user}" may create roles (CREATEROLE)`);
  if (r.bypassrls && !r.superuser) problems.push(`"${r.user}" bypasses row-level security (BYPASSRLS)`);
  const serverRoles: string[] = r.serverRoles ?? [];
  if (serverRoles.length && !r.superuser) problems.push(`"${r.user}" is a member of ${serverRoles.join(', ')} (files or programs on the database server)`);
  const owners: string[] = r.owners ?? [];
  if (owners.length) {
    const others = owners.filter((o) => o !== r.user);
    problems.push(others.length < owners.length ? `"${r.user}" owns the ketnap tables` : `"${r.user}" is a member of the tables' owner ${others.map((o) => `"${o}"`).join(', ')}`);
  }
  const writable: string[] = r.writableAudit ?? [];
  if (writable.length) problems.push(`"${r.user}" may UPDATE, DELETE or TRUNCATE the append-only ${writable.join(', ')}`);
  return problems;
}

export class DatabaseRoleError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Refusing to start: the database role is not least-privileged: ${problems.join('; ')}. ` +
        `Connect the API and worker (DATABASE_URL) as a login role that is a member of ${APP_ROLE} and owns nothing; ` +
        `run the migrations as the owner (KETNAP_MIGRATION_DATABASE_URL). On a development machine only, KETNAP_DEV_DATABASE=true allows it.`,
    );
    this.name = 'DatabaseRoleError';
  }
}

/**
 * The start-up check of the API and the worker: refuses a superuser, the tables' owner (or a member of it) and a
 * role that may change the append-only tables, unless `devDatabase` (KETNAP_DEV_DATABASE=true), which only warns.
 */
export async function assertLeastPrivilegedRole(q: Queryable, devDatabase: boolean, warn: (message: string) => void = (m) => new Logger('Database').warn(m)): Promise<void> {
  const problems = await databaseRoleProblems(q);
  if (problems.length === 0) return;
  if (!devDatabase) throw new DatabaseRoleError(problems);
  warn(`KETNAP_DEV_DATABASE=true: running with a privileged database role (${problems.join('; ')}) — a development machine only, never production`);
}

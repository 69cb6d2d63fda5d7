import type { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../../../domain/src/procedure.js';

export interface RoleGrant {
  role: Role;
  orgUnitId: string | null;
  /** Path of the org unit the grant covers (subtree); '/' for a global grant. */
  orgUnitPath: string;
}

export interface UserRecord {
  id: string;
  username: string;
  fullName: string;
  passwordHash: string;
  active: boolean;
  roles: RoleGrant[];
}

export class UserRepository {
  constructor(private readonly ds: DataSource) {}

  async create(u: { username: string; passwordHash: string; fullName: string; email?: string | null; roles: { role: Role; orgUnitId: string | null }[] }): Promise<string> {
    return this.ds.transaction(async (m) => {
      const rows = await m.query(`INSERT INTO users (username, password_hash, full_name, email) VALUES ($1,$2,$3,$4) RETURNING id`, [
        u.username,
        u.passwordHash,
        u.fullName,
        u.email ?? null,
      ]);
      const id: string = rows[0].id;
      for (const r of u.roles) {
        await m.query(`INSERT INTO user_roles (user_id, role, org_unit_id) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, [id, r.role, r.orgUnitId]);
      }
      return id;
    });
  }

  /**
   * One user with current roles, in one round trip. Every authenticated request reads it (role changes apply
   * at once, so nothing is cached), and so does every login.
   */
  private async findOne(column: 'id' | 'username', value: string): Promise<UserRecord | undefined> {
    const [u] = await this.ds.query(
      `SELECT u.id, u.username, u.full_name, u.password_hash, u.active,
              COALESCE((SELECT json_agg(json_build_object('role', r.role, 'orgUnitId', r.org_unit_id, 'orgUnitPath', COALESCE(o.path, '/')) ORDER BY r.role)
                          FROM user_roles r LEFT JOIN org_units o ON o.id = r.org_unit_id WHERE r.user_id = u.id), '[]') AS roles
         FROM users u WHERE u.${column} = $1`,
      [value],
    );
    if (!u) return undefined;
    return { id: u.id, username: u.username, fullName: u.full_name, passwordHash: u.password_hash, active: u.active, roles: u.roles };
  }

  findByUsername(username: string): Promise<UserRecord | undefined> {
    return this.findOne('username', username);
  }

  findById(id: string): Promise<UserRecord | undefined> {
    return this.findOne('id', id);
  }

  /** One user as the administration pages show it (no password hash). */
  async get(id: string): Promise<UserSummary | undefined> {
    const [u] = await this.ds.query(`${SUMMARY} WHERE u.id = $1 GROUP BY u.id`, [id]);
    return u;
  }

  /** Users by username, paged; `search` matches username or name (case-insensitive). */
  async list(f: { limit: number; offset: number; search?: string } = { limit: 500, offset: 0 }): Promise<{ items: UserSummary[]; total: number }> {
    const params: unknown[] = [];
    let cond = '';
    if (f.search) {
      params.push(`%${f.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      cond = `WHERE u.username ILIKE $1 OR u.full_name ILIKE $1`;
    }
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM users u ${cond}`, params);
    const items = await this.ds.query(`${SUMMARY} ${cond} GROUP BY u.id ORDER BY u.username LIMIT $${params.length + 1} OFFSET $${params.length + 2}`, [
      ...params,
      f.limit,
      f.offset,
    ]);
    return { items, total };
  }

  /** Runs `fn` in one transaction (a user change, its revoked sessions and its security-log entry together). */
  transaction<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.ds.transaction(fn);
  }

  async update(m: EntityManager, id: string, patch: { fullName?: string; email?: string | null; active?: boolean }): Promise<void> {
    await m.query(
      `UPDATE users SET full_name = COALESCE($2, full_name), email = CASE WHEN $3::boolean THEN $4 ELSE email END,
              active = COALESCE($5, active), updated_at = now() WHERE id = $1`,
      [id, patch.fullName ?? null, patch.email !== undefined, patch.email ?? null, patch.active ?? null],
    );
  }

  async replaceRoles(m: EntityManager, id: string, roles: { role: Role; orgUnitId: string | null }[]): Promise<void> {
    await m.query(`DELETE FROM user_roles WHERE user_id = $1`, [id]);
    for (const r of roles) {
      await m.query(`INSERT INTO user_roles (user_id, role, org_unit_id) VALUES ($1,$2,$3) ON CONFLICT DO NOTHING`, [id, r.role, r.orgUnitId]);
    }
  }

  async setPassword(db: Pick<EntityManager, 'query'> | DataSource, id: string, passwordHash: string): Promise<void> {
    await db.query(`UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now() WHERE id = $1`, [id, passwordHash]);
  }

  /** A stronger hash of the same password (made at sign-in): not a password change. */
  async rehash(id: string, passwordHash: string): Promise<void> {
    await this.ds.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [id, passwordHash]);
  }

  /** Active users holding the admin role, other than `exceptId` (the last administrator cannot be locked out). */
  async otherActiveAdmins(m: EntityManager, exceptId: string): Promise<number> {
    // Changes that may remove an administrator take turns: two admins demoting each other at once cannot both
    // see "one other admin left".
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('ketnap:admins'))`);
    const [r] = await m.query(
      `SELECT count(DISTINCT u.id)::int AS n FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin' AND u.active AND u.id <> $1`,
      [exceptId],
    );
    return r.n;
  }
}

export interface UserSummary {
  id: string;
  username: string;
  fullName: string;
  email: string | null;
  active: boolean;
  createdAt: string;
  passwordChangedAt: string | null;
  /** `scope` is `global` for the admin grant (it has no unit), `subtree` for a grant over a unit and everything below it. */
  roles: { role: Role; orgUnitId: string | null; scope: 'global' | 'subtree' }[];
}

const SUMMARY = `SELECT u.id, u.username, u.full_name AS "fullName", u.email, u.active, u.created_at AS "createdAt", u.password_changed_at AS "passwordChangedAt",
              COALESCE(json_agg(json_build_object('role', r.role, 'orgUnitId', r.org_unit_id, 'scope', CASE WHEN r.org_unit_id IS NULL THEN 'global' ELSE 'subtree' END)
                                ORDER BY r.role) FILTER (WHERE r.id IS NOT NULL), '[]') AS roles
         FROM users u LEFT JOIN user_roles r ON r.user_id = u.id`;

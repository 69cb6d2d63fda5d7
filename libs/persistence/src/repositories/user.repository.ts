import type { DataSource } from 'typeorm';
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

  async list(): Promise<{ id: string; username: string; fullName: string; active: boolean; roles: { role: Role; orgUnitId: string | null }[] }[]> {
    return this.ds.query(
      `SELECT u.id, u.username, u.full_name AS "fullName", u.active,
              COALESCE(json_agg(json_build_object('role', r.role, 'orgUnitId', r.org_unit_id)) FILTER (WHERE r.id IS NOT NULL), '[]') AS roles
         FROM users u LEFT JOIN user_roles r ON r.user_id = u.id GROUP BY u.id ORDER BY u.username`,
    );
  }
}

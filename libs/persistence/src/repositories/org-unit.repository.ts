import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { OrgUnitKind } from '../../../domain/src/procedure.js';

export interface OrgUnit {
  id: string;
  name: string;
  kind: OrgUnitKind;
  parentId: string | null;
  path: string;
}

const COLS = `id, name, kind, parent_id AS "parentId", path`;

export class OrgUnitRepository {
  constructor(private readonly ds: DataSource) {}

  async create(name: string, kind: OrgUnitKind, parent: OrgUnit | null): Promise<OrgUnit> {
    const id = randomUUID();
    const path = `${parent?.path ?? '/'}${id}/`;
    const rows = await this.ds.query(
      `INSERT INTO org_units (id, name, kind, parent_id, path) VALUES ($1,$2,$3,$4,$5) RETURNING ${COLS}`,
      [id, name, kind, parent?.id ?? null, path],
    );
    return rows[0];
  }

  async get(id: string): Promise<OrgUnit | undefined> {
    const rows = await this.ds.query(`SELECT ${COLS} FROM org_units WHERE id = $1`, [id]);
    return rows[0];
  }

  /** One page of the tree in path order (a parent before its children), optionally one unit's children only. */
  async list(page: { limit: number; offset: number; parentId?: string }): Promise<{ items: OrgUnit[]; total: number }> {
    const where = `WHERE ($1::uuid IS NULL OR parent_id = $1)`;
    const [items, [{ total }]] = await Promise.all([
      this.ds.query(`SELECT ${COLS} FROM org_units ${where} ORDER BY path LIMIT $2 OFFSET $3`, [page.parentId ?? null, page.limit, page.offset]),
      this.ds.query(`SELECT count(*)::int AS total FROM org_units ${where}`, [page.parentId ?? null]),
    ]);
    return { items, total };
  }

  async children(parentId: string, kind?: OrgUnitKind): Promise<OrgUnit[]> {
    return kind
      ? this.ds.query(`SELECT ${COLS} FROM org_units WHERE parent_id = $1 AND kind = $2 ORDER BY created_at`, [parentId, kind])
      : this.ds.query(`SELECT ${COLS} FROM org_units WHERE parent_id = $1 ORDER BY created_at`, [parentId]);
  }
}

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

  /**
   * The dossier-forms policy in force for the unit at `path`: the nearest unit on the path (itself first) that
   * sets one, `warn` when none does.
   */
  async dossierFormsPolicy(path: string): Promise<{ policy: 'warn' | 'require'; setOn: string | null }> {
    const ids = path.split('/').filter(Boolean);
    const rows = await this.ds.query(
      `SELECT id, dossier_forms_policy AS policy FROM org_units WHERE id = ANY($1::uuid[]) AND dossier_forms_policy IS NOT NULL ORDER BY length(path) DESC LIMIT 1`,
      [ids],
    );
    return rows[0] ? { policy: rows[0].policy, setOn: rows[0].id } : { policy: 'warn', setOn: null };
  }

  /** Sets (or, with null, clears to inherit) a unit's own dossier-forms policy. */
  async setDossierFormsPolicy(id: string, policy: 'warn' | 'require' | null): Promise<void> {
    await this.ds.query(`UPDATE org_units SET dossier_forms_policy = $2 WHERE id = $1`, [id, policy]);
  }

  /** Merged into another unit or dissolved (issue 16, reorganisation): kept for the history, closed to new cases and units. */
  async isDissolved(id: string): Promise<boolean> {
    const rows = await this.ds.query(`SELECT 1 FROM org_units WHERE id = $1 AND dissolved_at IS NOT NULL`, [id]);
    return rows.length > 0;
  }

  async get(id: string): Promise<OrgUnit | undefined> {
    const rows = await this.ds.query(`SELECT ${COLS} FROM org_units WHERE id = $1`, [id]);
    return rows[0];
  }

  /** One page of the tree in path order (a parent before its children), optionally one unit's children only. */
  async list(page: { limit: number; offset: number; parentId?: string }): Promise<{ items: OrgUnit[]; total: number }> {
    // A merged or dissolved unit (issue 16, reorganisation) stays for the history but leaves the tree.
    const where = `WHERE ($1::uuid IS NULL OR parent_id = $1) AND dissolved_at IS NULL`;
    const [items, [{ total }]] = await Promise.all([
      this.ds.query(`SELECT ${COLS} FROM org_units ${where} ORDER BY path LIMIT $2 OFFSET $3`, [page.parentId ?? null, page.limit, page.offset]),
      this.ds.query(`SELECT count(*)::int AS total FROM org_units ${where}`, [page.parentId ?? null]),
    ]);
    return { items, total };
  }

  /** The cells (cells and grassroots cells) of a unit's subtree, the unit itself included, in tree order. */
  async cellsUnder(path: string): Promise<OrgUnit[]> {
    return this.ds.query(`SELECT ${COLS} FROM org_units WHERE left(path, length($1)) = $1 AND kind IN ('cell', 'grassroots_cell') ORDER BY path`, [path]);
  }

  async children(parentId: string, kind?: OrgUnitKind): Promise<OrgUnit[]> {
    return kind
      ? this.ds.query(`SELECT ${COLS} FROM org_units WHERE parent_id = $1 AND kind = $2 ORDER BY created_at`, [parentId, kind])
      : this.ds.query(`SELECT ${COLS} FROM org_units WHERE parent_id = $1 ORDER BY created_at`, [parentId]);
  }
}

import type { DataSource } from 'typeorm';

export interface Recipient {
  userId: string;
  username: string;
  fullName: string;
  email: string | null;
}

export interface DigestItem {
  userId: string;
  username: string;
  fullName: string;
  email: string | null;
  taskId: string;
  taskType: string;
  candidateId: string;
  candidateName: string;
  dueDate: string;
}

export interface NotificationRow {
  id: string;
  userId: string;
  candidateId: string | null;
  taskId: string | null;
  kind: string;
  title: string;
  body: string;
  data: Record<string, unknown>;
  createdAt: string;
  readAt: string | null;
  emailedAt: string | null;
}

const COLS = `id, user_id AS "userId", candidate_id AS "candidateId", task_id AS "taskId", kind, title, body, data,
  created_at AS "createdAt", read_at AS "readAt", emailed_at AS "emailedAt"`;

export class NotificationRepository {
  constructor(private readonly ds: DataSource) {}

  /** Active users holding `role` on `orgUnitId` or on any unit above it (a grant covers its subtree). */
  async recipients(orgUnitId: string, role: string): Promise<Recipient[]> {
    return this.ds.query(
      `SELECT DISTINCT u.id AS "userId", u.username, u.full_name AS "fullName", u.email
         FROM org_units target
         JOIN user_roles r ON r.role = $2
         JOIN org_units grant_unit ON grant_unit.id = r.org_unit_id AND target.path LIKE grant_unit.path || '%'
         JOIN users u ON u.id = r.user_id AND u.active
        WHERE target.id = $1
        ORDER BY u.username`,
      [orgUnitId, role],
    );
  }

  /** Inserts once per (user, key); returns the row when it is new, undefined when it already existed. */
  async insertOnce(n: { userId: string; candidateId: string | null; taskId: string | null; kind: string; key: string; title: string; body: string; data: Record<string, unknown> }): Promise<NotificationRow | undefined> {
    const rows = await this.ds.query(
      `INSERT INTO notifications (user_id, candidate_id, task_id, kind, dedupe_key, title, body, data)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT ON CONSTRAINT uq_notifications_user_key DO NOTHING RETURNING ${COLS}`,
      [n.userId, n.candidateId, n.taskId, n.kind, n.key, n.title, n.body, JSON.stringify(n.data)],
    );
    return rows[0];
  }

  /** Rows for this key not yet e-mailed (a retried activity sends what the first attempt did not). */
  async unsent(key: string): Promise<(NotificationRow & { email: string | null })[]> {
    return this.ds.query(
      `SELECT n.id, n.user_id AS "userId", n.candidate_id AS "candidateId", n.task_id AS "taskId", n.kind, n.title, n.body, n.data,
              n.created_at AS "createdAt", n.read_at AS "readAt", n.emailed_at AS "emailedAt", u.email
         FROM notifications n JOIN users u ON u.id = n.user_id
        WHERE n.dedupe_key = $1 AND n.emailed_at IS NULL AND u.email IS NOT NULL`,
      [key],
    );
  }

  /**
   * Open tasks due by `dueBy` (or overdue) in each user's jurisdiction: one query, grouped by user. Admins
   * and auditors do not act on tasks and get none.
   */
  async digestItems(dueBy: string): Promise<DigestItem[]> {
    return this.ds.query(
      `SELECT DISTINCT u.id AS "userId", u.username, u.full_name AS "fullName", u.email,
              t.id AS "taskId", t.type AS "taskType", t.candidate_id AS "candidateId", c.full_name AS "candidateName",
              to_char(t.due_date, 'YYYY-MM-DD') AS "dueDate"
         FROM users u
         JOIN user_roles r ON r.user_id = u.id AND r.role NOT IN ('admin', 'auditor')
         JOIN org_units g ON g.id = r.org_unit_id
         JOIN tasks t ON t.status = 'open' AND t.role = r.role AND t.due_date IS NOT NULL AND t.due_date <= $1::date
         JOIN org_units ou ON ou.id = t.org_unit_id AND ou.path LIKE g.path || '%'
         JOIN candidates c ON c.id = t.candidate_id
        WHERE u.active
        ORDER BY u.id, "dueDate", t.id`,
      [dueBy],
    );
  }

  async markEmailed(id: string): Promise<void> {
    await this.ds.query(`UPDATE notifications SET emailed_at = now() WHERE id = $1`, [id]);
  }

  async list(userId: string, opts: { unreadOnly: boolean; limit: number; offset: number }): Promise<{ items: NotificationRow[]; unread: number }> {
    const items = await this.ds.query(
      `SELECT ${COLS} FROM notifications WHERE user_id = $1 ${opts.unreadOnly ? 'AND read_at IS NULL' : ''} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`,
      [userId, opts.limit, opts.offset],
    );
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return { items, unread: n };
  }

  /** Marks read; only the owner's rows. Returns false when the row is not the user's. */
  async markRead(userId: string, id: string): Promise<boolean> {
    // TypeORM's postgres driver answers an UPDATE with [rows, affectedCount].
    const [, affected] = await this.ds.query(`UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2`, [id, userId]);
    return affected > 0;
  }

  async markAllRead(userId: string): Promise<number> {
    const [, affected] = await this.ds.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    return affected;
  }
}

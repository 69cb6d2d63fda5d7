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

/** An e-mail the sender holds: sent at most once, then marked. */
export interface ClaimedEmail {
  id: string;
  to: string;
  title: string;
  body: string;
  /** This attempt's number (1 for the first). */
  attempts: number;
}

export interface EmailFailure {
  id: string;
  status: 'failed' | 'in_doubt';
  emailTo: string;
  userId: string;
  username: string;
  userFullName: string;
  candidateId: string | null;
  candidateName: string | null;
  taskId: string | null;
  kind: string;
  key: string;
  title: string;
  error: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  createdAt: string;
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

  /**
   * Inserts once per (user, case, task, key); returns the row when it is new, undefined when it already existed. With
   * `emailTo`, the new row also enters the e-mail outbox (`pending`, due now): a retried insert finds the row
   * and queues nothing again, so each (user, case, task, key) is queued at most once.
   */
  async insertOnce(n: { userId: string; candidateId: string | null; taskId: string | null; kind: string; key: string; title: string; body: string; data: Record<string, unknown>; emailTo?: string | null }): Promise<NotificationRow | undefined> {
    const emailTo = n.emailTo ?? null;
    const rows = await this.ds.query(
      `INSERT INTO notifications (user_id, candidate_id, task_id, kind, dedupe_key, title, body, data, email_to, email_status, email_next_attempt_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,
               CASE WHEN $9::text IS NULL THEN NULL ELSE 'pending' END,
               CASE WHEN $9::text IS NULL THEN NULL ELSE now() END)
       ON CONFLICT ON CONSTRAINT uq_notifications_user_case_key DO NOTHING RETURNING ${COLS}`,
      [n.userId, n.candidateId, n.taskId, n.kind, n.key, n.title, n.body, JSON.stringify(n.data), emailTo],
    );
    return rows[0];
  }

  /**
   * Claims up to `limit` pending e-mails that are due: `sending`, `email_claimed_at` set and the attempt
   * counted, committed BEFORE anything is sent. Rows another sender holds are skipped (SKIP LOCKED), and a
   * claimed row is no longer `pending`, so no two senders ever hold the same row.
   */
  async claimEmails(limit: number): Promise<ClaimedEmail[]> {
    // TypeORM's postgres driver answers an UPDATE with [rows, affectedCount].
    const [rows] = await this.ds.query(
      `UPDATE notifications n
          SET email_status = 'sending', email_claimed_at = clock_timestamp(), email_attempts = n.email_attempts + 1
         FROM (SELECT id FROM notifications
                WHERE email_status = 'pending' AND email_next_attempt_at <= now()
                ORDER BY email_next_attempt_at, id
                LIMIT $1
                  FOR UPDATE SKIP LOCKED) due
        WHERE n.id = due.id
        RETURNING n.id, n.email_to AS "to", n.title, n.body, n.email_attempts AS attempts`,
      [limit],
    );
    return rows;
  }

  /** The SMTP server accepted it. Also after the claim timed out (`in_doubt`): it was sent after all. */
  async markEmailSent(id: string): Promise<void> {
    await this.ds.query(`UPDATE notifications SET email_status = 'sent', emailed_at = now(), email_error = NULL WHERE id = $1 AND email_status IN ('sending', 'in_doubt')`, [id]);
  }

  /**
   * An attempt failed (nothing was accepted): `failed` after `maxAttempts`, else `pending` again, due after
   * `retryInMs`. Returns the new status (undefined when the row was not held any more).
   */
  async markEmailError(id: string, error: string, maxAttempts: number, retryInMs: number): Promise<'pending' | 'failed' | undefined> {
    const [rows] = await this.ds.query(
      `UPDATE notifications
          SET email_error = $2,
              email_status = CASE WHEN email_attempts >= $3 THEN 'failed' ELSE 'pending' END,
              email_next_attempt_at = CASE WHEN email_attempts >= $3 THEN NULL ELSE now() + $4::double precision * interval '1 millisecond' END,
              email_claimed_at = NULL
        WHERE id = $1 AND email_status = 'sending'
        RETURNING email_status AS status`,
      [id, error.slice(0, 2000), maxAttempts, retryInMs],
    );
    return rows?.[0]?.status;
  }

  /** A claim given back unsent (the sender is stopping): pending again, the attempt not counted. */
  async releaseEmail(id: string): Promise<void> {
    await this.ds.query(
      `UPDATE notifications SET email_status = 'pending', email_attempts = GREATEST(email_attempts - 1, 0), email_claimed_at = NULL WHERE id = $1 AND email_status = 'sending'`,
      [id],
    );
  }

  /**
   * Claims older than `timeoutMs` never confirmed (the sender died between claim and mark): the SMTP server
   * may or may not have taken them, so they are `in_doubt` for an administrator, never resent by themselves.
   */
  async markStaleClaimsInDoubt(timeoutMs: number): Promise<number> {
    const [, affected] = await this.ds.query(
      `UPDATE notifications
          SET email_status = 'in_doubt',
              email_error = 'claimed at ' || to_char(email_claimed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ', never confirmed sent: the sender stopped during the send?'
        WHERE email_status = 'sending' AND email_claimed_at < now() - $1::double precision * interval '1 millisecond'`,
      [timeoutMs],
    );
    return affected;
  }

  /** E-mails that failed for good or are in doubt, newest first, with their recipient and candidate. */
  async emailFailures(opts: { limit: number; offset: number }): Promise<{ items: EmailFailure[]; total: number }> {
    const items = await this.ds.query(
      `SELECT n.id, n.email_status AS status, n.email_to AS "emailTo", n.user_id AS "userId", u.username, u.full_name AS "userFullName",
              n.candidate_id AS "candidateId", c.full_name AS "candidateName", n.task_id AS "taskId", n.kind, n.dedupe_key AS key,
              n.title, n.email_error AS error, n.email_attempts AS attempts, n.email_claimed_at AS "lastAttemptAt", n.created_at AS "createdAt"
         FROM notifications n
         JOIN users u ON u.id = n.user_id
         LEFT JOIN candidates c ON c.id = n.candidate_id
        WHERE n.email_status IN ('failed', 'in_doubt')
        ORDER BY n.created_at DESC, n.id
        LIMIT $1 OFFSET $2`,
      [opts.limit, opts.offset],
    );
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM notifications WHERE email_status IN ('failed', 'in_doubt')`);
    return { items, total: n };
  }

  /** An administrator re-queues a failed (or in-doubt) e-mail: due now, with a fresh count of attempts. */
  async retryEmail(id: string): Promise<'requeued' | 'not_retryable' | 'not_found'> {
    const [, affected] = await this.ds.query(
      `UPDATE notifications
          SET email_status = 'pending', email_attempts = 0, email_next_attempt_at = now(), email_claimed_at = NULL, email_error = NULL
        WHERE id = $1 AND email_status IN ('failed', 'in_doubt')`,
      [id],
    );
    if (affected > 0) return 'requeued';
    const [row] = await this.ds.query(`SELECT 1 FROM notifications WHERE id = $1`, [id]);
    return row ? 'not_retryable' : 'not_found';
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

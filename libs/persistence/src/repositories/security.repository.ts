import type { DataSource, EntityManager } from 'typeorm';
import type { RoleGrant } from './user.repository.js';

type Db = Pick<DataSource | EntityManager, 'query'>;

export type SecurityEventKind =
  | 'login_succeeded'
  | 'login_failed'
  | 'login_throttled'
  | 'logout'
  | 'user_created'
  | 'user_updated'
  | 'user_deactivated'
  | 'user_reactivated'
  | 'roles_changed'
  | 'password_reset'
  | 'password_changed'
  | 'sessions_revoked'
  | 'payloads_encoded'
  | 'org_unit_renamed'
  | 'org_unit_reorganised';

export interface SecurityEventInput {
  kind: SecurityEventKind;
  actorId?: string | null;
  subjectId?: string | null;
  username?: string | null;
  clientAddress?: string | null;
  details?: Record<string, unknown>;
}

export interface SessionUser {
  sessionId: string;
  id: string;
  username: string;
  fullName: string;
  roles: RoleGrant[];
}

export interface ThrottleState {
  failures: number;
  lockedUntil: Date | null;
}

/** Sessions, sign-in throttling and the append-only security log. */
export class SecurityRepository {
  constructor(private readonly ds: DataSource) {}

  // --- sessions -------------------------------------------------------------------------------

  async createSession(s: { userId: string; tokenHash: Buffer; ttlSeconds: number; clientAddress?: string | null; userAgent?: string | null }): Promise<{ id: string; expiresAt: Date }> {
    const [row] = await this.ds.query(
      `INSERT INTO user_sessions (user_id, token_hash, expires_at, client_address, user_agent)
       VALUES ($1, $2, now() + make_interval(secs => $3), $4, $5) RETURNING id, expires_at`,
      [s.userId, s.tokenHash, s.ttlSeconds, s.clientAddress ?? null, s.userAgent?.slice(0, 300) ?? null],
    );
    return { id: row.id, expiresAt: new Date(row.expires_at) };
  }

  /**
   * The live session of a token with its active user and current roles, in one round trip (every request
   * reads it: a revoked session, a deactivated user or a changed role applies to the next request).
   */
  async sessionUser(tokenHash: Buffer): Promise<SessionUser | undefined> {
    const [u] = await this.ds.query(
      `SELECT s.id AS session_id, u.id, u.username, u.full_name,
              COALESCE((SELECT json_agg(json_build_object('role', r.role, 'orgUnitId', r.org_unit_id, 'orgUnitPath', COALESCE(o.path, '/')) ORDER BY r.role)
                          FROM user_roles r LEFT JOIN org_units o ON o.id = r.org_unit_id WHERE r.user_id = u.id), '[]') AS roles
         FROM user_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND u.active`,
      [tokenHash],
    );
    return u ? { sessionId: u.session_id, id: u.id, username: u.username, fullName: u.full_name, roles: u.roles } : undefined;
  }

  async revokeSession(sessionId: string, reason: string): Promise<boolean> {
    const [r] = await this.ds.query(
      `WITH ended AS (UPDATE user_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id)
       SELECT count(*)::int AS n FROM ended`,
      [sessionId, reason],
    );
    return r.n > 0;
  }

  /** Ends every live session of a user (optionally all but one); returns how many were ended. */
  async revokeUserSessions(db: Db, userId: string, reason: string, exceptSessionId?: string): Promise<number> {
    // (An UPDATE … RETURNING through TypeORM answers [rows, count]; counting in SQL avoids that shape.)
    const [r] = await db.query(
      `WITH ended AS (UPDATE user_sessions SET revoked_at = now(), revoked_reason = $2
                       WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND ($3::uuid IS NULL OR id <> $3::uuid) RETURNING id)
       SELECT count(*)::int AS n FROM ended`,
      [userId, reason, exceptSessionId ?? null],
    );
    return r.n;
  }

  async liveSessionCount(userId: string): Promise<number> {
    const [r] = await this.ds.query(`SELECT count(*)::int AS n FROM user_sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now()`, [userId]);
    return r.n;
  }

  // --- throttling -----------------------------------------------------------------------------

  /** The running locks among these keys (e.g. the account and the client address), longest first. */
  async activeLock(keys: string[]): Promise<{ key: string; retryAfterSeconds: number } | undefined> {
    const [r] = await this.ds.query(
      `SELECT key, ceil(extract(epoch FROM locked_until - now()))::int AS retry FROM login_throttle
        WHERE key = ANY($1) AND locked_until > now() ORDER BY locked_until DESC LIMIT 1`,
      [keys],
    );
    return r ? { key: r.key, retryAfterSeconds: Math.max(1, r.retry) } : undefined;
  }

  /**
   * Counts a sign-in attempt against a key BEFORE its password is checked, and from the `limit`-th attempt on
   * arms the lock in the same statement (base × 2^(attempts − limit) seconds, capped): the row lock serialises
   * concurrent attempts, so of a burst only those counted before the lock was armed go on to the password check
   * (`admitted`); the rest come in behind a lock. Attempts older than the window start over, unless a lock runs.
   */
  async countAttempt(key: string, p: { limit: number; windowSeconds: number; lockSeconds: number; maxLockSeconds: number }): Promise<{ attempts: number; admitted: boolean; retryAfterSeconds: number }> {
    const [r] = await this.ds.query(
      `INSERT INTO login_throttle AS t (key, failures, last_failure_at, locked_until)
       VALUES ($1, 1, now(), CASE WHEN 1 >= $3::int THEN now() + make_interval(secs => LEAST($5::float8, $4::float8)) END)
       ON CONFLICT (key) DO UPDATE SET
         prev_locked_until = t.locked_until,
         failures = CASE WHEN t.last_failure_at < now() - make_interval(secs => $2::float8) AND (t.locked_until IS NULL OR t.locked_until <= now()) THEN 1 ELSE t.failures + 1 END,
         last_failure_at = now(),
         locked_until = CASE WHEN (CASE WHEN t.last_failure_at < now() - make_interval(secs => $2::float8) AND (t.locked_until IS NULL OR t.locked_until <= now()) THEN 1 ELSE t.failures + 1 END) >= $3::int
                             THEN GREATEST(COALESCE(t.locked_until, now()), now() + make_interval(secs => LEAST($5::float8, $4::float8 * 2 ^ LEAST(t.failures + 1 - $3::int, 20))))
                             ELSE t.locked_until END
       RETURNING failures, prev_locked_until > now() AS behind, ceil(extract(epoch FROM COALESCE(GREATEST(prev_locked_until, locked_until), now()) - now()))::int AS retry`,
      [key, p.windowSeconds, p.limit, p.lockSeconds, p.maxLockSeconds],
    );
    return { attempts: r.failures, admitted: !r.behind, retryAfterSeconds: Math.max(1, r.retry) };
  }

  /** Locks a key for `seconds` from now (a later lock never shortens a running one). */
  async lock(key: string, seconds: number): Promise<void> {
    await this.ds.query(`UPDATE login_throttle SET locked_until = GREATEST(COALESCE(locked_until, now()), now() + make_interval(secs => $2::float8)) WHERE key = $1`, [key, seconds]);
  }

  /** Forgets counts that no longer matter (outside the window, no lock running): unknown usernames cannot pile up rows. */
  async pruneThrottle(windowSeconds: number): Promise<void> {
    await this.ds.query(`DELETE FROM login_throttle WHERE last_failure_at < now() - make_interval(secs => $1) AND (locked_until IS NULL OR locked_until <= now())`, [windowSeconds]);
  }

  /**
   * A successful sign-in: the account's count and lock are cleared (its own armed lock included); the client
   * address gets its counted attempt back but keeps any lock.
   */
  async clearAttempt(accountKey: string, addressKey: string): Promise<void> {
    await this.ds.query(`DELETE FROM login_throttle WHERE key = $1`, [accountKey]);
    await this.ds.query(`UPDATE login_throttle SET failures = GREATEST(failures - 1, 0) WHERE key = $1`, [addressKey]);
  }

  // --- the security log -----------------------------------------------------------------------

  /** Appends to the security log; pass the transaction's manager to record a change in its own transaction. */
  async record(e: SecurityEventInput, db: Db = this.ds): Promise<void> {
    await db.query(`INSERT INTO security_events (kind, actor_id, subject_id, username, client_address, details) VALUES ($1,$2,$3,$4,$5,$6)`, [
      e.kind,
      e.actorId ?? null,
      e.subjectId ?? null,
      e.username ?? null,
      e.clientAddress ?? null,
      JSON.stringify(e.details ?? {}),
    ]);
  }

  async listEvents(f: { subjectId?: string; kind?: string; limit: number; offset: number }): Promise<{ items: unknown[]; total: number }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (f.subjectId) {
      params.push(f.subjectId);
      // Throttled attempts name only the username typed.
      where.push(`(e.subject_id = $${params.length} OR e.actor_id = $${params.length} OR (e.subject_id IS NULL AND e.username = (SELECT username FROM users WHERE id = $${params.length})))`);
    }
    if (f.kind) {
      params.push(f.kind);
      where.push(`e.kind = $${params.length}`);
    }
    const cond = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const [{ total }] = await this.ds.query(`SELECT count(*)::int AS total FROM security_events e ${cond}`, params);
    const items = await this.ds.query(
      `SELECT e.id::text AS id, e.at, e.kind, e.actor_id AS "actorId", a.username AS "actorUsername", e.subject_id AS "subjectId",
              COALESCE(s.username, e.username) AS username, e.client_address AS "clientAddress", e.details
         FROM security_events e LEFT JOIN users a ON a.id = e.actor_id LEFT JOIN users s ON s.id = e.subject_id
         ${cond} ORDER BY e.id DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, f.limit, f.offset],
    );
    return { items, total };
  }
}

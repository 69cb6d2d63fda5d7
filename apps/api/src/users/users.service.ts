import { Inject, Injectable } from '@nestjs/common';
import type { Role } from '../../../../libs/domain/src/procedure.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { SecurityRepository } from '../../../../libs/persistence/src/repositories/security.repository.js';
import { UserRepository, type UserSummary } from '../../../../libs/persistence/src/repositories/user.repository.js';
import { AuthService, type ClientInfo } from '../auth/auth.service.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { verifyPassword } from '../auth/password.js';
import { DomainError } from '../common/domain-error.js';

export interface RoleInput {
  role: Role;
  orgUnitId?: string | null;
}

export interface UserPatch {
  fullName?: string;
  email?: string | null;
  active?: boolean;
  roles?: RoleInput[];
}

const roleKey = (r: { role: string; orgUnitId: string | null }) => `${r.role}@${r.orgUnitId ?? '*'}`;

/**
 * User administration. Every change is written with its security-log entry in one transaction, and a change
 * that alters what a user may do (deactivation, roles, password) ends their sessions in that transaction too:
 * the next request with an old token is refused.
 */
@Injectable()
export class UsersService {
  constructor(
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(SecurityRepository) private readonly security: SecurityRepository,
    @Inject(AuthService) private readonly auth: AuthService,
  ) {}

  private requireAdmin(actor: AuthUser): void {
    if (!isAdmin(actor)) throw new DomainError('forbidden');
  }

  /** Roles with their unit (every role but admin needs one; admin is global and takes none). */
  private async checkRoles(roles: RoleInput[]): Promise<{ role: Role; orgUnitId: string | null }[]> {
    for (const r of roles) {
      if (r.role !== 'admin' && !r.orgUnitId) throw new DomainError('missing_field', { field: 'roles.orgUnitId' });
      if (r.orgUnitId && !(await this.units.get(r.orgUnitId))) throw new DomainError('org_unit_not_found', { id: r.orgUnitId });
    }
    return roles.map((r) => ({ role: r.role, orgUnitId: r.role === 'admin' ? null : (r.orgUnitId ?? null) }));
  }

  async create(actor: AuthUser, dto: { username: string; password: string; fullName: string; email?: string; roles: RoleInput[] }, client: ClientInfo): Promise<UserSummary> {
    this.requireAdmin(actor);
    this.auth.checkPolicy(dto.password);
    const roles = await this.checkRoles(dto.roles);
    if (await this.users.findByUsername(dto.username)) throw new DomainError('username_taken', { username: dto.username });
    const id = await this.users
      .create({ username: dto.username, passwordHash: await this.auth.hash(dto.password), fullName: dto.fullName, email: dto.email ?? null, roles })
      .catch((e) => {
        // Two admins creating the same username at once: the second meets the unique constraint.
        if (e?.driverError?.code === '23505' || e?.code === '23505') throw new DomainError('username_taken', { username: dto.username });
        throw e;
      });
    await this.security.record({ kind: 'user_created', actorId: actor.id, subjectId: id, username: dto.username, clientAddress: client.address, details: { fullName: dto.fullName, email: dto.email ?? null, roles } });
    return (await this.users.get(id))!;
  }

  async list(actor: AuthUser, f: { limit: number; offset: number; search?: string }) {
    this.requireAdmin(actor);
    return { ...(await this.users.list(f)), limit: f.limit, offset: f.offset };
  }

  async get(actor: AuthUser, id: string): Promise<UserSummary> {
    this.requireAdmin(actor);
    const u = await this.users.get(id);
    if (!u) throw new DomainError('user_not_found', { id });
    return u;
  }

  async update(actor: AuthUser, id: string, patch: UserPatch, client: ClientInfo): Promise<UserSummary> {
    const before = await this.get(actor, id);
    const roles = patch.roles ? await this.checkRoles(patch.roles) : undefined;
    const rolesChanged = roles !== undefined && roles.map(roleKey).sort().join() !== before.roles.map(roleKey).sort().join();
    const deactivated = patch.active === false && before.active;
    const reactivated = patch.active === true && !before.active;
    const wasAdmin = before.active && before.roles.some((r) => r.role === 'admin');
    const staysAdmin = !deactivated && (roles ? roles.some((r) => r.role === 'admin') : wasAdmin);
    const profile: Record<string, { from: unknown; to: unknown }> = {};
    if (patch.fullName !== undefined && patch.fullName !== before.fullName) profile.fullName = { from: before.fullName, to: patch.fullName };
    if (patch.email !== undefined && patch.email !== before.email) profile.email = { from: before.email, to: patch.email };

    await this.users.transaction(async (m) => {
      if (wasAdmin && !staysAdmin && (await this.users.otherActiveAdmins(m, id)) === 0) throw new DomainError('last_admin');
      await this.users.update(m, id, { fullName: patch.fullName, email: patch.email, active: patch.active });
      if (roles && rolesChanged) await this.users.replaceRoles(m, id, roles);
      const base = { actorId: actor.id, subjectId: id, username: before.username, clientAddress: client.address };
      if (Object.keys(profile).length) await this.security.record({ ...base, kind: 'user_updated', details: profile }, m);
      if (rolesChanged) await this.security.record({ ...base, kind: 'roles_changed', details: { from: before.roles.map(({ role, orgUnitId }) => ({ role, orgUnitId })), to: roles } }, m);
      if (reactivated) await this.security.record({ ...base, kind: 'user_reactivated' }, m);
      if (deactivated || rolesChanged) {
        const ended = await this.security.revokeUserSessions(m, id, deactivated ? 'user_deactivated' : 'roles_changed');
        if (deactivated) await this.security.record({ ...base, kind: 'user_deactivated', details: { sessionsEnded: ended } }, m);
        else await this.security.record({ ...base, kind: 'sessions_revoked', details: { reason: 'roles_changed', sessionsEnded: ended } }, m);
      }
    });
    return (await this.users.get(id))!;
  }

  /** An administrator sets a new password (e.g. a user who forgot theirs): every session of that user ends. */
  async resetPassword(actor: AuthUser, id: string, password: string, client: ClientInfo): Promise<void> {
    const target = await this.get(actor, id);
    this.auth.checkPolicy(password);
    const hash = await this.auth.hash(password);
    await this.users.transaction(async (m) => {
      await this.users.setPassword(m, id, hash);
      const ended = await this.security.revokeUserSessions(m, id, 'password_reset');
      await this.security.record({ kind: 'password_reset', actorId: actor.id, subjectId: id, username: target.username, clientAddress: client.address, details: { sessionsEnded: ended } }, m);
    });
  }

  /** Signs a user out everywhere (a lost phone, a shared computer). */
  async revokeSessions(actor: AuthUser, id: string, client: ClientInfo): Promise<{ sessionsEnded: number }> {
    const target = await this.get(actor, id);
    return this.users.transaction(async (m) => {
      const ended = await this.security.revokeUserSessions(m, id, 'revoked_by_admin');
      await this.security.record({ kind: 'sessions_revoked', actorId: actor.id, subjectId: id, username: target.username, clientAddress: client.address, details: { reason: 'revoked_by_admin', sessionsEnded: ended } }, m);
      return { sessionsEnded: ended };
    });
  }

  /** The user's own change: the current password is required; the sessions on other devices end, this one stays. */
  async changeOwnPassword(user: AuthUser, current: string, next: string, client: ClientInfo): Promise<void> {
    const record = await this.users.findById(user.id);
    if (!record) throw new DomainError('unauthenticated');
    // Counted and locked like a sign-in: a stolen session must not become a way to guess the password.
    const attempt = await this.auth.admitAttempt(user.username, client);
    if (!(await verifyPassword(current, record.passwordHash)).ok) {
      await this.auth.failed(attempt);
      await this.security.record({ kind: 'login_failed', actorId: user.id, subjectId: user.id, username: user.username, clientAddress: client.address, details: { reason: 'bad_current_password', accountAttempts: attempt.accountAttempts } });
      throw new DomainError('current_password_wrong');
    }
    await this.auth.succeeded(attempt);
    if (current === next) throw new DomainError('password_unchanged');
    this.auth.checkPolicy(next);
    const hash = await this.auth.hash(next);
    await this.users.transaction(async (m) => {
      await this.users.setPassword(m, user.id, hash);
      const ended = await this.security.revokeUserSessions(m, user.id, 'password_changed', user.sessionId);
      await this.security.record({ kind: 'password_changed', actorId: user.id, subjectId: user.id, username: user.username, clientAddress: client.address, details: { otherSessionsEnded: ended } }, m);
    });
  }

  async securityLog(actor: AuthUser, f: { userId?: string; kind?: string; limit: number; offset: number }) {
    this.requireAdmin(actor);
    return { ...(await this.security.listEvents({ subjectId: f.userId, kind: f.kind, limit: f.limit, offset: f.offset })), limit: f.limit, offset: f.offset };
  }
}

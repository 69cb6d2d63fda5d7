import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { SecurityRepository } from '../../../../libs/persistence/src/repositories/security.repository.js';
import { UserRepository } from '../../../../libs/persistence/src/repositories/user.repository.js';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from './jurisdiction.js';
import { decoyHash, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';

/** Where a sign-in comes from: the client address counts failures, both go to the security log. */
export interface ClientInfo {
  address?: string | null;
  userAgent?: string | null;
}

/** An admitted attempt to prove a password, and what a success clears. */
export interface PasswordAttempt {
  accountKey: string;
  addressKey: string;
  accountAttempts: number;
  addressAttempts: number;
}

export interface LoginResult {
  accessToken: string;
  expiresIn: number;
  expiresAt: string;
  user: { id: string; username: string; fullName: string; roles: unknown[] };
}

/** Session tokens: 32 random bytes; the database keeps only their SHA-256. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;
export const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

@Injectable()
export class AuthService implements OnModuleInit {
  /** Verified against when the account is unknown, so that costs the same work as a wrong password. */
  private decoy!: Promise<string>;
  private readonly log = new Logger('auth');

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SecurityRepository) private readonly security: SecurityRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    this.decoy = decoyHash(this.config.passwordHashCost);
    const admin = this.config.admin;
    if (admin && !(await this.users.findByUsername(admin.username))) {
      const created = await this.users
        .create({ username: admin.username, passwordHash: await this.hash(admin.password), fullName: 'Quản trị hệ thống', roles: [{ role: 'admin', orgUnitId: null }] })
        .catch((e) => {
          if (!String(e?.message).includes('uq_users_username')) throw e; // another instance created it first
          return undefined;
        });
      if (created) {
        await this.security.record({ kind: 'user_created', subjectId: created, username: admin.username, details: { bootstrap: true, roles: [{ role: 'admin', orgUnitId: null }] } });
        this.log.log(`bootstrap admin "${admin.username}" created`);
      }
    }
  }

  /** Refuses a password below the policy; the length is counted in characters as the user typed them. */
  checkPolicy(password: string): void {
    if ([...password].length < MIN_PASSWORD_LENGTH) throw new DomainError('password_too_short', { min: MIN_PASSWORD_LENGTH });
  }

  hash(password: string): Promise<string> {
    return hashPassword(password, this.config.passwordHashCost);
  }

  /**
   * Admits one attempt to prove the password of `username` (a sign-in, or a change of one's own password), or
   * refuses it with 429. A running lock refuses at once, without counting (hammering a locked account does not
   * lengthen its lock). Otherwise the attempt is counted BEFORE the password is checked: of a burst of parallel
   * attempts only those counted before the lock was armed reach the check, so a burst gets no more guesses than
   * one attempt after another.
   */
  async admitAttempt(username: string, client: ClientInfo): Promise<PasswordAttempt> {
    const t = this.config.loginThrottle;
    const accountKey = `account:${username.toLowerCase()}`;
    const addressKey = `address:${client.address ?? 'unknown'}`;
    const throttled = async (locked: 'account' | 'address', seconds: number): Promise<never> => {
      await this.security.record({ kind: 'login_throttled', username, clientAddress: client.address ?? null, details: { locked, retryAfterSeconds: seconds } });
      throw new DomainError('too_many_login_attempts', { seconds });
    };
    const locked = await this.security.activeLock([accountKey, addressKey]);
    if (locked) return throttled(locked.key === accountKey ? 'account' : 'address', locked.retryAfterSeconds);
    const count = (key: string, limit: number) => this.security.countAttempt(key, { limit, windowSeconds: t.windowSeconds, lockSeconds: t.lockSeconds, maxLockSeconds: t.maxLockSeconds });
    const account = await count(accountKey, t.maxFailures);
    if (!account.admitted) return throttled('account', account.retryAfterSeconds);
    const address = await count(addressKey, t.maxFailuresPerAddress);
    if (!address.admitted) return throttled('address', address.retryAfterSeconds);
    return { accountKey, addressKey, accountAttempts: account.attempts, addressAttempts: address.attempts };
  }

  /**
   * The password was wrong: a lock armed when the attempt was counted runs its full time from now (the check
   * itself may have taken a while).
   */
  async failed(attempt: PasswordAttempt): Promise<void> {
    const t = this.config.loginThrottle;
    const lockFor = (attempts: number, limit: number) => Math.min(t.maxLockSeconds, t.lockSeconds * 2 ** Math.min(attempts - limit, 20));
    if (attempt.accountAttempts >= t.maxFailures) await this.security.lock(attempt.accountKey, lockFor(attempt.accountAttempts, t.maxFailures));
    if (attempt.addressAttempts >= t.maxFailuresPerAddress) await this.security.lock(attempt.addressKey, lockFor(attempt.addressAttempts, t.maxFailuresPerAddress));
  }

  /** The password was right: the account's count and lock are cleared, the address gets its attempt back. */
  async succeeded(attempt: PasswordAttempt): Promise<void> {
    await this.security.clearAttempt(attempt.accountKey, attempt.addressKey);
  }

  async login(username: string, password: string, client: ClientInfo = {}): Promise<LoginResult> {
    const attempt = await this.admitAttempt(username, client);
    const logBase = { username, clientAddress: client.address ?? null };

    const user = await this.users.findByUsername(username);
    const { ok, needsRehash } = await verifyPassword(password, user ? user.passwordHash : await this.decoy, this.config.passwordHashCost);
    if (!user || !user.active || !ok) {
      await this.failed(attempt);
      const reason = !user ? 'unknown_user' : !user.active ? 'inactive' : 'bad_password';
      // What was typed as a username is kept only when it names an account: a password typed into the wrong
      // field must not end up in the log.
      await this.security.record({
        kind: 'login_failed',
        subjectId: user?.id,
        username: user ? username : null,
        clientAddress: client.address ?? null,
        details: { reason, accountAttempts: attempt.accountAttempts, addressAttempts: attempt.addressAttempts },
      });
      if (Math.random() < 0.01) await this.security.pruneThrottle(this.config.loginThrottle.windowSeconds);
      throw new DomainError('bad_credentials');
    }
    await this.succeeded(attempt);
    if (needsRehash) await this.users.rehash(user.id, await this.hash(password));

    const accessToken = randomBytes(32).toString('base64url');
    const session = await this.security.createSession({
      userId: user.id,
      tokenHash: tokenHash(accessToken),
      ttlSeconds: this.config.tokenTtlSeconds,
      clientAddress: client.address,
      userAgent: client.userAgent,
    });
    await this.security.record({ kind: 'login_succeeded', subjectId: user.id, actorId: user.id, ...logBase, details: { sessionId: session.id } });
    return {
      accessToken,
      expiresIn: this.config.tokenTtlSeconds,
      expiresAt: session.expiresAt.toISOString(),
      user: { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles.map(({ role, orgUnitId }) => ({ role, orgUnitId, scope: orgUnitId ? 'subtree' : 'global' })) },
    };
  }

  /** The live session of a bearer token, with the user's current roles. */
  async authenticate(token: string): Promise<AuthUser> {
    if (!TOKEN.test(token)) throw new DomainError('unauthenticated');
    const u = await this.security.sessionUser(tokenHash(token));
    if (!u) throw new DomainError('unauthenticated');
    return { id: u.id, username: u.username, fullName: u.fullName, roles: u.roles, sessionId: u.sessionId };
  }

  async logout(user: AuthUser, client: ClientInfo): Promise<void> {
    if (user.sessionId && (await this.security.revokeSession(user.sessionId, 'logout'))) {
      await this.security.record({ kind: 'logout', actorId: user.id, subjectId: user.id, username: user.username, clientAddress: client.address ?? null, details: { sessionId: user.sessionId } });
    }
  }
}

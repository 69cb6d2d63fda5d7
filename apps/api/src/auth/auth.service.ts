import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import jwt from 'jsonwebtoken';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { SettingsRepository } from '../../../../libs/persistence/src/repositories/settings.repository.js';
import { UserRepository } from '../../../../libs/persistence/src/repositories/user.repository.js';
import { DomainError } from '../common/domain-error.js';
import type { AuthUser } from './jurisdiction.js';

@Injectable()
export class AuthService implements OnModuleInit {
  /**
   * The HMAC key as a KeyObject, made once: given a string, jsonwebtoken tries (and fails) to parse it as a
   * public key on every verify — a thrown exception per request, ~8% of the API's CPU under the inbox load.
   */
  private secret?: KeyObject;
  private readonly log = new Logger('auth');

  constructor(
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(SettingsRepository) private readonly settings: SettingsRepository,
  ) {}

  async onModuleInit(): Promise<void> {
    // Without KETNAP_JWT_SECRET a random secret is generated once and shared through the database.
    const secret = this.config.jwtSecret ?? (await this.settings.getOrCreate('jwt_secret', randomBytes(32).toString('hex')));
    this.secret = createSecretKey(Buffer.from(secret, 'utf8'));
    const admin = this.config.admin;
    if (admin && !(await this.users.findByUsername(admin.username))) {
      await this.users
        .create({ username: admin.username, passwordHash: await this.hash(admin.password), fullName: 'Quản trị hệ thống', roles: [{ role: 'admin', orgUnitId: null }] })
        .catch((e) => {
          if (!String(e?.message).includes('uq_users_username')) throw e; // another instance created it first
        });
      this.log.log(`bootstrap admin "${admin.username}" created`);
    }
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, 10);
  }

  async login(username: string, password: string): Promise<{ accessToken: string; expiresIn: number; user: { id: string; username: string; fullName: string; roles: unknown[] } }> {
    const user = await this.users.findByUsername(username);
    if (!user || !user.active || !(await bcrypt.compare(password, user.passwordHash))) throw new DomainError('bad_credentials');
    const accessToken = jwt.sign({ sub: user.id, username: user.username }, this.secret!, { expiresIn: this.config.tokenTtlSeconds, algorithm: 'HS256' });
    return {
      accessToken,
      expiresIn: this.config.tokenTtlSeconds,
      user: { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles.map(({ role, orgUnitId }) => ({ role, orgUnitId })) },
    };
  }

  /** Verifies a bearer token and loads the user with current roles (role changes apply at once). */
  async authenticate(token: string): Promise<AuthUser> {
    let sub: string;
    try {
      sub = String((jwt.verify(token, this.secret!, { algorithms: ['HS256'] }) as jwt.JwtPayload).sub);
    } catch {
      throw new DomainError('unauthenticated');
    }
    const user = await this.users.findById(sub);
    if (!user || !user.active) throw new DomainError('unauthenticated');
    return { id: user.id, username: user.username, fullName: user.fullName, roles: user.roles };
  }
}

import { Inject, Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { RateLimitRepository } from '../../../../libs/persistence/src/repositories/rate-limit.repository.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from './domain-error.js';

/**
 * Per-user limits of the endpoints that cost the most (a replay reads a whole Temporal history, a verify walks
 * a subtree's hash chains, an export renders a dossier). Counted in PostgreSQL, so a limit holds across every
 * API process; `KETNAP_RATE_LIMITS` overrides any of them.
 */
export const RATE_LIMITS = {
  audit_replay: { limit: 30, windowSeconds: 60 },
  audit_verify: { limit: 10, windowSeconds: 60 },
  history_export: { limit: 10, windowSeconds: 60 },
  candidate_export: { limit: 60, windowSeconds: 60 },
  class_certify: { limit: 10, windowSeconds: 60 },
  calendar_update: { limit: 5, windowSeconds: 60 },
} as const;
export type RateLimitBucket = keyof typeof RATE_LIMITS;

const RATE_LIMIT = 'ketnap:rate-limit';
/** Counts each call of the route against the caller's limit for `bucket`. */
export const RateLimit = (bucket: RateLimitBucket) => SetMetadata(RATE_LIMIT, bucket);

/** Runs after the auth guard (it needs the user): a call over the limit is a 429 with Retry-After. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private calls = 0;

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(RateLimitRepository) private readonly hits: RateLimitRepository,
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const bucket = this.reflector.get<RateLimitBucket | undefined>(RATE_LIMIT, ctx.getHandler());
    if (!bucket) return true;
    const user: AuthUser | undefined = ctx.switchToHttp().getRequest().user;
    if (!user) return true; // public routes carry no limit of this kind
    const { limit, windowSeconds } = this.config.rateLimits[bucket] ?? RATE_LIMITS[bucket];
    const { hits, resetSeconds } = await this.hits.hit(`${bucket}:${user.id}`, windowSeconds);
    if (++this.calls % 1000 === 0) await this.hits.prune(86_400);
    if (hits > limit) throw new DomainError('rate_limited', { seconds: resetSeconds, limit, window: windowSeconds });
    return true;
  }
}

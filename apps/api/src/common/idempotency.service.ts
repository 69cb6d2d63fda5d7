import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Lang } from '../../../../libs/domain/src/messages.js';
import { IdempotencyRepository } from '../../../../libs/persistence/src/repositories/idempotency.repository.js';
import { DomainError, statusFor } from './domain-error.js';
import { errorBody } from './error-body.js';

export interface Answer {
  statusCode: number;
  body: unknown;
}

/**
 * Runs a write at most once per (user, Idempotency-Key): a repeat gets the first answer, refusals included.
 * Transient failures (5xx) are forgotten so the client can retry.
 */
@Injectable()
export class IdempotencyService {
  constructor(@Inject(IdempotencyRepository) private readonly repo: IdempotencyRepository) {}

  /** Longer than any request takes (a bulk of 200 decisions included): after it, the first attempt is dead. */
  static readonly RERUN_AFTER_SECONDS = 120;

  static hash(parts: unknown[]): string {
    return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  }

  /**
   * `opts.rerunAfterSeconds`: see IdempotencyRepository.begin — for writes keyed downstream by the same key, a
   * request left unanswered by a dead API process is run again by the retry instead of answering 409 for ever.
   */
  async run(userId: string, key: string | undefined, requestHash: string, lang: Lang, fn: () => Promise<Answer>, opts: { rerunAfterSeconds?: number } = {}): Promise<Answer> {
    if (!key) return fn();
    if (key.length > 200) throw new DomainError('invalid_field', { field: 'Idempotency-Key', detail: 'max 200 characters' });
    const begun = await this.repo.begin(userId, key, requestHash, opts.rerunAfterSeconds);
    if (begun.state === 'done') return { statusCode: begun.statusCode, body: begun.response };
    if (begun.state === 'in_progress') throw new DomainError('idempotency_in_progress');
    if (begun.state === 'mismatch') throw new DomainError('idempotency_key_reused');
    try {
      const answer = await fn();
      await this.repo.finish(userId, key, answer.statusCode, answer.body);
      return answer;
    } catch (e) {
      if (e instanceof DomainError && statusFor(e.code) < 500) {
        const body = errorBody(e, lang);
        await this.repo.finish(userId, key, body.statusCode, body);
      } else {
        await this.repo.abandon(userId, key);
      }
      throw e;
    }
  }
}

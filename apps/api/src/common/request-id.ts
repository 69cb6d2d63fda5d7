import { createHash, randomUUID } from 'node:crypto';
import type { AuthUser } from '../auth/jurisdiction.js';

/**
 * The Temporal update id (and the request envelope's one-time id) of a write: with an Idempotency-Key the same
 * key always gives the same id, so Temporal itself applies a retried request once and answers it with the first
 * outcome (a retry after the API died mid-request included); without one, a fresh id.
 */
export function requestIdFor(user: Pick<AuthUser, 'id'>, idempotencyKey?: string): string {
  return idempotencyKey ? `idem-${createHash('sha256').update(`${user.id}:${idempotencyKey}`).digest('hex').slice(0, 40)}` : `req-${randomUUID()}`;
}

/** A UUID (version-5 layout) fixed by `name`: the same key names the same new record on every retry. */
export function keyedUuid(name: string): string {
  const h = createHash('sha256').update(name).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

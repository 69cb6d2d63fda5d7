import { createHash } from 'node:crypto';

/** The fields of a history event that the chain protects. */
export interface ChainedEvent {
  candidateId: string;
  seq: number;
  type: string;
  /** ISO 8601 instant with milliseconds, as recorded. */
  at: string;
  businessDate: string | null;
  /** Present on events recorded since it was introduced; absent (not null) before. */
  recordedOn?: string | null;
  actor: unknown;
  ruleSetId: string | null;
  data: unknown;
}

/** JSON with object keys sorted at every level: the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** sha256 over the previous event's hash and this event: altering any event breaks every later link. */
export function eventHash(prevHash: string | null, e: ChainedEvent): string {
  const body = canonicalJson({
    actor: e.actor ?? null,
    at: e.at,
    businessDate: e.businessDate ?? null,
    candidateId: e.candidateId,
    data: e.data ?? {},
    recordedOn: e.recordedOn ?? undefined,
    ruleSetId: e.ruleSetId ?? null,
    seq: e.seq,
    type: e.type,
  });
  return createHash('sha256').update(`${prevHash ?? ''}\n${body}`).digest('hex');
}

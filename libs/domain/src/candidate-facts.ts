/**
 * The candidate's facts that change over a long path (issue 16): education, Youth Union membership, and where
 * the candidate lives or works (the hardship-area flag of §2.2 and the place used by the statistics, §8).
 * Pure: the workflow's update validator and handler, and the API, call it. Every later decision is checked
 * against the facts in force (the education and Youth Union rules of §2.2 and §2.3 read them).
 */
import { isIsoDate, type IsoDate } from './dates.js';
import type { CandidateFacts, Violation } from './decisions.js';
import { EDUCATION_LEVELS, type Education } from './procedure.js';

/** The facts a change may carry; `placeId` null clears the place. */
export interface FactsChange {
  education?: Education;
  youthUnionMember?: boolean;
  hardshipArea?: boolean;
  placeId?: string | null;
}

export const CHANGEABLE_FACTS = ['education', 'youthUnionMember', 'hardshipArea', 'placeId'] as const;
export type ChangeableFact = (typeof CHANGEABLE_FACTS)[number];

/** The facts in force: the procedure's facts plus the place. */
export interface FactsInForce {
  education: Education;
  youthUnionMember: boolean;
  hardshipArea: boolean;
  placeId: string | null;
}

/** One changed fact, as recorded in the history. */
export interface FactChange {
  field: ChangeableFact;
  from: string | boolean | null;
  to: string | boolean | null;
}

export function factsInForce(facts: CandidateFacts, placeId: string | null | undefined): FactsInForce {
  return { education: facts.education, youthUnionMember: facts.youthUnionMember, hardshipArea: facts.hardshipArea ?? false, placeId: placeId ?? null };
}

/**
 * The changes a request makes to the facts in force, field by field (from → to), or why it is refused: a value
 * of the wrong kind, an effective date in the future, or nothing that differs from the facts in force.
 */
export function factChanges(
  current: FactsInForce,
  change: FactsChange,
  opts: { today: IsoDate; effectiveOn?: string; reason?: string },
): { ok: true; changes: FactChange[] } | { ok: false; violations: Violation[] } {
  const violations: Violation[] = [];
  const c = (change ?? {}) as Record<string, unknown>;
  const bad = (field: string, detail: string) => violations.push({ code: 'invalid_field', field, params: { field, detail } });
  if (c.education !== undefined && !(EDUCATION_LEVELS as readonly unknown[]).includes(c.education)) bad('education', `one of ${EDUCATION_LEVELS.join(', ')}`);
  for (const field of ['youthUnionMember', 'hardshipArea'] as const) if (c[field] !== undefined && typeof c[field] !== 'boolean') bad(field, 'true or false');
  if (c.placeId !== undefined && c.placeId !== null && (typeof c.placeId !== 'string' || !/^[0-9a-f-]{36}$/i.test(c.placeId))) bad('placeId', 'a place id (uuid) or null');
  if (!opts.reason || !opts.reason.trim()) violations.push({ code: 'missing_field', field: 'reason', params: { field: 'reason' } });
  if (opts.effectiveOn !== undefined) {
    if (!isIsoDate(opts.effectiveOn)) violations.push({ code: 'invalid_date', field: 'effectiveOn', params: { field: 'effectiveOn' } });
    else if (opts.effectiveOn > opts.today) violations.push({ code: 'date_in_future', field: 'effectiveOn', params: { field: 'effectiveOn', date: opts.effectiveOn, today: opts.today } });
  }
  if (violations.length) return { ok: false, violations };
  const changes: FactChange[] = [];
  for (const field of CHANGEABLE_FACTS) {
    const to = c[field] as FactChange['to'] | undefined;
    if (to === undefined || to === current[field]) continue;
    changes.push({ field, from: current[field], to });
  }
  if (!changes.length) return { ok: false, violations: [{ code: 'facts_unchanged', field: 'facts' }] };
  return { ok: true, changes };
}

/** The facts in force after `changes`. */
export function applyFactChanges(current: FactsInForce, changes: readonly FactChange[]): FactsInForce {
  const next: Record<string, unknown> = { ...current };
  for (const ch of changes) next[ch.field] = ch.to;
  return next as unknown as FactsInForce;
}

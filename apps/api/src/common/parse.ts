import { z } from 'zod';
import { isBusinessDate, isIsoDate, MAX_BUSINESS_DATE, MIN_BUSINESS_DATE } from '../../../../libs/domain/src/dates.js';
import type { MessageCode, MessageParams } from '../../../../libs/domain/src/messages.js';
import { DomainError } from './domain-error.js';

/**
 * A business date: a real 'YYYY-MM-DD' in the years the working-day calendar covers. Year 0 (which PostgreSQL
 * refuses) or 9999 (no calendar) is a 400 `date_out_of_range` naming the field, never a database error.
 */
export function businessDate() {
  // A malformed date is only `invalid_date`; the range is checked on real dates.
  return z.iso.date().refine((s) => !isIsoDate(s) || isBusinessDate(s), { params: { code: 'date_out_of_range' }, message: `must be between ${MIN_BUSINESS_DATE} and ${MAX_BUSINESS_DATE}` });
}

/** `limit` (1…max, default `def`) and `offset` (≥ 0) of a paged list. */
export function paging(def: number, max: number) {
  return {
    limit: z.coerce.number().int().min(1).max(max).default(def),
    offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
  };
}

/** Parses a request body or query with its zod schema; a bad one is a 400 naming each bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (r.success) return r.data;
  const violations = r.error.issues.map((i): { code: MessageCode; field: string; params: MessageParams } => {
    const field = i.path.join('.') || 'body';
    if (i.code === 'custom' && (i as { params?: { code?: string } }).params?.code === 'date_out_of_range') {
      return { code: 'date_out_of_range', field, params: { field, min: MIN_BUSINESS_DATE, max: MAX_BUSINESS_DATE } };
    }
    if (i.code === 'invalid_format' && (i as { format?: string }).format === 'date') return { code: 'invalid_date', field, params: { field } };
    const missing = i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined;
    return missing ? { code: 'missing_field', field, params: { field } } : { code: 'invalid_field', field, params: { field, detail: i.message } };
  });
  throw new DomainError(violations[0].code, violations[0].params, violations);
}

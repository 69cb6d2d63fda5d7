import type { z } from 'zod';
import { DomainError } from './domain-error.js';

/** Parses a request body or query with its zod schema; a bad one is a 400 naming each bad field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value ?? {}, { reportInput: true });
  if (r.success) return r.data;
  const violations = r.error.issues.map((i) => {
    const field = i.path.join('.') || 'body';
    const missing = i.code === 'invalid_type' && (i as { input?: unknown }).input === undefined;
    return missing
      ? { code: 'missing_field' as const, field, params: { field } }
      : { code: 'invalid_field' as const, field, params: { field, detail: i.message } };
  });
  throw new DomainError(violations[0].code, violations[0].params, violations);
}

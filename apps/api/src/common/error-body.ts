import { z } from 'zod';
import { renderMessage, type Lang } from '../../../../libs/domain/src/messages.js';
import { DomainError, statusFor } from './domain-error.js';

/** Every error answer's body (4xx and 5xx): the code names the message, rendered in the caller's language. */
export const ErrorBodySchema = z.object({
  statusCode: z.number().int(),
  code: z.string(),
  message: z.string(),
  /** One per bad field of a refused body or query, or per broken rule of a refused decision. */
  violations: z.array(z.object({ code: z.string(), field: z.string().optional(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

export function errorBody(e: DomainError, lang: Lang): ErrorBody {
  const violations = e.violations.map((v) => ({ code: v.code, field: v.field, message: renderMessage(v.code, v.params, lang) }));
  const message = violations.length ? violations.map((v) => v.message).join('; ') : renderMessage(e.code, e.params, lang);
  return { statusCode: statusFor(e.code), code: e.code, message, ...(violations.length ? { violations } : {}) };
}

import { renderMessage, type Lang } from '../../../../libs/domain/src/messages.js';
import { DomainError, statusFor } from './domain-error.js';

export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  violations?: { code: string; field?: string; message: string }[];
}

export function errorBody(e: DomainError, lang: Lang): ErrorBody {
  const violations = e.violations.map((v) => ({ code: v.code, field: v.field, message: renderMessage(v.code, v.params, lang) }));
  const message = violations.length ? violations.map((v) => v.message).join('; ') : renderMessage(e.code, e.params, lang);
  return { statusCode: statusFor(e.code), code: e.code, message, ...(violations.length ? { violations } : {}) };
}

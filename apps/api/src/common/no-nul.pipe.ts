import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { DomainError } from './domain-error.js';

/** The first string in `v` (a path, query or body value, walked deeply) holding U+0000, with where it is. */
export function findNul(v: unknown, at: string, depth = 0): string | undefined {
  if (typeof v === 'string') return v.includes('\u0000') ? at : undefined;
  if (depth > 64 || v === null || typeof v !== 'object') return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (k.includes('\u0000')) return at ? `${at}.${k}` : k;
    const found = findNul(x, at ? `${at}.${k}` : k, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold U+0000 (it fails the whole statement), and no field of ours has a use for it:
 * any path parameter, query value or body string holding one is a 400 naming it, before a handler runs.
 */
export class NoNulPipe implements PipeTransform {
  transform(value: unknown, meta: ArgumentMetadata): unknown {
    if (meta.type === 'custom') return value;
    const field = findNul(value, meta.data ?? '');
    if (field !== undefined) throw new DomainError('invalid_field', { field: field || meta.type, detail: 'U+0000' });
    return value;
  }
}

import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { z } from 'zod';
import { DomainError } from './domain-error.js';

const Uuid = z.uuid();

/** A path parameter that must be a UUID: anything else is a 400 `invalid_field` naming the parameter. */
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, meta: ArgumentMetadata): string {
    if (!Uuid.safeParse(value).success) throw new DomainError('invalid_field', { field: meta.data ?? 'id', detail: 'UUID' });
    return value;
  }
}

/** One shared instance for `@Param('id', uuid)`. */
export const uuid = new UuidPipe();

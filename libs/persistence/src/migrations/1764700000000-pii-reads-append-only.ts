import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropAppendOnly, makeAppendOnly } from './append-only.js';

/**
 * The log of personal-data reads is evidence like the history: PostgreSQL refuses UPDATE, DELETE and
 * TRUNCATE on `pii_reads` for every role (the same rule as `trg_candidate_events_append_only`); only a
 * superuser who switches triggers off can bypass it.
 */
export class PiiReadsAppendOnly1764700000000 implements MigrationInterface {
  name = 'PiiReadsAppendOnly1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await makeAppendOnly(q, 'pii_reads');
  }

  async down(q: QueryRunner): Promise<void> {
    await dropAppendOnly(q, 'pii_reads');
  }
}

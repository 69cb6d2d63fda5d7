import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The form catalogue's codes (admission-procedure.md §3.1), as libs/domain/src/dossier-forms.ts lists them. */
const CODES = ['CN-NTVĐ', '1-KNĐ', '2-KNĐ', '3-KNĐ', '4-KNĐ', '4A-KNĐ', '5-KNĐ', '6-KNĐ', '7-KNĐ', '8-KNĐ', '9-KNĐ', '10-KNĐ', '11-KNĐ', '12-KNĐ', '13-KNĐ', '14-KNĐ', '15-KNĐ', '16-KNĐ', '20-KNĐ'];

/**
 * A scanned form names the catalogue form it is (`form_code`), so the dossier can show each form as present or
 * missing; `kind` stays the uploader's free label. Existing scans whose label is exactly a code take it.
 */
export class AttachmentFormCode1764830000000 implements MigrationInterface {
  name = 'AttachmentFormCode1764830000000';

  async up(q: QueryRunner): Promise<void> {
    const list = CODES.map((c) => `'${c}'`).join(',');
    await q.query(`ALTER TABLE candidate_attachments ADD COLUMN form_code text NULL CONSTRAINT ck_candidate_attachments_form_code CHECK (form_code IN (${list}))`);
    await q.query(`UPDATE candidate_attachments SET form_code = upper(trim(kind)) WHERE upper(trim(kind)) IN (${list})`);
    await q.query(`CREATE INDEX ix_candidate_attachments_form ON candidate_attachments (candidate_id, form_code) WHERE form_code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS ix_candidate_attachments_form`);
    await q.query(`ALTER TABLE candidate_attachments DROP COLUMN IF EXISTS form_code`);
  }
}

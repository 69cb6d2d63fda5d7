import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether a unit's steps may be decided while the forms they consider are missing from the dossier: `warn`
 * (the decision goes through, the task shows what is missing) or `require` (refused, naming the forms). NULL
 * inherits from the unit above; with none set anywhere above, `warn`.
 */
export class DossierFormsPolicy1764850000000 implements MigrationInterface {
  name = 'DossierFormsPolicy1764850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_units ADD COLUMN dossier_forms_policy text NULL CONSTRAINT ck_org_units_dossier_forms_policy CHECK (dossier_forms_policy IN ('warn','require'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_units DROP COLUMN IF EXISTS dossier_forms_policy`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Structures of issue 16: the partial committee (đảng ủy bộ phận), a unit kind between a grassroots committee
 * and its cells with a role of its own (it appraises, 7-KNĐ/14-KNĐ), and the grassroots committee authorised
 * to admit (đảng ủy cơ sở được ủy quyền kết nạp đảng viên), which decides admission and recognition itself.
 */
export class PartialCommittees1764870000000 implements MigrationInterface {
  name = 'PartialCommittees1764870000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_units DROP CONSTRAINT ck_org_units_kind`);
    await q.query(
      `ALTER TABLE org_units ADD CONSTRAINT ck_org_units_kind CHECK (kind IN ('province','superior','grassroots_committee','grassroots_cell','partial_committee','cell','training_centre'))`,
    );
    await q.query(`ALTER TABLE user_roles DROP CONSTRAINT ck_user_roles_role`);
    await q.query(
      `ALTER TABLE user_roles ADD CONSTRAINT ck_user_roles_role CHECK (role IN ('cell_secretary','grassroots_committee','superior_board','partial_committee','training_centre','auditor','admin'))`,
    );
    await q.query(`ALTER TABLE org_units ADD COLUMN authorised_to_admit boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE org_units ADD CONSTRAINT ck_org_units_authorised_to_admit CHECK (NOT authorised_to_admit OR kind = 'grassroots_committee')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_units DROP COLUMN IF EXISTS authorised_to_admit`);
    await q.query(`ALTER TABLE user_roles DROP CONSTRAINT ck_user_roles_role`);
    await q.query(`ALTER TABLE user_roles ADD CONSTRAINT ck_user_roles_role CHECK (role IN ('cell_secretary','grassroots_committee','superior_board','training_centre','auditor','admin'))`);
    await q.query(`ALTER TABLE org_units DROP CONSTRAINT ck_org_units_kind`);
    await q.query(`ALTER TABLE org_units ADD CONSTRAINT ck_org_units_kind CHECK (kind IN ('province','superior','grassroots_committee','grassroots_cell','cell','training_centre'))`);
  }
}

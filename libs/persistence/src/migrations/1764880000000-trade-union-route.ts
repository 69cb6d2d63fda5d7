import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whether the grassroots trade union's introduction resolution (4A-KNĐ) may replace one party-member introducer
 * (§2.3 "Conflict to flag": only if local configuration says so). Set on a grassroots organisation or a level
 * above; NULL inherits from the unit above; with none set anywhere above, not allowed.
 */
export class TradeUnionRoute1764880000000 implements MigrationInterface {
  name = 'TradeUnionRoute1764880000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_units ADD COLUMN trade_union_route boolean NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE org_units DROP COLUMN IF EXISTS trade_union_route`);
  }
}

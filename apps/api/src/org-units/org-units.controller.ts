import { Body, Controller, Get, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { ALLOWED_PARENT_KINDS, ORG_UNIT_KINDS } from '../../../../libs/domain/src/procedure.js';
import { canSetTradeUnionRoute } from '../../../../libs/domain/src/introduction-policy.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { CurrentUser } from '../auth/decorators.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { paging, parse } from '../common/parse.js';
import { uuid } from '../common/uuid.pipe.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const CreateOrgUnit = z.object({
  name: z.string().trim().min(1).max(300),
  kind: z.enum(ORG_UNIT_KINDS),
  parentId: z.uuid().optional(),
});

/** The web app reads the whole tree, page by page (a province's tree is a few hundred units). */
const ListQuery = z.object({ parentId: z.uuid().optional(), ...paging(500, 1000) });

/** `require`: a step's decision is refused while the forms it considers are missing; `warn` (default); null inherits. */
const DossierFormsPolicyBody = z.object({ policy: z.enum(['warn', 'require']).nullable() });

/** `true`: the union resolution replaces one introducer (§2.3); `false`: two members always; null inherits (default: false). */
const TradeUnionRouteBody = z.object({ allowed: z.boolean().nullable() });

@Controller('org-units')
export class OrgUnitsController {
  constructor(@Inject(OrgUnitRepository) private readonly units: OrgUnitRepository) {}

  @Post()
  @ApiDoc({ en: 'Create a unit of the org tree (administrators)', vi: 'Tạo đơn vị (quản trị)', body: CreateOrgUnit })
  async create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const dto = parse(CreateOrgUnit, body);
    const parent = dto.parentId ? ((await this.units.get(dto.parentId)) ?? null) : null;
    if (dto.parentId && !parent) throw new DomainError('org_unit_not_found', { id: dto.parentId });
    if (parent && (await this.units.isDissolved(parent.id))) throw new DomainError('org_unit_dissolved', { id: parent.id });
    const allowed = ALLOWED_PARENT_KINDS[dto.kind];
    if (!allowed.includes(parent ? parent.kind : null)) {
      throw new DomainError('org_unit_parent_invalid', { kind: dto.kind, parent: parent ? `"${parent.kind}"` : '(không có / none)' });
    }
    const { path: _p, ...unit } = await this.units.create(dto.name, dto.kind, parent);
    return unit;
  }

  @Get()
  @ApiDoc({ en: 'The units of the org tree, paged', vi: 'Danh sách đơn vị, theo trang', query: ListQuery })
  async list(@Query() query: unknown) {
    const { items, total } = await this.units.list(parse(ListQuery, query));
    return { items: items.map(({ path: _p, ...u }) => u), total };
  }

  /** The unit's own dossier-forms policy (null: inherited) and the one in force, with the unit that sets it. */
  @Get(':id/dossier-forms-policy')
  @ApiDoc({ en: 'A unit’s dossier-forms policy: its own, the one in force and who sets it', vi: 'Quy định về biểu mẫu hồ sơ của đơn vị: riêng, đang áp dụng, đơn vị đặt' })
  async dossierFormsPolicy(@Param('id', uuid) id: string) {
    const unit = await this.units.get(id);
    if (!unit) throw new DomainError('org_unit_not_found', { id });
    const { policy, setOn } = await this.units.dossierFormsPolicy(unit.path);
    return { orgUnitId: id, own: setOn === id ? policy : null, effective: policy, setOn };
  }

  /** Administrators set whether a unit's steps require their documents before a decision (its subtree inherits). */
  @Put(':id/dossier-forms-policy')
  @ApiDoc({ en: 'Set whether a unit’s steps require their documents (administrators)', vi: 'Đặt yêu cầu biểu mẫu trước khi quyết định (quản trị)', body: DossierFormsPolicyBody })
  async setDossierFormsPolicy(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const { policy } = parse(DossierFormsPolicyBody, body);
    const unit = await this.units.get(id);
    if (!unit) throw new DomainError('org_unit_not_found', { id });
    await this.units.setDossierFormsPolicy(id, policy);
    return this.dossierFormsPolicy(id);
  }

  /**
   * Whether the grassroots trade union's resolution (4A-KNĐ) may replace one introducer for the unit's candidates
   * (§2.3, local configuration): the unit's own setting (null: inherited), the one in force and the unit that sets it.
   */
  @Get(':id/trade-union-route')
  @ApiDoc({ en: 'Whether the trade union’s resolution (4A-KNĐ) may replace an introducer in a unit', vi: 'Cho phép nghị quyết công đoàn (4A-KNĐ) thay một người giới thiệu hay không' })
  async tradeUnionRoute(@Param('id', uuid) id: string) {
    const unit = await this.units.get(id);
    if (!unit) throw new DomainError('org_unit_not_found', { id });
    const { allowed, setOn } = await this.units.tradeUnionRoute(unit.path);
    return { orgUnitId: id, own: setOn === id ? allowed : null, effective: allowed, setOn };
  }

  /** Administrators turn the trade-union route on or off for a grassroots organisation or a level above (inherited below). */
  @Put(':id/trade-union-route')
  @ApiDoc({ en: 'Turn the trade-union route on or off for a unit (administrators)', vi: 'Bật hoặc tắt đường giới thiệu qua công đoàn (quản trị)', body: TradeUnionRouteBody })
  async setTradeUnionRoute(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    if (!isAdmin(user)) throw new DomainError('forbidden');
    const { allowed } = parse(TradeUnionRouteBody, body);
    const unit = await this.units.get(id);
    if (!unit) throw new DomainError('org_unit_not_found', { id });
    if (!canSetTradeUnionRoute(unit.kind)) throw new DomainError('org_unit_setting_level', { kind: unit.kind });
    await this.units.setTradeUnionRoute(id, allowed);
    return this.tradeUnionRoute(id);
  }
}

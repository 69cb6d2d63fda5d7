import { Body, Controller, Delete, Get, Inject, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { z } from 'zod';
import { isTerm } from '../../../../libs/domain/src/reports.js';
import { CurrentUser } from '../auth/decorators.js';
import type { AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';
import { businessDate, paging, parse } from '../common/parse.js';
import { PlanningService } from './planning.service.js';
import { uuid } from '../common/uuid.pipe.js';
import { ApiDoc } from '../openapi/api-doc.decorator.js';

const Year = z.coerce.number().int().min(1930).max(2200);
const Term = z.string().refine(isTerm, { message: 'a term is written YYYY-YYYY, e.g. 2020-2025' });
const QuotaQuery = z.object({ orgUnitId: z.uuid(), year: Year.optional(), term: Term.optional() }).refine((q) => (q.year === undefined) !== (q.term === undefined), {
  path: ['year'],
  message: 'give either year or term',
});
const QuotaBody = z.object({ quota: z.number().int().min(0).max(10_000_000) });
const MembershipBody = z.object({ asOf: businessDate(), partyMembers: z.number().int().min(0).max(100_000_000) });
const MembershipQuery = z.object({ orgUnitId: z.uuid(), asOf: businessDate().optional() });
const PLACE_KINDS = ['hamlet', 'village', 'residential_group', 'school'] as const;
const CreatePlace = z.object({
  name: z.string().trim().min(1).max(300),
  kind: z.enum(PLACE_KINDS),
  orgUnitId: z.uuid(),
  partyMembers: z.number().int().min(0).max(1_000_000).default(0),
  hasCell: z.boolean().default(false),
  asOf: businessDate().optional(),
});
const UpdatePlace = z.object({
  name: z.string().trim().min(1).max(300).optional(),
  partyMembers: z.number().int().min(0).max(1_000_000).optional(),
  hasCell: z.boolean().optional(),
  active: z.boolean().optional(),
  asOf: businessDate().optional(),
});
const PlacesQuery = z.object({ orgUnitId: z.uuid(), includeInactive: z.enum(['true', 'false']).default('false'), ...paging(100, 500) });

/** Admission quotas per year and congress term, allocated downwards. */
@Controller('quotas')
export class QuotasController {
  constructor(@Inject(PlanningService) private readonly planning: PlanningService) {}

  @Get()
  @ApiDoc({ en: 'A unit’s admission quotas for a year or a term', vi: 'Chỉ tiêu kết nạp của đơn vị theo năm hoặc nhiệm kỳ', query: QuotaQuery })
  get(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(QuotaQuery, query);
    return q.term ? this.planning.quotas(user, q.orgUnitId, 'term', q.term) : this.planning.quotas(user, q.orgUnitId, 'year', String(q.year));
  }

  @Put(':orgUnitId/term/:term')
  @ApiDoc({ en: 'Set a unit’s quota for a term', vi: 'Đặt chỉ tiêu của đơn vị cho nhiệm kỳ', body: QuotaBody })
  setTerm(@CurrentUser() user: AuthUser, @Param('orgUnitId', uuid) orgUnitId: string, @Param('term') term: string, @Body() body: unknown) {
    if (!isTerm(term)) throw new DomainError('invalid_field', { field: 'term', detail: 'YYYY-YYYY' });
    return this.planning.setQuota(user, orgUnitId, 'term', term, parse(QuotaBody, body).quota);
  }

  @Put(':orgUnitId/:year')
  @ApiDoc({ en: 'Set a unit’s quota for a year', vi: 'Đặt chỉ tiêu của đơn vị cho năm', body: QuotaBody })
  setYear(@CurrentUser() user: AuthUser, @Param('orgUnitId', uuid) orgUnitId: string, @Param('year') year: string, @Body() body: unknown) {
    const y = Year.safeParse(year);
    if (!y.success || !/^\d{4}$/.test(year)) throw new DomainError('invalid_field', { field: 'year', detail: 'YYYY' });
    return this.planning.setQuota(user, orgUnitId, 'year', String(y.data), parse(QuotaBody, body).quota);
  }
}

/** Party-member counts of org units by date (the base of "admissions as % of membership at the start"). */
@Controller('membership')
export class MembershipController {
  constructor(@Inject(PlanningService) private readonly planning: PlanningService) {}

  @Get()
  @ApiDoc({ en: 'A unit’s party membership count as of a date', vi: 'Số đảng viên của đơn vị tại một ngày', query: MembershipQuery })
  get(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(MembershipQuery, query);
    return this.planning.membership(user, q.orgUnitId, q.asOf);
  }

  @Put(':orgUnitId')
  @ApiDoc({ en: 'Record a unit’s party membership count from a date', vi: 'Ghi số đảng viên của đơn vị từ một ngày', body: MembershipBody })
  set(@CurrentUser() user: AuthUser, @Param('orgUnitId', uuid) orgUnitId: string, @Body() body: unknown) {
    const b = parse(MembershipBody, body);
    return this.planning.setMembership(user, orgUnitId, b.asOf, b.partyMembers);
  }
}

/** Hamlets, villages, residential groups and schools, with their party members and whether they have a cell. */
@Controller('places')
export class PlacesController {
  constructor(@Inject(PlanningService) private readonly planning: PlanningService) {}

  @Post()
  @ApiDoc({ en: 'Create a place (village, hamlet…) of a unit', vi: 'Tạo địa bàn (thôn, xóm…) của đơn vị', body: CreatePlace })
  create(@CurrentUser() user: AuthUser, @Body() body: unknown) {
    return this.planning.createPlace(user, parse(CreatePlace, body));
  }

  @Get()
  @ApiDoc({ en: 'A unit’s places, paged', vi: 'Các địa bàn của đơn vị, theo trang', query: PlacesQuery })
  list(@CurrentUser() user: AuthUser, @Query() query: unknown) {
    const q = parse(PlacesQuery, query);
    return this.planning.places(user, q.orgUnitId, q.includeInactive === 'true', { limit: q.limit, offset: q.offset });
  }

  @Get(':id')
  @ApiDoc({ en: 'A place', vi: 'Một địa bàn' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.planning.place(user, id);
  }

  @Patch(':id')
  @ApiDoc({ en: 'Change a place from a date', vi: 'Sửa địa bàn từ một ngày', body: UpdatePlace })
  update(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string, @Body() body: unknown) {
    return this.planning.updatePlace(user, id, parse(UpdatePlace, body));
  }

  /** A place that no longer exists (merged, dissolved): kept in the history, gone from later dates. */
  @Delete(':id')
  @ApiDoc({ en: 'End a place (merged, dissolved): kept in the history', vi: 'Kết thúc địa bàn (sáp nhập, giải thể): vẫn giữ trong lịch sử' })
  remove(@CurrentUser() user: AuthUser, @Param('id', uuid) id: string) {
    return this.planning.updatePlace(user, id, { active: false });
  }
}

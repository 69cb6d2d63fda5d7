import { Inject, Injectable } from '@nestjs/common';
import { checkAllocation, percent } from '../../../../libs/domain/src/reports.js';
import type { Role } from '../../../../libs/domain/src/procedure.js';
import { OrgUnitRepository, type OrgUnit } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { PlanningRepository, type PeriodKind, type Place, type PlaceKind } from '../../../../libs/persistence/src/repositories/planning.repository.js';
import { hasRoleOver, isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { ClockService } from '../clock/clock.service.js';
import { DomainError } from '../common/domain-error.js';
import { readsUnit } from '../reports/reports.service.js';

/** Who plans: the committees above (auditors and cells only read). */
const PLANNERS: readonly Role[] = ['superior_board', 'grassroots_committee'];

@Injectable()
export class PlanningService {
  constructor(
    @Inject(PlanningRepository) private readonly planning: PlanningRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(ClockService) private readonly clock: ClockService,
  ) {}

  private async unit(id: string): Promise<OrgUnit> {
    const u = await this.units.get(id);
    if (!u) throw new DomainError('org_unit_not_found', { id });
    return u;
  }

  private reads(user: AuthUser, unit: Pick<OrgUnit, 'path'>) {
    if (!readsUnit(user, unit.path)) throw new DomainError('out_of_jurisdiction', { role: 'superior_board' });
  }

  private writes(user: AuthUser, path: string, roles: readonly Role[] = PLANNERS) {
    if (!isAdmin(user) && !hasRoleOver(user, roles, path)) throw new DomainError('out_of_jurisdiction', { role: roles[0] });
  }

  /** A unit's quota for a year or term, its children's, and what is left to allocate. */
  async quotas(user: AuthUser, orgUnitId: string, periodKind: PeriodKind, period: string) {
    const unit = await this.unit(orgUnitId);
    this.reads(user, unit);
    const rows = await this.planning.quotas(orgUnitId, periodKind, period);
    const own = rows.find((r) => r.orgUnitId === orgUnitId)!;
    const children = rows.filter((r) => r.orgUnitId !== orgUnitId);
    const allocated = children.reduce((s, r) => s + (r.quota ?? 0), 0);
    return {
      orgUnitId,
      name: own.name,
      kind: own.kind,
      periodKind,
      period,
      quota: own.quota,
      allocated,
      unallocated: own.quota === null ? null : own.quota - allocated,
      percentAllocated: percent(allocated, own.quota),
      children: children.map(({ parentId: _p, periodKind: _k, period: _q, ...c }) => c),
    };
  }

  /**
   * Sets a unit's quota: by a committee over the unit above it (an administrator for a unit at the top). The
   * children of a unit may never receive more than the unit's own quota, and a unit's quota never drops
   * below what it has handed down — both refused with the figures.
   */
  async setQuota(user: AuthUser, orgUnitId: string, periodKind: PeriodKind, period: string, quota: number) {
    const unit = await this.unit(orgUnitId);
    const parent = unit.parentId ? await this.unit(unit.parentId) : null;
    if (parent) this.writes(user, parent.path);
    else if (!isAdmin(user)) throw new DomainError('forbidden');
    const refusal = await this.planning.setQuota({ orgUnitId, parentId: parent?.id ?? null, periodKind, period, quota, setBy: user.id }, (f) => checkAllocation({ quota, ...f }));
    if (refusal) throw new DomainError(refusal.code, refusal.params);
    return this.quotas(user, orgUnitId, periodKind, period);
  }

  async setMembership(user: AuthUser, orgUnitId: string, asOf: string, partyMembers: number) {
    const unit = await this.unit(orgUnitId);
    this.writes(user, unit.path, [...PLANNERS, 'cell_secretary']);
    const today = this.clock.today();
    if (asOf > today) throw new DomainError('date_in_future', { field: 'asOf', date: asOf, today });
    await this.planning.setMembership(orgUnitId, asOf, partyMembers, user.id);
    return this.membership(user, orgUnitId, asOf);
  }

  async membership(user: AuthUser, orgUnitId: string, asOf?: string) {
    const unit = await this.unit(orgUnitId);
    this.reads(user, unit);
    const on = asOf ?? this.clock.today();
    return { orgUnitId, asOf: on, ...(await this.planning.membership(unit.path, on)) };
  }

  private placeView(p: Place) {
    const { orgUnitPath: _p, ...rest } = p;
    return rest;
  }

  private async placeOf(user: AuthUser, id: string, write: boolean): Promise<Place> {
    const p = await this.planning.place(id);
    if (!p) throw new DomainError('place_not_found', { id });
    if (write) this.writes(user, p.orgUnitPath);
    else this.reads(user, { path: p.orgUnitPath });
    return p;
  }

  async createPlace(user: AuthUser, dto: { name: string; kind: PlaceKind; orgUnitId: string; partyMembers: number; hasCell: boolean; asOf?: string }) {
    const unit = await this.unit(dto.orgUnitId);
    this.writes(user, unit.path);
    const id = await this.planning.createPlace({ ...dto, asOf: dto.asOf ?? this.clock.today(), userId: user.id });
    return this.place(user, id);
  }

  async updatePlace(user: AuthUser, id: string, dto: { name?: string; partyMembers?: number; hasCell?: boolean; active?: boolean; asOf?: string }) {
    await this.placeOf(user, id, true);
    const asOf = dto.asOf ?? this.clock.today();
    const today = this.clock.today();
    if (asOf > today) throw new DomainError('date_in_future', { field: 'asOf', date: asOf, today });
    await this.planning.updatePlace(id, { ...dto, asOf, userId: user.id });
    return this.place(user, id);
  }

  async place(user: AuthUser, id: string) {
    const p = await this.placeOf(user, id, false);
    return { ...this.placeView(p), history: await this.planning.snapshots(id) };
  }

  async places(user: AuthUser, orgUnitId: string, includeInactive: boolean, page: { limit: number; offset: number }) {
    const unit = await this.unit(orgUnitId);
    this.reads(user, unit);
    const { items, total } = await this.planning.places(unit.path, includeInactive, page);
    return { items: items.map((p) => this.placeView(p)), total };
  }
}

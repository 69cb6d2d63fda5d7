import { Inject, Injectable } from '@nestjs/common';
import { percent, yearsOf } from '../../../../libs/domain/src/reports.js';
import { OrgUnitRepository, type OrgUnit } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { ReportsRepository, type AdmissionCounts, type ReportUnit } from '../../../../libs/persistence/src/repositories/reports.repository.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { ClockService } from '../clock/clock.service.js';
import { DomainError } from '../common/domain-error.js';
import type { Table } from './table-export.js';

export interface Period {
  orgUnitId: string;
  from: string;
  to: string;
}

const COUNT_KEYS = ['admitted', 'women', 'ethnicMinority', 'youthUnion', 'religious', 'age30OrUnder', 'upperSecondaryOrAbove', 'collegeOrAbove'] as const;
const zero = (orgUnitId: string): AdmissionCounts => ({ orgUnitId, admitted: 0, women: 0, ethnicMinority: 0, youthUnion: 0, religious: 0, age30OrUnder: 0, upperSecondaryOrAbove: 0, collegeOrAbove: 0 });

const col = (key: string, vi: string, en: string) => ({ key, vi, en });

/** Any role over a unit (auditors included) reads its figures; a grant covers its subtree. */
export function readsUnit(user: AuthUser, path: string): boolean {
  return isAdmin(user) || user.roles.some((g) => path.startsWith(g.orgUnitPath));
}

/** The statistics party organisations publish (§8), for any subtree and period, from the read model. */
@Injectable()
export class ReportsService {
  constructor(
    @Inject(ReportsRepository) private readonly reports: ReportsRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(ClockService) private readonly clock: ClockService,
  ) {}

  /** The unit the report is about; any role over it (auditors included) may read its figures. */
  async scope(user: AuthUser, orgUnitId: string): Promise<OrgUnit> {
    const unit = await this.units.get(orgUnitId);
    if (!unit) throw new DomainError('org_unit_not_found', { id: orgUnitId });
    if (!readsUnit(user, unit.path)) throw new DomainError('out_of_jurisdiction', { role: 'superior_board' });
    return unit;
  }

  /** The period asked for, or from 1 January of this year to today. */
  period(q: { from?: string; to?: string }): { from: string; to: string } {
    const today = this.clock.today();
    const from = q.from ?? `${today.slice(0, 4)}-01-01`;
    const to = q.to ?? today;
    if (from > to) throw new DomainError('report_period_invalid', { from, to });
    return { from, to };
  }

  /**
   * Admissions per child unit against its quota (the annual quotas of the years the period touches, or a
   * congress term's quota) and against its party membership at the start of the period, with the
   * composition; and a total for the unit (its own quota if set, otherwise its children's).
   */
  async admissions(user: AuthUser, q: Period & { term?: string }) {
    const root: ReportUnit = await this.scope(user, q.orgUnitId);
    const children = await this.reports.children(root.id);
    const counts = new Map((await this.reports.admissions(root, q.from, q.to)).map((c) => [c.orgUnitId, c]));
    const units = [...children];
    if (counts.has(root.id) || units.length === 0) units.push(root);
    const basis = q.term ? { kind: 'term' as const, periods: [q.term] } : { kind: 'year' as const, periods: yearsOf(q.from, q.to).map(String) };
    const quotas = await this.reports.quotas([root.id, ...children.map((u) => u.id)], basis.kind, basis.periods);
    const members = await this.reports.membershipByChild(root, q.from);
    const line = (u: ReportUnit, c: AdmissionCounts, quota: number | null, membership: number | null) => ({
      ...c,
      orgUnitId: u.id,
      name: u.name,
      kind: u.kind,
      quota,
      percentOfQuota: percent(c.admitted, quota),
      membershipAtStart: membership,
      percentOfMembership: percent(c.admitted, membership),
    });
    const rows = units.map((u) => {
      const c = counts.get(u.id) ?? zero(u.id);
      // The root's own line (candidates of its own cell) has no quota of its own: the total carries it.
      return line(u, c, u.id === root.id ? null : (quotas.get(u.id) ?? null), members.get(u.id) ?? (u.id === root.id ? null : 0));
    });
    const sum = zero(root.id);
    for (const c of counts.values()) for (const k of COUNT_KEYS) sum[k] += c[k];
    const childQuotas = children.map((u) => quotas.get(u.id)).filter((x): x is number => x !== undefined);
    const totalQuota = quotas.get(root.id) ?? (childQuotas.length ? childQuotas.reduce((a, b) => a + b, 0) : null);
    const totalMembers = [...members.values()].reduce((a, b) => a + b, 0);
    const total = { ...line(root, sum, totalQuota, members.size ? totalMembers : null), total: true };
    const shares = {
      women: percent(sum.women, sum.admitted),
      ethnicMinority: percent(sum.ethnicMinority, sum.admitted),
      youthUnion: percent(sum.youthUnion, sum.admitted),
      religious: percent(sum.religious, sum.admitted),
      age30OrUnder: percent(sum.age30OrUnder, sum.admitted),
      upperSecondaryOrAbove: percent(sum.upperSecondaryOrAbove, sum.admitted),
      collegeOrAbove: percent(sum.collegeOrAbove, sum.admitted),
    };
    const composition: Record<string, Record<string, number>> = {};
    for (const r of await this.reports.composition(root, q.from, q.to)) (composition[r.dimension] ??= {})[r.value] = r.count;
    return {
      orgUnit: { id: root.id, name: root.name, kind: root.kind },
      from: q.from,
      to: q.to,
      quotaBasis: basis,
      membershipAsOf: q.from,
      rows,
      total,
      shares,
      composition,
    };
  }

  admissionsTable(r: Awaited<ReturnType<ReportsService['admissions']>>): Table {
    return {
      sheet: 'Ket nap',
      columns: [
        col('name', 'Đơn vị', 'Unit'),
        col('admitted', 'Số kết nạp', 'Admitted'),
        col('quota', 'Chỉ tiêu', 'Quota'),
        col('percentOfQuota', '% chỉ tiêu', '% of quota'),
        col('membershipAtStart', 'Đảng viên đầu kỳ', 'Members at start'),
        col('percentOfMembership', '% so với đảng viên đầu kỳ', '% of members at start'),
        col('women', 'Nữ', 'Women'),
        col('ethnicMinority', 'Dân tộc thiểu số', 'Ethnic minority'),
        col('religious', 'Tôn giáo', 'Religious'),
        col('youthUnion', 'Đoàn viên', 'Youth Union'),
        col('age30OrUnder', 'Từ 30 tuổi trở xuống', 'Aged 30 or under'),
        col('upperSecondaryOrAbove', 'THPT trở lên', 'Upper secondary or above'),
        col('collegeOrAbove', 'Cao đẳng trở lên', 'College or above'),
        col('orgUnitId', 'Mã đơn vị', 'Unit id'),
      ],
      rows: [...r.rows, { ...r.total, name: `Tổng cộng — ${r.total.name}` }],
    };
  }

  /** The pipeline: the cohort introduced in the period, step by step, with conversion and median days; and each step's count within the period. */
  async funnel(user: AuthUser, q: Period) {
    const root = await this.scope(user, q.orgUnitId);
    const f = await this.reports.funnel(root, q.from, q.to);
    const defs = [
      ['sources', 'Quần chúng ưu tú được giới thiệu', 'Introduced (sources)', f.sources, null],
      ['sympathisers', 'Được công nhận cảm tình Đảng', 'Listed as sympathisers', f.sympathisers, f.mdSympathisers],
      ['certified', 'Có giấy chứng nhận lớp nhận thức về Đảng', 'Certified (party-awareness class)', f.certified, f.mdCertified],
      ['admitted', 'Được kết nạp (quyết định của cấp ủy cấp trên)', 'Admitted (superior decision)', f.admitted, f.mdAdmitted],
      ['official', 'Được công nhận đảng viên chính thức', 'Recognised as official members', f.official, f.mdOfficial],
    ] as const;
    const steps = defs.map(([step, vi, en, count, md], i) => ({
      step,
      name: { vi, en },
      count,
      conversionPercent: i === 0 ? null : percent(count, defs[i - 1][3]),
      overallPercent: percent(count, f.sources),
      medianDaysFromPrevious: md,
      inPeriod: f.inPeriod[step],
    }));
    return { orgUnit: { id: root.id, name: root.name, kind: root.kind }, from: q.from, to: q.to, cohort: 'introduced_in_period', steps };
  }

  funnelTable(r: Awaited<ReturnType<ReportsService['funnel']>>): Table {
    return {
      sheet: 'Pheu',
      columns: [
        col('stepVi', 'Bước', 'Step'),
        col('count', 'Số người (khóa giới thiệu trong kỳ)', 'Count (cohort introduced in period)'),
        col('conversionPercent', '% so với bước trước', '% of previous step'),
        col('overallPercent', '% so với nguồn', '% of sources'),
        col('medianDaysFromPrevious', 'Số ngày (trung vị) từ bước trước', 'Median days from previous step'),
        col('inPeriod', 'Số đạt bước này trong kỳ', 'Reached this step in the period'),
        col('step', 'Mã bước', 'Step code'),
      ],
      rows: r.steps.map((s) => ({ ...s, stepVi: s.name.vi })),
    };
  }

  /** Share of the grassroots organisations of the subtree that admitted at least one member in the period. */
  async grassroots(user: AuthUser, q: Period) {
    const root = await this.scope(user, q.orgUnitId);
    const units = await this.reports.grassrootsAdmissions(root, q.from, q.to);
    const withAdmissions = units.filter((u) => u.admitted > 0).length;
    return { orgUnit: { id: root.id, name: root.name, kind: root.kind }, from: q.from, to: q.to, total: units.length, withAdmissions, percent: percent(withAdmissions, units.length), units };
  }

  grassrootsTable(r: Awaited<ReturnType<ReportsService['grassroots']>>): Table {
    return {
      sheet: 'Co so',
      columns: [col('name', 'Tổ chức cơ sở đảng', 'Grassroots organisation'), col('kind', 'Loại', 'Kind'), col('admitted', 'Số kết nạp', 'Admitted'), col('orgUnitId', 'Mã đơn vị', 'Unit id')],
      rows: r.units,
    };
  }

  /** Open steps past their statutory due time, by the unit that has to act and the step. */
  async overdue(user: AuthUser, orgUnitId: string) {
    const root = await this.scope(user, orgUnitId);
    const now = new Date(this.clock.nowMs()).toISOString();
    const rows = await this.reports.overdue(root, now);
    return { orgUnit: { id: root.id, name: root.name, kind: root.kind }, asOf: now, total: rows.reduce((s, r) => s + r.overdue, 0), rows };
  }

  overdueTable(r: Awaited<ReturnType<ReportsService['overdue']>>): Table {
    return {
      sheet: 'Qua han',
      columns: [
        col('name', 'Đơn vị phải xử lý', 'Unit to act'),
        col('taskType', 'Bước', 'Step'),
        col('overdue', 'Số việc quá hạn', 'Overdue'),
        col('oldestDueDate', 'Hạn sớm nhất', 'Oldest due date'),
        col('orgUnitId', 'Mã đơn vị', 'Unit id'),
      ],
      rows: r.rows,
    };
  }

  /** Hamlets, villages, residential groups and schools without a party member or a cell: at the start and end of the period, and the list at its end. */
  async places(user: AuthUser, q: Period) {
    const root = await this.scope(user, q.orgUnitId);
    const [atFrom, atTo, admitted] = await Promise.all([this.reports.placesAsOf(root, q.from), this.reports.placesAsOf(root, q.to), this.reports.admissionsByPlace(root, q.from, q.to)]);
    const tally = (ps: typeof atFrom) => ({ total: ps.length, withoutMembers: ps.filter((p) => p.partyMembers === 0).length, withoutCell: ps.filter((p) => !p.hasCell).length });
    const start = tally(atFrom);
    const end = tally(atTo);
    return {
      orgUnit: { id: root.id, name: root.name, kind: root.kind },
      from: q.from,
      to: q.to,
      start,
      end,
      change: { withoutMembers: end.withoutMembers - start.withoutMembers, withoutCell: end.withoutCell - start.withoutCell },
      rows: atTo.filter((p) => p.partyMembers === 0 || !p.hasCell).map((p) => ({ ...p, admittedInPeriod: admitted.get(p.id) ?? 0 })),
    };
  }

  placesTable(r: Awaited<ReturnType<ReportsService['places']>>): Table {
    return {
      sheet: 'Thon ban trang',
      columns: [
        col('name', 'Thôn, bản, tổ dân phố, trường', 'Place'),
        col('kind', 'Loại', 'Kind'),
        col('partyMembers', 'Số đảng viên', 'Party members'),
        col('hasCell', 'Có chi bộ', 'Has a cell'),
        col('admittedInPeriod', 'Kết nạp trong kỳ', 'Admitted in period'),
        col('id', 'Mã', 'Id'),
      ],
      rows: r.rows,
    };
  }
}

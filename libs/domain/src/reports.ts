/** Pure calculations behind the statistics reports (§8): shares, medians, quota allocation, certificate numbers. */
import type { IsoDate } from './dates.js';

/** n as a percentage of d, rounded to 2 decimals; null when there is nothing to compare with. */
export function percent(n: number, d: number | null | undefined): number | null {
  if (d === null || d === undefined || !Number.isFinite(d) || d <= 0) return null;
  return Math.round((n / d) * 10_000) / 100;
}

/** The median of a list (mean of the two middle values for an even count); null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Whole days from one ISO date to another. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export interface AllocationInput {
  /** The quota being set. */
  quota: number;
  /** The parent's quota for the same period (null: the parent has none, nothing to stay within). */
  parentQuota: number | null;
  /** The quotas already given to the unit's siblings for the period. */
  siblingsTotal: number;
  /** The quotas already given to the unit's own children for the period. */
  childrenTotal: number;
}

export type AllocationRefusal =
  | { code: 'quota_exceeds_parent'; params: { quota: number; siblingsTotal: number; allocated: number; parentQuota: number } }
  | { code: 'quota_below_children'; params: { quota: number; childrenTotal: number } };

/**
 * Quotas are allocated downwards: what the children of a unit receive may never add up to more than the
 * unit's own quota. Setting a unit's quota is refused when it would push its siblings' total over the
 * parent's quota, or fall below what the unit has already handed down to its own children.
 */
export function checkAllocation(a: AllocationInput): AllocationRefusal | null {
  const allocated = a.siblingsTotal + a.quota;
  if (a.parentQuota !== null && allocated > a.parentQuota) {
    return { code: 'quota_exceeds_parent', params: { quota: a.quota, siblingsTotal: a.siblingsTotal, allocated, parentQuota: a.parentQuota } };
  }
  if (a.childrenTotal > a.quota) return { code: 'quota_below_children', params: { quota: a.quota, childrenTotal: a.childrenTotal } };
  return null;
}

/** A congress term is written as its first and last year, e.g. "2020-2025". */
export function isTerm(term: string): boolean {
  const m = /^(\d{4})-(\d{4})$/.exec(term);
  return !!m && Number(m[2]) > Number(m[1]) && Number(m[2]) - Number(m[1]) <= 10;
}

/** The calendar years a period [from, to] touches (its annual quotas add up). */
export function yearsOf(from: IsoDate, to: IsoDate): number[] {
  const out: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) out.push(y);
  return out;
}

/** A training centre's certificate number: its sequence in the centre's register for the year, "123/CN-2026". */
export function certificateNumber(seq: number, year: number): string {
  return `${seq}/CN-${year}`;
}

/** Age in whole years on a date (birthday counted on the day). */
export function ageOn(dateOfBirth: IsoDate, on: IsoDate): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [y, m, d] = on.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Ethnicity as recorded ("Kinh", "kinh ", "Việt (Kinh)") — anything else is an ethnic minority. */
export function isEthnicMinority(ethnicity: string): boolean {
  const e = ethnicity.trim().toLowerCase();
  return !(e === 'kinh' || e === 'việt' || e.includes('kinh'));
}

/** A recorded religion that means a believer (blank, "không", "none" mean none). */
export function isReligious(religion: string | null | undefined): boolean {
  if (!religion) return false;
  const r = religion.trim().toLowerCase();
  return r !== '' && r !== 'không' && r !== 'khong' && r !== 'none' && r !== 'không có';
}

/** Occupation groups the admission statistics count (cán bộ công chức, viên chức, công nhân, nông dân, …). */
export const OCCUPATIONS = [
  'civil_servant',
  'public_employee',
  'armed_forces',
  'worker',
  'farmer',
  'student',
  'state_enterprise',
  'private_enterprise',
  'foreign_invested_enterprise',
  'self_employed',
  'other',
] as const;
export type Occupation = (typeof OCCUPATIONS)[number];

/** Professional qualification (trình độ chuyên môn), apart from general education. */
export const PROFESSIONAL_QUALIFICATIONS = ['none', 'vocational', 'intermediate', 'college', 'university', 'master', 'doctorate'] as const;
export type ProfessionalQualification = (typeof PROFESSIONAL_QUALIFICATIONS)[number];

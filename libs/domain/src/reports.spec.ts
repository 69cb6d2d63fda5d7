import { ageOn, certificateNumber, checkAllocation, daysBetween, isEthnicMinority, isReligious, isTerm, median, percent, yearsOf } from './reports.js';

describe('percent', () => {
  it('gives 65% for 52 admitted against an annual quota of 80', () => expect(percent(52, 80)).toBe(65));
  it('gives 108% for 54 admitted against a term quota of 50', () => expect(percent(54, 50)).toBe(108));
  it('rounds to two decimals (7.61% of membership)', () => expect(percent(761, 10_000)).toBe(7.61));
  it('rounds 2/3 to 66.67', () => expect(percent(2, 3)).toBe(66.67));
  it('has no figure without a quota or membership', () => {
    expect(percent(3, 0)).toBeNull();
    expect(percent(3, null)).toBeNull();
  });
});

describe('median', () => {
  it('takes the middle value of an odd count', () => expect(median([9, 1, 5])).toBe(5));
  it('averages the two middle values of an even count', () => expect(median([4, 1, 10, 2])).toBe(3));
  it('has no median for no values', () => expect(median([])).toBeNull());
  it('counts days between dates across a leap day', () => expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2));
});

describe(checkAllocation.name, () => {
  it('accepts a quota that keeps the children within the parent', () => {
    expect(checkAllocation({ quota: 30, parentQuota: 80, siblingsTotal: 50, childrenTotal: 0 })).toBeNull();
  });
  it('refuses one more than the parent has left, naming the figures', () => {
    expect(checkAllocation({ quota: 31, parentQuota: 80, siblingsTotal: 50, childrenTotal: 0 })).toEqual({
      code: 'quota_exceeds_parent',
      params: { quota: 31, siblingsTotal: 50, allocated: 81, parentQuota: 80 },
    });
  });
  it('has no ceiling when the parent has no quota', () => {
    expect(checkAllocation({ quota: 500, parentQuota: null, siblingsTotal: 900, childrenTotal: 0 })).toBeNull();
  });
  it('refuses lowering a quota below what was handed down to the children', () => {
    expect(checkAllocation({ quota: 40, parentQuota: null, siblingsTotal: 0, childrenTotal: 45 })).toEqual({
      code: 'quota_below_children',
      params: { quota: 40, childrenTotal: 45 },
    });
  });
});

describe('periods, numbers and composition', () => {
  it('reads a congress term', () => {
    expect(isTerm('2020-2025')).toBe(true);
    expect(isTerm('2025-2020')).toBe(false);
    expect(isTerm('2025')).toBe(false);
  });
  it('lists the years a period touches', () => expect(yearsOf('2025-07-01', '2026-06-30')).toEqual([2025, 2026]));
  it('numbers certificates per register and year', () => expect(certificateNumber(123, 2026)).toBe('123/CN-2026'));
  it('counts age in whole years, the birthday on the day', () => {
    expect(ageOn('1996-06-15', '2026-06-14')).toBe(29);
    expect(ageOn('1996-06-15', '2026-06-15')).toBe(30);
  });
  it('tells ethnic minorities and believers', () => {
    expect(isEthnicMinority('Kinh')).toBe(false);
    expect(isEthnicMinority('Tày')).toBe(true);
    expect(isReligious('Không')).toBe(false);
    expect(isReligious('Công giáo')).toBe(true);
    expect(isReligious(null)).toBe(false);
  });
});

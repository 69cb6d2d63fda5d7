import { readmissionEligibleOn, readmissionViolations, type Readmission } from './readmission.js';

const base: Readmission = { leftOn: '2021-03-15', leftHow: 'removed', previouslyReadmitted: false, firstAdmittedOn: '2010-05-19' };
const codes = (r: Readmission, today: string) => readmissionViolations(r, today).map((v) => v.code);

describe('re-admission (§2.4, T11)', () => {
  it('waits 36 months from leaving: left 15/03/2021, eligible from 15/03/2024', () => {
    expect(readmissionEligibleOn(base)).toBe('2024-03-15');
    expect(codes(base, '2024-03-14')).toEqual(['readmission_too_early']);
    expect(readmissionViolations(base, '2024-03-14')[0].params).toEqual({ eligibleOn: '2024-03-15', eligibleOnDmy: '15/03/2024', months: 36 });
    expect(codes(base, '2024-03-15')).toEqual([]);
  });

  it('waits 60 months after a less serious conviction is cleared, when that is later', () => {
    const r: Readmission = { ...base, leftHow: 'less_serious_crime', recordClearedOn: '2022-06-30' };
    // 36 months from leaving: 15/03/2024; 60 months from the record cleared: 30/06/2027.
    expect(readmissionEligibleOn(r)).toBe('2027-06-30');
    expect(readmissionViolations(r, '2027-06-29')).toEqual([
      { code: 'readmission_too_early', field: 'readmission.recordClearedOn', params: { eligibleOn: '2027-06-30', eligibleOnDmy: '30/06/2027', months: 60 } },
    ]);
    expect(codes(r, '2027-06-30')).toEqual([]);
    expect(codes({ ...base, leftHow: 'less_serious_crime' }, '2030-01-01')).toEqual(['missing_field']);
  });

  it('never re-admits those who abandoned activity, resigned (but for hardship), caused disunity or were convicted of corruption or a serious crime', () => {
    for (const leftHow of ['abandoned_activity', 'resigned', 'serious_disunity', 'corruption_conviction', 'serious_crime_conviction'] as const) {
      expect(codes({ ...base, leftHow }, '2030-01-01')).toEqual(['readmission_never']);
      expect(readmissionEligibleOn({ ...base, leftHow })).toBeUndefined();
    }
    expect(codes({ ...base, leftHow: 'resigned_hardship' }, '2030-01-01')).toEqual([]);
    expect(codes({ ...base, leftHow: 'family_planning' }, '2030-01-01')).toEqual(['readmission_separate_rules']);
  });

  it('re-admits once in a lifetime', () => {
    expect(codes({ ...base, previouslyReadmitted: true }, '2030-01-01')).toEqual(['readmission_only_once']);
  });

  it('refuses dates in the future or out of order', () => {
    expect(codes({ ...base, leftOn: '2031-01-01' }, '2030-01-01')).toContain('date_in_future');
    expect(codes({ ...base, firstAdmittedOn: '2021-03-15' }, '2030-01-01')).toEqual(['readmission_dates_out_of_order']);
  });
});

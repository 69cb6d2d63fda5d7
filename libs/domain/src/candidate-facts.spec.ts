import { applyFactChanges, factChanges, factsInForce, type FactsInForce } from './candidate-facts.js';
import { educationViolation, validateDecision, type DecisionContext } from './decisions.js';
import { ruleSetFor } from './rule-sets.js';

const NOW: FactsInForce = { education: 'primary', youthUnionMember: true, hardshipArea: false, placeId: null };
const PLACE = '3f2c1e4a-9b7d-4c1e-8a2b-1d2e3f4a5b6c';
const opts = { today: '2025-06-02', reason: 'Bằng tốt nghiệp THCS số 123' };

describe('factChanges: a change of the candidate facts over the path (issue 16)', () => {
  it('records each changed fact from → to and leaves out those that stay the same', () => {
    const r = factChanges(NOW, { education: 'lower_secondary', youthUnionMember: true, placeId: PLACE }, opts);
    expect(r).toEqual({
      ok: true,
      changes: [
        { field: 'education', from: 'primary', to: 'lower_secondary' },
        { field: 'placeId', from: null, to: PLACE },
      ],
    });
  });

  it('records a Youth Union membership that ended and a move into a hardship area', () => {
    expect(factChanges(NOW, { youthUnionMember: false, hardshipArea: true }, opts)).toEqual({
      ok: true,
      changes: [
        { field: 'youthUnionMember', from: true, to: false },
        { field: 'hardshipArea', from: false, to: true },
      ],
    });
  });

  it('clears the place with null', () => {
    expect(factChanges({ ...NOW, placeId: PLACE }, { placeId: null }, opts)).toEqual({ ok: true, changes: [{ field: 'placeId', from: PLACE, to: null }] });
  });

  it('refuses a change that changes nothing with facts_unchanged', () => {
    expect(factChanges(NOW, { education: 'primary', youthUnionMember: true }, opts)).toEqual({ ok: false, violations: [{ code: 'facts_unchanged', field: 'facts' }] });
    expect(factChanges(NOW, {}, opts)).toMatchObject({ ok: false, violations: [{ code: 'facts_unchanged' }] });
  });

  it('refuses an unknown education level, a non-boolean membership and a malformed place', () => {
    const r = factChanges(NOW, { education: 'kindergarten' as never, youthUnionMember: 'yes' as never, placeId: 'here' }, opts);
    expect(r.ok ? [] : r.violations.map((v) => [v.code, v.field])).toEqual([
      ['invalid_field', 'education'],
      ['invalid_field', 'youthUnionMember'],
      ['invalid_field', 'placeId'],
    ]);
  });

  it('refuses a change without a reason, and one effective after today', () => {
    const r = factChanges(NOW, { education: 'university' }, { today: '2025-06-02', reason: ' ', effectiveOn: '2025-06-03' });
    expect(r.ok ? [] : r.violations.map((v) => [v.code, v.field])).toEqual([
      ['missing_field', 'reason'],
      ['date_in_future', 'effectiveOn'],
    ]);
  });

  it('gives the facts in force after the change', () => {
    const r = factChanges(factsInForce({ dateOfBirth: '2000-01-01', education: 'primary', youthUnionMember: true }, undefined), { education: 'upper_secondary' }, opts);
    if (!r.ok) throw new Error('refused');
    expect(applyFactChanges(NOW, r.changes)).toEqual({ education: 'upper_secondary', youthUnionMember: true, hardshipArea: false, placeId: null });
  });
});

describe('the education rule reads the facts in force (§2.2)', () => {
  // QĐ 294 (2025): a real lower-secondary diploma; primary only in a hardship area.
  const rules = ruleSetFor('2025-07-10');
  it('refuses primary education outside a hardship area and accepts it once the candidate lives in one', () => {
    expect(educationViolation({ dateOfBirth: '2000-01-01', education: 'primary', youthUnionMember: true, hardshipArea: false }, rules)?.code).toBe('education_insufficient');
    expect(educationViolation({ dateOfBirth: '2000-01-01', education: 'primary', youthUnionMember: true, hardshipArea: true }, rules)).toBeUndefined();
  });

  it('accepts a cell vote once the updated education meets the rule', () => {
    const ctx = (education: 'primary' | 'lower_secondary'): DecisionContext => ({
      today: '2025-07-10',
      candidate: { dateOfBirth: '2000-01-01', education, youthUnionMember: true },
      trainingCertificate: { certificateNo: 'CN-1', issuedOn: '2025-01-10' },
    });
    const vote = { taskType: 'cell_admission_vote' as const, outcome: 'approve', data: { meetingDate: '2025-07-10', officialMembers: 9, inFavour: 6 } };
    const before = validateDecision(vote, ctx('primary'));
    expect(before.ok ? [] : before.violations.map((v) => v.code)).toEqual(['education_insufficient']);
    expect(validateDecision(vote, ctx('lower_secondary')).ok).toBe(true);
  });
});

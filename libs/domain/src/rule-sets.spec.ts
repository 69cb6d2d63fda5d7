import { addDays } from './dates.js';
import { validateDecision, type DecisionContext } from './decisions.js';
import { RULE_SETS, ruleSetById, ruleSetFor } from './rule-sets.js';

describe('ruleSetFor', () => {
  it.each([
    ['2010-01-01', 'QD29-2016'], // before the oldest modelled set: falls back to it
    ['2016-07-24', 'QD29-2016'],
    ['2016-07-25', 'QD29-2016'],
    ['2021-07-29', 'QD29-2016'],
    ['2021-07-30', 'QD24-2021'],
    ['2025-01-19', 'QD24-2021'],
    ['2025-01-20', 'QD232-2025'],
    ['2025-06-30', 'QD232-2025'],
    ['2025-07-01', 'QD294-2025'],
    ['2030-12-31', 'QD294-2025'],
  ])('pins a business date of %s to %s', (date, id) => {
    expect(ruleSetFor(date).id).toBe(id);
  });

  it('returns, for every date it covers, the set whose effective window contains the date', () => {
    for (let d = '2016-07-25'; d <= '2026-01-31'; d = addDays(d, 1)) {
      const r = ruleSetFor(d);
      expect(d >= r.effectiveFrom).toBe(true);
      if (r.effectiveTo) expect(d <= r.effectiveTo).toBe(true);
    }
  });
});

describe('RULE_SETS', () => {
  it('are contiguous: each set ends the day before the next one starts, and only the last is open-ended', () => {
    for (let i = 0; i < RULE_SETS.length - 1; i++) {
      expect(RULE_SETS[i].effectiveTo).toBe(addDays(RULE_SETS[i + 1].effectiveFrom, -1));
    }
    expect(RULE_SETS[RULE_SETS.length - 1].effectiveTo).toBeUndefined();
  });

  it('have unique ids that ruleSetById finds', () => {
    const ids = RULE_SETS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(ruleSetById(id)?.id).toBe(id);
    expect(ruleSetById('QD45-2011')).toBeUndefined();
  });

  it('accept "lower secondary or equivalent" only under the 2016 rules', () => {
    expect(ruleSetFor('2021-07-29').educationEquivalentAccepted).toBe(true);
    expect(ruleSetFor('2021-07-30').educationEquivalentAccepted).toBe(false);
    expect(ruleSetFor('2025-07-01').educationEquivalentAccepted).toBe(false);
  });

  it('count living in the same residential area for introducers only from the 2021 rules', () => {
    expect(ruleSetFor('2021-07-29').residenceCountsForIntroducer).toBe(false);
    expect(ruleSetFor('2021-07-30').residenceCountsForIntroducer).toBe(true);
  });

  it('make the commune the direct superior of grassroots organisations from 1 July 2025 (no district level)', () => {
    expect(ruleSetFor('2025-06-30').superiorLevel).toBe('district');
    expect(ruleSetFor('2025-07-01').superiorLevel).toBe('commune');
  });

  it('share the statutory numbers that did not change between 2016 and 2025', () => {
    for (const r of RULE_SETS) {
      expect(r.minAgeMonths).toBe(216);
      expect(r.maxAgeMonths).toBe(720);
      expect(r.certificateValidityMonths).toBe(60);
      expect(r.introducerMinMonthsTogether).toBe(12);
      expect(r.probationMonths).toBe(12);
      expect(r.dossierFreshnessMonths).toBe(12);
      expect(r.inconclusiveRecognitionVotesBeforeEscalation).toBe(3);
      expect(r.deadlines).toEqual({
        superiorAdmissionWorkingDays: 60,
        superiorAdmissionExtensionMaxWorkingDays: 30,
        ceremonyWorkingDays: 30,
        cellRecognitionWorkingDays: 30,
        superiorRecognitionWorkingDays: 30,
        superiorRecognitionExtensionMaxWorkingDays: 30,
        // §7.7 (QĐ 24 §6.3.1): initiate a transfer within 60, present the letter within 30 working days.
        transferInitiationWorkingDays: 60,
        transferPresentationWorkingDays: 30,
      });
    }
  });

  it('cite the 2025 guidance 06-HD/TW for the rules in force from July 2025', () => {
    expect(ruleSetFor('2025-07-01').guidance).toContain('06-HD/TW');
    expect(ruleSetFor('2025-07-01').citation).toContain('294-QĐ/TW');
  });
});

describe('rule-set pinning of accepted decisions', () => {
  const ctxOn = (today: string): DecisionContext => ({
    today,
    candidate: { dateOfBirth: '1990-05-05', youthUnionMember: false, education: 'university' },
  });

  it.each([
    ['2021-07-29', 'QD29-2016'],
    ['2021-07-30', 'QD24-2021'],
    ['2025-01-19', 'QD24-2021'],
    ['2025-01-20', 'QD232-2025'],
    ['2025-06-30', 'QD232-2025'],
    ['2025-07-01', 'QD294-2025'],
  ])('records a ceremony held on %s with rule set %s, even when entered later', (ceremonyDate, id) => {
    const r = validateDecision({ taskType: 'admission_ceremony', data: { ceremonyDate } }, ctxOn('2026-01-01'));
    expect(r.ok && r.decision.ruleSetId).toBe(id);
    expect(r.ok && r.decision.businessDate).toBe(ceremonyDate);
  });

  it('pins a two-date decision to the later of its dates', () => {
    const r = validateDecision(
      { taskType: 'submit_application', data: { applicationDate: '2025-06-30', cvSubmittedOn: '2025-07-01' } },
      ctxOn('2025-07-02'),
    );
    expect(r.ok && r.decision.businessDate).toBe('2025-07-01');
    expect(r.ok && r.decision.ruleSetId).toBe('QD294-2025');
  });
});

import {
  ageInMonths,
  ageViolations,
  certificateExpiresOn,
  DECISION_DATA_SCHEMAS,
  educationViolation,
  isCertificateValidOn,
  isYouthAge,
  resolveOutcome,
  validateDecision,
  type AcceptedDecision,
  type CandidateFacts,
  type DecisionContext,
  type DecisionResult,
  type Violation,
} from './decisions.js';
import { STEPS, TASK_TYPES, type Education, type TaskType } from './procedure.js';
import { ruleSetFor } from './rule-sets.js';

// ------------------------------------------------------------------------------------------ helpers

const CANDIDATE: CandidateFacts = { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university' };
const CERT = { certificateNo: 'CN-2024-001', issuedOn: '2024-06-01' };

function ctx(overrides: Partial<DecisionContext> = {}): DecisionContext {
  return { today: '2025-03-10', candidate: CANDIDATE, trainingCertificate: CERT, ...overrides };
}

function decide(taskType: TaskType, outcome: string | undefined, data: unknown, c: DecisionContext = ctx()): DecisionResult {
  return validateDecision({ taskType, outcome, data }, c);
}

function codes(r: DecisionResult): string[] {
  return r.ok ? [] : r.violations.map((v) => v.code);
}

function violation(r: DecisionResult, code: string): Violation {
  if (r.ok) throw new Error(`expected a refusal with ${code}, got an accepted decision`);
  const v = r.violations.find((x) => x.code === code);
  if (!v) throw new Error(`expected ${code}, got ${JSON.stringify(r.violations)}`);
  return v;
}

function accepted(r: DecisionResult): AcceptedDecision {
  if (!r.ok) throw new Error(`expected acceptance, got ${JSON.stringify(r.violations)}`);
  return r.decision;
}

/** A cell admission vote held (and entered) on `meetingDate`. */
function cellVote(
  meetingDate: string,
  opts: { outcome?: string; members?: number; inFavour?: number; candidate?: Partial<CandidateFacts>; ctx?: Partial<DecisionContext> } = {},
): DecisionResult {
  return decide(
    'cell_admission_vote',
    opts.outcome ?? 'approve',
    { meetingDate, officialMembers: opts.members ?? 9, inFavour: opts.inFavour ?? 7 },
    ctx({ today: meetingDate, candidate: { ...CANDIDATE, ...opts.candidate }, ...opts.ctx }),
  );
}

type Introducer = {
  fullName: string;
  official: boolean;
  monthsTogether: number;
  basis?: 'work' | 'study' | 'residence';
  replacement?: boolean;
  sameGrassroots?: boolean;
  officialSince?: string;
};
const member = (fullName: string, more: Partial<Introducer> = {}): Introducer => ({ fullName, official: true, monthsTogether: 24, sameGrassroots: true, ...more });
const OPINIONS = { massOrganizations: 'Công đoàn: nhất trí', residence: 'Chi bộ khu dân cư: nhất trí' };
const YU_RESOLUTION = { number: '12-NQ/ĐTN', date: '2025-03-01' };

/** Introductions compiled (and entered) on `compiledOn`. */
function introductions(
  compiledOn: string,
  introducers: Introducer[],
  opts: {
    youthUnionResolution?: { number: string; date: string };
    tradeUnionResolution?: { number: string; date: string; tradeUnionMember: boolean };
    /** Left out: no Youth Union organisation on the two-member route (the route then open at any age), unstated otherwise. */
    youthUnionAtGrassroots?: boolean | null;
    route?: string;
    candidate?: Partial<CandidateFacts>;
    recheck?: boolean;
  } = {},
): DecisionResult {
  const yu = opts.youthUnionAtGrassroots === null ? undefined : opts.youthUnionAtGrassroots ?? (opts.youthUnionResolution || opts.tradeUnionResolution ? undefined : false);
  return decide(
    'record_introductions',
    undefined,
    {
      introducers,
      youthUnionResolution: opts.youthUnionResolution,
      tradeUnionResolution: opts.tradeUnionResolution,
      youthUnionAtGrassroots: yu,
      route: opts.route,
      opinions: OPINIONS,
      compiledOn,
    },
    ctx({ today: compiledOn, candidate: { ...CANDIDATE, ...opts.candidate }, recheck: opts.recheck }),
  );
}

// ------------------------------------------------------------------------------------------ pure rules

describe('ageInMonths', () => {
  it('counts complete months from the date of birth', () => {
    expect(ageInMonths('1998-03-15', '2025-03-14')).toBe(26 * 12 + 11);
    expect(ageInMonths('1998-03-15', '2025-03-15')).toBe(27 * 12);
  });
});

describe('ageViolations', () => {
  const rules = ruleSetFor('2025-01-20');

  it('accepts a candidate on the 18th birthday (216 months)', () => {
    expect(ageViolations('2007-01-20', '2025-01-20', rules)).toEqual([]);
  });

  it('refuses a candidate the day before the 18th birthday with age_below_minimum and the age reached', () => {
    expect(ageViolations('2007-01-20', '2025-01-19', rules)).toEqual([
      { code: 'age_below_minimum', field: 'meetingDate', params: { date: '2025-01-19', years: 17, months: 11 } },
    ]);
  });

  it('accepts a candidate of exactly 60 years (720 months) and through the rest of the 60th-birthday month', () => {
    expect(ageViolations('1965-01-20', '2025-01-20', rules)).toEqual([]);
    expect(ageViolations('1965-01-20', '2025-02-19', rules)).toEqual([]);
  });

  it('refuses a candidate of 60 years and 1 month with age_above_maximum (goes to the province)', () => {
    expect(ageViolations('1965-01-20', '2025-02-20', rules)).toEqual([
      { code: 'age_above_maximum', field: 'meetingDate', params: { date: '2025-02-20', years: 60, months: 1 } },
    ]);
  });

  it('treats 28 February as the birthday of someone born on 29 February in a common year', () => {
    expect(ageViolations('2004-02-29', '2022-02-28', rules)).toEqual([]);
    expect(ageViolations('2004-02-29', '2022-02-27', rules).map((v) => v.code)).toEqual(['age_below_minimum']);
  });

  it('reaches 18 for someone born on 31 January at the end of January, not earlier', () => {
    expect(ageViolations('2007-01-31', '2025-01-30', rules).map((v) => v.code)).toEqual(['age_below_minimum']);
    expect(ageViolations('2007-01-31', '2025-01-31', rules)).toEqual([]);
  });
});

describe('certificateExpiresOn / isCertificateValidOn (T1: 60 months)', () => {
  const rules = ruleSetFor('2025-01-15');

  it('expires 60 months after issue', () => {
    expect(certificateExpiresOn('2020-01-15', rules)).toBe('2025-01-15');
  });

  it('is valid on the day before the expiry date and invalid from the expiry date on', () => {
    expect(isCertificateValidOn('2020-01-15', '2025-01-14', rules)).toBe(true);
    expect(isCertificateValidOn('2020-01-15', '2025-01-15', rules)).toBe(false);
    expect(isCertificateValidOn('2020-01-15', '2025-02-03', rules)).toBe(false);
  });

  it('expires on 28 February for a certificate issued on 29 February', () => {
    expect(certificateExpiresOn('2020-02-29', rules)).toBe('2025-02-28');
  });
});

describe('isYouthAge', () => {
  const rules = ruleSetFor('2025-03-10');

  it('counts 30 years and 11 months as youth age (completed years ≤ 30)', () => {
    expect(ageInMonths('1994-03-15', '2025-03-14')).toBe(30 * 12 + 11);
    expect(isYouthAge('1994-03-15', '2025-03-14', rules)).toBe(true);
  });

  it('does not count 31 full years as youth age', () => {
    expect(isYouthAge('1994-03-15', '2025-03-15', rules)).toBe(false);
  });

  it('counts an 18-year-old as youth age', () => {
    expect(isYouthAge('2007-01-20', '2025-01-20', rules)).toBe(true);
  });
});

describe('educationViolation', () => {
  const rules2016 = ruleSetFor('2020-06-01');
  const rules2021 = ruleSetFor('2021-07-30');
  const facts = (education: Education, hardshipArea?: boolean): CandidateFacts => ({ ...CANDIDATE, education, hardshipArea });

  it('accepts a lower-secondary diploma or higher under every rule set', () => {
    for (const e of ['lower_secondary', 'upper_secondary', 'vocational', 'college', 'university', 'postgraduate'] as const) {
      expect(educationViolation(facts(e), rules2016)).toBeUndefined();
      expect(educationViolation(facts(e), rules2021)).toBeUndefined();
    }
  });

  it('accepts "lower secondary or equivalent" under the 2016 rules only', () => {
    expect(educationViolation(facts('lower_secondary_equivalent'), rules2016)).toBeUndefined();
    expect(educationViolation(facts('lower_secondary_equivalent'), rules2021)).toEqual({
      code: 'education_insufficient',
      field: 'education',
      params: { education: 'lower_secondary_equivalent', required: 'lower_secondary', ruleSet: rules2021.citation },
    });
  });

  it('refuses primary education outside hardship areas', () => {
    expect(educationViolation(facts('primary'), rules2021)?.code).toBe('education_insufficient');
    expect(educationViolation(facts('primary'), rules2016)?.code).toBe('education_insufficient');
  });

  it('accepts completed primary education in hardship areas, but not less', () => {
    expect(educationViolation(facts('primary', true), rules2021)).toBeUndefined();
    expect(educationViolation(facts('none', true), rules2021)?.params?.required).toBe('primary');
  });
});

describe('resolveOutcome', () => {
  it('defaults a single-outcome step to its only outcome', () => {
    expect(resolveOutcome('submit_application', undefined)).toBe('submit');
    expect(resolveOutcome('admission_ceremony', '')).toBe('held');
    expect(resolveOutcome('verify_background', undefined)).toBe('conclude');
  });

  it('does not guess the outcome of a step with a choice', () => {
    expect(resolveOutcome('cell_admission_vote', undefined)).toBeUndefined();
  });

  it('refuses an outcome the step does not have', () => {
    expect(resolveOutcome('cell_admission_vote', 'recognize')).toBeUndefined();
    expect(resolveOutcome('submit_application', 'approve')).toBeUndefined();
  });
});

describe('DECISION_DATA_SCHEMAS', () => {
  it('has a data schema for every step', () => {
    for (const t of TASK_TYPES) expect(DECISION_DATA_SCHEMAS[t]).toBeDefined();
  });
});

// ------------------------------------------------------------------------------------------ validateDecision

describe('validateDecision: outcome', () => {
  it('defaults the outcome of single-outcome steps', () => {
    const r = decide('admission_ceremony', undefined, { ceremonyDate: '2025-03-10' });
    expect(accepted(r).outcome).toBe('held');
  });

  it('refuses a missing outcome on a step with a choice, listing the allowed outcomes', () => {
    const r = decide('cell_admission_vote', undefined, { meetingDate: '2025-03-10', officialMembers: 9, inFavour: 7 });
    expect(violation(r, 'invalid_outcome').params).toEqual({ outcome: '', allowed: 'approve, reject' });
  });

  it('refuses an outcome of another step', () => {
    expect(codes(decide('superior_admission_decision', 'recognize', {}))).toEqual(['invalid_outcome']);
  });
});

describe('validateDecision: data shape', () => {
  it('names each missing field with missing_field', () => {
    const r = decide('cell_admission_vote', 'approve', {});
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.violations).toEqual(
      expect.arrayContaining([
        { code: 'missing_field', field: 'meetingDate', params: { field: 'meetingDate' } },
        { code: 'missing_field', field: 'officialMembers', params: { field: 'officialMembers' } },
        { code: 'missing_field', field: 'inFavour', params: { field: 'inFavour' } },
      ]),
    );
  });

  it('treats absent data as an empty object and reports the missing fields', () => {
    expect(codes(decide('admission_ceremony', undefined, undefined))).toEqual(['missing_field']);
  });

  it('names nested missing fields by their path', () => {
    const r = decide('record_introductions', undefined, { introducers: [], opinions: { massOrganizations: 'x' } });
    expect(violation(r, 'missing_field').field).toBe('opinions.residence');
  });

  it('gives invalid_date for a date that does not exist', () => {
    const r = decide('cell_admission_vote', 'approve', { meetingDate: '2025-02-30', officialMembers: 9, inFavour: 7 });
    expect(r.ok ? [] : r.violations).toEqual([{ code: 'invalid_date', field: 'meetingDate', params: { field: 'meetingDate' } }]);
  });

  it('gives invalid_date for a date in another format', () => {
    const r = decide('admission_ceremony', undefined, { ceremonyDate: '10/03/2025' });
    expect(violation(r, 'invalid_date').field).toBe('ceremonyDate');
  });

  it('gives invalid_field for a negative vote count', () => {
    expect(r2v(decide('cell_admission_vote', 'approve', { meetingDate: '2025-03-10', officialMembers: 9, inFavour: -1 }))).toEqual([['invalid_field', 'inFavour']]);
  });

  // BUG (decisions.ts zodViolations): zod 4 leaves `input` out of issues unless parsing with { reportInput: true },
  // so every invalid_type issue — including a field that IS present with the wrong type — is reported as
  // missing_field ("Required field … is missing"). Expected: a present-but-wrong-typed field is invalid_field.
  it('BUG: reports a field that is present with the wrong type as invalid_field, not missing_field', () => {
    const r = decide('cell_admission_vote', 'approve', { meetingDate: '2025-03-10', officialMembers: '9', inFavour: 7 });
    expect(r2v(r)).toEqual([['invalid_field', 'officialMembers']]);
  });

  it('BUG: reports a fractional vote count (present, not an integer) as invalid_field, not missing_field', () => {
    const r = decide('cell_admission_vote', 'approve', { meetingDate: '2025-03-10', officialMembers: 9.5, inFavour: 7 });
    expect(r2v(r)).toEqual([['invalid_field', 'officialMembers']]);
  });

  it('BUG: reports a date given as a number as invalid, not missing', () => {
    const r = decide('admission_ceremony', undefined, { ceremonyDate: 20250310 });
    expect(r2v(r)).toEqual([['invalid_field', 'ceremonyDate']]);
  });
});

describe('validateDecision: business dates', () => {
  it('refuses a date after business today with date_in_future', () => {
    const r = decide('admission_ceremony', undefined, { ceremonyDate: '2025-03-11' }, ctx({ today: '2025-03-10' }));
    expect(r.ok ? [] : r.violations).toEqual([
      { code: 'date_in_future', field: 'ceremonyDate', params: { field: 'ceremonyDate', date: '2025-03-11', today: '2025-03-10' } },
    ]);
  });

  it('accepts a date equal to business today', () => {
    expect(accepted(decide('admission_ceremony', undefined, { ceremonyDate: '2025-03-10' })).businessDate).toBe('2025-03-10');
  });

  it('refuses a date earlier than the previous step with date_before_previous_step', () => {
    const r = decide('admission_ceremony', undefined, { ceremonyDate: '2025-03-01' }, ctx({ notBefore: '2025-03-02' }));
    expect(r.ok ? [] : r.violations).toEqual([
      { code: 'date_before_previous_step', field: 'ceremonyDate', params: { field: 'ceremonyDate', date: '2025-03-01', previous: '2025-03-02' } },
    ]);
  });

  it('accepts a date on the same day as the previous step', () => {
    expect(decide('admission_ceremony', undefined, { ceremonyDate: '2025-03-02' }, ctx({ notBefore: '2025-03-02' })).ok).toBe(true);
  });

  it('checks every date a decision carries', () => {
    const r = decide(
      'submit_application',
      undefined,
      { applicationDate: '2025-02-01', cvSubmittedOn: '2025-03-11' },
      ctx({ today: '2025-03-10', notBefore: '2025-02-15' }),
    );
    expect(r.ok ? [] : r.violations.map((v) => [v.code, v.field])).toEqual([
      ['date_before_previous_step', 'applicationDate'],
      ['date_in_future', 'cvSubmittedOn'],
    ]);
  });

  it('refuses an application written after the CV was submitted', () => {
    const r = decide('submit_application', undefined, { applicationDate: '2025-03-05', cvSubmittedOn: '2025-03-04' });
    expect(r.ok ? [] : r.violations).toEqual([
      { code: 'application_after_cv', field: 'applicationDate', params: { applicationDate: '2025-03-05', cvSubmittedOn: '2025-03-04' } },
    ]);
  });

  it('accepts an application written on the day the CV is submitted, dated by the later date', () => {
    const d = accepted(decide('submit_application', undefined, { applicationDate: '2025-03-04', cvSubmittedOn: '2025-03-04' }));
    expect(d).toMatchObject({ outcome: 'submit', businessDate: '2025-03-04', ruleSetId: 'QD232-2025' });
  });
});

describe('validateDecision: recognize_sympathiser', () => {
  it('requires a mentor when the cell lists the candidate', () => {
    expect(codes(decide('recognize_sympathiser', 'approve', { meetingDate: '2025-03-10' }))).toEqual(['mentor_required']);
  });

  it('accepts listing with a mentor', () => {
    expect(decide('recognize_sympathiser', 'approve', { meetingDate: '2025-03-10', mentor: { fullName: 'Trần Thị Bình' } }).ok).toBe(true);
  });

  it('needs no mentor to decline listing', () => {
    expect(decide('recognize_sympathiser', 'reject', { meetingDate: '2025-03-10' }).ok).toBe(true);
  });
});

describe('validateDecision: record_training_certificate', () => {
  it('requires the certificate number for a pass', () => {
    expect(violation(decide('record_training_certificate', 'pass', { issuedOn: '2025-03-01' }), 'missing_field').field).toBe('certificateNo');
  });

  it('needs no certificate number for a fail', () => {
    expect(decide('record_training_certificate', 'fail', { issuedOn: '2025-03-01' }).ok).toBe(true);
  });

  it('refuses to record a certificate that has already lapsed', () => {
    const r = decide('record_training_certificate', 'pass', { certificateNo: 'CN-1', issuedOn: '2020-01-15' }, ctx({ today: '2025-01-15' }));
    expect(violation(r, 'certificate_expired').params).toMatchObject({ issuedOn: '2020-01-15', expiresOn: '2025-01-15' });
  });

  it('records a certificate on its last valid day, pinned to the rule set of its issue date', () => {
    const d = accepted(decide('record_training_certificate', 'pass', { certificateNo: 'CN-1', issuedOn: '2020-01-15' }, ctx({ today: '2025-01-14' })));
    expect(d.ruleSetId).toBe('QD29-2016');
    expect(d.businessDate).toBe('2020-01-15');
  });
});

describe('validateDecision: record_introductions', () => {
  const ON_2025 = '2025-03-10';

  it('accepts two official introducers with at least 12 months together each', () => {
    const d = accepted(introductions(ON_2025, [member('A', { monthsTogether: 12 }), member('B', { monthsTogether: 12, basis: 'study' })]));
    expect(d).toMatchObject({ outcome: 'submit', businessDate: ON_2025, ruleSetId: 'QD232-2025' });
  });

  it('refuses an introducer with 11 months together with introducer_too_short', () => {
    const r = introductions(ON_2025, [member('A'), member('B', { monthsTogether: 11 })]);
    expect(r.ok ? [] : r.violations).toEqual([
      { code: 'introducer_too_short', field: 'introducers', params: { name: 'B', monthsTogether: 11, required: 12 } },
    ]);
  });

  it('refuses an introducer who is not an official member', () => {
    const r = introductions(ON_2025, [member('A'), member('B', { official: false })]);
    expect(violation(r, 'introducer_not_official').params).toEqual({ name: 'B' });
  });

  it('refuses a non-official replacement introducer as well', () => {
    expect(codes(introductions(ON_2025, [member('A'), member('B', { official: false, replacement: true })]))).toEqual(['introducer_not_official']);
  });

  it('accepts a replacement introducer without the 12 months together', () => {
    expect(introductions(ON_2025, [member('A'), member('B', { monthsTogether: 0, replacement: true })]).ok).toBe(true);
  });

  it('refuses a single introducer without a Youth Union resolution', () => {
    const r = introductions(ON_2025, [member('A')]);
    expect(r.ok ? [] : r.violations).toEqual([{ code: 'introducers_insufficient', field: 'introducers', params: { valid: 1 } }]);
  });

  it('refuses an empty list of introducers', () => {
    expect(violation(introductions(ON_2025, []), 'introducers_insufficient').params).toEqual({ valid: 0 });
  });

  it('refuses more than two introducers', () => {
    expect(codes(introductions(ON_2025, [member('A'), member('B'), member('C')]))).toEqual(['introducers_too_many']);
  });

  it('refuses the residence basis under the 2016 rules (introductions compiled in 2020)', () => {
    const r = introductions('2020-05-04', [member('A'), member('B', { basis: 'residence' })]);
    expect(r.ok ? [] : r.violations).toEqual([
      { code: 'introducer_residence_not_allowed', field: 'introducers', params: { name: 'B', ruleSet: ruleSetFor('2020-05-04').citation } },
    ]);
  });

  it('refuses the residence basis on the last day of the 2016 rules and accepts it from the first day of QD24-2021', () => {
    expect(codes(introductions('2021-07-29', [member('A'), member('B', { basis: 'residence' })]))).toEqual(['introducer_residence_not_allowed']);
    const d = accepted(introductions('2021-07-30', [member('A'), member('B', { basis: 'residence' })]));
    expect(d.ruleSetId).toBe('QD24-2021');
  });

  it('still requires 12 months for a residence-based introducer from 2021', () => {
    expect(codes(introductions('2021-08-02', [member('A'), member('B', { basis: 'residence', monthsTogether: 6 })]))).toEqual(['introducer_too_short']);
  });

  it('accepts a Youth Union resolution plus one introducer for a Youth Union member of youth age', () => {
    expect(introductions(ON_2025, [member('A')], { youthUnionResolution: YU_RESOLUTION }).ok).toBe(true);
  });

  it('accepts the Youth Union route at 30 years and 11 months', () => {
    const r = introductions('2025-03-14', [member('A')], { youthUnionResolution: YU_RESOLUTION, candidate: { dateOfBirth: '1994-03-15' } });
    expect(r.ok).toBe(true);
  });

  it('refuses the Youth Union route at 31 full years', () => {
    const r = introductions('2025-03-15', [member('A')], { youthUnionResolution: YU_RESOLUTION, candidate: { dateOfBirth: '1994-03-15' } });
    const v = violation(r, 'youth_union_route_not_allowed');
    expect(v.field).toBe('youthUnionResolution');
    expect(v.params?.maxYears).toBe(30);
    expect(String(v.params?.reason)).toContain('is over 30');
  });

  it('refuses the Youth Union route for a candidate who is not a Youth Union member', () => {
    const r = introductions(ON_2025, [member('A')], { youthUnionResolution: YU_RESOLUTION, candidate: { youthUnionMember: false } });
    expect(String(violation(r, 'youth_union_route_not_allowed').params?.reason)).toContain('is not a Youth Union member');
  });

  it('refuses two introducers on top of a Youth Union resolution', () => {
    expect(codes(introductions(ON_2025, [member('A'), member('B')], { youthUnionResolution: YU_RESOLUTION }))).toEqual(['introducers_too_many']);
  });

  it('refuses a Youth Union resolution without any valid introducer', () => {
    expect(codes(introductions(ON_2025, [], { youthUnionResolution: YU_RESOLUTION }))).toEqual(['introducers_insufficient']);
    expect(codes(introductions(ON_2025, [member('A', { monthsTogether: 3 })], { youthUnionResolution: YU_RESOLUTION }))).toEqual([
      'introducer_too_short',
    ]);
  });

  it('dates introductions without compiledOn on business today and records that date', () => {
    const r = decide('record_introductions', undefined, { introducers: [member('A'), member('B')], youthUnionAtGrassroots: false, opinions: OPINIONS }, ctx({ today: '2025-07-01' }));
    const d = accepted(r);
    expect(d.businessDate).toBe('2025-07-01');
    expect(d.data.compiledOn).toBe('2025-07-01');
    expect(d.ruleSetId).toBe('QD294-2025');
  });

  it('fills schema defaults (basis work, not a replacement) in the recorded data', () => {
    const d = accepted(introductions(ON_2025, [member('A'), member('B')]));
    expect(d.data.introducers).toEqual([
      { fullName: 'A', official: true, monthsTogether: 24, basis: 'work', replacement: false, sameGrassroots: true },
      { fullName: 'B', official: true, monthsTogether: 24, basis: 'work', replacement: false, sameGrassroots: true },
    ]);
  });
});

describe('validateDecision: record_introductions, the routes of §2.3 (issue 16)', () => {
  // The candidate (born 1998-03-15) is 26 years 11 months on 2025-03-10: youth age (≤ 30 completed years).
  const ON = '2025-03-10';
  const TU_RESOLUTION = { number: '07-NQ/CĐCS', date: '2025-03-03', tradeUnionMember: true };

  it('requires the Youth Union route for a Youth Union member of youth age where a Youth Union organisation exists', () => {
    const r = introductions(ON, [member('A'), member('B')], { youthUnionAtGrassroots: true });
    expect(r.ok ? [] : r.violations).toEqual([{ code: 'youth_union_route_required', field: 'youthUnionResolution', params: { maxYears: 30 } }]);
  });

  it('requires it still at 30 years and 11 months (born 1994-03-15, compiled 2025-03-14: 371 months)', () => {
    expect(codes(introductions('2025-03-14', [member('A'), member('B')], { youthUnionAtGrassroots: true, candidate: { dateOfBirth: '1994-03-15' } }))).toEqual([
      'youth_union_route_required',
    ]);
  });

  it('accepts two members at 31 full years (372 months) even where a Youth Union organisation exists', () => {
    const d = accepted(introductions('2025-03-15', [member('A'), member('B')], { youthUnionAtGrassroots: true, candidate: { dateOfBirth: '1994-03-15' } }));
    expect(d.data.route).toBe('party_members');
  });

  it('accepts two members for a candidate of youth age where there is no Youth Union organisation, recording the route', () => {
    const d = accepted(introductions(ON, [member('A'), member('B')], { youthUnionAtGrassroots: false }));
    expect(d.data).toMatchObject({ route: 'party_members', youthUnionAtGrassroots: false });
  });

  it('asks whether a Youth Union organisation exists when a candidate of youth age comes with two members', () => {
    const r = introductions(ON, [member('A'), member('B')], { youthUnionAtGrassroots: null });
    expect(r.ok ? [] : r.violations).toEqual([{ code: 'youth_union_organisation_unstated', field: 'youthUnionAtGrassroots', params: { maxYears: 30 } }]);
  });

  it('refuses a candidate of youth age who is not a Youth Union member where a Youth Union organisation exists', () => {
    const r = introductions(ON, [member('A'), member('B')], { youthUnionAtGrassroots: true, candidate: { youthUnionMember: false } });
    expect(codes(r)).toEqual(['youth_union_membership_required']);
  });

  it('records the Youth Union route with its resolution (4-KNĐ number and date)', () => {
    const d = accepted(introductions(ON, [member('A')], { youthUnionResolution: YU_RESOLUTION, youthUnionAtGrassroots: true }));
    expect(d.data).toMatchObject({ route: 'youth_union', youthUnionResolution: { number: '12-NQ/ĐTN', date: '2025-03-01' } });
  });

  it('refuses a Youth Union resolution where the recorder says there is no Youth Union organisation', () => {
    const r = introductions(ON, [member('A')], { youthUnionResolution: YU_RESOLUTION, youthUnionAtGrassroots: false });
    expect(String(violation(r, 'youth_union_route_not_allowed').params?.reason)).toContain('has no Youth Union organisation at the grassroots');
  });

  it('accepts the trade-union route (4A-KNĐ) where there is no Youth Union organisation, for a union member plus one member', () => {
    const d = accepted(introductions(ON, [member('A')], { tradeUnionResolution: TU_RESOLUTION, youthUnionAtGrassroots: false }));
    expect(d.data).toMatchObject({ route: 'trade_union', tradeUnionResolution: TU_RESOLUTION });
  });

  it('accepts the trade-union route beyond youth age too (born 1980-01-01, 45 on 2025-03-10)', () => {
    expect(introductions(ON, [member('A')], { tradeUnionResolution: TU_RESOLUTION, youthUnionAtGrassroots: false, candidate: { dateOfBirth: '1980-01-01', youthUnionMember: false } }).ok).toBe(true);
  });

  it('refuses the trade-union route where a Youth Union organisation exists, or where that is not stated', () => {
    for (const youthUnionAtGrassroots of [true, null]) {
      const r = introductions(ON, [member('A')], { tradeUnionResolution: TU_RESOLUTION, youthUnionAtGrassroots });
      const v = violation(r, 'trade_union_route_not_allowed');
      expect(v.field).toBe('tradeUnionResolution');
      expect(String(v.params?.reason)).toContain('only applies where there is no Youth Union organisation');
    }
  });

  it('refuses the trade-union route for a candidate who is not a trade-union member', () => {
    const r = introductions(ON, [member('A')], { tradeUnionResolution: { ...TU_RESOLUTION, tradeUnionMember: false }, youthUnionAtGrassroots: false });
    expect(String(violation(r, 'trade_union_route_not_allowed').params?.reason)).toContain('must be a trade-union member');
  });

  it('takes one member besides the union resolution, not two', () => {
    expect(codes(introductions(ON, [member('A'), member('B')], { tradeUnionResolution: TU_RESOLUTION, youthUnionAtGrassroots: false }))).toEqual(['introducers_too_many']);
    expect(codes(introductions(ON, [], { tradeUnionResolution: TU_RESOLUTION, youthUnionAtGrassroots: false }))).toEqual(['introducers_insufficient']);
  });

  it('refuses both resolutions at once', () => {
    expect(codes(introductions(ON, [member('A')], { youthUnionResolution: YU_RESOLUTION, tradeUnionResolution: TU_RESOLUTION, youthUnionAtGrassroots: true }))).toContain('introduction_routes_conflict');
  });

  it('refuses a route named without its resolution', () => {
    const r = introductions(ON, [member('A'), member('B')], { route: 'youth_union', youthUnionAtGrassroots: false });
    expect(r.ok ? [] : r.violations).toEqual([{ code: 'introduction_route_evidence_missing', field: 'youthUnionResolution', params: { route: 'youth_union' } }]);
  });

  it('refuses a resolution dated after the dossier was compiled (2025-03-11 after 2025-03-10)', () => {
    const r = introductions(ON, [member('A')], { tradeUnionResolution: { ...TU_RESOLUTION, date: '2025-03-11' }, youthUnionAtGrassroots: false });
    expect(violation(r, 'introduction_resolution_after_compiled')).toEqual({
      code: 'introduction_resolution_after_compiled',
      field: 'tradeUnionResolution.date',
      params: { date: '2025-03-11', compiledOn: '2025-03-10' },
    });
  });

  it('refuses an introducer who is not a member of the same grassroots organisation, or not stated so, replacements included', () => {
    for (const b of [member('B', { sameGrassroots: false }), member('B', { sameGrassroots: undefined }), member('B', { sameGrassroots: false, replacement: true })]) {
      const r = introductions(ON, [member('A'), b], { youthUnionAtGrassroots: false });
      expect(r.ok ? [] : r.violations).toEqual([{ code: 'introducer_not_same_grassroots', field: 'introducers', params: { name: 'B' } }]);
    }
  });

  it('needs no party age: an introducer official for 6 months (since 2024-09-10) with 24 months together qualifies', () => {
    const d = accepted(introductions(ON, [member('A', { officialSince: '2024-09-10' }), member('B')], { youthUnionAtGrassroots: false }));
    expect((d.data.introducers as { officialSince?: string }[])[0].officialSince).toBe('2024-09-10');
  });

  it('refuses an introducer who became official after the introductions were compiled', () => {
    const r = introductions(ON, [member('A', { officialSince: '2025-03-11' }), member('B')], { youthUnionAtGrassroots: false });
    expect(violation(r, 'introducer_not_yet_official').params).toEqual({ name: 'A', officialSince: '2025-03-11', date: ON });
  });

  it('re-accepts, on recheck (replay), a decision recorded before these rules, and records its route', () => {
    const old = { fullName: 'A', official: true, monthsTogether: 24 };
    const r = introductions(ON, [old, { ...old, fullName: 'B' }], { youthUnionAtGrassroots: null, recheck: true });
    expect(accepted(r).data.route).toBe('party_members');
    expect(codes(introductions(ON, [old, { ...old, fullName: 'B' }], { youthUnionAtGrassroots: null }))).toEqual([
      'introducer_not_same_grassroots',
      'introducer_not_same_grassroots',
      'youth_union_organisation_unstated',
    ]);
  });
});

describe('validateDecision: the province exception to a does_not_meet verification (§5.5, issue 16)', () => {
  const ON = '2025-03-10';
  const EXCEPTION = { outstandingRecord: 'Chiến sĩ thi đua cơ sở 2023, 2024', condemnedRelativesActs: true };
  const verify = (data: Record<string, unknown>, more: Partial<DecisionContext> = { provinceCommittee: true }) =>
    decide(
      'verify_background',
      undefined,
      { conclusion: 'does_not_meet', relativesChecked: [{ relation: 'father', result: 'issue' }, { relation: 'mother', result: 'clear' }], concludedOn: ON, provinceException: EXCEPTION, ...data },
      ctx({ today: ON, ...more }),
    );

  it("accepts the request when a relative's past is the issue, the record is outstanding and the acts condemned, under a province", () => {
    expect(accepted(verify({})).data.provinceException).toEqual(EXCEPTION);
  });

  it("refuses it for the candidate's own past (self), for which there is no exception", () => {
    const r = verify({ relativesChecked: [{ relation: 'self', result: 'issue' }, { relation: 'father', result: 'issue' }] });
    expect(String(violation(r, 'province_exception_not_applicable').params?.reason)).toContain("the issue is the candidate's own");
  });

  it('refuses it when no relative has an issue, or with a conclusion that the standards are met', () => {
    expect(codes(verify({ relativesChecked: [{ relation: 'father', result: 'clear' }] }))).toEqual(['province_exception_not_applicable']);
    expect(codes(verify({ conclusion: 'meets' }))).toEqual(['province_exception_not_applicable']);
  });

  it("refuses it when the candidate has not condemned the relatives' acts", () => {
    expect(codes(verify({ provinceException: { ...EXCEPTION, condemnedRelativesActs: false } }))).toEqual(['province_exception_not_condemned']);
  });

  it('refuses it where no province-level committee stands above the units', () => {
    expect(codes(verify({}, { provinceCommittee: false }))).toEqual(['province_exception_no_province']);
  });

  it('takes more than half of the province standing board to approve, with the number of its written approval', () => {
    const board = (outcome: string, data: Record<string, unknown>) =>
      decide('province_political_exception', outcome, { boardMembers: 15, decisionDate: ON, ...data }, ctx({ today: ON }));
    // 15 members: more than half is 8.
    expect(accepted(board('approve', { inFavour: 8, decisionNo: '88-CV/TU' }))).toMatchObject({ businessDate: ON, ruleSetId: 'QD232-2025' });
    expect(violation(board('approve', { inFavour: 7, decisionNo: '88-CV/TU' }), 'majority_not_reached').params).toMatchObject({ needed: 8 });
    expect(codes(board('approve', { inFavour: 9 }))).toEqual(['decision_number_required']);
    expect(board('reject', { inFavour: 7 }).ok).toBe(true);
  });
});

describe('validateDecision: cell_admission_vote', () => {
  it('accepts an approval with two thirds of official members and pins the rule set of the meeting date', () => {
    const d = accepted(cellVote('2025-03-10', { members: 9, inFavour: 6 }));
    expect(d).toMatchObject({ taskType: 'cell_admission_vote', outcome: 'approve', businessDate: '2025-03-10', ruleSetId: 'QD232-2025' });
  });

  it('accepts 2 of 3 official members, the smallest cell', () => {
    expect(cellVote('2025-03-10', { members: 3, inFavour: 2 }).ok).toBe(true);
  });

  it('refuses an approval below two thirds of official members with two_thirds_not_reached', () => {
    const r = cellVote('2025-03-10', { members: 9, inFavour: 5 });
    expect(r.ok ? [] : r.violations).toEqual([
      { code: 'two_thirds_not_reached', field: 'inFavour', params: { inFavour: 5, members: 9, needed: 6, outcome: 'approve' } },
    ]);
  });

  it('refuses 6 of 10: two thirds of 10 needs 7', () => {
    expect(violation(cellVote('2025-03-10', { members: 10, inFavour: 6 }), 'two_thirds_not_reached').params?.needed).toBe(7);
  });

  it('refuses a rejection when two thirds voted in favour with two_thirds_reached_but_rejected', () => {
    expect(codes(cellVote('2025-03-10', { outcome: 'reject', members: 9, inFavour: 6 }))).toEqual(['two_thirds_reached_but_rejected']);
  });

  it('accepts a rejection below two thirds without checking age, education or certificate', () => {
    const r = cellVote('2025-03-10', {
      outcome: 'reject',
      members: 9,
      inFavour: 5,
      candidate: { dateOfBirth: '2010-01-01', education: 'none' },
      ctx: { trainingCertificate: undefined },
    });
    expect(accepted(r).outcome).toBe('reject');
  });

  it('refuses more votes in favour than members with votes_exceed_members', () => {
    const r = cellVote('2025-03-10', { members: 9, inFavour: 10 });
    expect(r.ok ? [] : r.violations).toEqual([{ code: 'votes_exceed_members', field: 'inFavour', params: { inFavour: 10, members: 9 } }]);
  });

  it('refuses a cell with fewer than 3 official members with cell_too_small', () => {
    expect(codes(cellVote('2025-03-10', { members: 2, inFavour: 2 }))).toEqual(['cell_too_small']);
    expect(codes(cellVote('2025-03-10', { outcome: 'reject', members: 0, inFavour: 0 }))).toEqual(['cell_too_small']);
  });

  it('refuses approval the day before the 18th birthday and accepts it on the birthday', () => {
    expect(codes(cellVote('2025-01-19', { candidate: { dateOfBirth: '2007-01-20' } }))).toEqual(['age_below_minimum']);
    expect(cellVote('2025-01-20', { candidate: { dateOfBirth: '2007-01-20' } }).ok).toBe(true);
  });

  it('accepts a candidate of exactly 60 and refuses one of 60 years and 1 month with age_above_maximum', () => {
    expect(cellVote('2025-01-20', { candidate: { dateOfBirth: '1965-01-20' } }).ok).toBe(true);
    expect(codes(cellVote('2025-02-20', { candidate: { dateOfBirth: '1965-01-20' } }))).toEqual(['age_above_maximum']);
  });

  it('lets a cell approve a candidate over 60 (60 years 1 month) where a province-level committee is above it, which decides (§2.2)', () => {
    expect(cellVote('2025-02-20', { candidate: { dateOfBirth: '1965-01-20' }, ctx: { provinceCommittee: true } }).ok).toBe(true);
    // Two thirds are still needed.
    expect(codes(cellVote('2025-02-20', { inFavour: 5, candidate: { dateOfBirth: '1965-01-20' }, ctx: { provinceCommittee: true } }))).toEqual(['two_thirds_not_reached']);
  });

  it('evaluates the age at the meeting date, not at the date the vote is entered', () => {
    const r = cellVote('2025-01-19', { candidate: { dateOfBirth: '2007-01-20' }, ctx: { today: '2025-02-01' } });
    expect(codes(r)).toEqual(['age_below_minimum']);
  });

  describe('certificate validity (T1)', () => {
    const old = { certificateNo: 'CN-2020-15', issuedOn: '2020-01-15' };

    it('refuses a meeting on the day the certificate of 15/01/2020 lapses (15/01/2025)', () => {
      const r = cellVote('2025-01-15', { ctx: { trainingCertificate: old } });
      expect(r.ok ? [] : r.violations).toEqual([
        { code: 'certificate_expired', field: 'meetingDate', params: { certificateNo: 'CN-2020-15', issuedOn: '2020-01-15', expiresOn: '2025-01-15' } },
      ]);
    });

    it('refuses the meeting of 03/02/2025 from the published example', () => {
      expect(codes(cellVote('2025-02-03', { ctx: { trainingCertificate: old } }))).toEqual(['certificate_expired']);
    });

    it('accepts a meeting on 14/01/2025, the last day of validity', () => {
      expect(accepted(cellVote('2025-01-14', { ctx: { trainingCertificate: old } })).ruleSetId).toBe('QD24-2021');
    });

    it('refuses approval when no certificate is on record with certificate_missing', () => {
      expect(codes(cellVote('2025-03-10', { ctx: { trainingCertificate: undefined } }))).toEqual(['certificate_missing']);
    });
  });

  describe('education', () => {
    const cert2019 = { ctx: { trainingCertificate: { certificateNo: 'CN-2019', issuedOn: '2019-09-01' } } };

    it("accepts 'lower_secondary_equivalent' at a meeting under the 2016 rules", () => {
      const d = accepted(cellVote('2020-06-01', { candidate: { education: 'lower_secondary_equivalent' }, ...cert2019 }));
      expect(d.ruleSetId).toBe('QD29-2016');
    });

    it("refuses 'lower_secondary_equivalent' at a meeting under the 2021 rules", () => {
      const r = cellVote('2021-08-02', { candidate: { education: 'lower_secondary_equivalent' }, ...cert2019 });
      expect(violation(r, 'education_insufficient').params).toMatchObject({ required: 'lower_secondary' });
    });

    it('requires lower secondary from 2021 on: primary is refused', () => {
      expect(codes(cellVote('2025-03-10', { candidate: { education: 'primary' } }))).toEqual(['education_insufficient']);
    });

    it('accepts primary education in a hardship area', () => {
      expect(cellVote('2025-03-10', { candidate: { education: 'primary', hardshipArea: true } }).ok).toBe(true);
    });
  });

  describe('dossier freshness (T2)', () => {
    it('accepts a meeting exactly 12 months after the dossier was prepared', () => {
      expect(cellVote('2025-03-10', { ctx: { dossierPreparedOn: '2024-03-10' } }).ok).toBe(true);
    });

    it('refuses a meeting more than 12 months after the dossier was prepared with dossier_stale', () => {
      const r = cellVote('2025-03-11', { ctx: { dossierPreparedOn: '2024-03-10' } });
      expect(violation(r, 'dossier_stale').params).toEqual({ preparedOn: '2024-03-10', date: '2025-03-11' });
    });
  });

  it('reports every problem of an approval at once', () => {
    const r = cellVote('2025-03-10', {
      members: 9,
      inFavour: 5,
      candidate: { dateOfBirth: '2010-01-01', education: 'primary' },
      ctx: { trainingCertificate: undefined },
    });
    expect(codes(r).sort()).toEqual(['age_below_minimum', 'certificate_missing', 'education_insufficient', 'two_thirds_not_reached']);
  });
});

describe('validateDecision: grassroots_admission_review', () => {
  const review = (outcome: string, committeeMembers: number, inFavour: number) =>
    decide('grassroots_admission_review', outcome, { committeeMembers, inFavour, resolutionDate: '2025-03-10' });

  it('accepts an approval by two thirds of committee members', () => {
    expect(accepted(review('approve', 7, 5)).businessDate).toBe('2025-03-10');
  });

  it('refuses an approval below two thirds of committee members', () => {
    expect(violation(review('approve', 7, 4), 'two_thirds_not_reached').params).toMatchObject({ needed: 5 });
  });

  it('refuses a rejection when two thirds approved, naming committeeMembers', () => {
    expect(violation(review('reject', 9, 6), 'two_thirds_reached_but_rejected').field).toBe('committeeMembers');
  });

  it('accepts a rejection below two thirds', () => {
    expect(review('reject', 9, 5).ok).toBe(true);
  });

  it('refuses a committee of 0 members', () => {
    expect(codes(review('approve', 0, 0))).toEqual(['invalid_field']);
  });
});

describe('validateDecision: superior_admission_decision', () => {
  const decision = (outcome: string, boardMembers: number, inFavour: number, decisionNo?: string) =>
    decide('superior_admission_decision', outcome, { boardMembers, inFavour, decisionNo, decisionDate: '2025-03-10' });

  it('admits with more than half of the standing board and a decision number', () => {
    expect(accepted(decision('approve', 9, 5, '123-QĐ/ĐU')).data.decisionNo).toBe('123-QĐ/ĐU');
  });

  it('refuses to admit with exactly half of the board (4 of 8) with majority_not_reached', () => {
    expect(violation(decision('approve', 8, 4, '1'), 'majority_not_reached').params).toMatchObject({ needed: 5, members: 8 });
  });

  it('accepts 5 of 8', () => {
    expect(decision('approve', 8, 5, '1').ok).toBe(true);
  });

  it('requires the decision number to admit', () => {
    expect(r2v(decision('approve', 9, 7))).toEqual([['decision_number_required', 'decisionNo']]);
    expect(r2v(decision('approve', 9, 7, '   '))).toEqual([['invalid_field', 'decisionNo']]);
  });

  it('refuses to record a refusal when more than half voted to admit', () => {
    expect(codes(decision('reject', 9, 5))).toEqual(['majority_reached_but_rejected']);
  });

  it('records a refusal without a decision number', () => {
    expect(decision('reject', 9, 4).ok).toBe(true);
  });

  it('refuses more votes than board members', () => {
    expect(codes(decision('approve', 9, 10, '1'))).toEqual(['votes_exceed_members']);
  });

  describe('receivedOn: the day the cell receives the decision (T4 runs from it)', () => {
    const withReceipt = (decisionDate: string, receivedOn: string) =>
      decide('superior_admission_decision', 'approve', { boardMembers: 9, inFavour: 5, decisionNo: '9-QĐ/ĐU', decisionDate, receivedOn });

    it('records it, keeping the decision date as the business date (party age runs from the signature)', () => {
      const d = accepted(withReceipt('2025-03-03', '2025-03-07'));
      expect(d.data.receivedOn).toBe('2025-03-07');
      expect(d.businessDate).toBe('2025-03-03');
    });

    it('accepts receipt on the day of the decision', () => {
      expect(withReceipt('2025-03-07', '2025-03-07').ok).toBe(true);
    });

    it('refuses a receipt before the decision was signed', () => {
      expect(violation(withReceipt('2025-03-07', '2025-03-06'), 'received_before_decision').params).toEqual({ receivedOn: '2025-03-06', decisionDate: '2025-03-07' });
    });

    it('refuses a receipt after today (10 March 2025)', () => {
      expect(r2v(withReceipt('2025-03-07', '2025-03-11'))).toEqual([['date_in_future', 'receivedOn']]);
    });
  });
});

function r2v(r: DecisionResult): [string, string | undefined][] {
  return r.ok ? [] : r.violations.map((v) => [v.code, v.field]);
}

describe('validateDecision: probation_review', () => {
  const probation = { probationEndsOn: '2026-03-10', today: '2026-03-20' };
  const review = (selfReviewOn: string, mentorReviewOn: string) =>
    decide('probation_review', undefined, { selfReviewOn, mentorReviewOn, opinions: OPINIONS }, ctx(probation));

  it('accepts reviews written on or after the end of the 12 months', () => {
    expect(accepted(review('2026-03-10', '2026-03-12')).businessDate).toBe('2026-03-12');
  });

  it('refuses a review written before the end of probation, naming the field', () => {
    expect(r2v(review('2026-03-09', '2026-03-10'))).toEqual([['before_probation_end', 'selfReviewOn']]);
    expect(r2v(review('2026-03-10', '2026-03-01'))).toEqual([['before_probation_end', 'mentorReviewOn']]);
  });
});

describe('validateDecision: cell_recognition_vote', () => {
  const NEW_MEMBER_CERT = { certificateNo: 'DVM-1', issuedOn: '2025-08-01' };
  const vote = (outcome: string, inFavour: number, opts: { members?: number; meetingDate?: string; cert?: boolean } = {}) =>
    decide(
      'cell_recognition_vote',
      outcome,
      { meetingDate: opts.meetingDate ?? '2026-03-10', officialMembers: opts.members ?? 9, inFavour },
      ctx({ today: '2026-03-20', probationEndsOn: '2026-03-10', newMemberCertificate: opts.cert === false ? undefined : NEW_MEMBER_CERT }),
    );

  it('recognises with two thirds of official members', () => {
    expect(accepted(vote('recognize', 6)).ruleSetId).toBe('QD294-2025');
  });

  it('refuses recognition below two thirds', () => {
    expect(codes(vote('recognize', 5))).toEqual(['two_thirds_not_reached']);
  });

  it('removes with two thirds of official members in favour of removal', () => {
    expect(vote('remove', 6).ok).toBe(true);
  });

  it('refuses removal below two thirds', () => {
    expect(codes(vote('remove', 5))).toEqual(['two_thirds_not_reached']);
  });

  it('accepts an inconclusive vote when two thirds are not reached', () => {
    expect(accepted(vote('inconclusive', 5)).outcome).toBe('inconclusive');
  });

  it('refuses to call a vote inconclusive when two thirds were reached', () => {
    expect(codes(vote('inconclusive', 6))).toEqual(['two_thirds_reached_but_rejected']);
  });

  it('refuses a meeting before the 12 months of probation end', () => {
    const r = vote('recognize', 8, { meetingDate: '2026-03-09' });
    expect(r.ok ? [] : r.violations).toEqual([
      { code: 'before_probation_end', field: 'meetingDate', params: { field: 'meetingDate', date: '2026-03-09', probationEndsOn: '2026-03-10' } },
    ]);
  });

  it('refuses recognition without the new-member class certificate', () => {
    expect(codes(vote('recognize', 8, { cert: false }))).toEqual(['new_member_certificate_missing']);
  });

  it('allows removal without the new-member class certificate', () => {
    expect(vote('remove', 8, { cert: false }).ok).toBe(true);
  });

  it('refuses a cell with fewer than 3 official members', () => {
    expect(codes(vote('inconclusive', 1, { members: 2 }))).toEqual(['cell_too_small']);
  });
});

describe('validateDecision: grassroots_recognition_review', () => {
  const review = (outcome: string, inFavour: number) =>
    decide('grassroots_recognition_review', outcome, { committeeMembers: 9, inFavour, resolutionDate: '2025-03-10' });

  it('needs two thirds of the committee for either proposal', () => {
    expect(review('recognize', 6).ok).toBe(true);
    expect(review('remove', 6).ok).toBe(true);
    expect(codes(review('recognize', 5))).toEqual(['two_thirds_not_reached']);
    expect(codes(review('remove', 5))).toEqual(['two_thirds_not_reached']);
  });

  describe('neither proposal reaching two thirds is recorded as inconclusive (reported up all the same)', () => {
    const split = (inFavour: number, forRemoval?: number) =>
      decide('grassroots_recognition_review', 'inconclusive', { committeeMembers: 9, inFavour, forRemoval, resolutionDate: '2025-03-10' });

    it('accepts 5 for recognition and 4 for removal of 9 (two thirds of 9 is 6)', () => {
      expect(accepted(split(5, 4)).outcome).toBe('inconclusive');
      expect(split(5).ok).toBe(true);
    });

    it('refuses it when recognition reached two thirds (6 of 9)', () => {
      expect(r2v(split(6, 3))).toEqual([['two_thirds_reached_but_rejected', 'committeeMembers']]);
    });

    it('refuses it when removal reached two thirds (6 of 9)', () => {
      expect(r2v(split(3, 6))).toEqual([['two_thirds_reached_but_rejected', 'forRemoval']]);
    });

    it('refuses more votes on both sides than members (5 + 5 of 9)', () => {
      expect(r2v(split(5, 5))).toEqual([['votes_exceed_members', 'forRemoval']]);
    });
  });
});

describe('validateDecision: superior_recognition_decision', () => {
  const NEW_MEMBER = { certificateNo: 'DVM-2025-01', issuedOn: '2025-02-01' };
  const decision = (outcome: string, inFavour: number, decisionNo: string | null = '45-QĐ/ĐU', c: DecisionContext = ctx({ newMemberCertificate: NEW_MEMBER })) =>
    decide('superior_recognition_decision', outcome, { boardMembers: 9, inFavour, decisionNo: decisionNo ?? undefined, decisionDate: '2025-03-10' }, c);

  it('refuses to recognise without the new-member class certificate, also after three failed cell votes (T8), but removes without one', () => {
    expect(r2v(decision('recognize', 5, '45-QĐ/ĐU', ctx()))).toEqual([['new_member_certificate_missing', 'outcome']]);
    expect(decision('remove', 5, '45-QĐ/ĐU', ctx()).ok).toBe(true);
  });

  it('does not apply that rule when the workflow re-checks a decision already recorded (replay of older cases)', () => {
    expect(decision('recognize', 5, '45-QĐ/ĐU', ctx({ recheck: true })).ok).toBe(true);
  });

  it('recognises or removes with more than half of the board', () => {
    expect(decision('recognize', 5).ok).toBe(true);
    expect(decision('remove', 5).ok).toBe(true);
  });

  it('refuses either outcome without more than half', () => {
    expect(codes(decision('recognize', 4))).toEqual(['majority_not_reached']);
    expect(codes(decision('remove', 4))).toEqual(['majority_not_reached']);
  });

  it('records a board split with neither side above half (4 and 4 of 9; more than half of 9 is 5) as inconclusive, without a decision number', () => {
    const split = (inFavour: number, forRemoval: number) =>
      decide('superior_recognition_decision', 'inconclusive', { boardMembers: 9, inFavour, forRemoval, decisionDate: '2025-03-10' });
    expect(accepted(split(4, 4)).outcome).toBe('inconclusive');
    expect(r2v(split(5, 4))).toEqual([['majority_reached_but_rejected', 'boardMembers']]);
    expect(r2v(split(4, 5))).toEqual([['majority_reached_but_rejected', 'forRemoval']]);
  });

  it('requires a decision number for recognition and removal alike', () => {
    expect(codes(decision('recognize', 5, null))).toEqual(['decision_number_required']);
    expect(codes(decision('remove', 5, null))).toEqual(['decision_number_required']);
  });
});

describe('validateDecision: record_new_member_training', () => {
  it('requires the certificate number for a pass and not for a fail', () => {
    expect(codes(decide('record_new_member_training', 'pass', { issuedOn: '2025-03-01' }))).toEqual(['missing_field']);
    expect(decide('record_new_member_training', 'fail', { issuedOn: '2025-03-01' }).ok).toBe(true);
  });
});

describe('validateDecision: every step', () => {
  it('lists only outcomes the step defines', () => {
    for (const t of TASK_TYPES) {
      for (const o of STEPS[t].outcomes) expect(resolveOutcome(t, o)).toBe(o);
    }
  });
});

describe('inconclusive recognition votes counted on both sides', () => {
  const ctx = {
    today: '2026-06-30',
    candidate: { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university' as const },
    newMemberCertificate: { certificateNo: 'DVM-1', issuedOn: '2025-10-01' },
    probationEndsOn: '2026-06-01',
  };
  const vote = (inFavour: number, forRemoval?: number) =>
    validateDecision({ taskType: 'cell_recognition_vote', outcome: 'inconclusive', data: { meetingDate: '2026-06-15', officialMembers: 9, inFavour, forRemoval } }, ctx);

  it('accepts an inconclusive vote when neither side reaches two thirds', () => {
    expect(vote(4, 4).ok).toBe(true);
  });

  it('refuses to call a vote inconclusive when removal reached two thirds', () => {
    const r = vote(2, 6);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations.map((v) => [v.code, v.field])).toEqual([['two_thirds_reached_but_rejected', 'forRemoval']]);
  });

  it('refuses more votes on both sides than official members', () => {
    const r = vote(5, 5);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations[0].code).toBe('votes_exceed_members');
  });
});

describe('validateDecision on dates outside the calendar', () => {
  it.each(['0000-01-01', '1899-12-31', '9999-12-31'])('refuses a meeting date of %s as out of range, naming the field', (meetingDate) => {
    const r = decide('cell_admission_vote', 'approve', { meetingDate, officialMembers: 9, inFavour: 9 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.violations).toEqual([{ code: 'date_out_of_range', field: 'meetingDate', params: { field: 'meetingDate', min: '1900-01-01', max: '2199-12-31' } }]);
  });

  it('still calls a malformed date invalid, not out of range', () => {
    const r = decide('admission_ceremony', undefined, { ceremonyDate: '2025-02-30' });
    expect(!r.ok && r.violations.map((v) => v.code)).toEqual(['invalid_date']);
  });
});

describe('Vote denominator (§3.2 S6): official members minus those the rules leave out', () => {
  const NEW_MEMBER_CERT = { certificateNo: 'DVM-1', issuedOn: '2025-08-01' };
  const admission = (outcome: string, officialMembers: number, exclusions: Record<string, number> | undefined, inFavour: number) =>
    decide('cell_admission_vote', outcome, { meetingDate: '2025-03-10', officialMembers, ...(exclusions ? { exclusions } : {}), inFavour });
  const recognition = (outcome: string, officialMembers: number, exclusions: Record<string, number>, inFavour: number, forRemoval?: number) =>
    decide(
      'cell_recognition_vote',
      outcome,
      { meetingDate: '2026-03-10', officialMembers, exclusions, inFavour, ...(forRemoval === undefined ? {} : { forRemoval }) },
      ctx({ today: '2026-03-20', probationEndsOn: '2026-03-10', newMemberCertificate: NEW_MEMBER_CERT }),
    );
  const NONE = { temporarilyAttached: 0, exemptedAbsent: 0, suspended: 0, prosecuted: 0, detained: 0 };

  it('records officialMembers, every exclusion with its count and the resulting denominator', () => {
    // 12 official members − (1 attached elsewhere + 2 exempted and absent + 1 suspended + 0 + 0) = 8.
    const d = accepted(admission('approve', 12, { temporarilyAttached: 1, exemptedAbsent: 2, suspended: 1 }, 6)).data;
    expect(d).toMatchObject({ officialMembers: 12, exclusions: { temporarilyAttached: 1, exemptedAbsent: 2, suspended: 1, prosecuted: 0, detained: 0 }, denominator: 8, inFavour: 6 });
  });

  it('records no exclusions and the official members as denominator when none are given', () => {
    expect(accepted(admission('approve', 9, undefined, 6)).data).toMatchObject({ officialMembers: 9, exclusions: NONE, denominator: 9 });
  });

  it('takes two thirds of the denominator, not of all official members: 6 of 12 with 3 left out passes (6·3 = 18 ≥ 9·2 = 18)', () => {
    // Without exclusions 6 of 12 fails (needs 8); 12 − 1 prosecuted − 2 detained = 9, two thirds of 9 = 6.
    expect(codes(admission('approve', 12, undefined, 6))).toEqual(['two_thirds_not_reached']);
    expect(accepted(admission('approve', 12, { prosecuted: 1, detained: 2 }, 6)).data.denominator).toBe(9);
  });

  it('refuses 5 of a denominator of 9 and names the denominator and the votes needed', () => {
    expect(violation(admission('approve', 12, { prosecuted: 1, detained: 2 }, 5), 'two_thirds_not_reached').params).toEqual({ inFavour: 5, members: 9, needed: 6, outcome: 'approve' });
  });

  it('refuses a rejection that reached two thirds of the denominator (6 of 9 after 3 left out)', () => {
    expect(codes(admission('reject', 12, { temporarilyAttached: 3 }, 6))).toEqual(['two_thirds_reached_but_rejected']);
  });

  it('counts each category the rules list (attached elsewhere, exempted and absent, suspended, prosecuted, detained) once', () => {
    // 10 − 5 (one of each) = 5; two thirds of 5 = 10/3 → 4 needed; 3 fails, 4 passes.
    const one = { temporarilyAttached: 1, exemptedAbsent: 1, suspended: 1, prosecuted: 1, detained: 1 };
    expect(violation(admission('approve', 10, one, 3), 'two_thirds_not_reached').params).toMatchObject({ members: 5, needed: 4 });
    expect(accepted(admission('approve', 10, one, 4)).data.denominator).toBe(5);
  });

  it('handles a cell of three official members with one left out: the cell exists (≥ 3 official members) and both counted members must agree', () => {
    // 3 − 1 = 2; two thirds of 2 = 4/3 → 2 needed.
    expect(violation(admission('approve', 3, { exemptedAbsent: 1 }, 1), 'two_thirds_not_reached').params).toMatchObject({ inFavour: 1, members: 2, needed: 2 });
    expect(accepted(admission('approve', 3, { exemptedAbsent: 1 }, 2)).data).toMatchObject({ officialMembers: 3, denominator: 2 });
  });

  it('still refuses a cell under three official members, whatever the exclusions', () => {
    expect(codes(admission('approve', 2, { suspended: 0 }, 2))).toEqual(['cell_too_small']);
  });

  it('refuses more exclusions than official members with vote_exclusions_exceed_members', () => {
    expect(r2v(admission('reject', 5, { suspended: 3, detained: 3 }, 0))).toEqual([['vote_exclusions_exceed_members', 'exclusions']]);
    expect(violation(admission('reject', 5, { suspended: 3, detained: 3 }, 0), 'vote_exclusions_exceed_members').params).toEqual({ excluded: 6, members: 5 });
  });

  it('refuses a vote where every official member is left out with vote_denominator_empty', () => {
    expect(r2v(admission('reject', 4, { temporarilyAttached: 4 }, 0))).toEqual([['vote_denominator_empty', 'exclusions']]);
  });

  it('refuses more votes than the denominator with votes_exceed_denominator', () => {
    // 9 − 2 = 7 counted; 8 votes cannot have been cast by them.
    expect(violation(admission('approve', 9, { suspended: 2 }, 8), 'votes_exceed_denominator').params).toEqual({ inFavour: 8, members: 9, excluded: 2, denominator: 7 });
  });

  it('refuses negative or fractional exclusion counts', () => {
    expect(r2v(admission('approve', 9, { suspended: -1 }, 7))).toEqual([['invalid_field', 'exclusions.suspended']]);
    expect(r2v(admission('approve', 9, { detained: 0.5 }, 7))).toEqual([['invalid_field', 'exclusions.detained']]);
  });

  it('uses the same denominator for the cell recognition vote (§7.4 "votes as for admission")', () => {
    // 9 − 3 = 6; two thirds of 6 = 4.
    expect(codes(recognition('recognize', 9, { exemptedAbsent: 3 }, 3))).toEqual(['two_thirds_not_reached']);
    expect(accepted(recognition('recognize', 9, { exemptedAbsent: 3 }, 4)).data).toMatchObject({ officialMembers: 9, denominator: 6 });
    expect(accepted(recognition('remove', 9, { exemptedAbsent: 3 }, 4)).data.denominator).toBe(6);
  });

  it('checks an inconclusive recognition vote on both sides against the denominator', () => {
    // 9 − 3 = 6: 3 for and 3 against reach 4 on neither side; 2 for and 4 for removal reaches it; 4 + 3 > 6.
    expect(accepted(recognition('inconclusive', 9, { suspended: 3 }, 3, 3)).data.denominator).toBe(6);
    expect(r2v(recognition('inconclusive', 9, { suspended: 3 }, 2, 4))).toEqual([['two_thirds_reached_but_rejected', 'forRemoval']]);
    expect(r2v(recognition('inconclusive', 9, { suspended: 3 }, 4, 3))).toEqual([['votes_exceed_denominator', 'forRemoval']]);
  });

  it('does not apply to committee or standing-board votes (their own member counts, §3.2 S8/S9)', () => {
    const r = decide('grassroots_admission_review', 'approve', { committeeMembers: 9, inFavour: 6, resolutionDate: '2025-03-10', exclusions: { suspended: 3 } });
    expect(accepted(r).data).not.toHaveProperty('denominator');
    expect(accepted(r).data).not.toHaveProperty('exclusions');
  });
});

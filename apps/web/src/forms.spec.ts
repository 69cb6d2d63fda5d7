import { DECISION_DATA_SCHEMAS } from '../../../libs/domain/src/decisions.js';
import { TASK_TYPES } from '../../../libs/domain/src/procedure.js';
import { buildData, FORM_FIELDS, initialValues, voteMembers, voteRule } from './forms.js';

describe('the step forms', () => {
  it('holds an authorised grassroots committee to two thirds of its members where a standing board needs more than half (§3.2 S8–S9)', () => {
    expect(voteRule('superior_admission_decision', 'superior_board')?.kind).toBe('more_than_half');
    expect(voteRule('superior_admission_decision', 'grassroots_committee')?.kind).toBe('two_thirds');
    expect(voteRule('superior_recognition_decision', 'grassroots_committee')?.kind).toBe('two_thirds');
    expect(voteRule('grassroots_admission_review', 'grassroots_committee')?.kind).toBe('two_thirds');
  });

  it('has a form for every step whose defaults plus numbers give data the rules accept in shape', () => {
    const filled: Record<string, Record<string, string | boolean>> = {
      cell_admission_vote: { officialMembers: '9', inFavour: '7' },
      grassroots_admission_review: { committeeMembers: '7', inFavour: '5' },
      superior_admission_decision: { boardMembers: '9', inFavour: '5', decisionNo: '12-QĐ/ĐU' },
      cell_recognition_vote: { officialMembers: '9', inFavour: '8' },
      grassroots_recognition_review: { committeeMembers: '7', inFavour: '5' },
      superior_recognition_decision: { boardMembers: '9', inFavour: '5', decisionNo: '45-QĐ/ĐU' },
      record_introductions: {
        'introducers.0.fullName': 'Lê Văn Cường',
        'introducers.0.monthsTogether': '24',
        'introducers.1.fullName': 'Phạm Thị Dung',
        'introducers.1.monthsTogether': '14',
        'opinions.massOrganizations': 'Nhất trí',
        'opinions.residence': 'Nhất trí',
      },
      probation_review: { 'opinions.massOrganizations': 'Nhất trí', 'opinions.residence': 'Nhất trí' },
      province_political_exception: { boardMembers: '15', inFavour: '9', decisionNo: '88-CV/TU' },
      province_readmission_approval: { boardMembers: '15', inFavour: '9', decisionNo: '95-CV/TU' },
    };
    for (const type of TASK_TYPES) {
      expect(FORM_FIELDS[type]).toBeDefined();
      const data = buildData(type, { ...initialValues(type, '2026-03-05'), ...(filled[type] ?? {}) });
      if (type === 'verify_background') (data as any).relativesChecked = [{ relation: 'father', result: 'clear' }];
      const parsed = DECISION_DATA_SCHEMAS[type].safeParse(data);
      expect({ type, ok: parsed.success, issues: parsed.success ? [] : parsed.error.issues }).toEqual({ type, ok: true, issues: [] });
    }
  });

  it('leaves out an introducer row that has no name and optional fields left empty', () => {
    const data = buildData('record_introductions', {
      'introducers.0.fullName': 'Lê Văn Cường',
      'introducers.0.monthsTogether': '24',
      'introducers.0.official': true,
      'introducers.0.sameGrassroots': true,
      'introducers.1.fullName': '',
      'introducers.1.monthsTogether': '',
      'introducers.1.official': true,
      'youthUnionResolution.number': '',
      'opinions.massOrganizations': ' Nhất trí ',
      'opinions.residence': 'Nhất trí',
    });
    expect(data).toEqual({
      introducers: [{ fullName: 'Lê Văn Cường', monthsTogether: 24, official: true, sameGrassroots: true }],
      opinions: { massOrganizations: 'Nhất trí', residence: 'Nhất trí' },
    });
  });

  it('asks for the province exception (§5.5) only when the outstanding record is written, never ticking the attestation in advance', () => {
    const values = initialValues('verify_background', '2026-03-05');
    expect(values['provinceException.condemnedRelativesActs']).toBe(false);
    expect(buildData('verify_background', { ...values, conclusion: 'does_not_meet' })).not.toHaveProperty('provinceException');
    const asked = buildData('verify_background', { ...values, conclusion: 'does_not_meet', 'provinceException.outstandingRecord': 'Chiến sĩ thi đua', 'provinceException.condemnedRelativesActs': true });
    expect(asked.provinceException).toEqual({ outstandingRecord: 'Chiến sĩ thi đua', condemnedRelativesActs: true });
  });

  it('sends the introduction route (§2.3): the Youth Union organisation as a yes/no, the trade-union resolution (4A-KNĐ) only when numbered and dated', () => {
    const values = {
      ...initialValues('record_introductions', '2026-03-05'),
      'introducers.0.fullName': 'Lê Văn Cường',
      'introducers.0.monthsTogether': '24',
      'introducers.0.officialSince': '2025-09-05',
      youthUnionAtGrassroots: 'false',
      'tradeUnionResolution.number': '07-NQ/CĐCS',
      'tradeUnionResolution.date': '2026-03-02',
      'opinions.massOrganizations': 'Nhất trí',
      'opinions.residence': 'Nhất trí',
    };
    const data = buildData('record_introductions', values);
    expect(data).toMatchObject({
      introducers: [{ fullName: 'Lê Văn Cường', monthsTogether: 24, official: true, sameGrassroots: true, officialSince: '2025-09-05' }],
      youthUnionAtGrassroots: false,
      tradeUnionResolution: { number: '07-NQ/CĐCS', date: '2026-03-02', tradeUnionMember: true },
    });
    expect(DECISION_DATA_SCHEMAS.record_introductions.safeParse(data).success).toBe(true);
    // Left "not stated" and without a number: neither is sent.
    const bare = buildData('record_introductions', { ...values, youthUnionAtGrassroots: '', 'tradeUnionResolution.number': '' });
    expect(bare).not.toHaveProperty('youthUnionAtGrassroots');
    expect(bare).not.toHaveProperty('tradeUnionResolution');
  });

  it('sends the cell vote exclusions the secretary filled in, and none of the empty ones', () => {
    expect(buildData('cell_admission_vote', { meetingDate: '2026-03-05', officialMembers: '12', 'exclusions.suspended': '1', 'exclusions.detained': '', inFavour: '6' })).toEqual({
      meetingDate: '2026-03-05',
      officialMembers: 12,
      exclusions: { suspended: 1 },
      inFavour: 6,
    });
  });

  it('takes a cell vote over the official members less those left out (§3.2 S6), a committee vote over its members', () => {
    // 12 − 1 suspended − 2 exempted and absent = 9.
    expect(voteMembers('cell_admission_vote', { officialMembers: '12', 'exclusions.suspended': '1', 'exclusions.exemptedAbsent': '2' })).toBe(9);
    expect(voteMembers('cell_recognition_vote', { officialMembers: '3', 'exclusions.temporarilyAttached': '1' })).toBe(2);
    expect(voteMembers('grassroots_admission_review', { committeeMembers: '9' })).toBe(9);
  });

  it('asks for the resolution number on the four resolutions (6, 8, 13, 15-KNĐ), optional, sent only when filled in', () => {
    for (const type of ['cell_admission_vote', 'grassroots_admission_review', 'cell_recognition_vote', 'grassroots_recognition_review'] as const) {
      const field = FORM_FIELDS[type].find((f) => f.name === 'resolutionNo');
      expect(field).toMatchObject({ kind: 'text', required: false });
      expect(field!.vi).toMatch(/^Số nghị quyết/);
      expect(field!.en).toMatch(/resolution number/);
    }
    expect(buildData('grassroots_admission_review', { committeeMembers: '7', inFavour: '6', resolutionDate: '2026-03-05', resolutionNo: ' 21-NQ/ĐU ' })).toMatchObject({ resolutionNo: '21-NQ/ĐU' });
    expect(buildData('grassroots_admission_review', { committeeMembers: '7', inFavour: '6', resolutionDate: '2026-03-05', resolutionNo: '' })).not.toHaveProperty('resolutionNo');
  });

  it('turns vote counts into numbers', () => {
    expect(buildData('cell_admission_vote', { meetingDate: '2026-03-05', officialMembers: '9', inFavour: '5' })).toEqual({ meetingDate: '2026-03-05', officialMembers: 9, inFavour: 5 });
  });
});

import { DECISION_DATA_SCHEMAS } from '../../../libs/domain/src/decisions.js';
import { TASK_TYPES } from '../../../libs/domain/src/procedure.js';
import { buildData, FORM_FIELDS, initialValues } from './forms.js';

describe('the step forms', () => {
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
      'introducers.1.fullName': '',
      'introducers.1.monthsTogether': '',
      'introducers.1.official': true,
      'youthUnionResolution.number': '',
      'opinions.massOrganizations': ' Nhất trí ',
      'opinions.residence': 'Nhất trí',
    });
    expect(data).toEqual({
      introducers: [{ fullName: 'Lê Văn Cường', monthsTogether: 24, official: true }],
      opinions: { massOrganizations: 'Nhất trí', residence: 'Nhất trí' },
    });
  });

  it('turns vote counts into numbers', () => {
    expect(buildData('cell_admission_vote', { meetingDate: '2026-03-05', officialMembers: '9', inFavour: '5' })).toEqual({ meetingDate: '2026-03-05', officialMembers: 9, inFavour: 5 });
  });
});

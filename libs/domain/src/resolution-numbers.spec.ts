import { DECISION_DATA_SCHEMAS, validateDecision, type DecisionContext } from './decisions.js';
import type { TaskType } from './procedure.js';

/**
 * The resolutions 6-KNĐ (cell admission), 8-KNĐ (grassroots admission), 13-KNĐ (cell recognition) and 15-KNĐ
 * (grassroots recognition) carry a number ("Số: 12-NQ/CB"), as the decisions 9 and 16-KNĐ carry `decisionNo`.
 */
const CTX: DecisionContext = {
  today: '2026-06-10',
  candidate: { dateOfBirth: '1998-03-15', youthUnionMember: true, education: 'university' },
  trainingCertificate: { certificateNo: 'CN-1', issuedOn: '2025-06-01' },
  newMemberCertificate: { certificateNo: 'DVM-1', issuedOn: '2026-01-10' },
};

const RESOLUTIONS: { step: TaskType; outcome: string; data: Record<string, unknown> }[] = [
  { step: 'cell_admission_vote', outcome: 'approve', data: { meetingDate: '2026-06-01', officialMembers: 9, inFavour: 7 } },
  { step: 'grassroots_admission_review', outcome: 'approve', data: { committeeMembers: 7, inFavour: 6, resolutionDate: '2026-06-05' } },
  { step: 'cell_recognition_vote', outcome: 'recognize', data: { meetingDate: '2026-06-01', officialMembers: 9, inFavour: 8 } },
  { step: 'grassroots_recognition_review', outcome: 'recognize', data: { committeeMembers: 7, inFavour: 7, resolutionDate: '2026-06-05' } },
];

describe('Resolution number (6, 8, 13, 15-KNĐ)', () => {
  it.each(RESOLUTIONS)('keeps the number of the $step resolution in the accepted decision', ({ step, outcome, data }) => {
    const r = validateDecision({ taskType: step, outcome, data: { ...data, resolutionNo: ' 05-NQ/CB ' } }, CTX);
    expect(r.ok && r.decision.data.resolutionNo).toBe('05-NQ/CB');
  });

  it.each(RESOLUTIONS)('accepts a $step resolution without a number (recorded before the number existed, or from an old client)', ({ step, outcome, data }) => {
    const r = validateDecision({ taskType: step, outcome, data }, CTX);
    expect(r.ok).toBe(true);
    expect(r.ok && r.decision.data).not.toHaveProperty('resolutionNo');
  });

  it.each(RESOLUTIONS)('refuses an empty or over-long number on $step', ({ step, outcome, data }) => {
    for (const resolutionNo of ['  ', 'x'.repeat(51)]) {
      const r = validateDecision({ taskType: step, outcome, data: { ...data, resolutionNo } }, CTX);
      expect(r.ok ? [] : r.violations.map((v) => [v.code, v.field])).toEqual([['invalid_field', 'resolutionNo']]);
    }
  });

  it('describes the number in the shared schemas the API and the web form read', () => {
    for (const { step } of RESOLUTIONS) expect(Object.keys((DECISION_DATA_SCHEMAS[step] as any).shape)).toContain('resolutionNo');
  });
});

import type { TaskType } from '../../libs/domain/src/procedure.js';

export interface DecisionPayload {
  outcome?: string;
  data: Record<string, unknown>;
}

/**
 * A decision that satisfies the rules for `type`, dated `today` (the business date). Tests override the
 * outcome or data to exercise refusals and the other branches.
 */
export function validDecision(type: TaskType, today: string, overrides: Partial<DecisionPayload> = {}): DecisionPayload {
  const base: Record<TaskType, DecisionPayload> = {
    recognize_sympathiser: { outcome: 'approve', data: { meetingDate: today, mentor: { fullName: 'Trần Thị Bình' } } },
    record_training_certificate: { outcome: 'pass', data: { certificateNo: `CN-${today}`, issuedOn: today } },
    submit_application: { data: { applicationDate: today, cvSubmittedOn: today } },
    verify_background: {
      data: {
        conclusion: 'meets',
        relativesChecked: [
          { relation: 'father', result: 'clear' },
          { relation: 'mother', result: 'clear' },
        ],
        concludedOn: today,
      },
    },
    record_introductions: {
      data: {
        introducers: [
          { fullName: 'Lê Văn Cường', official: true, monthsTogether: 24, sameGrassroots: true },
          { fullName: 'Phạm Thị Dung', official: true, monthsTogether: 14, sameGrassroots: true },
        ],
        // Two members (§2.3): the route for a candidate of youth age only where there is no Youth Union organisation.
        youthUnionAtGrassroots: false,
        opinions: { massOrganizations: 'Công đoàn, Đoàn thanh niên: nhất trí', residence: 'Chi bộ nơi cư trú: nhất trí' },
        compiledOn: today,
      },
    },
    cell_admission_vote: { outcome: 'approve', data: { meetingDate: today, officialMembers: 9, inFavour: 7 } },
    partial_admission_appraisal: { outcome: 'submit', data: { appraisedOn: today, opinion: 'agree', reportNo: '7-BC/ĐUBP' } },
    partial_recognition_appraisal: { outcome: 'submit', data: { appraisedOn: today, opinion: 'agree', reportNo: '14-BC/ĐUBP' } },
    grassroots_admission_review: { outcome: 'approve', data: { committeeMembers: 7, inFavour: 6, resolutionDate: today } },
    superior_admission_decision: { outcome: 'approve', data: { boardMembers: 9, inFavour: 7, decisionNo: `123-QĐ/ĐU-${today}`, decisionDate: today } },
    admission_ceremony: { data: { ceremonyDate: today } },
    record_new_member_training: { outcome: 'pass', data: { certificateNo: `DVM-${today}`, issuedOn: today } },
    probation_review: {
      data: { selfReviewOn: today, mentorReviewOn: today, opinions: { massOrganizations: 'Nhất trí', residence: 'Nhất trí' } },
    },
    cell_recognition_vote: { outcome: 'recognize', data: { meetingDate: today, officialMembers: 9, inFavour: 8 } },
    grassroots_recognition_review: { outcome: 'recognize', data: { committeeMembers: 7, inFavour: 7, resolutionDate: today } },
    superior_recognition_decision: { outcome: 'recognize', data: { boardMembers: 9, inFavour: 6, decisionNo: `45-QĐ/ĐU-${today}`, decisionDate: today } },
    overdue_escalation: { data: { note: 'Đã đôn đốc' } },
    province_political_exception: { outcome: 'approve', data: { boardMembers: 15, inFavour: 9, decisionNo: `88-CV/TU-${today}`, decisionDate: today } },
    province_readmission_approval: { outcome: 'approve', data: { boardMembers: 15, inFavour: 9, decisionNo: `95-CV/TU-${today}`, decisionDate: today } },
    receive_transfer: { outcome: 'received', data: { presentedOn: today, letterNo: `GGT-${today}` } },
  };
  const d = base[type];
  return { outcome: overrides.outcome ?? d.outcome, data: { ...d.data, ...(overrides.data ?? {}) } };
}

/** The steps of the regular path in order, probation in between. */
export const ADMISSION_STEPS: TaskType[] = [
  'recognize_sympathiser',
  'record_training_certificate',
  'submit_application',
  'verify_background',
  'record_introductions',
  'cell_admission_vote',
  'grassroots_admission_review',
  'superior_admission_decision',
  'admission_ceremony',
];
export const RECOGNITION_STEPS: TaskType[] = ['probation_review', 'cell_recognition_vote', 'grassroots_recognition_review', 'superior_recognition_decision'];

import type { IsoDate } from './dates.js';

/**
 * The implementing regulations changed several times (§0 of the procedure document). Every decision is
 * checked against, and recorded with, the rule set in force on its business date, so a later change never
 * rewrites an earlier decision.
 */
export interface RuleSet {
  id: string;
  citation: string;
  guidance: string;
  effectiveFrom: IsoDate;
  /** Last day in force (inclusive); undefined while current. */
  effectiveTo?: IsoDate;
  /** What the direct superior of a grassroots organisation is under this rule set. */
  superiorLevel: 'district' | 'commune';
  minAgeMonths: number;
  maxAgeMonths: number;
  certificateValidityMonths: number;
  youthAgeMaxYears: number;
  introducerMinMonthsTogether: number;
  /** From 2021 an introducer may qualify by living in the same residential area. */
  residenceCountsForIntroducer: boolean;
  /** 2016 accepted "lower-secondary diploma or equivalent"; from 2021 a real diploma is needed. */
  educationEquivalentAccepted: boolean;
  probationMonths: number;
  dossierFreshnessMonths: number;
  inconclusiveRecognitionVotesBeforeEscalation: number;
  deadlines: {
    superiorAdmissionWorkingDays: number;
    superiorAdmissionExtensionMaxWorkingDays: number;
    ceremonyWorkingDays: number;
    cellRecognitionWorkingDays: number;
    superiorRecognitionWorkingDays: number;
    superiorRecognitionExtensionMaxWorkingDays: number;
    /** T9: a probationary member's official transfer is initiated within this after the change takes effect. */
    transferInitiationWorkingDays: number;
    /** T10: the transfer letter is presented at the destination within this after the introduction. */
    transferPresentationWorkingDays: number;
  };
}

const COMMON = {
  minAgeMonths: 18 * 12,
  // "full 60" counted in months: the whole 60th-birthday month is still inside the window (§2.2).
  maxAgeMonths: 60 * 12,
  certificateValidityMonths: 60,
  youthAgeMaxYears: 30,
  introducerMinMonthsTogether: 12,
  probationMonths: 12,
  dossierFreshnessMonths: 12,
  inconclusiveRecognitionVotesBeforeEscalation: 3,
  deadlines: {
    superiorAdmissionWorkingDays: 60,
    superiorAdmissionExtensionMaxWorkingDays: 30,
    ceremonyWorkingDays: 30,
    cellRecognitionWorkingDays: 30,
    superiorRecognitionWorkingDays: 30,
    superiorRecognitionExtensionMaxWorkingDays: 30,
    transferInitiationWorkingDays: 60,
    transferPresentationWorkingDays: 30,
  },
} as const;

export const RULE_SETS: readonly RuleSet[] = [
  {
    ...COMMON,
    id: 'QD29-2016',
    citation: 'Quy định 29-QĐ/TW ngày 25/07/2016',
    guidance: 'Hướng dẫn 01-HD/TW ngày 20/09/2016',
    effectiveFrom: '2016-07-25',
    effectiveTo: '2021-07-29',
    superiorLevel: 'district',
    residenceCountsForIntroducer: false,
    educationEquivalentAccepted: true,
  },
  {
    ...COMMON,
    id: 'QD24-2021',
    citation: 'Quy định 24-QĐ/TW ngày 30/07/2021',
    guidance: 'Hướng dẫn 01-HD/TW ngày 28/09/2021',
    effectiveFrom: '2021-07-30',
    effectiveTo: '2025-01-19',
    superiorLevel: 'district',
    residenceCountsForIntroducer: true,
    educationEquivalentAccepted: false,
  },
  {
    ...COMMON,
    id: 'QD232-2025',
    citation: 'Quy định 232-QĐ/TW ngày 20/01/2025',
    guidance: 'Hướng dẫn 01-HD/TW ngày 28/09/2021',
    effectiveFrom: '2025-01-20',
    effectiveTo: '2025-06-30',
    superiorLevel: 'district',
    residenceCountsForIntroducer: true,
    educationEquivalentAccepted: false,
  },
  {
    ...COMMON,
    id: 'QD294-2025',
    citation: 'Quy định 294-QĐ/TW ngày 26/05/2025 (hiệu lực 01/07/2025)',
    guidance: 'Hướng dẫn 06-HD/TW ngày 09/06/2025',
    effectiveFrom: '2025-07-01',
    superiorLevel: 'commune',
    residenceCountsForIntroducer: true,
    educationEquivalentAccepted: false,
  },
];

/** The rule set in force on `date`. Dates before 2016-07-25 use the oldest set we model. */
export function ruleSetFor(date: IsoDate): RuleSet {
  for (let i = RULE_SETS.length - 1; i >= 0; i--) {
    if (date >= RULE_SETS[i].effectiveFrom) return RULE_SETS[i];
  }
  return RULE_SETS[0];
}

export function ruleSetById(id: string): RuleSet | undefined {
  return RULE_SETS.find((r) => r.id === id);
}

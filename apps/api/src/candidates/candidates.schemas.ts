import { z } from 'zod';
import { EDUCATION_LEVELS } from '../../../../libs/domain/src/procedure.js';
import { OCCUPATIONS, PROFESSIONAL_QUALIFICATIONS } from '../../../../libs/domain/src/reports.js';
import { LEFT_HOW } from '../../../../libs/domain/src/readmission.js';
import { businessDate } from '../common/parse.js';

export const CreateCandidate = z.object({
  cellId: z.uuid(),
  fullName: z.string().trim().min(2).max(200),
  dateOfBirth: businessDate(),
  gender: z.enum(['female', 'male']),
  ethnicity: z.string().trim().min(1).max(100),
  religion: z.string().trim().max(100).nullable().optional(),
  education: z.enum(EDUCATION_LEVELS),
  youthUnionMember: z.boolean(),
  hardshipArea: z.boolean().optional(),
  // For the statistics (§8), all optional: occupation and sector, professional qualification, where they live or work.
  occupation: z.enum(OCCUPATIONS).optional(),
  sector: z.string().trim().min(1).max(200).optional(),
  professionalQualification: z.enum(PROFESSIONAL_QUALIFICATIONS).optional(),
  placeId: z.uuid().optional(),
  source: z.object({ organization: z.string().trim().min(1).max(300), introducedOn: businessDate() }),
  /** A person who left the Party and asks to come back (§2.4, T11); absent for a first admission. */
  readmission: z
    .object({
      leftOn: businessDate(),
      leftHow: z.enum(LEFT_HOW),
      recordClearedOn: businessDate().optional(),
      previouslyReadmitted: z.boolean(),
      firstAdmittedOn: businessDate().optional(),
    })
    .optional(),
});
export type CreateCandidateDto = z.infer<typeof CreateCandidate>;

export const WithdrawBody = z.object({ reason: z.string().trim().min(1).max(2000) });

export const TransferBody = z.object({ toCellId: z.uuid(), reason: z.string().trim().min(3).max(2000), effectiveOn: businessDate().optional() });
export type TransferDto = z.infer<typeof TransferBody>;

/** The candidate's facts changed over the path (issue 16): at least one of them, with the reason and when. */
export const FactsBody = z
  .object({
    education: z.enum(EDUCATION_LEVELS).optional(),
    youthUnionMember: z.boolean().optional(),
    hardshipArea: z.boolean().optional(),
    /** Where the candidate lives or works (statistics, §8); null clears it. */
    placeId: z.uuid().nullable().optional(),
    reason: z.string().trim().min(3).max(2000),
    effectiveOn: businessDate().optional(),
  })
  .strict()
  .refine((b) => b.education !== undefined || b.youthUnionMember !== undefined || b.hardshipArea !== undefined || b.placeId !== undefined, {
    message: 'at least one of education, youthUnionMember, hardshipArea, placeId',
    path: ['education'],
  });
export type FactsDto = z.infer<typeof FactsBody>;

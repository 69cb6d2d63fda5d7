import { z } from 'zod';
import { businessDate } from '../common/parse.js';

export const CLASS_KINDS = ['party_awareness', 'new_member'] as const;

export const CreateClass = z
  .object({
    kind: z.enum(CLASS_KINDS),
    name: z.string().trim().min(2).max(300),
    startsOn: businessDate(),
    endsOn: businessDate(),
    capacity: z.number().int().min(1).max(2000),
    orgUnitId: z.uuid(),
  })
  .refine((c) => c.endsOn >= c.startsOn, { path: ['endsOn'], message: 'endsOn must not be before startsOn' });
export type CreateClassDto = z.infer<typeof CreateClass>;

export const ListClassesQuery = z.object({ kind: z.enum(CLASS_KINDS).optional() });

const CandidateIds = z.array(z.uuid()).min(1).max(2000).refine((ids) => new Set(ids).size === ids.length, { message: 'duplicate candidateId' });

export const ProposeBody = z.object({ candidateIds: CandidateIds });

export const EnrolmentBody = z.object({ candidateIds: CandidateIds, status: z.enum(['enrolled', 'declined']).default('enrolled') });

export const AttendanceBody = z.object({
  records: z
    .array(z.object({ candidateId: z.uuid(), attendance: z.enum(['full', 'partial', 'absent']), result: z.enum(['pass', 'fail']).optional() }))
    .min(1)
    .max(2000),
});

export const CertifyBody = z.object({
  issuedOn: businessDate(),
  /** The final result of each participant; without it, the provisional results recorded with the attendance. */
  results: z
    .array(z.object({ candidateId: z.uuid(), result: z.enum(['pass', 'fail']) }))
    .max(2000)
    .refine((rs) => new Set(rs.map((r) => r.candidateId)).size === rs.length, { message: 'duplicate candidateId' })
    .optional(),
});
export type CertifyDto = z.infer<typeof CertifyBody>;

export const CertificateQuery = z.object({ centreId: z.uuid().optional() });

import type { CandidateCreated, CandidateWorkflowInput } from './candidate.messages.js';

/**
 * The read-model row of a case as it starts, from the workflow's own input: the first projection writes it
 * (so a case exists in the read model only once its workflow does), and a rebuild from the history restores
 * it the same way. Pure and deterministic: `startedAtMs` is the workflow's start time.
 */
export function candidateCreated(input: CandidateWorkflowInput, startedAtMs: number): CandidateCreated {
  const p = input.profile;
  return {
    cellId: input.routing.cellId,
    fullName: input.fullName,
    dateOfBirth: input.facts.dateOfBirth,
    gender: p?.gender ?? '',
    ethnicity: p?.ethnicity ?? '',
    religion: p?.religion ?? null,
    education: input.facts.education,
    youthUnionMember: input.facts.youthUnionMember,
    hardshipArea: input.facts.hardshipArea ?? false,
    occupation: p?.occupation ?? null,
    sector: p?.sector ?? null,
    professionalQualification: p?.professionalQualification ?? null,
    placeId: p?.placeId ?? null,
    source: input.source,
    routing: { ...input.routing },
    createdBy: input.createdBy?.userId ?? null,
    createdAt: new Date(startedAtMs).toISOString(),
  };
}

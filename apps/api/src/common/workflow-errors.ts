import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Violation } from '../../../../libs/domain/src/decisions.js';
import { MESSAGES, type MessageCode } from '../../../../libs/domain/src/messages.js';
import type { RefusalDetails } from '../../../../workflows/candidate/candidate.messages.js';
import { DomainError } from './domain-error.js';

/** Turns what Temporal says about an update into a domain refusal (422/409/404) or "unavailable" (503). */
export function toDomainError(e: unknown): DomainError {
  if (e instanceof DomainError) return e;
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const code = (e.cause.type ?? 'invalid_field') as MessageCode;
    const details = e.cause.details?.[0] as RefusalDetails | undefined;
    const violations: Violation[] = details?.violations ?? [];
    const first = violations[0];
    return new DomainError(code in MESSAGES ? code : 'internal', first?.params ?? {}, violations);
  }
  if (e instanceof WorkflowNotFoundError) return new DomainError('candidate_ended', { stage: '—' });
  const msg = String((e as Error)?.message ?? e);
  if (/workflow execution already completed|workflow.*not found/i.test(msg)) return new DomainError('candidate_ended', { stage: '—' });
  return new DomainError('temporal_unavailable');
}

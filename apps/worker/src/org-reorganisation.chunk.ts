import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MESSAGES, renderMessage, type Lang, type MessageCode } from '../../../libs/domain/src/messages.js';
import type { Routing } from '../../../libs/domain/src/procedure.js';
import { ROUTING_KEYS, sameRouting } from '../../../libs/domain/src/reorganisation.js';
import type { ItemDone, JobItem, JobRecord } from '../../../libs/persistence/src/repositories/job.repository.js';
import type { OrgReorganisationRepository } from '../../../libs/persistence/src/repositories/org-reorganisation.repository.js';
import { reorganiseUpdate, requestEnvelope, type Actor, type ReorganisationRequest } from '../../../workflows/candidate/candidate.messages.js';

/** What the API stores as a reorganisation job's input (apps/api/src/org-units/org-reorganisation.service.ts). */
export interface ReorganisationJobInput {
  taskQueue: string;
  subject: { reorganisationId: string; action: ReorganisationRequest['action']; unitId: string; unitName: string; targetId: string | null; targetName: string | null };
  lang: Lang;
  actor: Actor;
}

/** One case's line in the job's outcome. */
export interface ReorganisationLine {
  candidateId: string;
  status: 'moved' | 'unchanged' | 'ended' | 'refused';
  from?: Routing;
  to?: Routing;
  tasksMoved?: number;
  error?: { code: string; message: string };
}

/** The update ID of a reorganisation sent to a case: the same for every attempt, so Temporal applies it once. */
export const reorganisationUpdateId = (reorganisationId: string) => `reorg-${reorganisationId}`;

const CONCURRENCY = 8;

/**
 * One chunk of a reorganisation job: each case's new units, resolved from the tree as it is when the chunk
 * runs (a later reorganisation already committed is then included too), sent once as the `reorganise` update.
 * A case already on those units (a retried chunk, a repeat) is `unchanged`; an ended one is skipped.
 */
export class OrgReorganisationChunk {
  constructor(
    private readonly temporal: Client,
    private readonly repo: OrgReorganisationRepository,
  ) {}

  async run(job: JobRecord, items: JobItem[], beat: () => void, giveUp: boolean): Promise<ItemDone[]> {
    const input = job.input as ReorganisationJobInput;
    const out = new Array<ItemDone>(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        const line = await this.one(input, items[i].item, giveUp);
        beat();
        out[i] = { seq: items[i].seq, status: line.status === 'refused' ? 'failed' : 'done', outcome: { ...line } as unknown as Record<string, unknown> };
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
    return out;
  }

  private refused(input: ReorganisationJobInput, candidateId: string, code: MessageCode, params: Record<string, string | number> = {}): ReorganisationLine {
    return { candidateId, status: 'refused', error: { code, message: renderMessage(code, params, input.lang) } };
  }

  private async one(input: ReorganisationJobInput, candidateId: string, giveUp: boolean): Promise<ReorganisationLine> {
    const row = await this.repo.activeRouting(candidateId);
    if (!row) return { candidateId, status: 'ended' };
    const from = row.routing as Routing;
    const to = await this.repo.routingForCell(from.cellId);
    if (!to) return this.refused(input, candidateId, 'routing_incomplete', { cellId: from.cellId });
    if (sameRouting(from, to)) return { candidateId, status: 'unchanged', from, to };
    const ids = [...new Set(ROUTING_KEYS.flatMap((k) => [from[k], to[k]]).filter((x): x is string => !!x))];
    const updateId = reorganisationUpdateId(input.subject.reorganisationId);
    try {
      const summary = await this.temporal.workflow.getHandle(row.workflowId).executeUpdate(reorganiseUpdate, {
        updateId,
        args: [{ ...requestEnvelope(row.workflowId, updateId), reorganisationId: input.subject.reorganisationId, action: input.subject.action, routing: to, unitNames: await this.repo.names(ids), actor: input.actor }],
      });
      return { candidateId, status: 'moved', from, to: summary.routing ?? to };
    } catch (e) {
      if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
        const code = (e.cause.type ?? 'internal') as MessageCode;
        if (code === 'org_restructure_no_change') return { candidateId, status: 'unchanged', from, to };
        if (code === 'candidate_ended') return { candidateId, status: 'ended' };
        return this.refused(input, candidateId, code in MESSAGES ? code : 'internal');
      }
      if (e instanceof WorkflowNotFoundError || /workflow execution already completed|workflow.*not found/i.test(String((e as Error)?.message))) return { candidateId, status: 'ended' };
      if (giveUp) return this.refused(input, candidateId, 'temporal_unavailable');
      throw e;
    }
  }
}

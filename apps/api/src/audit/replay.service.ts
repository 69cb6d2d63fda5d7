import { Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import type { PayloadCodec } from '@temporalio/common';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { canonicalJson } from '../../../../libs/persistence/src/audit-chain.js';
import { CandidateRepository, type HistoryEvent } from '../../../../libs/persistence/src/repositories/candidate.repository.js';
import { projectionBatches, type RawHistory } from '../../../../libs/temporal/src/candidate-history.js';
import { EncryptionCodec } from '../../../../libs/temporal/src/encryption-codec.js';
import { bundlerOptions, workflowsEntry } from '../../../../libs/temporal/src/worker-factory.js';
import { candidateWorkflowId, type CaseEvent } from '../../../../workflows/candidate/candidate.messages.js';
import { DomainError } from '../common/domain-error.js';

export interface Divergence {
  kind: 'nondeterminism' | 'missing_in_history' | 'missing_in_record' | 'different';
  seq?: number;
  field?: string;
  recorded?: unknown;
  replayed?: unknown;
  /** The Temporal history event (ActivityTaskScheduled) that carried the business event. */
  temporalEventId?: string;
  message?: string;
}

export interface ReplayReport {
  candidateId: string;
  match: boolean;
  events: number;
  temporalEvents: number;
  divergence?: Divergence;
}

const FIELDS = ['type', 'businessDate', 'actor', 'ruleSetId', 'data'] as const;

/**
 * Replays a candidate's Temporal history against the deployed workflow code (nondeterminism fails it), then
 * compares the business events the workflow handed to the projection with the recorded business history.
 */
@Injectable()
export class ReplayService {
  private bundle?: Promise<WorkflowBundleWithSourceMap>;

  constructor(
    @Inject(Client) private readonly temporal: Client,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
    /** Decodes the history's encrypted payloads; plaintext ones (recorded before encryption) pass through. */
    @Inject(EncryptionCodec) private readonly codec: EncryptionCodec,
  ) {}

  /** The workflow bundle is built once per process (a second or two), then reused. */
  private workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
    this.bundle ??= bundleWorkflowCode({ workflowsPath: workflowsEntry(), ...bundlerOptions, logger: { info() {}, warn() {}, error() {}, debug() {}, trace() {}, log() {} } as any });
    return this.bundle;
  }

  async replay(candidateId: string): Promise<ReplayReport> {
    const candidate = await this.candidates.get(candidateId);
    if (!candidate) throw new DomainError('candidate_not_found');
    const history = await this.temporal.workflow.getHandle(candidateWorkflowId(candidateId)).fetchHistory();
    const recorded = await this.candidates.history(candidateId);
    const base = { candidateId, events: recorded.length, temporalEvents: history.events?.length ?? 0 };
    try {
      await Worker.runReplayHistory(
        { workflowBundle: await this.workflowBundle(), replayName: `audit-${candidateId}`, dataConverter: { payloadCodecs: [this.codec] } },
        history,
        candidateWorkflowId(candidateId),
      );
    } catch (e) {
      return { ...base, match: false, divergence: { kind: 'nondeterminism', message: (e as Error).message } };
    }
    const divergence = compare(recorded, await projectedEvents(history, this.codec));
    return { ...base, match: !divergence, ...(divergence ? { divergence } : {}) };
  }
}

/**
 * The business events carried by every projectCandidate activity the workflow scheduled, by sequence. The
 * history is as the server stores it: its payloads are decoded with `codec` (encrypted ones decrypted).
 */
export async function projectedEvents(history: RawHistory, codec?: PayloadCodec): Promise<Map<number, { event: CaseEvent; temporalEventId: string }>> {
  const out = new Map<number, { event: CaseEvent; temporalEventId: string }>();
  for (const { batch, temporalEventId } of await projectionBatches(history, codec)) {
    for (const e of batch.events) if (!out.has(e.seq)) out.set(e.seq, { event: e, temporalEventId });
  }
  return out;
}

function compare(recorded: HistoryEvent[], replayed: Map<number, { event: CaseEvent; temporalEventId: string }>): Divergence | undefined {
  const seen = new Set<number>();
  for (const r of recorded) {
    seen.add(r.seq);
    const p = replayed.get(r.seq);
    if (!p) return { kind: 'missing_in_history', seq: r.seq, recorded: r.type };
    const e = p.event as unknown as Record<string, unknown>;
    for (const field of FIELDS) {
      const a = canonicalJson((r as unknown as Record<string, unknown>)[field] ?? null);
      const b = canonicalJson(e[field] ?? null);
      if (a !== b) return { kind: 'different', seq: r.seq, field, recorded: (r as any)[field] ?? null, replayed: e[field] ?? null, temporalEventId: p.temporalEventId };
    }
  }
  for (const [seq, p] of replayed) if (!seen.has(seq)) return { kind: 'missing_in_record', seq, replayed: p.event.type, temporalEventId: p.temporalEventId };
  return undefined;
}

import { Logger } from '@nestjs/common';
import { Client, WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { rowError, type RowError } from '../../../libs/domain/src/candidate-import.js';
import { MESSAGES, type Lang, type MessageCode } from '../../../libs/domain/src/messages.js';
import type { CandidateRepository } from '../../../libs/persistence/src/repositories/candidate.repository.js';
import type { ItemDone, JobItem, JobRecord } from '../../../libs/persistence/src/repositories/job.repository.js';
import { dryRunImport } from '../../../workflows/candidate/candidate.import.js';
import { CANDIDATE_WORKFLOW_TYPE, candidateWorkflowId, syncUpdate, type CandidateWorkflowInput } from '../../../workflows/candidate/candidate.messages.js';

/** What the API stores as an import job's input (apps/api/src/imports/candidate-import.service.ts, ImportJobInput). */
export interface ImportJobInput {
  taskQueue: string;
  subject: { fileName: string; sha256: string; orgUnitId: string; rows: number };
  lang: Lang;
  common: Pick<CandidateWorkflowInput, 'clock' | 'calendar' | 'reminders' | 'remindersByTaskType' | 'reminderSpreadSeconds'>;
  rows: { candidateId: string; row: number; fullName: string; input: Omit<CandidateWorkflowInput, 'clock' | 'calendar' | 'reminders' | 'remindersByTaskType' | 'reminderSpreadSeconds'> }[];
}

/** One row's line in the import job's result. */
export interface ImportLine {
  row: number;
  candidateId: string;
  fullName: string;
  status: 'created' | 'already_imported' | 'refused';
  stage?: string;
  error?: { code: string; message: string; messageEn: string };
}

/** Cases started at once within a chunk (each an update-with-start that writes its first projection). */
const IMPORT_CONCURRENCY = 4;

/**
 * One chunk of an import job: each row's case started at its stage, once. The case's ID is fixed by its row key,
 * and the workflow is started with `USE_EXISTING` (a chunk retried after a crash finds the run it started and
 * only waits for its projection) and `ALLOW_DUPLICATE_FAILED_ONLY` (a case that ran and ended is never started
 * again); a case already in the read model is reported as already imported without touching Temporal.
 */
export class CandidateImportChunk {
  private readonly log = new Logger('candidate-import');

  constructor(
    private readonly temporal: Client,
    private readonly candidates: CandidateRepository,
  ) {}

  async run(job: JobRecord, items: JobItem[], beat: () => void): Promise<ItemDone[]> {
    const input = job.input as ImportJobInput;
    const rows = new Map(input.rows.map((r) => [r.candidateId, r]));
    const out = new Array<ItemDone>(items.length);
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        const it = items[i];
        const line = await this.one(input, rows.get(it.item), it.item);
        beat();
        out[i] = { seq: it.seq, status: line.status === 'refused' ? 'failed' : 'done', outcome: { ...line } as unknown as Record<string, unknown> };
      }
    };
    await Promise.all(Array.from({ length: Math.min(IMPORT_CONCURRENCY, items.length) }, worker));
    return out;
  }

  private async one(input: ImportJobInput, r: ImportJobInput['rows'][number] | undefined, candidateId: string): Promise<ImportLine> {
    const refused = (e: RowError, base: Partial<ImportLine> = {}): ImportLine => ({
      row: r?.row ?? 0,
      candidateId,
      fullName: r?.fullName ?? '',
      ...base,
      status: 'refused',
      error: { code: e.code, message: input.lang === 'en' ? e.message.en : e.message.vi, messageEn: e.message.en },
    });
    if (!r) return refused(rowError('internal'));
    const line: ImportLine = { row: r.row, candidateId, fullName: r.fullName, status: 'created' };
    const existing = await this.candidates.get(candidateId);
    if (existing) return { ...line, status: 'already_imported', stage: existing.stage };
    const wfInput: CandidateWorkflowInput = { ...r.input, ...input.common };
    // The rules are checked again as the case will start now (a day may have passed since the preview).
    const dry = dryRunImport(wfInput, Date.now());
    if (!dry.ok) return refused(rowError(dry.violations[0]?.code ?? 'internal', dry.violations[0]?.params ?? {}));
    try {
      const start = new WithStartWorkflowOperation(CANDIDATE_WORKFLOW_TYPE, {
        taskQueue: input.taskQueue,
        workflowId: candidateWorkflowId(candidateId),
        args: [wfInput],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      });
      // Returns once the case's first projection (its row, events and open tasks) is written.
      const summary = await this.temporal.workflow.executeUpdateWithStart(syncUpdate, { startWorkflowOperation: start });
      return { ...line, stage: summary.stage };
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return { ...line, status: 'already_imported' };
      const failure = (e as { cause?: unknown }).cause;
      if (failure instanceof ApplicationFailure && failure.type && failure.type in MESSAGES) {
        this.log.warn(`import row ${r.row} (${candidateId}) refused at start: ${failure.type}`);
        return refused(rowError(failure.type as MessageCode));
      }
      throw e;
    }
  }
}

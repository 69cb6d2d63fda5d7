import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource } from 'typeorm';
import type { CalendarYearData } from '../../../libs/domain/src/calendar/types.js';
import { MESSAGES, renderMessage, type Lang, type MessageCode, type MessageParams } from '../../../libs/domain/src/messages.js';
import { STEPS, type Role, type TaskType } from '../../../libs/domain/src/procedure.js';
import { CalendarRepository } from '../../../libs/persistence/src/repositories/calendar.repository.js';
import { CandidateRepository } from '../../../libs/persistence/src/repositories/candidate.repository.js';
import { JobRepository, type ItemDone, type JobItem, type JobRecord } from '../../../libs/persistence/src/repositories/job.repository.js';
import { CandidateImportChunk, type ImportJobInput, type ImportLine } from './candidate-import.chunk.js';
import { OrgReorganisationChunk, type ReorganisationJobInput, type ReorganisationLine } from './org-reorganisation.chunk.js';
import { OrgReorganisationRepository } from '../../../libs/persistence/src/repositories/org-reorganisation.repository.js';
import { TrainingRepository, type Enrolment } from '../../../libs/persistence/src/repositories/training.repository.js';
import { TemporalClientModule } from '../../../libs/temporal/src/temporal-client.module.js';
import { calendarUpdatedSignal, candidateWorkflowId, completeTaskUpdate, requestEnvelope, type Actor, type RefusalDetails } from '../../../workflows/candidate/candidate.messages.js';
import type { ChunkResult, JobActivities, JobOutcome } from '../../../workflows/jobs/jobs.messages.js';

/** What the API stores as a certify job's input (apps/api/src/training/training.service.ts). */
export interface CertifyJobInput {
  taskQueue: string;
  subject: { classId: string; className: string; issuedOn: string };
  step: TaskType;
  lang: Lang;
  actor: Pick<Actor, 'userId' | 'username' | 'fullName'>;
  /** The certifying user's grants when the job started: the decision goes out under the one over each task. */
  grants: { role: Role; orgUnitId: string | null; orgUnitPath: string }[];
}

/** What the API stores as a calendar job's input (apps/api/src/calendar/calendar.service.ts). */
export interface CalendarJobInput {
  taskQueue: string;
  subject: { year: number; version: number; versionTag: string };
  lang: Lang;
}

export type ApplyStatus = 'applied' | 'already_applied' | 'refused';

/** One participant's line of a certify job's result. */
export interface CertifyLine {
  candidateId: string;
  fullName: string;
  result: 'pass' | 'fail';
  certificateNo: string | null;
  status: ApplyStatus;
  stage?: string;
  error?: { code: string; message: string };
}

/** The update ID of a class's result sent to a candidate's workflow: the same for every attempt, so Temporal applies it once. */
export const certifyUpdateId = (classId: string) => `training-class-${classId}`;

/** Decisions in flight at once within a chunk (each is a Temporal update). */
const CERTIFY_CONCURRENCY = 8;
/** A chunk attempt from which an item failing for an unknown reason is recorded as failed instead of retried. */
const GIVE_UP_ATTEMPT = 10;

class Refusal extends Error {
  constructor(
    readonly code: MessageCode,
    readonly params: MessageParams = {},
  ) {
    super(code);
  }
}

/**
 * A refusal of the candidate's workflow (its validator's code, or the workflow gone), or undefined for a
 * transient failure that a retry of the chunk may get past.
 */
function refusalOf(e: unknown): Refusal | undefined {
  if (e instanceof WorkflowUpdateFailedError && e.cause instanceof ApplicationFailure) {
    const code = (e.cause.type ?? 'invalid_field') as MessageCode;
    const details = e.cause.details?.[0] as RefusalDetails | undefined;
    return new Refusal(code in MESSAGES ? code : 'internal', details?.violations?.[0]?.params ?? {});
  }
  if (e instanceof WorkflowNotFoundError) return new Refusal('candidate_ended', { stage: '—' });
  const msg = String((e as Error)?.message ?? e);
  if (/workflow execution already completed|workflow.*not found/i.test(msg)) return new Refusal('candidate_ended', { stage: '—' });
  return undefined;
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, run));
  return out;
}

const calendarKey = (years: CalendarYearData[]) => years.map((d) => `${d.year}@${d.version}`).join(',');

/**
 * The fan-out jobs' activities (workflows/jobs): a chunk of items at a time, each item's effect idempotent.
 * - class_certify: each participant's result completes the candidate's open training task through a Temporal
 *   update whose ID is fixed per class and candidate, so a chunk retried after a crash applies nothing twice.
 * - calendar_update: each active case is signalled the calendar in force, read when the chunk runs; the
 *   workflow ignores a calendar it already has (CandidateCase.updateCalendar compares the version tag).
 */
@Injectable()
export class JobActivitiesService {
  private readonly log = new Logger('jobs');

  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(TrainingRepository) private readonly classes: TrainingRepository,
    @Inject(CandidateRepository) private readonly candidates: CandidateRepository,
    @Inject(CalendarRepository) private readonly calendar: CalendarRepository,
    @Inject(Client) private readonly temporal: Client,
    @Inject(OrgReorganisationRepository) private readonly reorganisations: OrgReorganisationRepository,
  ) {}

  async runJobChunk(jobId: string, after: number, limit: number): Promise<ChunkResult> {
    const job = await this.jobs.get(jobId);
    if (!job) throw ApplicationFailure.nonRetryable(`job ${jobId} not found`, 'job_not_found');
    const items = await this.jobs.items(jobId, after, limit);
    if (!items.length) return { last: after, processed: 0, finished: !(await this.relisted(job)) };
    const pending = items.filter((i) => i.status === 'pending');
    const chunk = job.kind === 'class_certify' ? this.certifyChunk : job.kind === 'candidate_import' ? this.importChunk : job.kind === 'org_reorganisation' ? this.reorganisationChunk : this.calendarChunk;
    const done = pending.length ? await chunk.call(this, job, pending) : [];
    if (done.length) await this.jobs.recordChunk(jobId, done);
    const last = items[items.length - 1].seq;
    return { last, processed: done.length, finished: last >= job.total && !(await this.relisted(job)) };
  }

  /**
   * A reorganisation lists its cases again before it ends: a case whose row was written after the listing (a
   * creation waits for the reorganisation's lock, but the workflow of one whose answer was lost may write its
   * row late) is added and moved too. True when there are more items.
   */
  private async relisted(job: JobRecord): Promise<boolean> {
    if (job.kind !== 'org_reorganisation') return false;
    const added = await this.jobs.appendUnlisted(job.id);
    if (added) this.log.log(`job ${job.kind} ${job.id}: ${added} case(s) written after the listing added`);
    return added > 0;
  }

  async finishJob(jobId: string, failure?: string): Promise<JobOutcome> {
    const job = await this.jobs.get(jobId);
    if (!job) throw ApplicationFailure.nonRetryable(`job ${jobId} not found`, 'job_not_found');
    if (job.status === 'running') {
      const result = failure ? { failure } : await this.result(job);
      await this.jobs.finish(jobId, failure ? 'failed' : 'succeeded', result);
      this.log.log(`job ${job.kind} ${jobId}: ${job.done}/${job.total} processed, ${job.failed} failed${failure ? ` — ${failure}` : ''}`);
    }
    const now = (await this.jobs.get(jobId))!;
    return { jobId, status: now.status === 'failed' ? 'failed' : 'succeeded', total: now.total, done: now.done, failed: now.failed };
  }

  private async result(job: JobRecord): Promise<Record<string, unknown>> {
    if (job.kind === 'calendar_update') {
      const input = job.input as CalendarJobInput;
      return { ...input.subject, signalled: job.done - job.failed, failed: job.failed };
    }
    if (job.kind === 'org_reorganisation') {
      const lines = (await this.jobs.outcomes(job.id)).map((i) => i.outcome as unknown as ReorganisationLine).filter(Boolean);
      const count = (st: ReorganisationLine['status']) => lines.filter((l) => l.status === st).length;
      return { ...(job.input as ReorganisationJobInput).subject, moved: count('moved'), unchanged: count('unchanged'), ended: count('ended'), refused: count('refused') };
    }
    if (job.kind === 'candidate_import') {
      const lines = (await this.jobs.outcomes(job.id)).map((i) => i.outcome as unknown as ImportLine).filter(Boolean);
      const count = (st: ImportLine['status']) => lines.filter((l) => l.status === st).length;
      return { ...(job.input as ImportJobInput).subject, created: count('created'), alreadyImported: count('already_imported'), refused: count('refused'), results: lines };
    }
    const input = job.input as CertifyJobInput;
    const lines = (await this.jobs.outcomes(job.id)).map((i) => i.outcome as unknown as CertifyLine).filter(Boolean);
    const count = (s: ApplyStatus) => lines.filter((l) => l.status === s).length;
    return { ...input.subject, applied: count('applied'), alreadyApplied: count('already_applied'), refused: count('refused'), results: lines };
  }

  /** Beats after each item: a worker that dies mid-chunk is noticed within the heartbeat timeout. */
  private beat(): void {
    try {
      Context.current().heartbeat();
    } catch {
      /* outside an activity (tests calling the service) */
    }
  }

  private attempt(): number {
    try {
      return Context.current().info.attempt;
    } catch {
      return 1;
    }
  }

  // ------------------------------------------------------------------------------------------- certify

  private async certifyChunk(job: JobRecord, items: JobItem[]): Promise<ItemDone[]> {
    const input = job.input as CertifyJobInput;
    const wanted = new Set(items.map((i) => i.item));
    const enrolments = new Map((await this.classes.enrolments(input.subject.classId)).filter((e) => wanted.has(e.candidateId)).map((e) => [e.candidateId, e]));
    const giveUp = this.attempt() >= GIVE_UP_ATTEMPT;
    return mapLimit(items, CERTIFY_CONCURRENCY, async (it) => {
      const e = enrolments.get(it.item);
      let line: CertifyLine;
      if (!e || !e.issuedOn) {
        line = this.refused(input, { candidateId: it.item, fullName: e?.fullName ?? '', result: e?.result ?? 'fail', certificateNo: e?.certificateNo ?? null }, new Refusal('training_not_enrolled', { count: 1, candidateId: it.item }));
      } else {
        try {
          line = await this.apply(input, e);
        } catch (err) {
          if (!giveUp) throw err;
          this.log.error(`certify ${input.subject.classId}/${e.candidateId}: ${(err as Error).message}`);
          line = await this.refuse(input, e, new Refusal('temporal_unavailable'));
        }
      }
      this.beat();
      return { seq: it.seq, status: line.status === 'refused' ? 'failed' : 'done', outcome: line as unknown as Record<string, unknown> };
    });
  }

  private lineOf(e: Enrolment) {
    return { candidateId: e.candidateId, fullName: e.fullName, result: e.result!, certificateNo: e.certificateNo };
  }

  private refused(input: CertifyJobInput, line: Omit<CertifyLine, 'status'>, r: Refusal): CertifyLine {
    return { ...line, status: 'refused', error: { code: r.code, message: renderMessage(r.code, r.params, input.lang) } };
  }

  private async refuse(input: CertifyJobInput, e: Enrolment, r: Refusal): Promise<CertifyLine> {
    const line = this.refused(input, this.lineOf(e), r);
    await this.classes.markError(input.subject.classId, e.candidateId, line.error!);
    return line;
  }

  /** One participant's result to their workflow: once, whatever happened to an earlier attempt. */
  private async apply(input: CertifyJobInput, e: Enrolment): Promise<CertifyLine> {
    const classId = input.subject.classId;
    const line = this.lineOf(e);
    if (e.appliedAt) return { ...line, status: 'already_applied' };
    // A decision sent before (the answer lost): the task it went to is closed with this result.
    if (e.taskId) {
      const sent = await this.candidates.task(e.taskId);
      if (sent && sent.status === 'done' && sent.outcome === e.result) {
        await this.classes.markApplied(classId, e.candidateId);
        return { ...line, status: 'already_applied' };
      }
    }
    const open = (await this.candidates.tasksOf(e.candidateId, 'open')).find((t) => t.type === input.step);
    if (!open) return this.refuse(input, e, new Refusal('training_no_open_task', { step: STEPS[input.step].vi }));
    const grant = input.grants.find((g) => g.role === open.role && open.orgUnitPath.startsWith(g.orgUnitPath));
    if (!grant) return this.refuse(input, e, new Refusal('out_of_jurisdiction', { role: open.role }));
    await this.classes.markAttempt(classId, e.candidateId, open.id);
    const data: Record<string, unknown> = { issuedOn: e.issuedOn };
    if (e.certificateNo) data.certificateNo = e.certificateNo;
    try {
      const workflowId = candidateWorkflowId(e.candidateId);
      const summary = await this.temporal.workflow.getHandle(workflowId).executeUpdate(completeTaskUpdate, {
        updateId: certifyUpdateId(classId),
        args: [{ ...requestEnvelope(workflowId, certifyUpdateId(classId)), taskId: open.id, outcome: e.result!, data, note: `Lớp ${input.subject.className}`, actor: { ...input.actor, role: grant.role, orgUnitId: grant.orgUnitId ?? undefined } }],
      });
      await this.classes.markApplied(classId, e.candidateId);
      return { ...line, status: 'applied', stage: summary.stage };
    } catch (err) {
      const r = refusalOf(err);
      if (!r) throw err;
      return this.refuse(input, e, r);
    }
  }

  // ------------------------------------------------------------------------------------------- import

  /** Each row's case started at its stage, once (apps/worker/src/candidate-import.chunk.ts). */
  private importChunk(job: JobRecord, items: JobItem[]): Promise<ItemDone[]> {
    return new CandidateImportChunk(this.temporal, this.candidates).run(job, items, () => this.beat());
  }

  // ------------------------------------------------------------------------------------------- reorganisation

  /** Each case of the chunk on its units after the reorganisation, once (apps/worker/src/org-reorganisation.chunk.ts). */
  private reorganisationChunk(job: JobRecord, items: JobItem[]): Promise<ItemDone[]> {
    return new OrgReorganisationChunk(this.temporal, this.reorganisations).run(job, items, () => this.beat(), this.attempt() >= GIVE_UP_ATTEMPT);
  }

  // ------------------------------------------------------------------------------------------- calendar

  /**
   * Signals each case of the chunk the calendar in force now. If the calendar changed while the chunk ran
   * (another update), the chunk is signalled again with the newer one, so a late signal of this job can
   * never leave a case on an older calendar than the newest job's.
   */
  private async calendarChunk(job: JobRecord, items: JobItem[]): Promise<ItemDone[]> {
    const input = job.input as CalendarJobInput;
    const giveUp = this.attempt() >= GIVE_UP_ATTEMPT;
    let years = await this.calendar.current();
    let outcome = new Map<number, ItemDone>();
    for (let round = 0; round < 5; round++) {
      outcome = new Map();
      const targets = items;
      await mapLimit(targets, 32, async (it) => {
        try {
          await this.temporal.workflow.getHandle(it.item).signal(calendarUpdatedSignal, years);
          outcome.set(it.seq, { seq: it.seq, status: 'done', outcome: { calendar: calendarKey(years) } });
        } catch (err) {
          const r = refusalOf(err) ?? (giveUp ? new Refusal('temporal_unavailable') : undefined);
          if (!r) throw err;
          outcome.set(it.seq, { seq: it.seq, status: 'failed', outcome: { error: { code: r.code, message: renderMessage(r.code, r.params, input.lang) } } });
        }
        this.beat();
      });
      const now = await this.calendar.current();
      if (calendarKey(now) === calendarKey(years)) break;
      years = now;
    }
    return items.map((it) => outcome.get(it.seq)!);
  }
}

/** Binds each method: the worker gets plain functions, never the Nest instance. */
export function jobActivities(s: JobActivitiesService): JobActivities {
  return { runJobChunk: s.runJobChunk.bind(s), finishJob: s.finishJob.bind(s) };
}

const repo = <T>(cls: new (ds: DataSource) => T) => ({ provide: cls, useFactory: (ds: DataSource) => new cls(ds), inject: [DataSource] });

/**
 * The jobs' activities with their Temporal client: the API's client module (libs/temporal), connected and
 * encrypting as configured (temporalConnectionOptions, temporalDataConverter), closed on shutdown.
 */
@Module({
  imports: [TemporalClientModule],
  providers: [repo(JobRepository), repo(TrainingRepository), repo(OrgReorganisationRepository), JobActivitiesService],
  exports: [JobActivitiesService],
})
export class JobsWorkerModule {}

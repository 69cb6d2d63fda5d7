import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { EntityManager } from 'typeorm';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { JobRepository, type JobItemsSource, type JobKind, type JobRecord } from '../../../../libs/persistence/src/repositories/job.repository.js';
import { JOB_WORKFLOW_TYPE, jobWorkflowId, type JobWorkflowInput } from '../../../../workflows/jobs/jobs.messages.js';
import { isAdmin, type AuthUser } from '../auth/jurisdiction.js';
import { DomainError } from '../common/domain-error.js';

/** A job's public view: progress and, once finished, the result (what the 202 of the starting request names). */
export function jobView(job: JobRecord) {
  return {
    jobId: job.id,
    kind: job.kind,
    status: job.status,
    total: job.total,
    done: job.done,
    failed: job.failed,
    ...(job.input.subject ?? {}),
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    errors: job.errors,
    result: job.result,
  };
}

export interface JobSpec {
  kind: JobKind;
  /** The unit whose auditors may follow the job; null: the whole system (administrators only). */
  orgUnitId: string | null;
  /** What the worker needs; `subject` is shown with the job. */
  input: { subject: Record<string, unknown> } & Record<string, unknown>;
  items: JobItemsSource;
  /** Written in the job's transaction, only when the job is new. */
  also?: (m: EntityManager) => Promise<void>;
}

/** Jobs still running this long after they were created without a workflow are started at boot. */
const ORPHAN_AFTER_SECONDS = 60;

/**
 * Starts durable fan-out jobs (workflows/jobs) and shows their progress. A job is one row written with its
 * items in one transaction, then its workflow `job-<uuid>`. The ID comes from the caller's Idempotency-Key
 * when there is one, so a retried request finds the same job and starts no second workflow.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap {
  private readonly log = new Logger('jobs');

  constructor(
    @Inject(JobRepository) private readonly jobs: JobRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(Client) private readonly temporal: Client,
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
  ) {}

  /** The job's ID: derived from (user, kind, Idempotency-Key), or random without a key. */
  static jobId(userId: string, kind: JobKind, idempotencyKey?: string): string {
    if (!idempotencyKey) return randomUUID();
    const h = createHash('sha256').update(`job:${userId}:${kind}:${idempotencyKey}`).digest('hex');
    // Formatted as a version-5-style UUID (name-based).
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** The job a request with this Idempotency-Key already started, if any (its workflow started if it was not). */
  async existing(user: AuthUser, kind: JobKind, idempotencyKey?: string): Promise<JobRecord | undefined> {
    if (!idempotencyKey) return undefined;
    const job = await this.jobs.get(JobsService.jobId(user.id, kind, idempotencyKey));
    if (job?.status === 'running') await this.startWorkflow(job.id, job.kind);
    return job;
  }

  async start(user: AuthUser, spec: JobSpec, idempotencyKey?: string): Promise<JobRecord> {
    const id = JobsService.jobId(user.id, spec.kind, idempotencyKey);
    const taskQueue = this.config.temporal.taskQueue;
    const { job } = await this.jobs.create({ id, kind: spec.kind, createdBy: user.id, orgUnitId: spec.orgUnitId, input: { ...spec.input, taskQueue } }, spec.items, spec.also);
    if (job.status === 'running') await this.startWorkflow(job.id, job.kind);
    return job;
  }

  private async startWorkflow(jobId: string, kind: JobKind): Promise<void> {
    const input: JobWorkflowInput = { jobId, kind };
    try {
      await this.temporal.workflow.start(JOB_WORKFLOW_TYPE, { workflowId: jobWorkflowId(jobId), taskQueue: this.config.temporal.taskQueue, args: [input] });
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return;
      this.log.error(`job ${jobId}: workflow not started: ${(e as Error).message}`);
      throw new DomainError('temporal_unavailable');
    }
  }

  /**
   * A job whose row was written but whose workflow never started (the API died in between, and the request
   * was not retried) is started when an API process boots; one already started is left alone.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      for (const j of await this.jobs.running(this.config.temporal.taskQueue, ORPHAN_AFTER_SECONDS)) await this.startWorkflow(j.id, j.kind);
    } catch (e) {
      this.log.warn(`resuming jobs: ${(e as Error).message}`);
    }
  }

  /**
   * Progress and result of a job: for the user who started it, administrators, and auditors over the job's
   * unit; for anyone else it does not exist. Reading a finished class's lines (names) is a logged
   * personal-data read.
   */
  async get(user: AuthUser, id: string) {
    const job = await this.jobs.get(id);
    const auditor = job?.orgUnitPath != null && user.roles.some((g) => g.role === 'auditor' && job.orgUnitPath!.startsWith(g.orgUnitPath));
    if (!job || !(job.createdBy === user.id || isAdmin(user) || auditor)) throw new DomainError('job_not_found');
    const lines: { candidateId: string }[] = job.kind === 'class_certify' && Array.isArray(job.result?.results) ? job.result!.results : [];
    if (lines.length) await this.audit.logPiiReads(user.id, lines.map((l) => l.candidateId), `training-class:${job.input.subject?.classId}`);
    // An import's lines name the imported candidates: as personal a read as a class's.
    const imported: { candidateId: string; status: string }[] = job.kind === 'candidate_import' && Array.isArray(job.result?.results) ? job.result!.results.filter((l: { status: string }) => l.status !== 'refused') : [];
    if (imported.length) await this.audit.logPiiReads(user.id, imported.map((l) => l.candidateId), `candidate-import:${job.id}`);
    return jobView(job);
  }
}

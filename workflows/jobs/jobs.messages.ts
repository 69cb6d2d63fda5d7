/**
 * The fan-out job workflow's wire contract: type name, workflow ID, input and the activities it calls. The API
 * imports this file (never the implementation). Names are stable wire names.
 *
 * A job does one thing to many items (tell every active case about a new calendar, apply each participant's
 * result of a class to their case), chunk after chunk, each chunk an activity that marks the items it
 * processed in the `jobs` table: a job outlives the API process that started it and resumes after a worker or
 * server crash, and each item's effect is idempotent, so a chunk retried after a crash applies nothing twice.
 */

export const JOB_WORKFLOW_TYPE = 'fanOutJobWorkflow';

export type JobKind = 'calendar_update' | 'class_certify' | 'candidate_import' | 'org_reorganisation';

/** The workflow of a job: one per job ID, so starting it again (a retried request) starts nothing new. */
export function jobWorkflowId(jobId: string): string {
  return `job-${jobId}`;
}

/** Items per chunk activity, by kind (a decision is an update that writes; a calendar signal only a history event): progress is recorded after each. */
export const JOB_CHUNK_SIZE: Record<JobKind, number> = { class_certify: 25, calendar_update: 100, candidate_import: 10, org_reorganisation: 25 };

/** Chunks per workflow run before it continues as new (about 8 history events a chunk). */
export const JOB_CHUNKS_PER_RUN = 250;

export interface JobWorkflowInput {
  jobId: string;
  kind: JobKind;
  /** The sequence number of the last item a previous run processed (continue-as-new); 0 at the start. */
  after?: number;
}

export interface ChunkResult {
  /** The sequence number of the last item of the chunk; unchanged when there was none left. */
  last: number;
  /** Items processed in this chunk (done or failed). */
  processed: number;
  /** No item after `last`: the job is complete. */
  finished: boolean;
}

export interface JobOutcome {
  jobId: string;
  status: 'succeeded' | 'failed';
  total: number;
  done: number;
  failed: number;
}

/** Activities of the job workflow; implemented in apps/worker (job.activities.ts). Each is idempotent. */
export interface JobActivities {
  /** Processes the items after `after` (up to `limit`, skipping those already processed) and records progress. */
  runJobChunk(jobId: string, after: number, limit: number): Promise<ChunkResult>;
  /** Marks the job finished with its result (computed from its items); a second call changes nothing. */
  finishJob(jobId: string, failure?: string): Promise<JobOutcome>;
}

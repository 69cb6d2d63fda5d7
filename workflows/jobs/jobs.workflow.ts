import { ActivityFailure, continueAsNew, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { JOB_CHUNK_SIZE, JOB_CHUNKS_PER_RUN, type ChunkResult, type JobActivities, type JobOutcome, type JobWorkflowInput } from './jobs.messages.js';

// A chunk heartbeats after each item: a worker killed mid-chunk hands the chunk to another attempt within
// the heartbeat timeout, which skips the items already marked processed. Transient failures (Temporal or
// PostgreSQL unavailable) retry without limit: a job cannot finish without its items.
const { runJobChunk } = proxyActivities<JobActivities>({
  startToCloseTimeout: '10 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['job_not_found'] },
});
const { finishJob } = proxyActivities<JobActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * One fan-out job (`job-<uuid>`): its items in chunks, in the order fixed when the job was created, then the
 * result. A long job continues as new with the position reached, so each run's history stays small.
 */
export async function fanOutJobWorkflow(input: JobWorkflowInput): Promise<JobOutcome> {
  let after = input.after ?? 0;
  for (let chunks = 0; ; chunks++) {
    if (chunks >= JOB_CHUNKS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      return continueAsNew<typeof fanOutJobWorkflow>({ ...input, after });
    }
    let r: ChunkResult;
    try {
      r = await runJobChunk(input.jobId, after, JOB_CHUNK_SIZE[input.kind]);
    } catch (e) {
      // Only a non-retryable failure gets here: the job ends as failed, with the reason.
      if (!(e instanceof ActivityFailure)) throw e;
      return finishJob(input.jobId, e.cause?.message ?? e.message);
    }
    after = r.last;
    if (r.finished) return finishJob(input.jobId);
  }
}

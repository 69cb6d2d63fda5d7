import type { Api } from './http.js';
import { waitFor } from './fixtures.js';

/** Polls GET /api/jobs/:id until the job is no longer running; its last view (result included). */
export async function awaitJob(as: Api, jobId: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(
    `job ${jobId} to finish`,
    async () => {
      const r = await as.get(`/api/jobs/${jobId}`);
      if (r.status !== 200) throw new Error(`job ${jobId}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body.status === 'running' ? undefined : r.body;
    },
    timeoutMs,
    200,
  );
}

/**
 * Certifies a class (POST /api/training-classes/:id/certify, answered 202 with the job) and waits for the job:
 * the per-participant result ({applied, alreadyApplied, refused, results}), as the request answered before
 * certification became a job.
 */
export async function certifyAndWait(as: Api, classId: string, body: unknown, headers: Record<string, string> = {}): Promise<any> {
  const r = await as.post(`/api/training-classes/${classId}/certify`, body, headers);
  if (r.status !== 202) throw new Error(`certify: expected 202, got ${r.status}: ${JSON.stringify(r.body)}`);
  const job = await awaitJob(as, r.body.jobId);
  if (job.status !== 'succeeded') throw new Error(`certify job ${job.jobId}: ${job.status} ${JSON.stringify(job.result)}`);
  return job.result;
}

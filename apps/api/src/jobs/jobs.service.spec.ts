import { z } from 'zod';
import { JobsService } from './jobs.service.js';

describe('JobsService.jobId', () => {
  it('gives a retried request (same user, kind and Idempotency-Key) the same job, as a valid UUID', () => {
    const a = JobsService.jobId('user-1', 'class_certify', 'key-1');
    expect(JobsService.jobId('user-1', 'class_certify', 'key-1')).toBe(a);
    expect(z.uuid().safeParse(a).success).toBe(true);
  });

  it('gives another user, kind or key another job', () => {
    const a = JobsService.jobId('user-1', 'class_certify', 'key-1');
    expect(new Set([a, JobsService.jobId('user-2', 'class_certify', 'key-1'), JobsService.jobId('user-1', 'calendar_update', 'key-1'), JobsService.jobId('user-1', 'class_certify', 'key-2')]).size).toBe(4);
  });

  it('gives a request without a key a fresh job each time', () => {
    expect(JobsService.jobId('user-1', 'class_certify')).not.toBe(JobsService.jobId('user-1', 'class_certify'));
  });
});

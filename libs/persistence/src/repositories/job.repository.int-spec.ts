import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../../test/support/fixtures.js';
import { JOB_ERRORS_KEPT, JobRepository } from './job.repository.js';

/** The jobs table on real PostgreSQL with the real migrations: idempotent creation and exact, once-only progress. */
let ds: DataSource;
let jobs: JobRepository;

beforeAll(async () => {
  ds = await openDataSource();
  jobs = new JobRepository(ds);
});

afterAll(async () => {
  await ds?.destroy();
});

const newJob = (id = randomUUID()) => ({ id, kind: 'class_certify' as const, createdBy: randomUUID(), orgUnitId: null, input: { subject: { classId: 'c' } } });

describe(JobRepository, () => {
  it('creates a job with its items once: the same ID again writes nothing, not even what comes with it', async () => {
    const spec = newJob();
    let also = 0;
    const first = await jobs.create(spec, { ids: ['a', 'b', 'c'] }, async () => void (also += 1));
    expect(first).toMatchObject({ created: true, job: { id: spec.id, status: 'running', total: 3, done: 0, failed: 0, errors: [] } });
    const again = await jobs.create(spec, { ids: ['a', 'b', 'c', 'd'] }, async () => void (also += 1));
    expect(again).toMatchObject({ created: false, job: { total: 3 } });
    expect(also).toBe(1);
    expect((await jobs.items(spec.id, 1, 10)).map((i) => [i.seq, i.item, i.status])).toEqual([
      [2, 'b', 'pending'],
      [3, 'c', 'pending'],
    ]);
  });

  it('counts each item once however often its chunk is recorded, and keeps the first errors only', async () => {
    const spec = newJob();
    const n = JOB_ERRORS_KEPT + 20;
    await jobs.create(spec, { ids: Array.from({ length: n }, (_, i) => `item-${i + 1}`) });
    const chunk = Array.from({ length: 30 }, (_, i) => ({ seq: i + 1, status: i % 3 === 0 ? ('done' as const) : ('failed' as const), outcome: { error: { code: 'x', message: `m${i + 1}` } } }));
    expect(await jobs.recordChunk(spec.id, chunk)).toEqual({ done: 30, failed: 20, total: n });
    // The same chunk again (a retried activity): nothing moves.
    expect(await jobs.recordChunk(spec.id, chunk)).toEqual({ done: 30, failed: 20, total: n });
    const rest = Array.from({ length: n - 30 }, (_, i) => ({ seq: i + 31, status: 'failed' as const, outcome: { error: { code: 'y', message: `m${i + 31}` } } }));
    expect(await jobs.recordChunk(spec.id, rest)).toEqual({ done: n, failed: 20 + n - 30, total: n });
    const job = (await jobs.get(spec.id))!;
    expect(job.errors).toHaveLength(JOB_ERRORS_KEPT);
    expect(job.errors[0]).toEqual({ item: 'item-2', code: 'x', message: 'm2' });
    expect(job.errors.at(-1)!.item).toBe(`item-${30 + JOB_ERRORS_KEPT - 20}`);

    await jobs.finish(spec.id, 'succeeded', { ok: true });
    await jobs.finish(spec.id, 'failed', { ok: false });
    expect(await jobs.get(spec.id)).toMatchObject({ status: 'succeeded', result: { ok: true } });
  });
});

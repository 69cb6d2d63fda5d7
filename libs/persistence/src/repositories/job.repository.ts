import type { DataSource, EntityManager } from 'typeorm';

export type JobKind = 'calendar_update' | 'class_certify' | 'candidate_import' | 'org_reorganisation';
export type JobStatus = 'running' | 'succeeded' | 'failed';
export type JobItemStatus = 'pending' | 'done' | 'failed';

/** At most this many item errors are kept on the job (each item keeps its own outcome). */
export const JOB_ERRORS_KEPT = 50;

export interface JobRecord {
  id: string;
  kind: JobKind;
  status: JobStatus;
  total: number;
  done: number;
  failed: number;
  orgUnitId: string | null;
  /** The org unit's path (null for a job over the whole system). */
  orgUnitPath: string | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
  input: Record<string, any>;
  errors: { item: string; code?: string; message?: string }[];
  result: Record<string, any> | null;
}

export interface JobItem {
  seq: number;
  item: string;
  status: JobItemStatus;
  outcome: Record<string, any> | null;
}

export interface NewJob {
  id: string;
  kind: JobKind;
  createdBy: string;
  orgUnitId: string | null;
  input: Record<string, unknown>;
}

/** The items of a new job: given, or every active case's workflow, the most urgent first. */
export type JobItemsSource = { ids: string[] } | { activeCaseWorkflows: true } | { activeCasesRoutedTo: string[] };

/** One processed item of a chunk: its final status and outcome. */
export interface ItemDone {
  seq: number;
  status: 'done' | 'failed';
  outcome: Record<string, unknown>;
}

const JOB_COLS = `j.id, j.kind, j.status, j.total, j.done, j.failed, j.org_unit_id AS "orgUnitId", ou.path AS "orgUnitPath",
  j.created_by AS "createdBy", j.created_at AS "createdAt", j.finished_at AS "finishedAt", j.input, j.errors, j.result`;

/**
 * Durable fan-out jobs: the job, its items fixed at creation, each item marked processed exactly once (the
 * counters move with the marking, in one statement), so a chunk retried after a crash counts nothing twice.
 */
export class JobRepository {
  constructor(private readonly ds: DataSource) {}

  /**
   * Creates the job and its items in one transaction, with `also` (what the job is about, e.g. the calendar
   * version) in the same transaction. The ID is the caller's: a job that already exists is returned as it is
   * and nothing is written (`created: false`).
   */
  async create(job: NewJob, items: JobItemsSource, also?: (m: EntityManager) => Promise<void>): Promise<{ created: boolean; job: JobRecord }> {
    const created = await this.ds.transaction(async (m) => {
      const inserted = await m.query(
        `INSERT INTO jobs (id, kind, org_unit_id, created_by, input) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [job.id, job.kind, job.orgUnitId, job.createdBy, JSON.stringify(job.input)],
      );
      if (!inserted.length) return false;
      if (also) await also(m);
      if ('ids' in items) {
        await m.query(`INSERT INTO job_items (job_id, seq, item) SELECT $1, t.ord, t.item FROM unnest($2::text[]) WITH ORDINALITY AS t(item, ord)`, [job.id, items.ids]);
      } else if ('activeCasesRoutedTo' in items) {
        // A reorganisation (issue 16): the active cases whose routing names one of the units, read in the
        // transaction that changed the tree. The candidate IDs are the items (the worker reads each routing).
        await m.query(
          `INSERT INTO job_items (job_id, seq, item)
           SELECT $1, row_number() OVER (ORDER BY c.created_at, c.id), c.id::text
             FROM candidates c
            WHERE c.status = 'active'
              AND (c.routing->>'cellId' = ANY($2::text[]) OR c.routing->>'grassrootsId' = ANY($2) OR c.routing->>'superiorId' = ANY($2)
                   OR c.routing->>'provinceId' = ANY($2) OR c.routing->>'trainingCentreId' = ANY($2))`,
          [job.id, items.activeCasesRoutedTo],
        );
        // Kept with the job: at its end the job lists again what was written since (appendUnlisted).
        await m.query(`UPDATE jobs SET input = input || jsonb_build_object('routedTo', to_jsonb($2::text[])) WHERE id = $1`, [job.id, items.activeCasesRoutedTo]);
      } else {
        // As CalendarRepository.activeWorkflowIds: the clocks about to fall due move first.
        await m.query(
          `INSERT INTO job_items (job_id, seq, item)
           SELECT $1, row_number() OVER (ORDER BY d.next_due ASC NULLS LAST, c.created_at, c.id), c.workflow_id
             FROM candidates c
             LEFT JOIN LATERAL (SELECT min(t.due_at) AS next_due FROM tasks t WHERE t.candidate_id = c.id AND t.status = 'open') d ON true
            WHERE c.status = 'active'`,
          [job.id],
        );
      }
      await m.query(`UPDATE jobs SET total = (SELECT count(*) FROM job_items WHERE job_id = $1) WHERE id = $1`, [job.id]);
      return true;
    });
    return { created, job: (await this.get(job.id))! };
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const rows = await this.ds.query(`SELECT ${JOB_COLS} FROM jobs j LEFT JOIN org_units ou ON ou.id = j.org_unit_id WHERE j.id = $1`, [id]);
    return rows[0];
  }

  /** The items after `after`, in order (processed ones included, so the caller knows where the chunk ends). */
  async items(jobId: string, after: number, limit: number): Promise<JobItem[]> {
    return this.ds.query(`SELECT seq, item, status, outcome FROM job_items WHERE job_id = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [jobId, after, limit]);
  }

  /** Every item's outcome, in order (a class: at most a few thousand). */
  async outcomes(jobId: string): Promise<JobItem[]> {
    return this.ds.query(`SELECT seq, item, status, outcome FROM job_items WHERE job_id = $1 ORDER BY seq`, [jobId]);
  }

  /**
   * Marks the processed items of a chunk and moves the job's counters by the items that were still pending
   * (a retried chunk's items already marked count nothing); failed items' errors are appended to the job's
   * bounded list. Returns the progress.
   */
  async recordChunk(jobId: string, done: ItemDone[]): Promise<{ done: number; failed: number; total: number }> {
    const rows = await this.ds.query(
      `WITH d AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(seq int, status text, outcome jsonb)),
            u AS (UPDATE job_items i SET status = d.status, outcome = d.outcome, done_at = now()
                    FROM d WHERE i.job_id = $1 AND i.seq = d.seq AND i.status = 'pending'
                  RETURNING i.seq, i.item, i.status, i.outcome),
            e AS (SELECT coalesce(jsonb_agg(jsonb_build_object('item', u.item) || coalesce(u.outcome->'error', '{}'::jsonb) ORDER BY u.seq), '[]'::jsonb) AS list
                    FROM u WHERE u.status = 'failed')
       UPDATE jobs SET done = done + (SELECT count(*) FROM u),
                       failed = failed + (SELECT count(*) FROM u WHERE u.status = 'failed'),
                       errors = CASE WHEN jsonb_array_length(errors) >= $3 THEN errors
                                     ELSE (SELECT coalesce(jsonb_agg(x.v ORDER BY x.n), '[]'::jsonb)
                                             FROM jsonb_array_elements(errors || (SELECT list FROM e)) WITH ORDINALITY AS x(v, n) WHERE x.n <= $3) END
        WHERE id = $1
       RETURNING done, failed, total`,
      [jobId, JSON.stringify(done), JOB_ERRORS_KEPT],
    );
    // TypeORM answers an UPDATE … RETURNING as [rows, affected].
    return Array.isArray(rows[0]) ? rows[0][0] : rows[0];
  }

  /**
   * A reorganisation's active cases routed through its units that are not among its items yet (a case whose
   * first row was written after the listing: its creation's answer lost, the workflow's first projection late),
   * added as further items. Returns how many were added.
   */
  async appendUnlisted(jobId: string): Promise<number> {
    const r = await this.ds.query(
      `WITH j AS (SELECT ARRAY(SELECT jsonb_array_elements_text(input->'routedTo')) AS units FROM jobs WHERE id = $1 AND status = 'running' AND input ? 'routedTo'),
            n AS (SELECT c.id, c.created_at FROM candidates c, j
                   WHERE c.status = 'active'
                     AND (c.routing->>'cellId' = ANY(j.units) OR c.routing->>'grassrootsId' = ANY(j.units) OR c.routing->>'superiorId' = ANY(j.units)
                          OR c.routing->>'provinceId' = ANY(j.units) OR c.routing->>'trainingCentreId' = ANY(j.units))
                     AND NOT EXISTS (SELECT 1 FROM job_items i WHERE i.job_id = $1 AND i.item = c.id::text)),
            base AS (SELECT coalesce(max(seq), 0) AS s FROM job_items WHERE job_id = $1),
            ins AS (INSERT INTO job_items (job_id, seq, item)
                    SELECT $1, base.s + row_number() OVER (ORDER BY n.created_at, n.id), n.id::text FROM n, base RETURNING seq)
       UPDATE jobs SET total = total + (SELECT count(*) FROM ins) WHERE id = $1 RETURNING (SELECT count(*) FROM ins)::int AS added`,
      [jobId],
    );
    const row = Array.isArray(r[0]) ? r[0][0] : r[0];
    return row?.added ?? 0;
  }

  /** Ends a running job; a finished one is left as it is. */
  async finish(jobId: string, status: Exclude<JobStatus, 'running'>, result: Record<string, unknown>): Promise<void> {
    await this.ds.query(`UPDATE jobs SET status = $2, result = $3, finished_at = now() WHERE id = $1 AND status = 'running'`, [jobId, status, JSON.stringify(result)]);
  }

  /** Jobs still running that were created more than `olderThanSeconds` ago, of one task queue. */
  async running(taskQueue: string, olderThanSeconds: number): Promise<{ id: string; kind: JobKind }[]> {
    return this.ds.query(
      `SELECT id, kind FROM jobs WHERE status = 'running' AND input->>'taskQueue' = $1 AND created_at < now() - make_interval(secs => $2::double precision) ORDER BY created_at`,
      [taskQueue, olderThanSeconds],
    );
  }
}

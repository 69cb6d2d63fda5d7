import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { foldVietnamese } from '../../../../libs/domain/src/text.js';
import { candidateWorkflowId, type CandidateCreated, type ProjectionBatch } from '../../../../workflows/candidate/candidate.messages.js';
import { eventHash } from '../audit-chain.js';

/** Which Temporal activity delivered a batch: with the workflow's history, it names the event it came from. */
export interface TemporalRef {
  workflowId: string;
  runId: string;
  activityId: string;
  attempt: number;
  /**
   * Written by a local activity (patch `local-projection-v1`): inside the workflow task that made the events,
   * before Temporal has committed that task. Such rows may be withdrawn (see `apply`).
   */
  local?: boolean;
}

export interface ApplyOptions {
  /**
   * The batch comes from the workflow's committed history (reconcile, rebuild), not from a running task: it wins
   * over any local write it differs from, whatever the times.
   */
  fromHistory?: boolean;
}

/** What `apply` did with a batch. */
export type ApplyOutcome =
  /** Written (or already there, identical). */
  | { applied: true; withdrawn: number }
  /** The batch of a workflow task that was retried meanwhile: its retry's rows are there; nothing written. */
  | { applied: false; reason: 'superseded' };

interface ExistingEvent {
  seq: number;
  hash: string;
  at: Date;
  local: boolean;
}

/**
 * Writes what the candidate workflow reports. Idempotent: events are keyed by (candidate, seq), tasks and
 * the candidate row only move forward by version, so a retried or replayed activity changes nothing.
 *
 * A local activity's write (`ref.local`) comes before its workflow task commits. If that task is lost (the
 * worker killed, the task timed out) Temporal runs it again, and the same sequence numbers come back with other
 * content (a later workflow time; a signal that arrived in between). The history keeps only the retry. So when
 * a batch meets, at some seq, a local row with another hash:
 *  - a later local write (its event at that seq has a later workflow time) or a batch from the committed history
 *    withdraws the rows from that seq on (`ketnap_withdraw_local_events`: kept in `candidate_events_withdrawn`,
 *    milestones computed again), drops the tasks only they opened, and writes its own at equal versions;
 *  - an earlier local write (the lost task's activity finishing after its retry) writes nothing: superseded.
 * A row an ordinary activity wrote is never withdrawn: there a difference keeps the row (tampering shows in the
 * audit replay and the hash chain).
 */
export class ProjectionRepository {
  constructor(private readonly ds: DataSource) {}

  async apply(batch: ProjectionBatch, ref?: TemporalRef, opts: ApplyOptions = {}): Promise<ApplyOutcome> {
    const c = batch.candidate;
    return this.ds.transaction(async (m) => {
      if (batch.created) await insertCreatedCandidate(m, c.candidateId, ref?.workflowId ?? candidateWorkflowId(c.candidateId), batch.created);
      const events = [...batch.events].sort((a, b) => a.seq - b.seq);
      const first = events[0]?.seq;
      // The rows from the one before this batch on (its hash starts the chain); concurrent writers of the case wait.
      const existing = new Map<number, ExistingEvent>();
      if (first !== undefined) {
        if (ref?.local || opts.fromHistory) await m.query(`SELECT 1 FROM candidates WHERE id = $1 FOR UPDATE`, [c.candidateId]);
        const rows: { seq: number; hash: string; at: Date; local: boolean }[] = await m.query(
          `SELECT seq, hash, at, coalesce(temporal_ref->>'local', 'false') = 'true' AS local
             FROM candidate_events WHERE candidate_id = $1 AND seq >= $2 ORDER BY seq`,
          [c.candidateId, first - 1],
        );
        for (const r of rows) existing.set(r.seq, r);
      }
      // Each event is chained to the one before it (hash of the previous event + this one).
      let prev: string | null = first === undefined || first === 1 ? null : (existing.get(first - 1)?.hash ?? null);
      const hashed = events.map((e) => {
        const hash = eventHash(e.seq === 1 ? null : prev, {
          candidateId: c.candidateId,
          seq: e.seq,
          type: e.type,
          at: new Date(e.at).toISOString(),
          businessDate: e.businessDate ?? null,
          recordedOn: e.recordedOn,
          actor: e.actor ?? null,
          ruleSetId: e.ruleSetId ?? null,
          data: e.data,
        });
        const out = { e, prevHash: e.seq === 1 ? null : prev, hash };
        prev = hash;
        return out;
      });
      const clash = hashed.find((h) => existing.has(h.e.seq) && existing.get(h.e.seq)!.hash !== h.hash);
      let withdrawn = 0;
      if (clash) {
        const old = existing.get(clash.e.seq)!;
        // Committed for sure: a batch from the history, or an ordinary activity's (its task is in the history
        // before it runs: a worker of the version before local-projection-v1 retrying a lost task, a rollback).
        const committed = opts.fromHistory || !ref?.local;
        if (old.local && (committed || Date.parse(clash.e.at) > old.at.getTime())) {
          withdrawn = await withdrawLocalTail(m, c.candidateId, clash.e.seq, ref);
        } else if (ref?.local && old.local) {
          return { applied: false, reason: 'superseded' } as const;
        }
      }
      const fromSeq = withdrawn ? clash!.e.seq : undefined;
      for (const { e, prevHash, hash } of hashed) {
        await m.query(
          `INSERT INTO candidate_events (candidate_id, seq, type, at, business_date, actor, rule_set_id, data, prev_hash, hash, temporal_ref, recorded_on)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT ON CONSTRAINT pk_candidate_events DO NOTHING`,
          [c.candidateId, e.seq, e.type, e.at, e.businessDate ?? null, e.actor ? JSON.stringify(e.actor) : null, e.ruleSetId ?? null, JSON.stringify(e.data),
            prevHash, hash, ref ? JSON.stringify(ref) : null, e.recordedOn ?? null],
        );
      }
      // After a withdrawal, a row whose version is the withdrawn rows' (from fromSeq on) is theirs: this write
      // replaces it whatever its own version (the retry may reach a lower one).
      const newer = (col: string, param: string) => (fromSeq === undefined ? `${col} < ${param}` : `(${col} < ${param} OR ${col} >= ${fromSeq})`);
      for (const t of batch.tasks) {
        await m.query(
          `INSERT INTO tasks (id, candidate_id, type, role, org_unit_id, status, attempt, opened_at, opened_on, not_before,
                              due_date, due_at, due_rule, closed_at, outcome, decided_by, version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
           ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, role = EXCLUDED.role, org_unit_id = EXCLUDED.org_unit_id,
             due_date = EXCLUDED.due_date, due_at = EXCLUDED.due_at,
             due_rule = EXCLUDED.due_rule, closed_at = EXCLUDED.closed_at, outcome = EXCLUDED.outcome,
             decided_by = EXCLUDED.decided_by, version = EXCLUDED.version
           WHERE ${newer('tasks.version', 'EXCLUDED.version')}`,
          [
            t.id, t.candidateId, t.type, t.role, t.orgUnitId, t.status, t.attempt, t.openedAt, t.openedOn, t.notBefore ?? null,
            t.dueDate ?? null, t.dueAt ?? null, t.dueRule ? JSON.stringify(t.dueRule) : null, t.closedAt ?? null, t.outcome ?? null,
            t.decidedBy ? JSON.stringify(t.decidedBy) : null, t.version,
          ],
        );
      }
      await m.query(
        `UPDATE candidates SET stage = $2, status = $3, version = $4, party_age_from = $5, probation_ends_on = $6,
           official_from = $7, ended_reason = $8, updated_at = now(),
           cell_id = COALESCE($9, cell_id), routing = COALESCE($10::jsonb, routing),
           education = COALESCE($11::jsonb->>'education', education),
           youth_union_member = COALESCE(($11::jsonb->>'youthUnionMember')::boolean, youth_union_member),
           hardship_area = COALESCE(($11::jsonb->>'hardshipArea')::boolean, hardship_area),
           place_id = CASE WHEN $11::jsonb IS NULL THEN place_id ELSE ($11::jsonb->>'placeId')::uuid END
         WHERE id = $1 AND ${newer('version', '$4')}`,
        [c.candidateId, c.stage, c.status, c.version, c.partyAgeFrom ?? null, c.probationEndsOn ?? null, c.officialFrom ?? null,
          c.endedReason ? JSON.stringify(c.endedReason) : null, c.routing?.cellId ?? null, c.routing ? JSON.stringify(c.routing) : null,
          // The facts in force once they changed (issue 16): the row follows them; absent, the row keeps its own.
          c.facts ? JSON.stringify(c.facts) : null],
      );
      return { applied: true, withdrawn } as const;
    });
  }
}

/**
 * Moves the rows of a case from `fromSeq` on to `candidate_events_withdrawn` (through the SECURITY DEFINER
 * function of migration 1764890000000) and deletes the tasks those rows opened (the batch that replaces them
 * writes its own snapshots next). Returns how many rows were withdrawn; 0 when the function refuses (a row not
 * local, of another run, or older than its window: see the migration), the clash then left as it was before
 * local writes existed (reconcile reports it).
 */
async function withdrawLocalTail(m: Pick<DataSource, 'query'>, candidateId: string, fromSeq: number, ref: TemporalRef | undefined): Promise<number> {
  await m.query(`SAVEPOINT withdraw_local`);
  try {
    await m.query(
      `DELETE FROM tasks WHERE candidate_id = $1 AND id IN (
         SELECT data->>'taskId' FROM candidate_events WHERE candidate_id = $1 AND seq >= $2 AND type = 'task_opened')`,
      [candidateId, fromSeq],
    );
    const [{ n }] = await m.query(`SELECT ketnap_withdraw_local_events($1, $2, $3::jsonb) AS n`, [candidateId, fromSeq, ref ? JSON.stringify(ref) : null]);
    await m.query(`RELEASE SAVEPOINT withdraw_local`);
    return Number(n);
  } catch (e) {
    if ((e as { code?: string }).code !== '42501') throw e;
    await m.query(`ROLLBACK TO SAVEPOINT withdraw_local`);
    new Logger('Projection').warn(`candidate ${candidateId}: rows from seq ${fromSeq} not withdrawn (${(e as Error).message}); left for reconcile`);
    return 0;
  }
}

/**
 * The candidate row of a starting case (version 0, stage source_review: the same batch's update then moves it
 * forward). Nothing when it exists: a retried activity, a rebuild, or a case whose row the API wrote before
 * the workflow wrote its own.
 */
export async function insertCreatedCandidate(q: Pick<DataSource, 'query'>, id: string, workflowId: string, c: CandidateCreated): Promise<void> {
  await q.query(
    `INSERT INTO candidates (id, cell_id, full_name, search_name, date_of_birth, gender, ethnicity, religion, education,
       youth_union_member, hardship_area, source, routing, stage, status, version, workflow_id, created_by,
       occupation, sector, professional_qualification, place_id, created_at)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,'source_review','active',0,$14,$15,$16,$17,$18,$19,$20)
     ON CONFLICT (id) DO NOTHING`,
    [id, c.cellId, c.fullName, foldVietnamese(c.fullName), c.dateOfBirth, c.gender, c.ethnicity, c.religion, c.education, c.youthUnionMember,
      c.hardshipArea, JSON.stringify(c.source), JSON.stringify(c.routing), workflowId, c.createdBy,
      c.occupation, c.sector, c.professionalQualification, c.placeId, c.createdAt],
  );
}

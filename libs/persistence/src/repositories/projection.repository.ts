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
}

/**
 * Writes what the candidate workflow reports. Idempotent: events are keyed by (candidate, seq), tasks and
 * the candidate row only move forward by version, so a retried or replayed activity changes nothing.
 */
export class ProjectionRepository {
  constructor(private readonly ds: DataSource) {}

  async apply(batch: ProjectionBatch, ref?: TemporalRef): Promise<void> {
    const c = batch.candidate;
    await this.ds.transaction(async (m) => {
      if (batch.created) await insertCreatedCandidate(m, c.candidateId, ref?.workflowId ?? candidateWorkflowId(c.candidateId), batch.created);
      // Each event is chained to the one before it (hash of the previous event + this one).
      let prev: string | null | undefined;
      for (const e of [...batch.events].sort((a, b) => a.seq - b.seq)) {
        if (prev === undefined && e.seq > 1) {
          const rows = await m.query(`SELECT hash FROM candidate_events WHERE candidate_id = $1 AND seq = $2`, [c.candidateId, e.seq - 1]);
          prev = rows[0]?.hash ?? null;
        }
        const prevHash: string | null = e.seq === 1 ? null : (prev ?? null);
        const hash = eventHash(prevHash, {
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
        await m.query(
          `INSERT INTO candidate_events (candidate_id, seq, type, at, business_date, actor, rule_set_id, data, prev_hash, hash, temporal_ref, recorded_on)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) ON CONFLICT ON CONSTRAINT pk_candidate_events DO NOTHING`,
          [c.candidateId, e.seq, e.type, e.at, e.businessDate ?? null, e.actor ? JSON.stringify(e.actor) : null, e.ruleSetId ?? null, JSON.stringify(e.data),
            prevHash, hash, ref ? JSON.stringify(ref) : null, e.recordedOn ?? null],
        );
        prev = hash;
      }
      for (const t of batch.tasks) {
        await m.query(
          `INSERT INTO tasks (id, candidate_id, type, role, org_unit_id, status, attempt, opened_at, opened_on, not_before,
                              due_date, due_at, due_rule, closed_at, outcome, decided_by, version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
           ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, role = EXCLUDED.role, org_unit_id = EXCLUDED.org_unit_id,
             due_date = EXCLUDED.due_date, due_at = EXCLUDED.due_at,
             due_rule = EXCLUDED.due_rule, closed_at = EXCLUDED.closed_at, outcome = EXCLUDED.outcome,
             decided_by = EXCLUDED.decided_by, version = EXCLUDED.version
           WHERE tasks.version < EXCLUDED.version`,
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
         WHERE id = $1 AND version < $4`,
        [c.candidateId, c.stage, c.status, c.version, c.partyAgeFrom ?? null, c.probationEndsOn ?? null, c.officialFrom ?? null,
          c.endedReason ? JSON.stringify(c.endedReason) : null, c.routing?.cellId ?? null, c.routing ? JSON.stringify(c.routing) : null,
          // The facts in force once they changed (issue 16): the row follows them; absent, the row keeps its own.
          c.facts ? JSON.stringify(c.facts) : null],
      );
    });
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

import type { DataSource } from 'typeorm';
import type { CandidateCreated, TaskSnapshot } from '../../../../workflows/candidate/candidate.messages.js';
import type { ReadModelSide } from '../read-model-drift.js';
import { insertCreatedCandidate } from './projection.repository.js';

/** The workflow-owned fields of a candidate row, as the workflow has them now. */
export interface CandidateState {
  stage: string;
  status: string;
  version: number;
  routing: { cellId: string } & Record<string, unknown>;
  partyAgeFrom?: string | null;
  probationEndsOn?: string | null;
  officialFrom?: string | null;
  endedReason?: Record<string, unknown> | null;
}

/**
 * Reads and repairs of the read model for `npm run reconcile` (apps/api/src/audit/reconcile.service.ts). It runs
 * as the app's role: it may insert a missing candidate row, set a candidate row and its tasks to the workflow's
 * state, and insert missing history events (through ProjectionRepository) — never change or remove an event.
 */
export class ReconcileRepository {
  constructor(private readonly ds: DataSource) {}

  /** The rows the comparison reads for one candidate (all its tasks, all its events). */
  async readModel(candidateId: string): Promise<ReadModelSide> {
    const [candidates, tasks, events] = await Promise.all([
      this.ds.query(
        `SELECT stage, status, version, cell_id AS "cellId", routing, to_char(party_age_from, 'YYYY-MM-DD') AS "partyAgeFrom",
                to_char(probation_ends_on, 'YYYY-MM-DD') AS "probationEndsOn", to_char(official_from, 'YYYY-MM-DD') AS "officialFrom"
           FROM candidates WHERE id = $1`,
        [candidateId],
      ),
      this.ds.query(
        `SELECT id, type, role, org_unit_id AS "orgUnitId", status, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", due_at AS "dueAt"
           FROM tasks WHERE candidate_id = $1 ORDER BY id`,
        [candidateId],
      ),
      this.ds.query(
        `SELECT seq, type, at, to_char(business_date, 'YYYY-MM-DD') AS "businessDate", to_char(recorded_on, 'YYYY-MM-DD') AS "recordedOn",
                actor, rule_set_id AS "ruleSetId", data
           FROM candidate_events WHERE candidate_id = $1 ORDER BY seq`,
        [candidateId],
      ),
    ]);
    return { candidate: candidates[0], tasks, events };
  }

  /** Which of these candidates have a row. */
  async present(ids: readonly string[]): Promise<Set<string>> {
    if (!ids.length) return new Set();
    const rows: { id: string }[] = await this.ds.query(`SELECT id FROM candidates WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Puts back a candidate row the read model lost, as the case's first projection wrote it (version 0). */
  async restoreCandidate(id: string, workflowId: string, c: CandidateCreated): Promise<void> {
    await insertCreatedCandidate(this.ds, id, workflowId, c);
  }

  /**
   * Sets the candidate row and its tasks to the workflow's state whatever their version (the projection's
   * guard only moves forward): every task the workflow knows is written as it has it, tasks it does not know
   * are removed. One transaction.
   */
  async forceState(candidateId: string, c: CandidateState, tasks: readonly TaskSnapshot[]): Promise<void> {
    await this.ds.transaction(async (m) => {
      await m.query(
        `UPDATE candidates SET stage = $2, status = $3, version = $4, party_age_from = $5, probation_ends_on = $6, official_from = $7,
           ended_reason = $8, cell_id = $9, routing = $10::jsonb, updated_at = now()
         WHERE id = $1`,
        [candidateId, c.stage, c.status, c.version, c.partyAgeFrom ?? null, c.probationEndsOn ?? null, c.officialFrom ?? null,
          c.endedReason ? JSON.stringify(c.endedReason) : null, c.routing.cellId, JSON.stringify(c.routing)],
      );
      for (const t of tasks) {
        await m.query(
          `INSERT INTO tasks (id, candidate_id, type, role, org_unit_id, status, attempt, opened_at, opened_on, not_before,
                              due_date, due_at, due_rule, closed_at, outcome, decided_by, version)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)
           ON CONFLICT (id) DO UPDATE SET candidate_id = EXCLUDED.candidate_id, type = EXCLUDED.type, role = EXCLUDED.role,
             org_unit_id = EXCLUDED.org_unit_id, status = EXCLUDED.status, attempt = EXCLUDED.attempt, opened_at = EXCLUDED.opened_at,
             opened_on = EXCLUDED.opened_on, not_before = EXCLUDED.not_before, due_date = EXCLUDED.due_date, due_at = EXCLUDED.due_at,
             due_rule = EXCLUDED.due_rule, closed_at = EXCLUDED.closed_at, outcome = EXCLUDED.outcome, decided_by = EXCLUDED.decided_by,
             version = EXCLUDED.version`,
          [
            t.id, candidateId, t.type, t.role, t.orgUnitId, t.status, t.attempt, t.openedAt, t.openedOn, t.notBefore ?? null,
            t.dueDate ?? null, t.dueAt ?? null, t.dueRule ? JSON.stringify(t.dueRule) : null, t.closedAt ?? null, t.outcome ?? null,
            t.decidedBy ? JSON.stringify(t.decidedBy) : null, t.version,
          ],
        );
      }
      await m.query(`DELETE FROM tasks WHERE candidate_id = $1 AND NOT (id = ANY($2::text[]))`, [candidateId, tasks.map((t) => t.id)]);
    });
  }
}

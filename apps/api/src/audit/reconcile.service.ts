import { Inject, Injectable } from '@nestjs/common';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../../libs/config/src/config.js';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { readModelDrift, repairable, workflowSide, type Drift } from '../../../../libs/persistence/src/read-model-drift.js';
import { AuditRepository } from '../../../../libs/persistence/src/repositories/audit.repository.js';
import { OrgUnitRepository } from '../../../../libs/persistence/src/repositories/org-unit.repository.js';
import { ProjectionRepository } from '../../../../libs/persistence/src/repositories/projection.repository.js';
import { ReconcileRepository, type CandidateState } from '../../../../libs/persistence/src/repositories/reconcile.repository.js';
import { candidateInput, projectionBatches, startedAt, type RawHistory, type ScheduledProjection } from '../../../../libs/temporal/src/candidate-history.js';
import { EncryptionCodec } from '../../../../libs/temporal/src/encryption-codec.js';
import { candidateCreated } from '../../../../workflows/candidate/candidate-row.js';
import {
  CANDIDATE_WORKFLOW_TYPE,
  candidateWorkflowId,
  stateQuery,
  type CandidateWorkflowInput,
  type CaseState,
  type TaskSnapshot,
} from '../../../../workflows/candidate/candidate.messages.js';

/**
 * What became of one case: checked and found in sync or drifted, repaired, rebuilt, not repairable, failed (no
 * workflow, no answer), or skipped (a rebuild limited to a unit: the case is elsewhere).
 */
export type CaseOutcome = 'in_sync' | 'drifted' | 'repaired' | 'rebuilt' | 'unrepairable' | 'failed' | 'skipped';

export interface CaseReconcileReport {
  candidateId: string;
  outcome: CaseOutcome;
  /** The differences found (before any repair). */
  drift: Drift[];
  /** After a repair: what is still different (an event that differs from the workflow's: tampering). */
  remaining?: Drift[];
  /** A projection activity of the case was still pending when the drift was reported. */
  projectionPending?: boolean;
  warnings?: string[];
  error?: string;
}

export interface ReconcileSummary {
  mode: 'check' | 'repair' | 'rebuild';
  orgUnitId?: string;
  total: number;
  inSync: number;
  drifted: number;
  repaired: number;
  rebuilt: number;
  unrepairable: number;
  failed: number;
  /** A rebuild limited to a unit: listed workflows whose case lies elsewhere (not in `total`). */
  skipped: number;
  /** Every case that was not in sync, with its fields. */
  cases: CaseReconcileReport[];
  seconds: number;
}

export interface ReconcileOptions {
  /** Only the candidates whose cell is in this unit's subtree (every candidate when absent: --rebuild only). */
  orgUnitId?: string;
  repair?: boolean;
  /** Rebuild every candidate's rows from its history without comparing first (an empty read model). */
  rebuild?: boolean;
}

/** How long a drift may take to settle: a projection batch in flight is not drift yet. */
const SETTLE_MS = [300, 1000, 2000];
const QUERY_DEADLINE_MS = 15_000;
const CANDIDATE_ID = /^candidate-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Self-healing read model. The candidate workflow owns each case; the read model is what its projection
 * activity wrote. `check` compares the two (the workflow's `state` query against the rows); `repair` re-applies
 * every projection batch in the workflow's Temporal history (idempotent: missing events are inserted with their
 * chain hashes, nothing recorded is changed) and then sets the candidate row and its tasks to the workflow's
 * state; `rebuild` restores a case the read model lost entirely from its history alone. Runs as the app's
 * database role, so it can never alter the append-only history: an event that differs is reported as
 * unrepairable (tampering, which `GET /api/audit/verify` shows in the hash chain).
 */
@Injectable()
export class ReconcileService {
  constructor(
    @Inject(Client) private readonly temporal: Client,
    @Inject(EncryptionCodec) private readonly codec: EncryptionCodec,
    @Inject(ReconcileRepository) private readonly rows: ReconcileRepository,
    @Inject(ProjectionRepository) private readonly projection: ProjectionRepository,
    @Inject(OrgUnitRepository) private readonly units: OrgUnitRepository,
    @Inject(AuditRepository) private readonly audit: AuditRepository,
    @Inject(KETNAP_CONFIG) private readonly config: KetnapConfig,
  ) {}

  /**
   * Candidate ids of every candidate workflow of this deployment that Temporal lists (visibility, by workflow
   * type and this deployment's task queue: another deployment sharing the namespace has its own cases and keys).
   */
  async listedCandidates(): Promise<string[]> {
    const ids = new Set<string>();
    const query = `WorkflowType = '${CANDIDATE_WORKFLOW_TYPE}' AND TaskQueue = '${this.config.temporal.taskQueue.replace(/'/g, "''")}'`;
    for await (const wf of this.temporal.workflow.list({ query })) {
      const m = CANDIDATE_ID.exec(wf.workflowId);
      if (m) ids.add(m[1]);
    }
    return [...ids];
  }

  /**
   * The candidates of a jurisdiction: those the read model has under the unit, then those Temporal lists that
   * the read model lacks entirely and whose cell (after any transfer, by their history) lies under it.
   */
  async casesOf(unitPath: string): Promise<string[]> {
    const known = await this.audit.candidateIdsUnder(unitPath);
    const listed = await this.listedCandidates();
    const present = new Set<string>();
    for (let i = 0; i < listed.length; i += 1000) for (const id of await this.rows.present(listed.slice(i, i + 1000))) present.add(id);
    const lost: string[] = [];
    for (const id of listed) {
      if (present.has(id)) continue;
      if (await this.inScope(id, unitPath).catch(() => false)) lost.push(id);
    }
    return [...known, ...lost];
  }

  private async inScope(candidateId: string, unitPath: string, history?: RawHistory): Promise<boolean> {
    const { input, batches } = await this.read(candidateId, history);
    const cell = await this.units.get(effectiveRouting(input, batches).cellId);
    return Boolean(cell && cell.path.startsWith(unitPath));
  }

  private async read(candidateId: string, history?: RawHistory): Promise<{ history: RawHistory; input: CandidateWorkflowInput; batches: ScheduledProjection[] }> {
    const h = history ?? (await this.temporal.workflow.getHandle(candidateWorkflowId(candidateId)).fetchHistory());
    const input = await candidateInput(h, this.codec);
    if (!input) throw new Error(`the history of ${candidateWorkflowId(candidateId)} does not start with the workflow's input`);
    return { history: h, input, batches: await projectionBatches(h, this.codec) };
  }

  private async query(candidateId: string): Promise<CaseState> {
    const handle = this.temporal.workflow.getHandle(candidateWorkflowId(candidateId));
    try {
      return await this.temporal.withDeadline(Date.now() + QUERY_DEADLINE_MS, () => handle.query(stateQuery));
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw new Error(`no workflow ${handle.workflowId} in Temporal (never started, or closed and past the namespace's retention)`);
      throw e;
    }
  }

  private async driftOnce(candidateId: string): Promise<Drift[]> {
    const rm = await this.rows.readModel(candidateId);
    if (!rm.candidate) {
      // Lost entirely: the history says enough (no worker needed to say so).
      const { batches } = await this.read(candidateId);
      const last = batches.at(-1)?.batch.candidate;
      const events = batches.reduce((n, b) => n + b.batch.events.length, 0);
      return [{ field: 'candidate', workflow: { stage: last?.stage ?? null, status: last?.status ?? null, events }, readModel: null, repairable: true }];
    }
    return readModelDrift(workflowSide(await this.query(candidateId)), rm);
  }

  /**
   * Compares one case. A difference is reported only once it outlasts a projection batch in flight: looked at
   * again shortly, and again while a projection activity of the case is pending. A lost row is final at once.
   */
  async check(candidateId: string): Promise<CaseReconcileReport> {
    let drift = await this.driftOnce(candidateId);
    for (const [i, ms] of SETTLE_MS.entries()) {
      if (!drift.length || drift[0].field === 'candidate') break;
      if (i > 0 && !(await this.projectionPending(candidateId))) break;
      await sleep(ms);
      drift = await this.driftOnce(candidateId);
    }
    if (!drift.length) return { candidateId, outcome: 'in_sync', drift };
    return { candidateId, outcome: 'drifted', drift, ...((await this.projectionPending(candidateId)) ? { projectionPending: true } : {}) };
  }

  private async projectionPending(candidateId: string): Promise<boolean> {
    try {
      const d = await this.temporal.workflow.getHandle(candidateWorkflowId(candidateId)).describe();
      // The projection is a local activity (local-projection-v1): it runs inside a workflow task, not as a pending activity.
      return Boolean(d.raw.pendingWorkflowTask) || (d.raw.pendingActivities ?? []).some((a) => a.activityType?.name === 'projectCandidate');
    } catch {
      return false;
    }
  }

  /**
   * Rewrites a case's rows from its workflow: restores a lost candidate row, re-applies every projection batch
   * of the history in order (inserting missing events), then — unless `fromHistoryOnly` — sets the candidate
   * row and tasks to the workflow's queried state. Returns warnings (a profile the history does not hold, a
   * state taken from the history because the query failed).
   */
  private async rewrite(candidateId: string, fromHistoryOnly: boolean, history?: RawHistory): Promise<string[]> {
    const warnings: string[] = [];
    const workflowId = candidateWorkflowId(candidateId);
    // The run the history belongs to (the projection records it in each event's temporalRef).
    const { runId } = await this.temporal.workflow.getHandle(workflowId).describe();
    const { history: h, input, batches } = await this.read(candidateId, history ?? (await this.temporal.workflow.getHandle(workflowId, runId).fetchHistory()));
    if (!(await this.rows.present([candidateId])).size) {
      if (!input.profile) warnings.push('profile: the history has no profile (case started before it was kept there): gender and ethnicity restored empty, to be re-entered');
      await this.rows.restoreCandidate(candidateId, workflowId, candidateCreated(input, (startedAt(h) ?? new Date()).getTime()));
    }
    for (const s of batches) {
      // From the committed history: it wins over a local write that a lost workflow task left (withdrawn, kept).
      await this.projection.apply(s.batch, { workflowId, runId, activityId: s.activityId, attempt: s.attempt ?? 1, ...(s.local ? { local: true } : {}) }, { fromHistory: true });
    }
    if (fromHistoryOnly) return warnings;
    let state: CaseState | undefined;
    try {
      state = await this.query(candidateId);
    } catch (e) {
      warnings.push(`state: the workflow did not answer its query (${(e as Error).message}): set from the history's last batch`);
    }
    const last = batches.at(-1)?.batch.candidate;
    const routing = effectiveRouting(input, batches, state);
    const target: CandidateState | undefined = state
      ? { ...state, routing, endedReason: last?.endedReason ?? null }
      : last && { ...last, routing, endedReason: last.endedReason ?? null };
    if (target) await this.rows.forceState(candidateId, target, state ? state.tasks : foldTasks(batches));
    return warnings;
  }

  /** Repairs one drifted case and checks it again. */
  async repair(candidateId: string, drift: Drift[]): Promise<CaseReconcileReport> {
    const warnings = await this.rewrite(candidateId, false);
    const remaining = (await this.check(candidateId)).drift;
    const outcome: CaseOutcome = remaining.length === 0 ? 'repaired' : repairable(remaining) ? 'drifted' : 'unrepairable';
    return { candidateId, outcome, drift, remaining, ...(warnings.length ? { warnings } : {}) };
  }

  /** Writes a case's rows from its history alone (no query: the worker need not run). */
  async rebuild(candidateId: string, history?: RawHistory): Promise<CaseReconcileReport> {
    const warnings = await this.rewrite(candidateId, true, history);
    return { candidateId, outcome: 'rebuilt', drift: [], ...(warnings.length ? { warnings } : {}) };
  }

  /** A whole jurisdiction (or, for a rebuild, every candidate workflow), one case at a time; one failure never stops it. */
  async run(o: ReconcileOptions, onProgress: (done: number, total: number, last: CaseReconcileReport) => void = () => {}): Promise<ReconcileSummary> {
    const started = Date.now();
    const unit = o.orgUnitId ? await this.units.get(o.orgUnitId) : undefined;
    if (o.orgUnitId && !unit) throw new Error(`org unit not found: ${o.orgUnitId}`);
    if (!unit && !o.rebuild) throw new Error('an org unit is required unless rebuilding');
    const ids = o.rebuild ? await this.listedCandidates() : await this.casesOf(unit!.path);
    const summary: ReconcileSummary = {
      mode: o.rebuild ? 'rebuild' : o.repair ? 'repair' : 'check',
      ...(o.orgUnitId ? { orgUnitId: o.orgUnitId } : {}),
      total: 0,
      inSync: 0,
      drifted: 0,
      repaired: 0,
      rebuilt: 0,
      unrepairable: 0,
      failed: 0,
      skipped: 0,
      cases: [],
      seconds: 0,
    };
    const counter = { in_sync: 'inSync', drifted: 'drifted', repaired: 'repaired', rebuilt: 'rebuilt', unrepairable: 'unrepairable', failed: 'failed', skipped: 'skipped' } as const;
    for (const [i, id] of ids.entries()) {
      let report: CaseReconcileReport;
      try {
        if (o.rebuild) {
          const history = await this.temporal.workflow.getHandle(candidateWorkflowId(id)).fetchHistory();
          report = !unit || (await this.inScope(id, unit.path, history)) ? await this.rebuild(id, history) : { candidateId: id, outcome: 'skipped', drift: [] };
        } else {
          report = await this.check(id);
          if (report.outcome === 'drifted' && o.repair) report = await this.repair(id, report.drift);
        }
      } catch (e) {
        report = { candidateId: id, outcome: 'failed', drift: [], error: (e as Error).message };
      }
      summary[counter[report.outcome]] += 1;
      if (report.outcome !== 'skipped') summary.total += 1;
      if (report.outcome !== 'in_sync' && report.outcome !== 'skipped' && report.outcome !== 'rebuilt') summary.cases.push(report);
      else if (report.outcome === 'rebuilt' && report.warnings) summary.cases.push(report);
      onProgress(i + 1, ids.length, report);
    }
    summary.seconds = (Date.now() - started) / 1000;
    return summary;
  }
}

/** The units in force: the queried state's after a transfer, else the last batch's, else the start's. */
function effectiveRouting(input: CandidateWorkflowInput, batches: ScheduledProjection[], state?: CaseState): CandidateState['routing'] {
  const fromBatches = [...batches].reverse().find((b) => b.batch.candidate.routing)?.batch.candidate.routing;
  return { ...(state?.routing ?? fromBatches ?? input.routing) } as unknown as CandidateState['routing'];
}

/** Every task as the last batch that carried it had it. */
function foldTasks(batches: ScheduledProjection[]): TaskSnapshot[] {
  const tasks = new Map<string, TaskSnapshot>();
  for (const { batch } of batches) for (const t of batch.tasks) if ((tasks.get(t.id)?.version ?? -1) <= t.version) tasks.set(t.id, t);
  return [...tasks.values()];
}

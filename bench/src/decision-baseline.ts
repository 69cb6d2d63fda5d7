/**
 * decision-round-trip's baseline as issue 17 restates it: the sum of a bare update, the same projection write
 * and the same inbox query, each measured bare in the same run. Pure parts (the scenario does the I/O):
 * finding a decision's projection batch in its case's batches, moving it onto a copy of the case, and the
 * target's arithmetic.
 */
import type { ProjectionBatch } from '../../workflows/candidate/candidate.messages.js';

/** The restated target: p95 ≤ RATIO_LIMIT × the bare parts' p95s summed, and ≤ ABSOLUTE_LIMIT_MS. */
export const RATIO_LIMIT = 2;
export const ABSOLUTE_LIMIT_MS = 500;

/** The first batch that closes task `taskId`: the projection write of the decision on that task. */
export function decisionBatch(batches: readonly ProjectionBatch[], taskId: string): ProjectionBatch | undefined {
  return batches.find((b) => b.tasks.some((t) => t.id === taskId && t.status !== 'open'));
}

export interface RebasedBatch {
  batch: ProjectionBatch;
  /** The batch's tasks that existed before it (not opened by one of its `task_opened` events): [source id, copy's id]. */
  priorTasks: [string, string][];
  /** The case's version just before the batch (the event before its first): what the copy's rows start at. */
  priorVersion: number;
}

/**
 * `batch` as the same decision on another case: every mention of the case id (candidate, task ids, event data)
 * becomes `candidateId`, every unit the batch's tasks sit on becomes `orgUnitId`. Events, data, versions and
 * sizes are otherwise the same (ids are uuids: same lengths), so the write is the same SQL with the same rows.
 */
export function rebaseBatch(batch: ProjectionBatch, candidateId: string, orgUnitId: string): RebasedBatch {
  const from = batch.candidate.candidateId;
  const units = [...new Set(batch.tasks.map((t) => t.orgUnitId))];
  let json = JSON.stringify(batch).split(from).join(candidateId);
  for (const u of units) json = json.split(u).join(orgUnitId);
  const rebased = JSON.parse(json) as ProjectionBatch;
  const opened = new Set(batch.events.filter((e) => e.type === 'task_opened').map((e) => String(e.data.taskId)));
  const priorTasks = batch.tasks.map((t, i): [string, string] => [t.id, rebased.tasks[i].id]).filter(([id]) => !opened.has(id));
  const firstSeq = Math.min(...batch.events.map((e) => e.seq));
  const priorVersion = Number.isFinite(firstSeq) ? firstSeq - 1 : batch.candidate.version - 1;
  return { batch: rebased, priorTasks, priorVersion };
}

export interface RestatedTarget {
  /** The bare parts' p95s summed (ms). */
  sum: number;
  /** ketnap's p95 / sum. */
  ratio: number;
  pass: boolean;
}

/** ketnap's p95 against RATIO_LIMIT × (bare update + bare projection + bare inbox p95s) and ABSOLUTE_LIMIT_MS. */
export function restatedTarget(p95: number, parts: { update: number; projection: number; inbox: number }): RestatedTarget {
  const sum = parts.update + parts.projection + parts.inbox;
  const ratio = p95 / sum;
  return { sum, ratio, pass: Number.isFinite(ratio) && sum > 0 && ratio <= RATIO_LIMIT && p95 <= ABSOLUTE_LIMIT_MS };
}

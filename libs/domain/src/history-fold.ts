/**
 * Reconstructs a candidate's state at a past date by folding the recorded business history — never by
 * reading today's row. Events count from the day the system recorded them (`recordedOn`; events recorded
 * before that field existed fall back to their business date).
 */
import type { IsoDate } from './dates.js';

export interface HistoryEventLike {
  seq: number;
  type: string;
  businessDate?: string | null;
  recordedOn?: string | null;
  data: Record<string, any>;
}

export interface FoldedTask {
  id: string;
  type: string;
  orgUnitId?: string;
  role?: string;
  dueAt?: string;
  overdue: boolean;
}

export interface FoldedState {
  asOf: IsoDate;
  exists: boolean;
  stage?: string;
  status?: string;
  openTasks: FoldedTask[];
  decisions: number;
  lastSeq: number;
  probation?: { startsOn: string; endsOn: string };
  endedOn?: string;
  /** The cell the candidate belonged to on that day (after any transfer up to then). */
  cellId?: string;
}

export function stateAsOf(events: readonly HistoryEventLike[], asOf: IsoDate): FoldedState {
  const state: FoldedState = { asOf, exists: false, openTasks: [], decisions: 0, lastSeq: 0 };
  const tasks = new Map<string, FoldedTask>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const day = e.recordedOn ?? e.businessDate;
    if (!day || day > asOf) break; // recorded in order: nothing after this one can be earlier
    state.lastSeq = e.seq;
    const d = e.data ?? {};
    switch (e.type) {
      case 'candidate_created':
        state.exists = true;
        if (d.routing?.cellId) state.cellId = d.routing.cellId;
        state.stage = 'source_review';
        state.status = 'active';
        break;
      case 'stage_changed':
        state.stage = d.to;
        break;
      case 'task_opened':
        tasks.set(d.taskId, { id: d.taskId, type: d.taskType, orgUnitId: d.orgUnitId, role: d.role, dueAt: d.dueAt, overdue: false });
        break;
      case 'decision_recorded':
        state.decisions += 1;
        tasks.delete(d.taskId);
        break;
      case 'task_cancelled':
        tasks.delete(d.taskId);
        break;
      case 'deadline_extended': {
        const t = tasks.get(d.taskId);
        if (t) t.dueAt = d.dueAt;
        break;
      }
      case 'calendar_changed':
        for (const c of d.changes ?? []) {
          const t = tasks.get(c.taskId);
          if (t) t.dueAt = c.dueAt;
        }
        break;
      case 'org_restructured':
      case 'candidate_transferred':
        state.cellId = d.toCellId;
        for (const m of d.tasks ?? []) {
          const t = tasks.get(m.taskId);
          if (t) Object.assign(t, { orgUnitId: m.orgUnitId, role: m.role });
        }
        break;
      case 'probation_started':
        state.probation = { startsOn: d.startsOn, endsOn: d.endsOn };
        break;
      case 'path_ended':
        state.status = d.endState;
        state.endedOn = day;
        break;
    }
  }
  state.openTasks = [...tasks.values()].map((t) => ({ ...t, overdue: t.dueAt ? t.dueAt.slice(0, 10) < asOf : false }));
  return state;
}

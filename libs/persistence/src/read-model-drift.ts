import type { CaseState } from '../../../workflows/candidate/candidate.messages.js';
import { canonicalJson } from './audit-chain.js';

/**
 * Drift between the read model and the candidate workflow that owns the case: the workflow's own state
 * (its `state` query) against the rows the projection wrote, field by field. Pure: the reconciliation
 * (apps/api/src/audit/reconcile.service.ts) reads both sides and repairs what this reports.
 */

/** The candidate row's workflow-owned fields. */
export interface CaseFacts {
  stage: string;
  status: string;
  version: number;
  cellId: string;
  routing: unknown;
  partyAgeFrom?: string | null;
  probationEndsOn?: string | null;
  officialFrom?: string | null;
}

export interface TaskFacts {
  id: string;
  type: string;
  role: string;
  orgUnitId: string;
  status: string;
  dueDate?: string | null;
  /** An instant: an ISO string with any offset, or a Date as PostgreSQL returns it. */
  dueAt?: string | Date | null;
}

export interface EventFacts {
  seq: number;
  type: string;
  at: string | Date;
  businessDate?: string | null;
  recordedOn?: string | null;
  actor?: unknown;
  ruleSetId?: string | null;
  data: unknown;
}

export interface WorkflowSide {
  candidate: CaseFacts;
  /** Every task the workflow opened, closed ones included. */
  tasks: TaskFacts[];
  events: EventFacts[];
}

export interface ReadModelSide {
  /** Undefined when the read model has no row for the candidate. */
  candidate?: CaseFacts;
  tasks: TaskFacts[];
  events: EventFacts[];
}

export interface Drift {
  /** `candidate`, `stage`, `routing`, `tasks[<id>]`, `tasks[<id>].dueAt`, `events.count`, `events[<seq>].data`, … */
  field: string;
  workflow: unknown;
  readModel: unknown;
  /**
   * False where the history would have to be rewritten: a recorded event that differs from the workflow's, or
   * one the workflow never produced. candidate_events is append-only (and hash-chained): that is tampering,
   * for `GET /api/audit/verify` and a person to look at, never for a repair.
   */
  repairable: boolean;
}

const CANDIDATE_FIELDS = ['stage', 'status', 'version', 'cellId', 'routing', 'partyAgeFrom', 'probationEndsOn', 'officialFrom'] as const;
const OPEN_TASK_FIELDS = ['type', 'role', 'orgUnitId', 'dueDate', 'dueAt'] as const;
const EVENT_FIELDS = ['type', 'at', 'businessDate', 'recordedOn', 'actor', 'ruleSetId', 'data'] as const;
const INSTANTS = new Set<string>(['dueAt', 'at']);

/** A comparable form: instants as epoch milliseconds, absent as null, objects as canonical JSON. */
function norm(field: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (INSTANTS.has(field)) {
    const ms = v instanceof Date ? v.getTime() : Date.parse(String(v));
    return Number.isNaN(ms) ? String(v) : ms;
  }
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return canonicalJson(v);
  return v;
}

/** The value to show in a report: instants in UTC ISO form, everything else as is. */
function shown(field: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (INSTANTS.has(field)) {
    const d = v instanceof Date ? v : new Date(String(v));
    return Number.isNaN(d.getTime()) ? v : d.toISOString();
  }
  return v;
}

function compareFields<T>(prefix: string, fields: readonly (keyof T & string)[], wf: T, rm: T, repairable: boolean, out: Drift[]): void {
  for (const f of fields) {
    if (norm(f, wf[f]) !== norm(f, rm[f])) out.push({ field: `${prefix}${f}`, workflow: shown(f, wf[f]), readModel: shown(f, rm[f]), repairable });
  }
}

const taskSummary = (t: TaskFacts) => ({ type: t.type, status: t.status, orgUnitId: t.orgUnitId });

/** Every difference between the workflow's state and the read model's rows for one candidate; [] when in sync. */
export function readModelDrift(wf: WorkflowSide, rm: ReadModelSide): Drift[] {
  if (!rm.candidate) return [{ field: 'candidate', workflow: { stage: wf.candidate.stage, status: wf.candidate.status, events: wf.events.length }, readModel: null, repairable: true }];
  const out: Drift[] = [];
  compareFields('', CANDIDATE_FIELDS, wf.candidate, rm.candidate, true, out);

  const rmTasks = new Map(rm.tasks.map((t) => [t.id, t]));
  for (const t of wf.tasks) {
    const r = rmTasks.get(t.id);
    rmTasks.delete(t.id);
    if (!r) {
      out.push({ field: `tasks[${t.id}]`, workflow: taskSummary(t), readModel: null, repairable: true });
      continue;
    }
    compareFields(`tasks[${t.id}].`, ['status'], t, r, true, out);
    // A closed task's clock and unit no longer matter to anyone; an open one's are the inbox.
    if (t.status === 'open' || r.status === 'open') compareFields(`tasks[${t.id}].`, OPEN_TASK_FIELDS, t, r, true, out);
  }
  for (const r of rmTasks.values()) out.push({ field: `tasks[${r.id}]`, workflow: null, readModel: taskSummary(r), repairable: true });

  const wfLast = wf.events.reduce((m, e) => Math.max(m, e.seq), 0);
  const rmLast = rm.events.reduce((m, e) => Math.max(m, e.seq), 0);
  if (wf.events.length !== rm.events.length) out.push({ field: 'events.count', workflow: wf.events.length, readModel: rm.events.length, repairable: true });
  if (wfLast !== rmLast) out.push({ field: 'events.lastSeq', workflow: wfLast, readModel: rmLast, repairable: true });
  const rmEvents = new Map(rm.events.map((e) => [e.seq, e]));
  for (const e of [...wf.events].sort((a, b) => a.seq - b.seq)) {
    const r = rmEvents.get(e.seq);
    rmEvents.delete(e.seq);
    if (!r) out.push({ field: `events[${e.seq}]`, workflow: e.type, readModel: null, repairable: true });
    else compareFields(`events[${e.seq}].`, EVENT_FIELDS, e, r, false, out);
  }
  for (const r of rmEvents.values()) out.push({ field: `events[${r.seq}]`, workflow: null, readModel: r.type, repairable: false });
  // A count or last sequence that differs only because of events that cannot be repaired is not repairable either.
  const unrepairableEvents = out.some((d) => d.field.startsWith('events[') && !d.repairable);
  const missingEvents = out.some((d) => d.field.startsWith('events[') && d.repairable);
  if (unrepairableEvents && !missingEvents) for (const d of out) if (d.field === 'events.count' || d.field === 'events.lastSeq') d.repairable = false;
  return out;
}

/** The workflow side of the comparison from its `state` query: the routing in force is the transfer's, else the start's. */
export function workflowSide(state: CaseState): WorkflowSide {
  const created = state.events.find((e) => e.type === 'candidate_created');
  const routing = (state.routing ?? (created?.data as { routing?: { cellId: string } } | undefined)?.routing) as { cellId: string } | undefined;
  return {
    candidate: {
      stage: state.stage,
      status: state.status,
      version: state.version,
      cellId: routing?.cellId ?? '',
      routing: routing ?? null,
      partyAgeFrom: state.partyAgeFrom ?? null,
      probationEndsOn: state.probationEndsOn ?? null,
      officialFrom: state.officialFrom ?? null,
    },
    tasks: state.tasks.map((t) => ({ id: t.id, type: t.type, role: t.role, orgUnitId: t.orgUnitId, status: t.status, dueDate: t.dueDate ?? null, dueAt: t.dueAt ?? null })),
    events: state.events,
  };
}

/** True when every drift can be repaired from the workflow (no recorded event would have to change). */
export function repairable(drift: readonly Drift[]): boolean {
  return drift.every((d) => d.repairable);
}

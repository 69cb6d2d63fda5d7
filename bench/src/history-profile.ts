/**
 * Where a request's time goes, from the workflow's own history: the server stamps every event, so the
 * span between two events splits into workflow-task queue wait and run (worker), activity queue wait and
 * run (here: the projection transaction; as a local activity, patch `local-projection-v1`, it runs inside the
 * workflow task's run), and the rest. Combined with the client's send/receive times
 * (same machine, same clock) this also gives the time spent in the API before and after Temporal.
 */
import { createRequire } from 'node:module';
import type { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { round } from './stats.js';

const require = createRequire(import.meta.url);
const { temporal } = require('@temporalio/proto') as typeof import('@temporalio/proto');
const E = temporal.api.enums.v1.EventType;

export type History = ReturnType<typeof historyFromJSON>;
type Event = NonNullable<History['events']>[number];

export interface Phases {
  /** Client sent → first event of the window (API work, the RPC to Temporal). */
  beforeMs: number;
  wftQueueMs: number;
  wftRunMs: number;
  activityQueueMs: number;
  activityRunMs: number;
  /** Inside the window but in none of the above (server bookkeeping between tasks). */
  otherMs: number;
  /** Last event of the window → client received (API work after Temporal answered, HTTP). */
  afterMs: number;
  totalMs: number;
}

const at = (e: Event) => Number(e.eventTime?.seconds ?? 0) * 1000 + (e.eventTime?.nanos ?? 0) / 1e6;
const id = (e: Event) => Number(e.eventId);

/** Phases of the window [from, to] (event ids), with the client's epoch-ms send and receive times. */
export function phases(events: Event[], fromId: number, toId: number, sentAt: number, receivedAt: number): Phases {
  const byId = new Map(events.map((e) => [id(e), e]));
  const from = byId.get(fromId)!;
  const to = byId.get(toId)!;
  const p: Phases = { beforeMs: at(from) - sentAt, wftQueueMs: 0, wftRunMs: 0, activityQueueMs: 0, activityRunMs: 0, otherMs: 0, afterMs: receivedAt - at(to), totalMs: receivedAt - sentAt };
  const span = (ref: unknown, e: Event) => {
    const s = byId.get(Number(ref));
    return s && id(s) >= fromId ? at(e) - at(s) : 0;
  };
  for (const e of events) {
    if (id(e) <= fromId || id(e) > toId) continue;
    switch (e.eventType) {
      case E.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        p.wftQueueMs += span(e.workflowTaskStartedEventAttributes?.scheduledEventId, e);
        break;
      case E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
        p.wftRunMs += span(e.workflowTaskCompletedEventAttributes?.startedEventId, e);
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_STARTED:
        p.activityQueueMs += span(e.activityTaskStartedEventAttributes?.scheduledEventId, e);
        break;
      case E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
        p.activityRunMs += span(e.activityTaskCompletedEventAttributes?.startedEventId, e);
        break;
    }
  }
  p.otherMs = at(to) - at(from) - p.wftQueueMs - p.wftRunMs - p.activityQueueMs - p.activityRunMs;
  return p;
}

/** Case start: WorkflowExecutionStarted → the first update completed (the API's sync update). */
export function caseStartPhases(events: Event[], sentAt: number, receivedAt: number): Phases | undefined {
  const done = events.find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
  return done ? phases(events, 1, id(done), sentAt, receivedAt) : undefined;
}

type Accepted = NonNullable<Event['workflowExecutionUpdateAcceptedEventAttributes']>;

/** An update: the workflow task that carried it → its completion. `match` picks the update. */
export function updatePhases(events: Event[], match: (a: Accepted) => boolean, sentAt: number, receivedAt: number): Phases | undefined {
  const accepted = events.find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED && match(e.workflowExecutionUpdateAcceptedEventAttributes!));
  if (!accepted) return undefined;
  const done = events.find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED && Number(e.workflowExecutionUpdateCompletedEventAttributes?.acceptedEventId) === id(accepted));
  const wft = [...events].reverse().find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED && id(e) < id(accepted));
  return done && wft ? phases(events, id(wft), id(done), sentAt, receivedAt) : undefined;
}

/** A decision: the completeTask update whose first argument names this task. */
export function decisionPhases(events: Event[], taskId: string, sentAt: number, receivedAt: number): Phases | undefined {
  return updatePhases(
    events,
    (a) => {
      const data = a.acceptedRequest?.input?.args?.payloads?.[0]?.data;
      try {
        return data ? JSON.parse(Buffer.from(data).toString('utf8')).taskId === taskId : false;
      } catch {
        return false;
      }
    },
    sentAt,
    receivedAt,
  );
}

/** A whole (short) execution: started → its last event. */
export function executionPhases(events: Event[], sentAt: number, receivedAt: number): Phases {
  return phases(events, 1, id(events[events.length - 1]), sentAt, receivedAt);
}

/** Mean of each phase over the samples, rounded, plus their count. */
export function meanPhases(samples: Phases[]): Record<string, number> {
  const out: Record<string, number> = { samples: samples.length };
  if (!samples.length) return out;
  for (const k of Object.keys(samples[0]) as (keyof Phases)[]) out[k] = round(samples.reduce((s, p) => s + p[k], 0) / samples.length, 1);
  return out;
}

export function describePhases(m: Record<string, number>): string {
  return `API before ${m.beforeMs} | WFT queue ${m.wftQueueMs} + run ${m.wftRunMs} | activity queue ${m.activityQueueMs} + run ${m.activityRunMs} | other ${m.otherMs} | API after ${m.afterMs} | total ${m.totalMs} ms`;
}

/**
 * A timer-fired step (a reminder, the storm baseline): the first TimerFired at or after `dueAtMs` → the
 * workflow task that completed after its activity finished; with a local activity (patch
 * `local-projection-v1`) the one that recorded its marker, the activity running inside that task's run.
 * `beforeMs` is the timer's lag behind the due moment; `afterMs` is 0. Undefined when the history has no such
 * window.
 */
export function timerPhases(events: Event[], dueAtMs: number): Phases | undefined {
  const fired = events.find((e) => e.eventType === E.EVENT_TYPE_TIMER_FIRED && at(e) >= dueAtMs - 1);
  if (!fired) return undefined;
  const done = events.find((e) => id(e) > id(fired) && (e.eventType === E.EVENT_TYPE_ACTIVITY_TASK_COMPLETED || isLocalActivityMarker(e)));
  if (!done) return undefined;
  const end = isLocalActivityMarker(done)
    ? [...events].reverse().find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && id(e) < id(done))
    : events.find((e) => e.eventType === E.EVENT_TYPE_WORKFLOW_TASK_COMPLETED && id(e) > id(done));
  if (!end) return undefined;
  return phases(events, id(fired), id(end), dueAtMs, at(end));
}

/** The marker the SDK records for a completed local activity. */
function isLocalActivityMarker(e: Event): boolean {
  return e.eventType === E.EVENT_TYPE_MARKER_RECORDED && e.markerRecordedEventAttributes?.markerName === 'core_local_activity';
}

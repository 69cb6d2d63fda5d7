import type { Payload, PayloadCodec } from '@temporalio/common';
import type { CandidateWorkflowInput, ProjectionBatch } from '../../../workflows/candidate/candidate.messages.js';

/**
 * Reading a candidate workflow's Temporal history (as `WorkflowHandle.fetchHistory()` returns it, payloads as
 * the server stores them): its start input and the projection batches it handed to `projectCandidate`. The
 * audit replay and the read-model reconciliation both read the history through here.
 */

/** A history as fetched: only `events` is read. */
export interface RawHistory {
  events?: any[] | null;
}

/** One `projectCandidate` activity the workflow scheduled, in history order. */
export interface ScheduledProjection {
  batch: ProjectionBatch;
  /**
   * The history event that carries the batch: ActivityTaskScheduled (an activity), or MarkerRecorded (a local
   * activity, patch `local-projection-v1`: recorded once it has written the batch).
   */
  temporalEventId: string;
  activityId: string;
  /** The attempt that ran last (ActivityTaskStarted, or the marker's); undefined while the activity has not started. */
  attempt?: number;
  /** Recorded as a local activity's marker (its rows in the read model carry `local` in their temporal_ref). */
  local?: boolean;
}

/** The marker the Temporal SDK's core records for a completed local activity (its `data` detail is plain JSON). */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

interface LocalActivityMarkerData {
  activity_id?: string;
  activity_type?: string;
  attempt?: number;
}

function plainJson<T>(p: Payload | undefined): T | undefined {
  if (!p?.data) return undefined;
  try {
    return JSON.parse(Buffer.from(p.data).toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

async function decodeJson<T>(encoded: Payload, codec?: PayloadCodec): Promise<T> {
  const [p] = codec ? await codec.decode([encoded]) : [encoded];
  return JSON.parse(Buffer.from(p.data!).toString('utf8')) as T;
}

/**
 * Every projection batch the workflow scheduled, in order. Payloads are decoded with `codec` (encrypted ones
 * decrypted, plaintext ones passed through).
 */
export async function projectionBatches(history: RawHistory, codec?: PayloadCodec): Promise<ScheduledProjection[]> {
  const attempts = new Map<string, number>();
  for (const h of history.events ?? []) {
    const started = h.activityTaskStartedEventAttributes;
    if (started) attempts.set(String(started.scheduledEventId), Number(started.attempt ?? 1));
  }
  const out: ScheduledProjection[] = [];
  for (const h of history.events ?? []) {
    const marker = h.markerRecordedEventAttributes;
    if (marker?.markerName === LOCAL_ACTIVITY_MARKER && !marker.failure) {
      // A local activity (local-projection-v1) returns the batch it wrote; its result is the marker's `result`.
      const data = plainJson<LocalActivityMarkerData>(marker.details?.data?.payloads?.[0]);
      const result = marker.details?.result?.payloads?.[0];
      if (data?.activity_type !== 'projectCandidate' || !result) continue;
      const [plain] = codec ? await codec.decode([result]) : [result];
      const batch = plainJson<ProjectionBatch | null>(plain);
      if (!batch) continue;
      out.push({ batch, temporalEventId: String(h.eventId), activityId: String(data.activity_id ?? ''), attempt: data.attempt === undefined ? undefined : Number(data.attempt), local: true });
      continue;
    }
    const attrs = h.activityTaskScheduledEventAttributes;
    if (!attrs || attrs.activityType?.name !== 'projectCandidate') continue;
    // The batch is the first argument; a second one (reminder-delivery-v1) holds the reminders to deliver.
    const encoded = attrs.input?.payloads?.[0];
    if (!encoded) continue;
    const eventId = String(h.eventId);
    out.push({ batch: await decodeJson<ProjectionBatch>(encoded, codec), temporalEventId: eventId, activityId: String(attrs.activityId), attempt: attempts.get(eventId) });
  }
  return out;
}

/** The workflow's start input (WorkflowExecutionStarted), undefined when the history does not begin with it. */
export async function candidateInput(history: RawHistory, codec?: PayloadCodec): Promise<CandidateWorkflowInput | undefined> {
  const encoded = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return encoded ? decodeJson<CandidateWorkflowInput>(encoded, codec) : undefined;
}

/** When the workflow started (the first history event's time). */
export function startedAt(history: RawHistory): Date | undefined {
  const ts = history.events?.[0]?.eventTime;
  if (!ts) return undefined;
  const seconds = typeof ts.seconds === 'object' && ts.seconds !== null ? ts.seconds.toNumber() : Number(ts.seconds ?? 0);
  return new Date(seconds * 1000 + Math.floor(Number(ts.nanos ?? 0) / 1e6));
}

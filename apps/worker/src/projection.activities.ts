import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type { CandidateActivities } from '../../../workflows/candidate/activities.js';
import type { NotificationRequest, ProjectionBatch } from '../../../workflows/candidate/candidate.messages.js';
import { ProjectionRepository, type ApplyOutcome } from '../../../libs/persistence/src/repositories/projection.repository.js';
import type { NotificationActivities } from './notification.activities.js';

/** Thin adapter: the workflow's projection activity writes through the repository. */
@Injectable()
export class ProjectionActivities {
  constructor(@Inject(ProjectionRepository) private readonly projection: ProjectionRepository) {}

  async projectCandidate(batch: ProjectionBatch): Promise<ApplyOutcome> {
    const info = Context.current().info;
    const wf = info.workflowExecution;
    // A local activity writes before its workflow task commits: its rows say so, and may be withdrawn if that task is lost.
    const ref = wf ? { workflowId: wf.workflowId, runId: wf.runId, activityId: info.activityId, attempt: info.attempt, ...(info.isLocal ? { local: true } : {}) } : undefined;
    return this.projection.apply(batch, ref);
  }
}

/**
 * Binds each method: the worker gets plain functions, never the Nest instances. `projectCandidate` with
 * notifications (a fired reminder, patch `reminder-delivery-v1`) writes the batch first, then the feed rows
 * and their queued e-mails (only database writes: SMTP is the outbox sender's, apart from the case): a retry
 * rewrites nothing (the projection is idempotent) and queues once per (user, key).
 */
export function candidateActivities(projection: ProjectionActivities, notifications: NotificationActivities): CandidateActivities {
  const notify = async (requests: NotificationRequest[]) => {
    await notifications.notify(requests);
    countReminders(requests);
  };
  return {
    projectCandidate: async (batch: ProjectionBatch, requests?: NotificationRequest[]) => {
      recordProjectionLag(batch);
      const outcome = await projection.projectCandidate(batch);
      if (outcome.applied && outcome.withdrawn) countWithdrawn(outcome.withdrawn);
      // Superseded: the batch of a lost workflow task whose retry has written already (and delivered its reminders).
      if (outcome.applied && requests?.length) await notify(requests);
      // A local activity's marker keeps its result, not its arguments: the batch goes back to be recorded there
      // (libs/temporal/src/candidate-history.ts reads it). An ordinary activity's input is in the history already.
      return Context.current().info.isLocal ? batch : undefined;
    },
    notify,
    sendDailyDigest: notifications.sendDailyDigest.bind(notifications),
  };
}

/**
 * Worker metrics through the Temporal SDK's meter (README, Operations): exported with the SDK's own on
 * KETNAP_WORKER_METRICS_ADDRESS, tagged with the activity type, namespace and task queue; a no-op without it.
 */
function countReminders(requests: NotificationRequest[]): void {
  const counter = Context.current().metricMeter.createCounter('ketnap_reminders_delivered', 'reminders', 'Reminders written to the feed (and queued for e-mail), by kind; an activity retry counts again.');
  const byKind = new Map<string, number>();
  for (const r of requests) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
  for (const [kind, n] of byKind) counter.add(n, { kind });
}

/** Rows of a lost workflow task's local write that its retry replaced (kept in candidate_events_withdrawn). */
function countWithdrawn(n: number): void {
  Context.current()
    .metricMeter.createCounter('ketnap_projection_rows_withdrawn', 'events', 'History rows a local projection write withdrew: written by a workflow task that was lost and retried.')
    .add(n);
}

/** From the case event (workflow time) to its projection write starting: how far the read model trails. */
function recordProjectionLag(batch: ProjectionBatch): void {
  const first = Math.min(...batch.events.map((e) => Date.parse(e.at)).filter(Number.isFinite));
  if (!Number.isFinite(first)) return;
  Context.current()
    .metricMeter.createHistogram('ketnap_projection_lag_seconds', 'float', 's', 'Time from a case event to the start of its projection write (retries included).')
    .record(Math.max(0, Date.now() - first) / 1000);
}

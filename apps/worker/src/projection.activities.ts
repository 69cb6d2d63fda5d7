import { Inject, Injectable } from '@nestjs/common';
import { Context } from '@temporalio/activity';
import type { CandidateActivities } from '../../../workflows/candidate/activities.js';
import type { NotificationRequest, ProjectionBatch } from '../../../workflows/candidate/candidate.messages.js';
import { ProjectionRepository } from '../../../libs/persistence/src/repositories/projection.repository.js';
import type { NotificationActivities } from './notification.activities.js';

/** Thin adapter: the workflow's projection activity writes through the repository. */
@Injectable()
export class ProjectionActivities {
  constructor(@Inject(ProjectionRepository) private readonly projection: ProjectionRepository) {}

  async projectCandidate(batch: ProjectionBatch): Promise<void> {
    const info = Context.current().info;
    const wf = info.workflowExecution;
    await this.projection.apply(batch, wf ? { workflowId: wf.workflowId, runId: wf.runId, activityId: info.activityId, attempt: info.attempt } : undefined);
  }
}

/**
 * Binds each method: the worker gets plain functions, never the Nest instances. `projectCandidate` with
 * notifications (a fired reminder, patch `reminder-delivery-v1`) writes the batch first, then the feed rows
 * and their queued e-mails (only database writes: SMTP is the outbox sender's, apart from the case): a retry
 * rewrites nothing (the projection is idempotent) and queues once per (user, key).
 */
export function candidateActivities(projection: ProjectionActivities, notifications: NotificationActivities): CandidateActivities {
  return {
    projectCandidate: async (batch: ProjectionBatch, requests?: NotificationRequest[]) => {
      await projection.projectCandidate(batch);
      if (requests?.length) await notifications.notify(requests);
    },
    notify: notifications.notify.bind(notifications),
    sendDailyDigest: notifications.sendDailyDigest.bind(notifications),
  };
}

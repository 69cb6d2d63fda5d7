import type { DigestActivities } from '../digest/digest.messages.js';
import type { NotificationRequest, ProjectionBatch } from './candidate.messages.js';

/** Activities the candidate workflow calls; implemented in apps/worker. Every one is idempotent. */
export interface CandidateActivities extends DigestActivities {
  /**
   * Upserts events (keyed by candidate and sequence), tasks and the candidate row (version-guarded); then,
   * when given, delivers the reminders those events announce (as `notify`).
   */
  projectCandidate(batch: ProjectionBatch, notifications?: NotificationRequest[]): Promise<void>;
  /** Delivers reminders to every user who can act: in-app feed and e-mail, once per (user, key). */
  notify(requests: NotificationRequest[]): Promise<void>;
}

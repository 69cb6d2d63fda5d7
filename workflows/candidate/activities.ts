import type { DigestActivities } from '../digest/digest.messages.js';
import type { NotificationRequest, ProjectionBatch } from './candidate.messages.js';

/** Activities the candidate workflow calls; implemented in apps/worker. Every one is idempotent. */
export interface CandidateActivities extends DigestActivities {
  /**
   * Upserts events (keyed by candidate and sequence), tasks and the candidate row (version-guarded); then,
   * when given, delivers the reminders those events announce (as `notify`). Run as a local activity
   * (patch `local-projection-v1`) it returns the batch it wrote: a local activity's arguments are not kept in
   * the history, its result is (the marker), and the audit replay reads the batch from there.
   */
  projectCandidate(batch: ProjectionBatch, notifications?: NotificationRequest[]): Promise<ProjectionBatch | undefined>;
  /**
   * Delivers reminders to every user who can act: an in-app row once per (user, key), queued in the e-mail
   * outbox when the user has an address. Never calls SMTP, so a failing mail server does not fail it.
   */
  notify(requests: NotificationRequest[]): Promise<void>;
}

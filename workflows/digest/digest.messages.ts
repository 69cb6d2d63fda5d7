/** The daily digest: one run a day per schedule, listing each user's due and overdue work. */
export const DIGEST_WORKFLOW_TYPE = 'dailyDigestWorkflow';

export function digestScheduleId(taskQueue: string): string {
  return `ketnap-daily-digest:${taskQueue}`;
}

/** 07:00 Vietnam time, every day. */
export const DIGEST_CRON = '0 7 * * *';
export const DIGEST_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export interface DigestResult {
  users: number;
  items: number;
  /** E-mails queued in the outbox (the worker's sender delivers them apart). */
  emailed: number;
}

export interface DigestActivities {
  /** Builds and delivers today's digest; idempotent per (user, business date). */
  sendDailyDigest(): Promise<DigestResult>;
}

import { proxyActivities } from '@temporalio/workflow';
import type { DigestActivities, DigestResult } from './digest.messages.js';

const { sendDailyDigest } = proxyActivities<DigestActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '5 seconds', maximumInterval: '2 minutes', maximumAttempts: 20 },
});

/** Started by the daily schedule: one activity does the work (the list changes too often to keep in history). */
export async function dailyDigestWorkflow(): Promise<DigestResult> {
  return sendDailyDigest();
}

import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import { DIGEST_CRON, DIGEST_TIME_ZONE, DIGEST_WORKFLOW_TYPE, digestScheduleId } from '../../../workflows/digest/digest.messages.js';

/** Creates the daily digest schedule for a task queue unless it exists (safe for every worker to call). */
export async function ensureDigestSchedule(address: string, namespace: string, taskQueue: string): Promise<string> {
  const connection = await Connection.connect({ address });
  try {
    const client = new Client({ connection, namespace });
    const scheduleId = digestScheduleId(taskQueue);
    try {
      await client.schedule.create({
        scheduleId,
        spec: { cronExpressions: [DIGEST_CRON], timezone: DIGEST_TIME_ZONE },
        action: { type: 'startWorkflow', workflowType: DIGEST_WORKFLOW_TYPE, taskQueue },
        policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 day' },
      });
    } catch (e) {
      if (!(e instanceof ScheduleAlreadyRunning)) throw e;
    }
    return scheduleId;
  } finally {
    await connection.close();
  }
}

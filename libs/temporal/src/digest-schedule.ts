import { Client, Connection, ScheduleAlreadyRunning, ScheduleOverlapPolicy } from '@temporalio/client';
import type { KetnapConfig } from '../../config/src/config.js';
import { DIGEST_CRON, DIGEST_TIME_ZONE, DIGEST_WORKFLOW_TYPE, digestScheduleId } from '../../../workflows/digest/digest.messages.js';
import { temporalConnectionOptions, temporalDataConverter } from './connection.js';

/**
 * Creates the daily digest schedule for a task queue unless it exists (safe for every worker to call). The
 * connection is secured and the client encrypts as configured: the schedule's action is stored on the server.
 */
export async function ensureDigestSchedule(config: Pick<KetnapConfig, 'temporal' | 'payloadEncryption'>): Promise<string> {
  const { namespace, taskQueue } = config.temporal;
  const connection = await Connection.connect(temporalConnectionOptions(config.temporal));
  try {
    const client = new Client({ connection, namespace, dataConverter: temporalDataConverter(config, { requireEncrypted: false }) });
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

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../libs/config/src/config.js';
import { ensureDigestSchedule } from '../../../libs/temporal/src/digest-schedule.js';
import { createCandidateWorker } from '../../../libs/temporal/src/worker-factory.js';
import { NotificationActivities } from './notification.activities.js';
import { candidateActivities, ProjectionActivities } from './projection.activities.js';
import { WorkerModule } from './worker.module.js';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped; rejects if it failed. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/** Boots the Nest context and a Temporal worker on it. Used by main.ts and by tests. */
export async function startWorker(config?: KetnapConfig, opts: { identity?: string } = {}): Promise<RunningWorker> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error', 'warn'] });
  const cfg = app.get<KetnapConfig>(KETNAP_CONFIG);
  const connection = await NativeConnection.connect({ address: cfg.temporal.address });
  const worker = await createCandidateWorker({
    connection,
    namespace: cfg.temporal.namespace,
    taskQueue: cfg.temporal.taskQueue,
    activities: candidateActivities(app.get(ProjectionActivities), app.get(NotificationActivities)),
    identity: opts.identity,
    ...cfg.worker,
  });
  await ensureDigestSchedule(cfg.temporal.address, cfg.temporal.namespace, cfg.temporal.taskQueue);
  const done = worker.run().finally(async () => {
    await connection.close();
    await app.close();
  });
  return {
    worker,
    done,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

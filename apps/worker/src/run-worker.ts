import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { DataSource } from 'typeorm';
import { KETNAP_CONFIG, type KetnapConfig } from '../../../libs/config/src/config.js';
import { plaintextWarning, temporalConnectionOptions, temporalDataConverter } from '../../../libs/temporal/src/connection.js';
import { ensureDigestSchedule } from '../../../libs/temporal/src/digest-schedule.js';
import { KetnapTracing } from '../../../libs/temporal/src/tracing.js';
import { createCandidateWorker } from '../../../libs/temporal/src/worker-factory.js';
import { EmailOutboxSender } from './email-outbox.sender.js';
import { serveWorkerHealth, type WorkerHealth } from './health.js';
import { JobActivitiesService, jobActivities } from './job.activities.js';
import { NotificationActivities } from './notification.activities.js';
import { candidateActivities, ProjectionActivities } from './projection.activities.js';
import { WorkerModule } from './worker.module.js';

export interface RunningWorker {
  worker: Worker;
  /** Resolves when the worker has stopped; rejects if it failed. */
  done: Promise<void>;
  stop(): Promise<void>;
  /** The worker's database connection (its readiness probe checks it). */
  dataSource: DataSource;
  /** The probes' listener, when KETNAP_WORKER_HEALTH_PORT is set. */
  health?: WorkerHealth;
}

/** Boots the Nest context and a Temporal worker on it. Used by main.ts and by tests. */
export async function startWorker(config?: KetnapConfig, opts: { identity?: string } = {}): Promise<RunningWorker> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['error', 'warn'], abortOnError: false });
  const cfg = app.get<KetnapConfig>(KETNAP_CONFIG);
  const log = new Logger('Worker');
  const warning = plaintextWarning(cfg);
  if (warning) log.warn(warning);
  const connection = await NativeConnection.connect(temporalConnectionOptions(cfg.temporal));
  const worker = await createCandidateWorker({
    connection,
    namespace: cfg.temporal.namespace,
    taskQueue: cfg.temporal.taskQueue,
    activities: candidateActivities(app.get(ProjectionActivities), app.get(NotificationActivities)),
    jobActivities: jobActivities(app.get(JobActivitiesService)),
    identity: opts.identity,
    ...cfg.worker,
    // With KETNAP_REQUIRE_ENCRYPTED_PAYLOADS (the default with keys), a payload not encrypted with a key of the
    // keyring reaches the workflow unreadable: an update carrying one is rejected (README, Security, trust boundary).
    dataConverter: temporalDataConverter(cfg, { onRefused: () => log.warn('refused an unencrypted Temporal payload (KETNAP_REQUIRE_ENCRYPTED_PAYLOADS): the message carrying it is not applied') }),
    // KETNAP_TRACING=1: workflow and activity spans, joined to the caller's trace (libs/temporal/src/tracing.ts).
    tracing: app.get(KetnapTracing).workerOptions(),
  });
  await ensureDigestSchedule(cfg);
  // The e-mail outbox's sender runs beside the worker (without SMTP it does nothing); app.close() stops it
  // gracefully, after the e-mail in flight.
  app.get(EmailOutboxSender).start();
  const dataSource = app.get(DataSource);
  const health = cfg.observability.workerHealthPort ? await serveWorkerHealth(cfg.observability.workerHealthPort, { worker, ds: dataSource }) : undefined;
  const done = worker.run().finally(async () => {
    await health?.close();
    await connection.close();
    await app.close();
  });
  return {
    worker,
    done,
    dataSource,
    health,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}

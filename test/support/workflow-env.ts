import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowUpdateFailedError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { NotificationActivities } from '../../apps/worker/src/notification.activities.js';
import { ProjectionActivities, candidateActivities } from '../../apps/worker/src/projection.activities.js';
import { loadConfig } from '../../libs/config/src/config.js';
import { NotificationRepository } from '../../libs/persistence/src/repositories/notification.repository.js';
import { ProjectionRepository } from '../../libs/persistence/src/repositories/projection.repository.js';
import { SettingsRepository } from '../../libs/persistence/src/repositories/settings.repository.js';
import { createCandidateWorker } from '../../libs/temporal/src/worker-factory.js';
import type { CandidateActivities } from '../../workflows/candidate/activities.js';
import { databaseUrl, temporalAddress } from './env.js';
import { openDataSource, seedOrgTree, type OrgTree } from './fixtures.js';

export interface WorkerVariant {
  workflowsPath?: string;
  workflowInterceptorModules?: string[];
  maxCachedWorkflows?: number;
  workflowTaskSlots?: number;
  /** A slow database: each projection write waits this long first (a busy PostgreSQL, a long network). */
  projectionDelayMs?: number;
}

function slowProjection(a: CandidateActivities, delayMs?: number): CandidateActivities {
  if (!delayMs) return a;
  return { ...a, projectCandidate: async (...args) => (await new Promise((r) => setTimeout(r, delayMs)), a.projectCandidate(...args)) };
}

/**
 * What a workflow test on the real Temporal server needs: the database with its own org tree, a client, and a
 * candidate worker on a task queue of its own (the real activities against the real database), which a test
 * may stop and start again (a worker restart mid-path).
 */
export class WorkflowTestEnv {
  readonly taskQueue: string;
  ds!: DataSource;
  tree!: OrgTree;
  client!: Client;
  private clientConnection!: Connection;
  private workerConnection!: NativeConnection;
  private worker?: Worker;
  private workerRun?: Promise<void>;

  private constructor(prefix: string) {
    this.taskQueue = `${prefix}-${randomUUID()}`;
  }

  static async start(prefix: string): Promise<WorkflowTestEnv> {
    const env = new WorkflowTestEnv(prefix);
    env.ds = await openDataSource();
    env.tree = await seedOrgTree(env.ds);
    env.clientConnection = await Connection.connect({ address: temporalAddress() });
    env.client = new Client({ connection: env.clientConnection });
    env.workerConnection = await NativeConnection.connect({ address: temporalAddress() });
    await env.startWorker();
    return env;
  }

  /**
   * The candidate worker; `workflowsPath`: another workflow code's entry (a previous deployment's);
   * `workflowInterceptorModules`: test interceptors bundled with the workflow code (a fault to inject);
   * `maxCachedWorkflows`, `workflowTaskSlots`: its sizing (unset: the SDK's cache and its derived slots).
   */
  async startWorker(o: WorkerVariant = {}): Promise<void> {
    this.worker = await createCandidateWorker({
      ...(o.workflowsPath ? { workflowsPath: o.workflowsPath } : {}),
      ...(o.workflowInterceptorModules ? { tracing: { interceptors: { workflowModules: o.workflowInterceptorModules } } } : {}),
      ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
      ...(o.workflowTaskSlots !== undefined ? { workflowTaskSlots: o.workflowTaskSlots } : {}),
      connection: this.workerConnection,
      namespace: 'default',
      taskQueue: this.taskQueue,
      activities: slowProjection(
        candidateActivities(
          new ProjectionActivities(new ProjectionRepository(this.ds)),
          new NotificationActivities(loadConfig({ DATABASE_URL: databaseUrl() }), new NotificationRepository(this.ds), new SettingsRepository(this.ds)),
        ),
        o.projectionDelayMs,
      ),
    });
    this.workerRun = this.worker.run();
  }

  async stopWorker(): Promise<void> {
    this.worker?.shutdown();
    await this.workerRun;
    this.worker = undefined;
  }

  async stop(): Promise<void> {
    await this.stopWorker();
    await this.workerConnection?.close();
    await this.clientConnection?.close();
    await this.ds?.destroy();
  }
}

/** The refusal type of an update the workflow's validator (or handler) refused; fails when it was accepted. */
export async function refusalCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowUpdateFailedError);
    return ((e as WorkflowUpdateFailedError).cause as { type?: string }).type ?? 'no-type';
  }
  throw new Error('expected the update to be refused');
}

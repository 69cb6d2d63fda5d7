import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { CandidateActivities } from '../../../workflows/candidate/activities.js';

/**
 * The workflow bundle's entry. From compiled code (dist/) it is workflows/index.js; from TypeScript sources
 * (tests) it is workflows/index.ts, whose relative `.js` imports the bundler maps back to `.ts`.
 */
export function workflowsEntry(): string {
  const js = fileURLToPath(new URL('../../../workflows/index.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url));
}

export const bundlerOptions: WorkerOptions['bundlerOptions'] = {
  webpackConfigHook: (config) => {
    config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
    return config;
  },
  ignoreModules: [],
};

export interface CandidateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CandidateActivities;
  identity?: string;
  maxCachedWorkflows?: number;
}

export async function createCandidateWorker(o: CandidateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowsPath: workflowsEntry(),
    bundlerOptions,
    activities: o.activities,
    shutdownGraceTime: '10 seconds',
    // Unset options must be absent, not undefined: the native bridge rejects explicit undefined.
    ...(o.identity !== undefined ? { identity: o.identity } : {}),
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
  });
}

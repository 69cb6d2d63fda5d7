import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { CandidateActivities } from '../../../workflows/candidate/activities.js';
import type { JobActivities } from '../../../workflows/jobs/jobs.messages.js';

/**
 * The workflow bundle's entry. From compiled code (dist/) it is workflows/index.js; from TypeScript sources
 * (tests) it is workflows/index.ts, whose relative `.js` imports the bundler maps back to `.ts`.
 */
export function workflowsEntry(): string {
  const js = fileURLToPath(new URL('../../../workflows/index.js', import.meta.url));
  return existsSync(js) ? js : fileURLToPath(new URL('../../../workflows/index.ts', import.meta.url));
}

/**
 * libs/domain modules loaded once into the worker's reusable V8 context and shared by every workflow, instead
 * of being evaluated again for each one (the calendar year data, lunar and working-day tables, texts in two
 * languages, rule sets: most of the CPU and heap a new workflow instance cost). Their imports come along.
 * They are pure, and their module-level state is deterministic memo caches (lunar new moons, working-day
 * tables keyed by calendar object) whose content does not depend on which workflow filled them.
 *
 * Rules for this list: module scope must not use workflow APIs, time or randomness (it runs before any
 * workflow exists); and the SDK deep-freezes every object a shared module's exports reach (not Map or Set
 * entries, closures or prototypes), so nothing may add properties to such an object later. zod schemas do
 * exactly that (methods and internal caches are defined on first use): decisions.ts keeps the schemas it
 * validates with in a private Map, and exported schemas must never be parsed inside a workflow. zod itself
 * comes along as decisions.ts's import (its module-level caches are filled while the schemas are built).
 * The replay test (test/replay) and the workflow tests run the worker's bundle with this list.
 */
export const PRELOADED_DOMAIN_MODULES = ['calendar/index', 'clock', 'dates', 'decisions', 'messages', 'procedure', 'reminders', 'rule-sets'];

/** PRELOADED_DOMAIN_MODULES as files of the form the bundle entry uses (compiled .js next to workflows/index.js, else .ts sources). */
export function domainPreloadModules(): string[] {
  const ext = path.extname(workflowsEntry());
  return PRELOADED_DOMAIN_MODULES.map((m) => fileURLToPath(new URL(`../../domain/src/${m}${ext}`, import.meta.url)));
}

export const bundlerOptions: WorkerOptions['bundlerOptions'] = {
  webpackConfigHook: (config) => {
    config.resolve = { ...config.resolve, extensionAlias: { '.js': ['.ts', '.js'] } };
    return config;
  },
  ignoreModules: [],
  preloadModules: domainPreloadModules(),
};

export interface CandidateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: CandidateActivities;
  /** The fan-out jobs' activities (workflows/jobs; apps/worker/src/job.activities.ts), registered beside them. */
  jobActivities?: JobActivities;
  identity?: string;
  maxCachedWorkflows?: number;
  workflowThreadPoolSize?: number;
  /** Workflow tasks held at once (KETNAP_WORKFLOW_TASK_SLOTS); unset: workflowTaskSlots(maxCachedWorkflows). */
  workflowTaskSlots?: number;
  /** The payload codec (libs/temporal/src/connection.ts, temporalDataConverter); unset: payloads in clear. */
  dataConverter?: DataConverter;
  /** KetnapTracing.workerOptions(): the tracing interceptors and sink; unset or `{}` (tracing off): none, nor in the bundle. */
  tracing?: Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /**
   * Another workflows entry than this build's (workflowsEntry()). Only the workflow tests set it: to run a case on
   * a previous deployment's workflow code (a git worktree) before this one takes over (test/replay/README.md).
   */
  workflowsPath?: string;
}

/** The SDK's default number of workflow tasks a worker holds at once (maxConcurrentWorkflowTaskExecutions). */
export const SDK_WORKFLOW_TASK_SLOTS = 40;

/** The fewest workflow-task slots the SDK's core accepts with a cache (it needs two pollers, sticky and normal). */
export const MIN_WORKFLOW_TASK_SLOTS = 2;

/**
 * How many workflow tasks a worker may hold at once, for a cache of `cache` cases. The SDK's default is 40
 * whatever the cache, so with a small cache every cached case can have a task in flight: the cache is full,
 * and the SDK's core makes room by evicting a case whose task is still running — one waiting for its
 * projection's local activity is evicted with its completion thrown away, and that task times out on the
 * server 10 s later (BENCHMARKS.md §9, the morning run: every 10–12 s decision was one). Half the cache leaves
 * room for the cases being replayed; never fewer than 2 (the core refuses fewer) nor more than the cache (an
 * explicit `slots` is held to that too). Without a cache size (the SDK's default, thousands) or with none (0),
 * the SDK's default stays, or the explicit number.
 */
export function workflowTaskSlots(cache: number | undefined, slots?: number): number | undefined {
  if (!cache) return slots;
  const most = Math.max(MIN_WORKFLOW_TASK_SLOTS, cache);
  if (slots !== undefined) return Math.max(MIN_WORKFLOW_TASK_SLOTS, Math.min(slots, most));
  return Math.max(MIN_WORKFLOW_TASK_SLOTS, Math.min(SDK_WORKFLOW_TASK_SLOTS, Math.floor(cache / 2)));
}

export async function createCandidateWorker(o: CandidateWorkerOptions): Promise<Worker> {
  const slots = workflowTaskSlots(o.maxCachedWorkflows, o.workflowTaskSlots);
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    workflowsPath: o.workflowsPath ?? workflowsEntry(),
    bundlerOptions,
    activities: { ...o.activities, ...o.jobActivities },
    shutdownGraceTime: '10 seconds',
    // Unset options must be absent, not undefined: the native bridge rejects explicit undefined.
    ...(o.identity !== undefined ? { identity: o.identity } : {}),
    ...(o.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: o.maxCachedWorkflows } : {}),
    ...(o.workflowThreadPoolSize !== undefined ? { workflowThreadPoolSize: o.workflowThreadPoolSize } : {}),
    ...(slots !== undefined ? { maxConcurrentWorkflowTaskExecutions: slots } : {}),
    ...(o.dataConverter !== undefined ? { dataConverter: o.dataConverter } : {}),
    ...o.tracing,
  });
}

/**
 * Cases driven through the Temporal client (as test/support/case-driver.ts does), with a business clock of
 * their own in the workflow input: the full-path and timer-storm scenarios need a fast clock while the
 * API-created cases of the other scenarios keep KETNAP_CLOCK_SPEED. The candidate row is inserted through
 * the repository first, as the API does, so the projection has its row to update.
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { businessNowMs, type BusinessClock } from '../../libs/domain/src/clock.js';
import { vnDateOf } from '../../libs/domain/src/dates.js';
import type { Routing, TaskType } from '../../libs/domain/src/procedure.js';
import {
  CANDIDATE_WORKFLOW_TYPE,
  candidateWorkflowId,
  completeTaskUpdate,
  requestEnvelope,
  stateQuery,
  syncUpdate,
  type Actor,
  type CandidateSummary,
  type CandidateWorkflowInput,
  type TaskSnapshot,
} from '../../workflows/candidate/candidate.messages.js';
import { validDecision } from './decisions.js';
import type { BenchEnv } from './env.js';
import { delay } from './load.js';

export const BENCH_ACTOR: Actor = { userId: '00000000-0000-4000-8000-00000000be01', username: 'bench-driver' };

export interface FastCase {
  input: CandidateWorkflowInput;
  handle: WorkflowHandle;
  summary?: CandidateSummary;
  /** Updates this case has been sent (sync + decisions). */
  updates: number;
}

export async function routingOfTree(env: BenchEnv): Promise<Routing> {
  const { units } = await env.ketnap();
  return { cellId: units.cell, provinceId: units.province, grassrootsId: units.grassroots, grassrootsIsCell: false, superiorId: units.superior, trainingCentreId: units.centre };
}

export function businessToday(clock: BusinessClock): string {
  return vnDateOf(businessNowMs(clock, Date.now()));
}

/** The workflow inputs of `n` new cases, as the API builds them (each workflow writes its own row), all on `clock`. */
export async function seedCandidates(env: BenchEnv, n: number, clock: BusinessClock, introducedOn: string, _signal: AbortSignal): Promise<CandidateWorkflowInput[]> {
  const routing = await routingOfTree(env);
  return Array.from({ length: n }, (_, i): CandidateWorkflowInput => ({
    candidateId: randomUUID(),
    fullName: `Trần Văn Nhanh ${i}`,
    facts: { dateOfBirth: '1999-04-12', youthUnionMember: true, education: 'university' },
    routing,
    clock,
    source: { organization: 'Đoàn trường', introducedOn },
    createdBy: BENCH_ACTOR,
    // As the API starts a case: the workflow's first projection writes the candidate row from this.
    profile: { gender: 'male', ethnicity: 'Kinh' },
  }));
}

/**
 * Starts the workflow and waits (sync update, as the API does) until its first task is projected. On the
 * ketnap worker's task queue unless `taskQueue` names another ketnap worker's (cold-cases runs its own).
 */
export async function startCase(env: BenchEnv, input: CandidateWorkflowInput, taskQueue = env.ketnapConfig().temporal.taskQueue): Promise<FastCase> {
  const handle = await env.client.workflow.start(CANDIDATE_WORKFLOW_TYPE, { taskQueue, workflowId: candidateWorkflowId(input.candidateId), args: [input] });
  env.track(handle.workflowId);
  const c: FastCase = { input, handle, updates: 1 };
  c.summary = await handle.executeUpdate(syncUpdate);
  return c;
}

/**
 * Decides the open task of `type`: found in the last summary, else by query (a timer opened it), waiting
 * until it is open and its notBefore has come (at most `timeoutMs`). `date` fixes the decision's dates
 * (default: the case's business today).
 */
export async function decideStep(c: FastCase, type: TaskType, signal: AbortSignal, o: { date?: string; timeoutMs?: number } = {}): Promise<CandidateSummary> {
  const deadline = Date.now() + (o.timeoutMs ?? 60_000);
  const ready = (ts: TaskSnapshot[] | undefined) => ts?.find((t) => t.type === type && t.status === 'open' && (!t.notBefore || t.notBefore <= businessToday(c.input.clock)));
  let task = ready(c.summary?.openTasks);
  while (!task) {
    if (signal.aborted || Date.now() > deadline) throw new Error(`${c.handle.workflowId}: no open ${type} after ${o.timeoutMs ?? 60_000} ms`);
    await delay(200, signal);
    task = ready((await c.handle.query(stateQuery)).openTasks);
  }
  const p = validDecision(type, o.date ?? businessToday(c.input.clock));
  c.updates++;
  c.summary = await c.handle.executeUpdate(completeTaskUpdate, { args: [{ ...requestEnvelope(c.handle.workflowId, randomUUID()), taskId: task.id, outcome: p.outcome, data: p.data, actor: BENCH_ACTOR }] });
  return c.summary;
}

/**
 * Scenario 2's round trip as a load for other scenarios (timer-storm, inbox-at-scale): a pool of
 * API-created cases, each decision `POST /api/tasks/:id/complete` by the approver whose role the task needs,
 * then `GET /api/tasks` as the next approver until the next task is there. Latency counts from the
 * scheduled time (open loop).
 */
import { randomUUID } from 'node:crypto';
import { candidateWorkflowId } from '../../workflows/candidate/candidate.messages.js';
import { validDecision } from './decisions.js';
import type { BenchEnv } from './env.js';
import { delay, mapLimit, now, openLoop, type LoopResult } from './load.js';
import { progress } from './log.js';
import { candidateBody } from './scenarios/case-starts.js';
import { nextTask, type TaskRef } from './scenarios/decision-round-trip.js';

export interface DecisionLoad {
  /** One decision and the next task's inbox read; resolves to the latency from `scheduledAt`. */
  decide(scheduledAt: number): Promise<number>;
  /** Decisions the API refused (each also throws). */
  refused(): number;
}

/**
 * Creates `poolSize` cases (4 at a time) for `label`'s decisions. A case serves about 8 decisions in a row;
 * while decisions are held up, each one in flight needs a case of its own, so size the pool for that.
 */
export async function decisionLoad(env: BenchEnv, label: string, poolSize: number, signal: AbortSignal, serial = 200_000): Promise<DecisionLoad> {
  const tree = await env.ketnap();
  const { anon } = await env.api();
  const today = (await anon.get('/api/clock')).body.today as string;
  progress(`${label}: creating ${poolSize} cases through the API for the decisions`);
  const ready: { next?: TaskRef }[] = (
    await mapLimit(Array.from({ length: poolSize }), 4, signal, async (_, i) => {
      const r = await tree.users.cell_secretary.post('/api/candidates', candidateBody(tree.units.cell, today, serial + i));
      if (r.status !== 201) throw new Error(`POST /api/candidates: ${r.status} ${JSON.stringify(r.body)}`);
      env.track(candidateWorkflowId(r.body.id));
      return { next: nextTask(r.body.openTasks, today) };
    })
  ).filter((c) => c.next);
  let refused = 0;
  const decide = async (scheduledAt: number): Promise<number> => {
    const c = ready.shift();
    if (!c) throw new Error('no case with a decidable task (pool too small)');
    const task = c.next!;
    const r = await tree.users[task.role].post(`/api/tasks/${task.id}/complete`, validDecision(task.type, today), { 'idempotency-key': randomUUID() });
    if (r.status !== 200) {
      refused++;
      throw new Error(`complete ${task.type}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    const opened: TaskRef[] = (r.body.openTasks ?? []).filter((t: TaskRef) => t.id !== task.id);
    const target = opened[0];
    if (target) {
      const deadline = now() + 5_000;
      for (;;) {
        const g = await tree.users[target.role].get(`/api/tasks?type=${target.type}&limit=500`);
        if (g.status === 200 && g.body.items.some((t: { id: string }) => t.id === target.id)) break;
        if (now() > deadline) throw new Error(`${target.type} not in the inbox 5 s after the decision`);
        await delay(10);
      }
    }
    c.next = nextTask(opened, today);
    if (c.next) ready.push(c);
    return now() - scheduledAt;
  };
  return { decide, refused: () => refused };
}

/**
 * Runs `fn` while decisions are offered at `rate`/s (open loop, from the start of `fn` to its end); then
 * waits up to 30 s for the decisions still in flight. Returns what `fn` returned and the decisions' record.
 */
export async function withDecisions<T>(load: DecisionLoad, rate: number, signal: AbortSignal, fn: () => Promise<T>): Promise<{ result: T; decisions: LoopResult }> {
  let done = false;
  const loop = openLoop({ rate, count: Infinity, signal, drainMs: 30_000, until: () => done, op: (_i, at) => load.decide(at) });
  let result: T;
  try {
    result = await fn();
  } catch (e) {
    done = true;
    await loop.catch(() => undefined);
    throw e;
  }
  done = true;
  return { result, decisions: await loop };
}

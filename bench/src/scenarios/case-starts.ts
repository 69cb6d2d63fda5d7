/**
 * case-starts: candidates created through POST /api/candidates — the API answers once the workflow has
 * started and its first task is in the read model — sustained per second with a few concurrent clients;
 * vs bare no-op workflow executions (start + first workflow task done) per second on the same server.
 */
import { candidateWorkflowId } from '../../../workflows/candidate/candidate.messages.js';
import { noopWorkflow } from '../workflows.js';
import { caseStartPhases, describePhases, executionPhases, meanPhases, type Phases } from '../history-profile.js';
import { describeCpu, meanCpu, measureCpu, type CpuUse } from '../cpu.js';
import { closedLoop, mapLimit, mergeLoops, type LoopResult } from '../load.js';
import { progress } from '../log.js';
import { round, summarize, fmtLat } from '../stats.js';
import type { Ctx, Scenario, ScenarioOutput } from '../types.js';

const CLIENTS = 4;
const PROFILE_SAMPLES = 30;

interface Timing {
  id: string;
  sentAt: number;
  receivedAt: number;
}

export function candidateBody(cellId: string, today: string, n: number) {
  return {
    cellId,
    fullName: `Nguyễn Văn Bench ${n}`,
    dateOfBirth: '1999-04-12',
    gender: 'male',
    ethnicity: 'Kinh',
    education: 'university',
    youthUnionMember: true,
    source: { organization: 'Đoàn trường', introducedOn: today },
  };
}

export const caseStarts: Scenario = {
  name: 'case-starts',
  title: 'POST /api/candidates sustained, vs bare no-op workflow executions',
  byDefault: true,
  async run({ env, quick, smoke, signal }: Ctx): Promise<ScenarioOutput> {
    const durationMs = smoke ? 2_000 : quick ? 6_000 : 30_000;
    const rounds = smoke ? 1 : quick ? 2 : 3;
    const maxCount = quick ? 2_000 : 6_000;
    const warmup = 8;

    // Baseline: bare no-op workflow, started and run to completion (its first and only task done).
    const taskQueue = await env.bareTaskQueue();
    let n = 0;
    const noops: Timing[] = [];
    const execNoop = async () => {
      const workflowId = `bench-noop-${env.runId}-${n++}`;
      const sentAt = Date.now();
      await env.client.workflow.execute(noopWorkflow, { taskQueue, workflowId });
      noops.push({ id: workflowId, sentAt, receivedAt: Date.now() });
    };

    // ketnap: the production API and worker, one cell secretary creating candidates.
    const tree = await env.ketnap();
    const { anon } = await env.api();
    const today = (await anon.get('/api/clock')).body.today as string;
    const sec = tree.users.cell_secretary;
    let k = 0;
    const created: Timing[] = [];
    const create = async () => {
      const sentAt = Date.now();
      const r = await sec.post('/api/candidates', candidateBody(tree.units.cell, today, k++));
      if (r.status !== 201) throw new Error(`POST /api/candidates: ${r.status} ${JSON.stringify(r.body)}`);
      if (!Array.isArray(r.body.openTasks) || r.body.openTasks.length === 0) throw new Error('created without an open task');
      created.push({ id: r.body.id, sentAt, receivedAt: Date.now() });
      env.track(candidateWorkflowId(r.body.id));
    };
    for (let i = 0; i < warmup; i++) await execNoop();
    for (let i = 0; i < warmup; i++) await create();
    noops.length = 0;
    created.length = 0;

    // Rounds alternate baseline and ketnap, so a drift in the machine's load hits both alike.
    const perRound = durationMs / rounds;
    const baseParts: LoopResult[] = [];
    const sysParts: LoopResult[] = [];
    const baseCpus: CpuUse[] = [];
    const sysCpus: CpuUse[] = [];
    for (let r = 1; r <= rounds; r++) {
      progress(`case-starts: round ${r}/${rounds}: bare no-op workflows, ${CLIENTS} clients, ${perRound / 1000} s`);
      const b = await measureCpu(env, () => closedLoop({ clients: CLIENTS, durationMs: perRound, maxCount: maxCount / rounds, signal, op: execNoop }));
      baseParts.push(b.result);
      baseCpus.push(b.cpu);
      progress(`case-starts: round ${r}/${rounds}: bare ${b.result.perSecond.toFixed(1)}/s; ${describeCpu(b.cpu)}`);
      progress(`case-starts: round ${r}/${rounds}: POST /api/candidates, ${CLIENTS} clients, ${perRound / 1000} s`);
      const s = await measureCpu(env, () => closedLoop({ clients: CLIENTS, durationMs: perRound, maxCount: maxCount / rounds, signal, op: create }));
      sysParts.push(s.result);
      sysCpus.push(s.cpu);
      progress(`case-starts: round ${r}/${rounds}: ketnap ${s.result.perSecond.toFixed(1)}/s; ${describeCpu(s.cpu)}`);
    }
    const base = mergeLoops(baseParts);
    const sys = mergeLoops(sysParts);
    const baseCpu = meanCpu(baseCpus);
    const sysCpu = meanCpu(sysCpus);
    progress(`case-starts: ketnap ${sys.perSecond.toFixed(1)} cases/s (${sys.count}, ${sys.errors} errors), bare ${base.perSecond.toFixed(1)}/s (${base.count}, ${base.errors} errors)`);

    // The first task of every case must be in the inbox (the API promised it before answering).
    const inbox = await sec.get('/api/tasks?type=recognize_sympathiser&limit=1');
    const visible = Number(inbox.body?.total ?? 0);
    const expected = sys.count + warmup;

    // Where the time goes: a sample of each side's histories, split by phase.
    const sample = <T,>(xs: T[]) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / PROFILE_SAMPLES)) === 0).slice(0, PROFILE_SAMPLES);
    const sysProfile = meanPhases(
      (
        await mapLimit(sample(created), 4, signal, async (c) =>
          caseStartPhases((await env.client.workflow.getHandle(candidateWorkflowId(c.id)).fetchHistory()).events ?? [], c.sentAt, c.receivedAt),
        )
      ).filter((p): p is Phases => p !== undefined),
    );
    const baseProfile = meanPhases(
      await mapLimit(sample(noops), 4, signal, async (c) => executionPhases((await env.client.workflow.getHandle(c.id).fetchHistory()).events ?? [], c.sentAt, c.receivedAt)),
    );
    progress(`case-starts: ketnap profile (mean ms): ${describePhases(sysProfile)}`);
    progress(`case-starts: no-op profile (mean ms):  ${describePhases(baseProfile)}`);

    const ratio = sys.perSecond / base.perSecond;
    const sysLat = summarize(sys.latencies);
    const baseLat = summarize(base.latencies);
    return {
      rows: [
        {
          scenario: 'case-starts',
          metric: `cases/s, ${CLIENTS} clients`,
          figure: `${sys.perSecond.toFixed(1)}/s (${fmtLat(sysLat)})`,
          value: round(sys.perSecond, 2),
          unit: 'per second',
          baseline: `${base.perSecond.toFixed(1)}/s no-op (${fmtLat(baseLat)})`,
          baselineValue: round(base.perSecond, 2),
          ratio: round(ratio, 3),
          target: '≥ 0.5',
          pass: ratio >= 0.5 && sys.errors === 0 && visible >= expected,
        },
      ],
      details: {
        clients: CLIENTS,
        durationMs,
        rounds,
        perRound: { ketnapPerSecond: sysParts.map((p) => round(p.perSecond, 2)), baselinePerSecond: baseParts.map((p) => round(p.perSecond, 2)) },
        ketnap: { count: sys.count, errors: sys.errors, firstError: sys.firstError, elapsedMs: round(sys.elapsedMs), perSecond: round(sys.perSecond, 2), latencyMs: sysLat },
        baseline: { count: base.count, errors: base.errors, firstError: base.firstError, elapsedMs: round(base.elapsedMs), perSecond: round(base.perSecond, 2), latencyMs: baseLat },
        profileMs: { ketnap: sysProfile, baseline: baseProfile },
        cpuCores: { ketnap: sysCpu, baseline: baseCpu },
        firstTasksInInbox: visible,
        casesCreated: expected,
      },
    };
  },
};

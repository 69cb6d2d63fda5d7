/**
 * worker-memory: resident memory per cached open case. A separate worker process (memory-worker.js) runs
 * the candidate workflow bundle with no-op activities; RSS is read after a few full GCs before and after
 * N cases were started and the worker had finished their first tasks (cache count reached, nothing in
 * flight), so all N sit in the worker's cache waiting for their first decision. Baseline: the same with
 * the bare waiting workflow. The worker runs in debugMode (workflows on its main thread) so that the
 * forced GCs also reach the workflows' garbage; the per-case figure is live memory, not GC timing.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { WorkflowHandle } from '@temporalio/client';
import { vnDateOf } from '../../../libs/domain/src/dates.js';
import { CANDIDATE_WORKFLOW_TYPE, type CandidateWorkflowInput } from '../../../workflows/candidate/candidate.messages.js';
import type { BenchEnv } from '../env.js';
import { describeCpu, measureCpu, type CpuUse } from '../cpu.js';
import { checkAborted, delay, now } from '../load.js';
import { progress } from '../log.js';
import { round } from '../stats.js';
import type { Ctx, Scenario, ScenarioOutput } from '../types.js';
import { waitForUpdatesWorkflow } from '../workflows.js';

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  cached: number;
  activations: number;
  activities: number;
  gc: boolean;
}

class MemoryWorker {
  private waiters: ((m: any) => void)[] = [];
  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: any) => this.waiters.shift()?.(m));
  }

  static async start(env: BenchEnv, kind: string, taskQueue: string, bundle: string, maxCached: number): Promise<MemoryWorker> {
    const child = fork(fileURLToPath(new URL('../memory-worker.js', import.meta.url)), [], {
      execArgv: ['--expose-gc', '--enable-source-maps'],
      env: {
        ...process.env,
        BENCH_MEM_ADDRESS: env.temporal.address,
        BENCH_MEM_NAMESPACE: env.namespace,
        BENCH_MEM_TASK_QUEUE: taskQueue,
        BENCH_MEM_BUNDLE: bundle,
        BENCH_MEM_MAX_CACHED: String(maxCached),
        BENCH_MEM_DEBUG_MODE: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true, // Ctrl-C reaches only the bench, which stops it
    });
    const prefix = (chunk: Buffer) => process.stderr.write(chunk.toString().replace(/^(?=.)/gm, `[mem-worker ${kind}] `));
    child.stdout?.on('data', prefix);
    child.stderr?.on('data', prefix);
    const w = new MemoryWorker(child);
    env.defer(`memory worker (${kind})`, () => w.stop());
    // Last resort if the bench exits without its cleanup (second Ctrl-C): the child is in its own group.
    const killNow = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.on('exit', killNow);
    child.once('exit', () => process.off('exit', killNow));
    const ready = await w.next(90_000);
    if (ready.type !== 'ready') throw new Error(`memory worker: unexpected ${JSON.stringify(ready)}`);
    return w;
  }

  private next(timeoutMs: number): Promise<any> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`memory worker did not answer within ${timeoutMs} ms`)), timeoutMs);
      const onExit = (code: number | null) => reject(new Error(`memory worker exited (${code})`));
      this.child.once('exit', onExit);
      this.waiters.push((m) => {
        clearTimeout(t);
        this.child.off('exit', onExit);
        resolve(m);
      });
    });
  }

  async measure(): Promise<Memory> {
    const answer = this.next(30_000);
    this.child.send({ type: 'measure' });
    return answer;
  }

  async status(): Promise<{ cached: number; activations: number; activities: number }> {
    const answer = this.next(30_000);
    this.child.send({ type: 'status' });
    return answer;
  }

  /** Until `cached` workflows are in the cache and nothing is in flight (bounded). */
  async settle(cached: number, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const end = now() + timeoutMs;
    let quiet = 0;
    while (now() < end && !signal.aborted) {
      const s = await this.status();
      quiet = s.cached >= cached && s.activations === 0 && s.activities === 0 ? quiet + 1 : 0;
      if (quiet >= 3) return;
      await delay(250, signal);
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    try {
      this.child.send({ type: 'stop' });
    } catch {
      /* channel closed */
    }
    const killed = await Promise.race([exited.then(() => false), delay(15_000).then(() => true)]);
    if (killed) {
      this.child.kill('SIGKILL');
      await exited;
    }
  }
}

function candidateInput(today: string): CandidateWorkflowInput {
  const t = Date.now();
  return {
    candidateId: randomUUID(),
    fullName: 'Nguyễn Văn Bench',
    facts: { dateOfBirth: '1999-04-12', youthUnionMember: true, education: 'university' },
    routing: { cellId: randomUUID(), provinceId: randomUUID(), grassrootsId: randomUUID(), grassrootsIsCell: false, superiorId: randomUUID(), trainingCentreId: randomUUID() },
    clock: { anchorRealMs: t, anchorBusinessMs: t, speed: 1 },
    source: { organization: 'Đoàn trường', introducedOn: today },
    createdBy: { userId: randomUUID(), username: 'bench' },
  };
}

interface Side {
  kind: 'bare' | 'candidate';
  cases: number;
  startMs: number;
  before: Memory;
  after: Memory;
  perCaseBytes: number;
  startCpu: CpuUse;
}

async function measureSide(ctx: Ctx, kind: 'bare' | 'candidate', n: number, budgetMs: number): Promise<{ side: Side; handles: WorkflowHandle[] }> {
  const { env, signal } = ctx;
  const taskQueue = `bench-mem-${kind}-${env.runId}-${process.pid}`;
  const bundle = await env.bundle(kind === 'bare' ? 'bench' : 'candidate');
  const warm = 20;
  const w = await MemoryWorker.start(env, kind, taskQueue, bundle, n + warm + 200);
  const handles: WorkflowHandle[] = [];
  const today = vnDateOf(Date.now());
  const startOne = async () => {
    if (kind === 'candidate') {
      const input = candidateInput(today);
      handles.push(await env.client.workflow.start(CANDIDATE_WORKFLOW_TYPE, { taskQueue, workflowId: `bench-mem-${input.candidateId}`, args: [input] }));
    } else {
      handles.push(await env.client.workflow.start(waitForUpdatesWorkflow, { taskQueue, workflowId: `bench-mem-${randomUUID()}`, args: [1_000_000_000] }));
    }
  };
  const startMany = async (count: number, deadline: number) => {
    let next = 0;
    let done = 0;
    let lastLog = now();
    await Promise.all(
      Array.from({ length: START_CONCURRENCY }, async () => {
        while (next < count && now() < deadline) {
          checkAborted(signal);
          next++;
          await startOne();
          done++;
          if (now() - lastLog > 5_000) {
            lastLog = now();
            progress(`worker-memory (${kind}): ${done}/${count} cases started`);
          }
        }
      }),
    );
    return done;
  };
  try {
    await startMany(warm, now() + 60_000);
    await w.settle(warm, 60_000, signal);
    await w.measure();
    const before = await w.measure();
    const t0 = now();
    const { result: cases, cpu } = await measureCpu(
      env,
      async () => {
        const started = await startMany(n, now() + budgetMs);
        await w.settle(warm + started, 120_000, signal);
        return started;
      },
      [w.child.pid!],
    );
    const startMs = now() - t0;
    progress(`worker-memory (${kind}): starting ${describeCpu(cpu)}`);
    checkAborted(signal);
    await w.measure();
    const after = await w.measure();
    const perCaseBytes = (after.rss - before.rss) / cases;
    progress(
      `worker-memory (${kind}): ${cases} cases in ${(startMs / 1000).toFixed(1)} s; RSS ${mib(before.rss)} → ${mib(after.rss)} MiB, ` +
        `${(perCaseBytes / 1024).toFixed(1)} KiB/case (heap ${((after.heapUsed - before.heapUsed) / cases / 1024).toFixed(1)} KiB/case); cached ${before.cached} → ${after.cached}`,
    );
    if (after.cached < cases) progress(`worker-memory (${kind}): WARNING only ${after.cached} of ${cases + warm} cases in the cache`);
    return { side: { kind, cases, startMs: round(startMs), before, after, perCaseBytes, startCpu: cpu }, handles };
  } finally {
    await w.stop();
  }
}

/** Concurrent starts: the dev server's throughput drops when many more are in flight. */
const START_CONCURRENCY = 8;

const mib = (b: number) => (b / 1024 / 1024).toFixed(0);

export const workerMemory: Scenario = {
  name: 'worker-memory',
  title: 'RSS per cached open case in a separate worker process, vs the bare waiting workflow',
  byDefault: true,
  async run(ctx: Ctx): Promise<ScenarioOutput> {
    // 5,000 was the plan for the default run; at this machine's ~12–20 starts/s on the dev server that alone
    // would take ~10 minutes, so the default is 1,000 (per-case figures are the same from 250 to 2,000).
    const n = ctx.quick ? 250 : 1_000;
    const budgetMs = ctx.quick ? 40_000 : 180_000;
    const base = await measureSide(ctx, 'bare', n, budgetMs);
    const sys = await measureSide(ctx, 'candidate', n, budgetMs);
    for (const h of [...base.handles, ...sys.handles]) ctx.env.track(h.workflowId); // terminated at the end on an external server
    const ratio = sys.side.perCaseBytes / base.side.perCaseBytes;
    const kib = (s: Side) => `${(s.perCaseBytes / 1024).toFixed(1)} KiB/case (${s.cases} cached, RSS +${mib(s.after.rss - s.before.rss)} MiB)`;
    return {
      rows: [
        {
          scenario: 'worker-memory',
          metric: `RSS per cached open case, ${sys.side.cases} cases${ctx.env.preloadedDomainModules().length ? '' : ' [EXPERIMENT: no preload]'}`,
          figure: kib(sys.side),
          value: round(sys.side.perCaseBytes / 1024, 1),
          unit: 'KiB per case',
          baseline: `${kib(base.side)} bare`,
          baselineValue: round(base.side.perCaseBytes / 1024, 1),
          ratio: round(ratio, 2),
          target: '≤ 1.5×',
          pass: ratio <= 1.5 && sys.side.cases === n && base.side.cases === n,
        },
      ],
      details: {
        requestedCases: n,
        candidate: { ...sys.side, perCaseHeapBytes: round((sys.side.after.heapUsed - sys.side.before.heapUsed) / sys.side.cases) },
        bare: { ...base.side, perCaseHeapBytes: round((base.side.after.heapUsed - base.side.before.heapUsed) / base.side.cases) },
        note: 'RSS of the worker process after 3 forced GCs; workflows on its main thread (debugMode) so the GCs reach them',
      },
    };
  },
};

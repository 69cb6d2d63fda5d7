/**
 * replay: every stored history in test/replay/histories (repeated to ~200 replays in default mode) replayed
 * with Worker.runReplayHistories against the current candidate workflow bundle; events per second.
 * Baseline: synthetic histories of about the same event count, made by running the bench
 * waitForUpdatesWorkflow on the real server and fetching the histories, replayed the same number of times.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { Worker } from '@temporalio/worker';
import { temporalDataConverter } from '../../../libs/temporal/src/connection.js';
import { describeCpu, meanCpu, measureCpu, type CpuUse } from '../cpu.js';
import { mapLimit, now } from '../load.js';
import { progress } from '../log.js';
import { round } from '../stats.js';
import type { Ctx, Scenario, ScenarioOutput } from '../types.js';
import { pingUpdate, waitForUpdatesWorkflow } from '../workflows.js';

type History = ReturnType<typeof historyFromJSON>;

interface Timed {
  replays: number;
  events: number;
  ms: number;
  eventsPerSecond: number;
  failures: string[];
}

/** Replays `items` in one replay worker; the first item only warms it up (not timed). */
async function timedReplay(codePath: string, name: string, warm: { workflowId: string; history: History }, items: { workflowId: string; history: History }[], dataConverter: DataConverter = {}): Promise<Timed> {
  const failures: string[] = [];
  const events = items.reduce((s, h) => s + (h.history.events?.length ?? 0), 0);
  let t0 = 0;
  let seen = 0;
  async function* source() {
    yield warm;
    for (const h of items) yield h;
  }
  for await (const r of Worker.runReplayHistories({ workflowBundle: { codePath }, replayName: name, dataConverter }, source())) {
    if (seen === 0) t0 = now();
    else if (r.error) failures.push(`${r.workflowId}: ${r.error.message}`);
    seen++;
  }
  const ms = now() - t0;
  return { replays: seen - 1, events, ms, eventsPerSecond: (events / ms) * 1000, failures };
}

function mergeTimed(parts: Timed[]): Timed {
  const events = parts.reduce((a, p) => a + p.events, 0);
  const ms = parts.reduce((a, p) => a + p.ms, 0);
  return { replays: parts.reduce((a, p) => a + p.replays, 0), events, ms, eventsPerSecond: (events / ms) * 1000, failures: parts.flatMap((p) => p.failures) };
}

export const replay: Scenario = {
  name: 'replay',
  title: 'stored histories replayed against the current bundle, vs synthetic update histories',
  byDefault: true,
  async run({ env, quick, signal }: Ctx): Promise<ScenarioOutput> {
    const dir = path.join(env.root, 'test', 'replay', 'histories');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    if (files.length === 0) throw new Error(`no histories in ${dir}`);
    const real = files.map((f) => ({ name: f.replace(/\.json$/, ''), history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))) as History }));
    const realEvents = real.map((h) => h.history.events?.length ?? 0);
    const avgEvents = realEvents.reduce((a, b) => a + b, 0) / real.length;
    const target = quick ? real.length : Math.max(real.length, Math.round(200 / real.length) * real.length);

    // Synthetic: waitForUpdatesWorkflow(n) gives ~5 events per update plus a few; pick n for the same average.
    const updates = Math.max(1, Math.round((avgEvents - 6) / 5));
    const distinct = quick ? 8 : 16;
    const taskQueue = await env.bareTaskQueue();
    progress(`replay: making ${distinct} synthetic histories (${updates} updates each) on the server`);
    const synthetic = await mapLimit(Array.from({ length: distinct }), 8, signal, async (_, i) => {
      const h = await env.client.workflow.start(waitForUpdatesWorkflow, { taskQueue, workflowId: `bench-replay-${env.runId}-${i}`, args: [updates] });
      for (let u = 0; u < updates; u++) await h.executeUpdate(pingUpdate);
      await h.result();
      return { name: `synthetic-${i}`, history: (await h.fetchHistory()) as History };
    });
    const synthEvents = synthetic.map((h) => h.history.events?.length ?? 0);

    const repeat = <T extends { name: string; history: History }>(src: T[]) =>
      Array.from({ length: target }, (_, i) => ({ workflowId: `${src[i % src.length].name}#${i}`, history: src[i % src.length].history }));
    const [candidateBundle, benchBundle] = await Promise.all([env.bundle('candidate'), env.bundle('bench')]);

    // Rounds alternate real and synthetic (each its own replay worker), so load drift hits both alike.
    const rounds = quick ? 1 : 2;
    const realItems = repeat(real);
    const synthItems = repeat(synthetic);
    const realParts: Timed[] = [];
    const synthParts: Timed[] = [];
    const realCpus: CpuUse[] = [];
    const synthCpus: CpuUse[] = [];
    for (let k = 0; k < rounds; k++) {
      const part = <T,>(xs: T[]) => xs.slice(Math.floor((k * xs.length) / rounds), Math.floor(((k + 1) * xs.length) / rounds));
      progress(`replay: round ${k + 1}/${rounds}: ${part(realItems).length} stored histories against the current candidate bundle`);
      const a = await measureCpu(env, () => timedReplay(candidateBundle, 'bench-replay-real', { workflowId: 'warm', history: real[0].history }, part(realItems)));
      realParts.push(a.result);
      realCpus.push(a.cpu);
      progress(`replay: round ${k + 1}/${rounds}: ${part(synthItems).length} synthetic histories against the bench bundle`);
      const b = await measureCpu(env, () => timedReplay(benchBundle, 'bench-replay-synthetic', { workflowId: 'warm', history: synthetic[0].history }, part(synthItems), temporalDataConverter(env.ketnapConfig(), { requireEncrypted: false })));
      synthParts.push(b.result);
      synthCpus.push(b.cpu);
    }
    const r = mergeTimed(realParts);
    const s = mergeTimed(synthParts);
    const realCpu = meanCpu(realCpus);
    const synthCpu = meanCpu(synthCpus);
    progress(`replay: real ${r.eventsPerSecond.toFixed(0)} events/s (${r.replays} replays, ${r.events} events, ${r.failures.length} failures); ${describeCpu(realCpu)}`);
    progress(`replay: synthetic ${s.eventsPerSecond.toFixed(0)} events/s (${s.replays} replays, ${s.events} events, ${s.failures.length} failures); ${describeCpu(synthCpu)}`);

    // Time per event, real over synthetic.
    const ratio = s.eventsPerSecond / r.eventsPerSecond;
    const perEventUs = (t: Timed) => (t.ms * 1000) / t.events;
    return {
      rows: [
        {
          scenario: 'replay',
          metric: `replay, ${r.replays} histories (${files.length} stored)${env.preloadedDomainModules().length ? '' : ' [EXPERIMENT: no preload]'}`,
          figure: `${r.eventsPerSecond.toFixed(0)} events/s (${perEventUs(r).toFixed(0)} µs/event, ${(r.ms / r.replays).toFixed(1)} ms/history)`,
          value: round(perEventUs(r), 1),
          unit: 'µs per event',
          baseline: `${s.eventsPerSecond.toFixed(0)} events/s (${perEventUs(s).toFixed(0)} µs/event, ${(s.ms / s.replays).toFixed(1)} ms/history) synthetic`,
          baselineValue: round(perEventUs(s), 1),
          ratio: round(ratio, 2),
          target: '≤ 1.5× per event',
          pass: ratio <= 1.5 && r.failures.length === 0 && s.failures.length === 0,
        },
      ],
      details: {
        storedHistories: files.length,
        rounds,
        preloadedDomainModules: env.preloadedDomainModules().length,
        realEvents: { avg: round(avgEvents), min: Math.min(...realEvents), max: Math.max(...realEvents) },
        syntheticEvents: { updatesPerWorkflow: updates, avg: round(synthEvents.reduce((a, b) => a + b, 0) / synthEvents.length), distinct },
        cpuCores: { real: realCpu, synthetic: synthCpu },
        real: { ...r, ms: round(r.ms), eventsPerSecond: round(r.eventsPerSecond), failures: r.failures.slice(0, 5) },
        synthetic: { ...s, ms: round(s.ms), eventsPerSecond: round(s.eventsPerSecond), failures: s.failures.slice(0, 5) },
      },
    };
  },
};

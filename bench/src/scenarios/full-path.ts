/**
 * full-path (scenario 4): candidates driven through every step of the regular path — the nine admission
 * steps, the new-member training, 12 months of probation on a durable timer, the four recognition steps —
 * with a fast business clock, a bounded number of cases in flight. Driven through the Temporal client
 * (the candidate workflow's updates, as test/support/case-driver.ts does, each answered after its
 * projection is written), not the API: the API's own cost per decision is scenario 2's subject, and
 * through HTTP this machine sustains ~20 decisions/s, which would make the scenario too long for the run.
 * Baseline: pathBaselineWorkflow with the same number of updates and one timer of the probation's real
 * duration, driven the same way. Then: every case must end `official`; history lengths (describe()).
 */
import pg from 'pg';
import { vnStartOfDayMs } from '../../../libs/domain/src/dates.js';
import type { TaskType } from '../../../libs/domain/src/procedure.js';
import type { BusinessClock } from '../../../libs/domain/src/clock.js';
import { describeCpu, measureCpu } from '../cpu.js';
import { ADMISSION_STEPS, RECOGNITION_STEPS } from '../decisions.js';
import { businessToday, decideStep, seedCandidates, startCase, type FastCase } from '../fast-cases.js';
import { delay, mapLimit } from '../load.js';
import { progress } from '../log.js';
import { round, summarize } from '../stats.js';
import type { Ctx, Scenario, ScenarioOutput } from '../types.js';
import { pathBaselineWorkflow, pingUpdate } from '../workflows.js';

/** 12 months of probation in ~10.5 real seconds; a statutory 60 working days in ~2.8 s. */
export const FULL_PATH_SPEED = 3_000_000;
/** Cases in flight at once (each with one update outstanding): the dev server's throughput falls beyond. */
const IN_FLIGHT = 16;
const BEFORE_PROBATION: TaskType[] = [...ADMISSION_STEPS, 'record_new_member_training'];
/** Updates per case: the sync after the start (as the API does), then every decision. */
const UPDATES_BEFORE = 1 + BEFORE_PROBATION.length;
const UPDATES_AFTER = RECOGNITION_STEPS.length;
const HISTORY_SAMPLE_MAX = 1_000;

/** Real epoch ms at which `clock` reaches the start of business date `date`. */
function realMsOf(clock: BusinessClock, date: string): number {
  return clock.anchorRealMs + (vnStartOfDayMs(date) - clock.anchorBusinessMs) / clock.speed;
}

export const fullPath: Scenario = {
  name: 'full-path',
  title: 'candidates through every step with a fast clock (Temporal client), vs bare workflows with the same updates and timer',
  byDefault: true,
  async run({ env, quick, smoke, full, signal }: Ctx): Promise<ScenarioOutput> {
    const n = full ? 10_000 : smoke ? 8 : quick ? 24 : 300;
    // --quick/--smoke: twice as fast (probation 5.3 s), so the timer does not dominate the short run.
    const speed = quick ? 2 * FULL_PATH_SPEED : FULL_PATH_SPEED;
    const probationMs = (365 * 86_400_000) / speed;
    await env.worker();
    const taskQueue = await env.bareTaskQueue();

    // ketnap: rows first (not timed), then the cases, IN_FLIGHT at a time, to the end of the new-member
    // training; then (their probation timers running meanwhile) the recognition steps.
    const now = Date.now();
    const clock: BusinessClock = { anchorRealMs: now, anchorBusinessMs: now, speed };
    const inputs = await seedCandidates(env, n, clock, businessToday(clock), signal);
    let failed = 0;
    let firstError: string | undefined;
    const fail = (e: unknown) => {
      failed++;
      firstError ??= (e as Error).message;
      return undefined;
    };
    progress(`full-path: ${n} cases, ${IN_FLIGHT} in flight, clock ×${speed} (probation ${(probationMs / 1000).toFixed(1)} s)`);
    const { result: sys, cpu: sysCpu } = await measureCpu(env, async () => {
      const t0 = Date.now();
      const started = await mapLimit(inputs, IN_FLIGHT, signal, async (input) => {
        try {
          const c = await startCase(env, input);
          for (const type of BEFORE_PROBATION) await decideStep(c, type, signal);
          return c;
        } catch (e) {
          return fail(e);
        }
      });
      const admittedMs = Date.now() - t0;
      progress(`full-path: ketnap admission path done in ${(admittedMs / 1000).toFixed(1)} s (${failed} failed)`);
      const cases = started.filter((c): c is FastCase => c !== undefined);
      await mapLimit(cases, IN_FLIGHT, signal, async (c) => {
        try {
          const endsOn = c.summary?.probationEndsOn;
          if (endsOn) await delay(realMsOf(clock, endsOn) - Date.now(), signal);
          for (const type of RECOGNITION_STEPS) await decideStep(c, type, signal, { timeoutMs: 120_000 });
        } catch (e) {
          fail(e);
        }
      });
      return { cases, wallMs: Date.now() - t0, admittedMs, updates: cases.reduce((s, c) => s + c.updates, 0) };
    });
    const sysRate = (sys.updates / sys.wallMs) * 1000;
    progress(`full-path: ketnap ${sys.updates} updates in ${(sys.wallMs / 1000).toFixed(1)} s = ${sysRate.toFixed(1)}/s; ${describeCpu(sysCpu)}`);

    // Baseline: the same shape on bare workflows.
    const { result: base, cpu: baseCpu } = await measureCpu(env, async () => {
      const t0 = Date.now();
      let updates = 0;
      const handles = await mapLimit(Array.from({ length: n }), IN_FLIGHT, signal, async (_, i) => {
        const h = await env.client.workflow.start(pathBaselineWorkflow, { taskQueue, workflowId: `bench-path-${env.runId}-${i}`, args: [UPDATES_BEFORE, probationMs, UPDATES_AFTER] });
        env.track(h.workflowId);
        for (let k = 0; k < UPDATES_BEFORE; k++, updates++) await h.executeUpdate(pingUpdate);
        return { h, timerEndsAt: Date.now() + probationMs };
      });
      const admittedMs = Date.now() - t0;
      await mapLimit(handles, IN_FLIGHT, signal, async ({ h, timerEndsAt }) => {
        await delay(timerEndsAt - Date.now(), signal);
        for (let k = 0; k < UPDATES_AFTER; k++, updates++) await h.executeUpdate(pingUpdate);
        await h.result();
      });
      return { wallMs: Date.now() - t0, admittedMs, updates, handles };
    });
    const baseRate = (base.updates / base.wallMs) * 1000;
    progress(`full-path: bare ${base.updates} updates in ${(base.wallMs / 1000).toFixed(1)} s = ${baseRate.toFixed(1)}/s; ${describeCpu(baseCpu)}`);

    // Every case official (read model), and history lengths (all, or a sample of HISTORY_SAMPLE_MAX).
    const ids = inputs.map((i) => i.candidateId);
    const db = new pg.Client({ connectionString: env.dbUrl });
    await db.connect();
    const statuses = await db
      .query(`SELECT status, count(*)::int AS n FROM candidates WHERE id = ANY($1::uuid[]) GROUP BY status`, [ids])
      .finally(() => db.end().catch(() => undefined));
    const byStatus = Object.fromEntries(statuses.rows.map((r) => [r.status as string, r.n as number]));
    const official = byStatus.official ?? 0;
    const step = Math.max(1, Math.ceil(sys.cases.length / HISTORY_SAMPLE_MAX));
    const lengths = await mapLimit(
      sys.cases.filter((_, i) => i % step === 0),
      8,
      signal,
      async (c) => Number((await c.handle.describe()).historyLength),
    );
    const bareLengths = await mapLimit(base.handles.slice(0, 20), 8, signal, async ({ h }) => Number((await h.describe()).historyLength));
    const hist = summarize(lengths);
    progress(`full-path: statuses ${JSON.stringify(byStatus)}; history length p50 ${hist.p50} max ${hist.max} (bare ${Math.max(...bareLengths)})`);

    const ratio = sysRate / baseRate;
    const perCase = UPDATES_BEFORE + UPDATES_AFTER;
    return {
      rows: [
        {
          scenario: 'full-path',
          metric: `steps/s, ${n} cases × ${perCase} updates, ${IN_FLIGHT} in flight, clock ×${speed / 1e6}M${full ? '' : ' (issue: 2,000; --full 10,000)'}`,
          figure: `${sysRate.toFixed(1)}/s (${(sys.wallMs / 1000).toFixed(0)} s)`,
          value: round(sysRate, 2),
          unit: 'updates per second',
          baseline: `${baseRate.toFixed(1)}/s bare (${(base.wallMs / 1000).toFixed(0)} s)`,
          baselineValue: round(baseRate, 2),
          ratio: round(ratio, 3),
          target: '≥ 0.4',
          pass: ratio >= 0.4 && failed === 0,
        },
        {
          scenario: 'full-path',
          metric: 'cases ending official',
          figure: `${official}/${n} official, ${failed} failed`,
          value: official,
          unit: 'cases',
          baseline: '—',
          baselineValue: NaN,
          ratio: NaN,
          target: 'all official',
          pass: official === n && failed === 0,
        },
        {
          scenario: 'full-path',
          metric: `history length, ${lengths.length} cases`,
          figure: `max ${hist.max} / p50 ${hist.p50} events`,
          value: hist.max,
          unit: 'events',
          baseline: `${Math.max(...bareLengths)} bare`,
          baselineValue: Math.max(...bareLengths),
          ratio: round(hist.max / Math.max(...bareLengths), 2),
          target: '< 1,000 events',
          pass: lengths.length > 0 && hist.max < 1_000,
        },
      ],
      details: {
        cases: n,
        inFlight: IN_FLIGHT,
        clockSpeed: speed,
        probationRealMs: round(probationMs),
        ketnap: { updates: sys.updates, wallMs: sys.wallMs, admissionPhaseMs: sys.admittedMs, perSecond: round(sysRate, 2), failed, firstError, cpuCores: sysCpu, statuses: byStatus },
        baseline: { updates: base.updates, wallMs: base.wallMs, admissionPhaseMs: base.admittedMs, perSecond: round(baseRate, 2), cpuCores: baseCpu, historyLength: bareLengths },
        historyLength: { sampled: lengths.length, p50: hist.p50, p95: hist.p95, max: hist.max },
      },
    };
  },
};

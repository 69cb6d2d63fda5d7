/**
 * cold-cases (issue 17): production-shaped load on cases that are not in the worker's cache. N open cases
 * (default 10,000) are seeded through the Temporal client (fast-cases.ts) and spread over the stages of the
 * admission path and probation, on a ketnap worker of this scenario's own whose cache holds at most 2% of
 * them (KETNAP_WORKER_CACHE_SIZE when set, else 2% of N), so nearly every decision and reminder lands on a
 * case the worker must replay first. Measures, through the API as scenario 2 does (POST
 * /api/tasks/:id/complete, then the next task in GET /api/tasks, found by the candidate's name):
 * - decisions at 10/s on warm cases (a small pool the worker keeps cached), then on cold ones (each case
 *   decided once, the least recently used first): cold p95 ≤ 2× warm and ≤ 500 ms;
 * - the morning run: 5% of N cases at the grassroots review whose reminder falls due at the same business
 *   hour (08:00), on a clock at speed 1, so the run is real time: every reminder delivered within 15 minutes
 *   while decisions on cold cases run at 10/s with p95 ≤ 1 s;
 * - the bench process's memory (RSS, heap), sampled every second: its growth per open case once the cache
 *   is full, against what a cached case costs (scenario 5: ~234 KiB).
 *
 * The morning cases' clock: business time runs at speed 1 but is anchored so that the grassroots review's
 * reminder point (55 working days before the due date, D + 5 working days at 08:00; D the date of every
 * decision of theirs, today's date) falls at a chosen real instant after the warm and cold rounds.
 *
 * The morning's reminders are spread as the product spreads them (KETNAP_REMINDER_SPREAD_MINUTES, pinned in each
 * case's input as `reminderSpreadSeconds`; the workflow shifts the case's 08:00 points by `spreadOffsetMs` of its
 * id): over the configured window scaled to the run's size, so that reminders arrive as densely as the default
 * window makes 5% of 10,000 cases arrive (quick: 60 s, smoke: 12 s, default: the window itself).
 * BENCH_REMINDER_SPREAD_MINUTES=m (fractions allowed, 0: all at the hour) overrides it.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { startWorker, type RunningWorker } from '../../../apps/worker/src/run-worker.js';
import { addWorkingDays } from '../../../libs/domain/src/calendar/index.js';
import type { BusinessClock } from '../../../libs/domain/src/clock.js';
import { DEADLINE_CLOCKS } from '../../../libs/domain/src/deadlines.js';
import { vnDateOf } from '../../../libs/domain/src/dates.js';
import type { TaskType } from '../../../libs/domain/src/procedure.js';
import { reminderPoints, type ReminderPolicy } from '../../../libs/domain/src/reminders.js';
import { ruleSetFor } from '../../../libs/domain/src/rule-sets.js';
import { digestScheduleId } from '../../../workflows/digest/digest.messages.js';
import { candidateWorkflowId, type TaskSnapshot } from '../../../workflows/candidate/candidate.messages.js';
import { describeCpu, measureCpu } from '../cpu.js';
import { decisionPhases, describePhases, meanPhases, type Phases } from '../history-profile.js';
import { ADMISSION_STEPS, validDecision } from '../decisions.js';
import type { BenchEnv, KetnapTree } from '../env.js';
import { decideStep, seedCandidates, startCase } from '../fast-cases.js';
import { delay, mapLimit, now, openLoop, type LoopResult } from '../load.js';
import { progress } from '../log.js';
import { fmtLat, round, summarize, type LatencySummary } from '../stats.js';
import type { Ctx, Row, Scenario, ScenarioOutput } from '../types.js';
import { nextTask, type TaskRef } from './decision-round-trip.js';

const RATE = 10;
/**
 * Cases seeded at once (each with one update outstanding), at most half the cache: a case evicted between
 * its updates replays its history for each of them (a first smoke run with 24 in flight on a cache of 4
 * seeded at 6 updates/s).
 */
const SEED_IN_FLIGHT = 24;
/** The worker's cache as a share of the open cases (issue 17: ≤ 2%), at least MIN_CACHE (the smoke size). */
const CACHE_SHARE = 0.02;
const MIN_CACHE = 16;
/** Decisions in flight at most: beyond it a decision is not sent and counts as an error (bounds a backlog). */
const MAX_DECISIONS_IN_FLIGHT = 300;
/** Warm cases at least: at 10/s each decision in flight needs a case of its own. */
const MIN_WARM_POOL = 6;
/** Cases whose reminder falls due in the morning run (issue 17: 5% of the open cases). */
const MORNING_SHARE = 0.05;
/** The morning run's bound (issue 17: every reminder delivered within 15 minutes). */
const MORNING_WINDOW_MS = 15 * 60_000;
/** What a cached case costs (scenario 5, BENCHMARKS.md §5): the memory target's yardstick. */
const CACHED_CASE_KIB = 234;
/** Memory bounded by the cache: each open case beyond it may cost at most this share of a cached case. */
const OPEN_CASE_SHARE = 0.1;
/** The stops of the seeded cases: k decisions along the path (k = 0 … 9: that step open; 10: in probation). */
const PATH: TaskType[] = [...ADMISSION_STEPS, 'record_new_member_training'];
/** To the grassroots review (the morning cases): the cell's resolution starts clock T3. */
const TO_REVIEW: TaskType[] = ADMISSION_STEPS.slice(0, ADMISSION_STEPS.indexOf('cell_admission_vote') + 1);
const MORNING_POLICY: ReminderPolicy = { beforeWorkingDays: [55], onDueDate: false, repeatEveryWorkingDays: 0, maxRepeats: 0 };

/** Decisions per round whose histories are split into phases (where a cold decision's time goes). */
const PROFILE_SAMPLES = 20;

/** Epoch-ms times of one decision, for the history profile. */
interface Timing {
  round: string;
  candidateId: string;
  taskId: string;
  sentAt: number;
  receivedAt: number;
}

/** What the bench keeps of a case: little, so that the process's memory is the worker's. */
interface OpenCase {
  id: string;
  /** A word of its name only this case has: the inbox read finds the next task by it. */
  token: string;
  next?: TaskRef;
}

interface MemorySample {
  atMs: number;
  phase: string;
  openCases: number;
  rssMiB: number;
  heapUsedMiB: number;
}

export const coldCases: Scenario = {
  name: 'cold-cases',
  title: '10,000 open cases, worker cache ≤ 2%: decisions on cold cases, the morning reminders, memory (issue 17)',
  byDefault: false,
  async run({ env, quick, smoke, signal }: Ctx): Promise<ScenarioOutput> {
    const n = smoke ? 200 : quick ? 1_000 : 10_000;
    const cacheSize = Number(process.env.KETNAP_WORKER_CACHE_SIZE ?? Math.max(MIN_CACHE, Math.floor(n * CACHE_SHARE)));
    const inFlight = Math.max(1, Math.min(SEED_IN_FLIGHT, Math.floor(cacheSize / 2)));
    const morningN = Math.ceil(n * MORNING_SHARE);
    const spreadMs = Math.round(
      process.env.BENCH_REMINDER_SPREAD_MINUTES !== undefined
        ? Number(process.env.BENCH_REMINDER_SPREAD_MINUTES) * 60_000
        : env.ketnapConfig().reminderSpreadSeconds * 1000 * (n / 10_000),
    );
    const warmCount = smoke ? 10 : quick ? 60 : 150;
    const coldCount = smoke ? 10 : quick ? 100 : 300;
    const warmPool = Math.max(MIN_WARM_POOL, Math.min(Math.ceil((warmCount + 3) / (PATH.length - 2)), Math.floor(cacheSize / 2)));
    // After the hour: decisions go on at least this long, and the hour falls this long after the expected rounds.
    const morningMinMs = smoke ? 5_000 : 20_000;
    const slackMs = smoke ? 15_000 : 40_000;
    const mainN = n - morningN - warmPool;
    const tree = await env.ketnap();
    const { anon } = await env.api();
    const today = (await anon.get('/api/clock')).body.today as string;
    const tag = randomUUID().slice(0, 6);

    // Memory of this process (API, both ketnap workers, the load generator) every second, with the open cases.
    const samples: MemorySample[] = [];
    let phase = 'start';
    let open = 0;
    const t0 = Date.now();
    const sample = () => {
      const m = process.memoryUsage();
      samples.push({ atMs: Date.now() - t0, phase, openCases: open, rssMiB: round(m.rss / 2 ** 20, 1), heapUsedMiB: round(m.heapUsed / 2 ** 20, 1) });
    };
    sample();
    const sampler = setInterval(sample, 1_000);

    // The scenario's own ketnap worker: its own task queue, its cache at 2% of the open cases.
    const base = env.ketnapConfig();
    const taskQueue = `bench-cold-${env.runId}-${process.pid}`;
    const config = { ...base, temporal: { ...base.temporal, taskQueue }, worker: { ...base.worker, maxCachedWorkflows: cacheSize } };
    progress(`cold-cases: ${n} open cases (${mainN} over ${PATH.length + 1} stops of the path, ${morningN} for the morning run, ${warmPool} warm); worker cache ${cacheSize} (${round((cacheSize / n) * 100, 2)}%) on ${taskQueue}`);
    let worker: RunningWorker | undefined = await startWorker(config, { identity: `bench-cold-${process.pid}` });
    const stopWorker = async () => {
      const w = worker;
      worker = undefined;
      await w?.stop();
    };
    env.defer('cold-cases worker', stopWorker);
    if (env.temporal.external) env.defer('cold-cases digest schedule', () => env.client.schedule.getHandle(digestScheduleId(taskQueue)).delete().catch(() => undefined));

    const db = new pg.Client({ connectionString: env.dbUrl });
    await db.connect();
    try {
      // 1. Seeding through the Temporal client, `inFlight` at a time: case i stops after i mod 11 decisions.
      phase = 'seeding';
      const speed1 = (): BusinessClock => ({ anchorRealMs: Date.now(), anchorBusinessMs: Date.now(), speed: 1 });
      const seed = async (label: string, count: number, stopsOf: (i: number) => number, from: number): Promise<{ cases: OpenCase[]; failed: number; firstError?: string; updates: number; ms: number }> => {
        const inputs = await seedCandidates(env, count, speed1(), today, signal);
        let done = 0;
        let failed = 0;
        let updates = 0;
        let firstError: string | undefined;
        const s0 = now();
        let lastReport = s0;
        const cases = await mapLimit(inputs, inFlight, signal, async (input, i): Promise<OpenCase | undefined> => {
          const token = `q${tag}x${String(from + i).padStart(6, '0')}`;
          try {
            const c = await startCase(env, { ...input, fullName: `Trần Văn Lạnh ${token}` }, taskQueue);
            env.track(c.handle.workflowId);
            for (const type of PATH.slice(0, stopsOf(i))) await decideStep(c, type, signal);
            updates += c.updates;
            return { id: input.candidateId, token, next: refOf(c.summary?.openTasks, today) };
          } catch (e) {
            failed++;
            firstError ??= (e as Error).message;
            return undefined;
          } finally {
            done++;
            open++;
            if (now() - lastReport > 10_000 || done === count) {
              lastReport = now();
              const s = (now() - s0) / 1000;
              progress(`cold-cases: ${label}: ${done}/${count} seeded in ${s.toFixed(0)} s (${(done / s).toFixed(1)} cases/s, ${(updates / s).toFixed(0)} updates/s${failed ? `, ${failed} failed` : ''}), ETA ${(((count - done) * s) / Math.max(1, done)).toFixed(0)} s; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
            }
          }
        });
        return { cases: cases.filter((c): c is OpenCase => c !== undefined), failed, firstError, updates, ms: now() - s0 };
      };
      const main = await seed('spread over the stages', mainN, (i) => i % (PATH.length + 1), 0);
      const seedRate = main.updates / (main.ms / 1000);

      // 2. The morning cases, at the grassroots review, their reminder due at one instant after the rounds.
      const dayD = vnDateOf(Date.now());
      const due = addWorkingDays(dayD, DEADLINE_CLOCKS.T3.days(ruleSetFor(dayD)));
      const hourBusinessMs = reminderPoints(due, MORNING_POLICY).find((p) => p.kind === 'before_due')!.atMs;
      const expectedMs = (((morningN * (TO_REVIEW.length + 1) + warmPool) / seedRate) * 1.3 + (warmCount + coldCount + 3) / RATE) * 1000 + slackMs;
      const anchorRealMs = Date.now();
      const hourRealMs = anchorRealMs + expectedMs;
      const morningClock: BusinessClock = { anchorRealMs, anchorBusinessMs: hourBusinessMs - expectedMs, speed: 1 };
      progress(`cold-cases: ${morningN} morning cases to the grassroots review (decisions dated ${dayD}, due ${due}); their reminders fall due in ${(expectedMs / 1000).toFixed(0)} s${spreadMs ? `, spread over ${spreadMs / 1000} s by the workflow (reminderSpreadSeconds)` : ''}`);
      const morningInputs = (await seedCandidates(env, morningN, morningClock, dayD, signal)).map((i) => ({
        ...i,
        reminders: MORNING_POLICY,
        clock: morningClock,
        ...(spreadMs ? { reminderSpreadSeconds: spreadMs / 1000 } : {}),
      }));
      const m0 = now();
      let morningFailed = 0;
      let morningError: string | undefined;
      const morning = (
        await mapLimit(morningInputs, inFlight, signal, async (input) => {
          try {
            const c = await startCase(env, input, taskQueue);
            env.track(c.handle.workflowId);
            for (const type of TO_REVIEW) await decideStep(c, type, signal, { date: dayD });
            return input.candidateId;
          } catch (e) {
            morningFailed++;
            morningError ??= (e as Error).message;
            return undefined;
          } finally {
            open++;
          }
        })
      ).filter((id): id is string => id !== undefined);
      progress(`cold-cases: ${morning.length} morning cases ready in ${((now() - m0) / 1000).toFixed(0)} s (${morningFailed} failed${morningError ? `: ${morningError}` : ''})`);

      // 3. The warm pool last: these cases are the cache's newest.
      const warm = await seed('warm pool', warmPool, () => 0, mainN);
      const seedingMs = Date.now() - t0;
      const failed = main.failed + morningFailed + warm.failed;
      progress(`cold-cases: ${open} open cases seeded in ${(seedingMs / 1000).toFixed(0)} s (${failed} failed${main.firstError ? `: ${main.firstError}` : ''})`);

      // 4. Decisions at 10/s through the API: warm (the pool, cycled), then cold (the coldest cases first).
      const timings: Timing[] = [];
      const decide = decider(tree, today, () => phase, (t) => timings.push(t));
      const warmQueue = warm.cases.filter((c) => c.next);
      let inFlightDecisions = 0;
      const fromQueue = (q: OpenCase[]) => async (_i: number, at: number) => {
        if (inFlightDecisions >= MAX_DECISIONS_IN_FLIGHT) throw new Error(`${MAX_DECISIONS_IN_FLIGHT} decisions in flight: not sent`);
        const c = q.shift();
        if (!c) throw new Error('no case with a decidable task (pool too small)');
        inFlightDecisions++;
        try {
          const ms = await decide(c, at);
          if (c.next) q.push(c);
          return ms;
        } finally {
          inFlightDecisions--;
        }
      };
      for (let i = 0; i < 3; i++) await fromQueue(warmQueue)(i, now());
      phase = 'warm decisions';
      progress(`cold-cases: ${warmCount} decisions at ${RATE}/s on ${warmQueue.length} warm cases`);
      const warmRun = await measureCpu(env, () => openLoop({ rate: RATE, count: warmCount, signal, op: fromQueue(warmQueue) }));
      const warmLat = summarize(warmRun.result.latencies);
      progress(`cold-cases: warm ${fmtLat(warmLat)} (${warmRun.result.errors} errors${warmRun.result.firstError ? `: ${warmRun.result.firstError}` : ''}); ${describeCpu(warmRun.cpu)}`);

      phase = 'cold decisions';
      const coldQueue = main.cases.filter((c) => c.next);
      progress(`cold-cases: ${coldCount} decisions at ${RATE}/s on cold cases (${coldQueue.length} decidable)`);
      const coldRun = await measureCpu(env, () => openLoop({ rate: RATE, count: coldCount, signal, op: fromQueue(coldQueue) }));
      const coldLat = summarize(coldRun.result.latencies);
      progress(`cold-cases: cold ${fmtLat(coldLat)} (${coldRun.result.errors} errors${coldRun.result.firstError ? `: ${coldRun.result.firstError}` : ''}); ${describeCpu(coldRun.cpu)}`);

      // 5. The morning run: decisions on cold cases at 10/s from 2 s before the hour until every reminder is
      // recorded (at least 20 s after the hour, 5 s in --smoke; at most 15 minutes and 30 s).
      const valid = Date.now() < hourRealMs - 2_000;
      if (!valid) progress(`cold-cases: the rounds ran ${((Date.now() - hourRealMs) / 1000).toFixed(0)} s past the morning's hour: INVALID`);
      await delay(hourRealMs - 2_000 - Date.now(), signal);
      phase = 'morning run';
      const key = `${due}:before:55`;
      let drain = { count: 0, firstAt: NaN, lastAt: NaN };
      let drained = false;
      const endMs = hourRealMs + MORNING_WINDOW_MS + 30_000;
      progress(`cold-cases: the morning run: ${morning.length} reminders due at ${new Date(hourRealMs).toISOString()}, decisions at ${RATE}/s on cold cases`);
      const poll = (async () => {
        let lastReport = 0;
        while (!signal.aborted && Date.now() < endMs) {
          const r = await db.query(
            `SELECT count(*)::int AS n, extract(epoch FROM min(recorded_at)) * 1000 AS first, extract(epoch FROM max(recorded_at)) * 1000 AS last
               FROM candidate_events WHERE type = 'reminder_sent' AND candidate_id = ANY($1::uuid[]) AND data->>'key' = $2`,
            [morning, key],
          );
          drain = { count: r.rows[0].n, firstAt: Number(r.rows[0].first), lastAt: Number(r.rows[0].last) };
          if (Date.now() - lastReport > 10_000) {
            lastReport = Date.now();
            progress(`cold-cases: morning run: ${drain.count}/${morning.length} reminders recorded`);
          }
          if (drain.count >= morning.length) break;
          await delay(500, signal);
        }
        drained = true;
      })();
      const morningRun = await measureCpu(env, async () => {
        const [loop] = await Promise.all([
          openLoop({ rate: RATE, count: Math.ceil(((endMs - Date.now()) / 1000) * RATE), signal, until: () => drained && Date.now() > hourRealMs + morningMinMs, op: fromQueue(coldQueue) }),
          poll,
        ]);
        return loop;
      });
      const morningLat = summarize(morningRun.result.latencies);
      const drainS = (drain.lastAt - hourRealMs) / 1000;
      progress(`cold-cases: ${drain.count}/${morning.length} reminders recorded, the last ${drainS.toFixed(1)} s after the hour (first ${((drain.firstAt - hourRealMs) / 1000).toFixed(1)} s)`);
      progress(`cold-cases: decisions during the morning run ${fmtLat(morningLat)} (${morningRun.result.errors} errors${morningRun.result.firstError ? `: ${morningRun.result.firstError}` : ''}); ${describeCpu(morningRun.cpu)}`);
      phase = 'end';
      sample();

      // Where a decision's time goes, warm and cold: a sample of each round, split by its workflow history.
      const profile: Record<string, Record<string, number>> = {};
      for (const round of ['warm decisions', 'cold decisions', 'morning run']) {
        const xs = timings.filter((t) => t.round === round);
        const pick = xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / PROFILE_SAMPLES)) === 0).slice(0, PROFILE_SAMPLES);
        const ps = await mapLimit(pick, 4, signal, async (t) =>
          decisionPhases((await env.client.workflow.getHandle(candidateWorkflowId(t.candidateId)).fetchHistory()).events ?? [], t.taskId, t.sentAt, t.receivedAt),
        );
        profile[round] = meanPhases(ps.filter((p): p is Phases => p !== undefined));
        progress(`cold-cases: ${round}, a decision (mean of ${profile[round].samples ?? ps.length}, ms): ${describePhases(profile[round])}`);
      }

      // 6. Memory: RSS against the open cases while the seeding grew them past the cache, from a quarter of
      // the cases on (the cache long full). Least squares over the lowest reading of each tenth of that range:
      // the heap between collections would otherwise swamp the growth (a smoke run's raw slope swung from
      // −994 to +494 KiB per case).
      const seeding = samples.filter((s) => s.phase === 'seeding' && s.openCases >= Math.max(2 * cacheSize, n / 4));
      const floors = lowestPerBucket(seeding, 10);
      const slopeKiB = slope(floors.map((s) => [s.openCases, s.rssMiB * 1024]));
      const heapSlopeKiB = slope(floors.map((s) => [s.openCases, s.heapUsedMiB * 1024]));
      const maxRss = Math.max(...samples.map((s) => s.rssMiB));
      const maxHeap = Math.max(...samples.map((s) => s.heapUsedMiB));
      const first = seeding[0];
      const last = seeding[seeding.length - 1];
      progress(`cold-cases: RSS ${first?.rssMiB} → ${last?.rssMiB} MiB while the open cases grew ${first?.openCases} → ${last?.openCases}: ${slopeKiB.toFixed(1)} KiB per open case (heap ${heapSlopeKiB.toFixed(1)}); max RSS ${maxRss} MiB, max heap ${maxHeap} MiB`);

      const invalid = valid ? '' : ', INVALID: the rounds overran the hour';
      const ratio = coldLat.p95 / warmLat.p95;
      const errors = (l: LoopResult) => (l.errors ? `, ${l.errors} errors` : '');
      const rows: Row[] = [
        {
          scenario: 'cold-cases',
          metric: `seeding ${n} open cases through the Temporal client (${inFlight} in flight)`,
          figure: `${(seedingMs / 1000).toFixed(0)} s (${main.updates + warm.updates + morning.length * (TO_REVIEW.length + 1)} updates, ${seedRate.toFixed(0)}/s; ${failed} failed)`,
          value: round(seedingMs / 1000, 0),
          unit: 's',
          baseline: '—',
          baselineValue: NaN,
          ratio: NaN,
          target: '(info)',
          pass: null,
        },
        {
          scenario: 'cold-cases',
          metric: `decision → inbox @ ${RATE}/s on cold cases (n=${coldLat.count}), cache ${cacheSize} of ${n}`,
          figure: `${fmtLat(coldLat)}${errors(coldRun.result)}`,
          value: round(coldLat.p95, 1),
          unit: 'ms (p95)',
          baseline: `${fmtLat(warmLat)} warm${errors(warmRun.result)}`,
          baselineValue: round(warmLat.p95, 1),
          ratio: round(ratio, 2),
          target: 'p95 ≤ 2× warm and ≤ 500 ms',
          pass: ratio <= 2 && coldLat.p95 <= 500 && coldRun.result.errors === 0 && warmRun.result.errors === 0 && coldLat.count === coldCount,
        },
        {
          scenario: 'cold-cases',
          metric: `the morning run: ${morning.length} reminders due at one hour (${MORNING_SHARE * 100}% of ${n})${spreadMs ? `, spread over ${spreadMs / 1000} s` : ''}`,
          figure: `${drain.count}/${morning.length} delivered, the last ${drainS.toFixed(1)} s after the hour${invalid}`,
          value: round(drainS, 1),
          unit: 's',
          baseline: '—',
          baselineValue: NaN,
          ratio: NaN,
          target: 'all within 15 min',
          pass: valid && morningFailed === 0 && drain.count === morning.length && drainS * 1000 <= MORNING_WINDOW_MS,
        },
        {
          scenario: 'cold-cases',
          metric: `decision → inbox @ ${RATE}/s on cold cases during the morning run (n=${morningLat.count})${spreadMs ? `, reminders spread over ${spreadMs / 1000} s` : ''}`,
          figure: `${fmtLat(morningLat)}${errors(morningRun.result)}${invalid}`,
          value: round(morningLat.p95, 1),
          unit: 'ms (p95)',
          baseline: `${fmtLat(coldLat)} cold, before it`,
          baselineValue: round(coldLat.p95, 1),
          ratio: round(morningLat.p95 / coldLat.p95, 2),
          target: 'p95 ≤ 1 s',
          pass: valid && morningLat.p95 <= 1_000 && morningRun.result.errors === 0,
        },
        {
          scenario: 'cold-cases',
          metric: `bench process RSS per open case beyond the cache (${first?.openCases ?? '—'} → ${last?.openCases ?? '—'} open, cache ${cacheSize})`,
          figure: `${slopeKiB.toFixed(1)} KiB/case (RSS ${first?.rssMiB} → ${last?.rssMiB} MiB, max ${maxRss}; heap max ${maxHeap} MiB)`,
          value: round(slopeKiB, 1),
          unit: 'KiB per open case',
          baseline: `${CACHED_CASE_KIB} KiB per cached case (§5)`,
          baselineValue: CACHED_CASE_KIB,
          ratio: round(slopeKiB / CACHED_CASE_KIB, 3),
          target: `≤ ${OPEN_CASE_SHARE}× a cached case`,
          pass: floors.length >= 3 ? slopeKiB <= OPEN_CASE_SHARE * CACHED_CASE_KIB : null,
        },
      ];
      return {
        rows,
        details: {
          openCases: n,
          cacheSize,
          cacheShare: round(cacheSize / n, 4),
          taskQueue,
          seeding: {
            inFlight,
            ms: seedingMs,
            updatesPerSecond: round(seedRate, 1),
            main: { cases: main.cases.length, failed: main.failed, firstError: main.firstError, ms: round(main.ms) },
            morning: { cases: morning.length, failed: morningFailed, firstError: morningError },
            warm: { cases: warm.cases.length, failed: warm.failed, firstError: warm.firstError },
            stops: PATH.length + 1,
          },
          profileMs: profile,
          warm: { latencyMs: roundLat(warmLat), errors: warmRun.result.errors, firstError: warmRun.result.firstError, cpuCores: warmRun.cpu, pool: warmQueue.length },
          cold: { latencyMs: roundLat(coldLat), errors: coldRun.result.errors, firstError: coldRun.result.firstError, cpuCores: coldRun.cpu },
          morning: {
            valid,
            spreadMs,
            reminderKey: key,
            businessDate: dayD,
            dueDate: due,
            drain: { count: drain.count, firstAfterMs: round(drain.firstAt - hourRealMs), lastAfterMs: round(drain.lastAt - hourRealMs) },
            decisions: { latencyMs: roundLat(morningLat), errors: morningRun.result.errors, firstError: morningRun.result.firstError, cpuCores: morningRun.cpu },
          },
          memory: { floors, slopeKiBPerOpenCase: round(slopeKiB, 2), heapSlopeKiBPerOpenCase: round(heapSlopeKiB, 2), maxRssMiB: maxRss, maxHeapUsedMiB: maxHeap, samples: thin(samples, 400) },
        },
      };
    } finally {
      clearInterval(sampler);
      await db.end().catch(() => undefined);
      await stopWorker();
    }
  },
};

/** The next decidable task of a case, from its summary's open tasks. */
function refOf(openTasks: TaskSnapshot[] | undefined, today: string): TaskRef | undefined {
  return nextTask(openTasks as unknown as TaskRef[] | undefined, today);
}

/**
 * Scenario 2's round trip on one case: the decision by the approver whose role the task needs, then the next
 * task in its approver's inbox, searched by the case's own token (thousands of open tasks share the units).
 */
function decider(tree: KetnapTree, today: string, roundNow: () => string, record: (t: Timing) => void): (c: OpenCase, scheduledAt: number) => Promise<number> {
  return async (c, scheduledAt) => {
    const task = c.next!;
    c.next = undefined;
    const sentAt = Date.now();
    const round = roundNow();
    const r = await tree.users[task.role].post(`/api/tasks/${task.id}/complete`, validDecision(task.type, today), { 'idempotency-key': randomUUID() });
    if (r.status !== 200) throw new Error(`complete ${task.type}: ${r.status} ${JSON.stringify(r.body)}`);
    record({ round, candidateId: c.id, taskId: task.id, sentAt, receivedAt: Date.now() });
    const opened: TaskRef[] = (r.body.openTasks ?? []).filter((t: TaskRef) => t.id !== task.id);
    const target = opened[0];
    if (target) {
      const deadline = now() + 5_000;
      for (;;) {
        const g = await tree.users[target.role].get(`/api/tasks?type=${target.type}&search=${c.token}&limit=50`);
        if (g.status === 200 && g.body.items.some((t: { id: string }) => t.id === target.id)) break;
        if (now() > deadline) throw new Error(`${target.type} not in the inbox 5 s after the decision`);
        await delay(10);
      }
    }
    c.next = nextTask(opened, today);
    return now() - scheduledAt;
  };
}

/** Per tenth (`buckets`) of the samples' range of open cases, the sample with the lowest RSS and the lowest heap. */
function lowestPerBucket(xs: MemorySample[], buckets: number): MemorySample[] {
  if (xs.length === 0) return [];
  const lo = xs[0].openCases;
  const width = Math.max(1, (xs[xs.length - 1].openCases - lo + 1) / buckets);
  const out = new Map<number, MemorySample>();
  for (const x of xs) {
    const b = Math.min(buckets - 1, Math.floor((x.openCases - lo) / width));
    const m = out.get(b);
    out.set(b, m ? { ...m, openCases: Math.min(m.openCases, x.openCases), rssMiB: Math.min(m.rssMiB, x.rssMiB), heapUsedMiB: Math.min(m.heapUsedMiB, x.heapUsedMiB) } : x);
  }
  return [...out.values()];
}

/** Least-squares slope of y on x; NaN with fewer than two distinct x. */
function slope(points: [number, number][]): number {
  if (points.length < 2) return NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / points.length;
  const my = points.reduce((s, [, y]) => s + y, 0) / points.length;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? NaN : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}

/** At most `max` of the samples, evenly spaced, the last one kept. */
function thin<T>(xs: T[], max: number): T[] {
  if (xs.length <= max) return xs;
  const step = xs.length / max;
  return [...Array.from({ length: max - 1 }, (_, i) => xs[Math.floor(i * step)]), xs[xs.length - 1]];
}

function roundLat(l: LatencySummary): Record<string, number> {
  return Object.fromEntries(Object.entries(l).map(([k, v]) => [k, round(v, 2)]));
}

/**
 * decision-round-trip: POST /api/tasks/:id/complete → the next task visible in GET /api/tasks, at 1, 5 and
 * 10 decisions/s offered (open loop, bounded count), latency measured from the scheduled send time.
 * Baseline: executeUpdate of a no-op update on the bare waiting workflow, same rates and counts.
 * Afterwards every case's history is read back: each accepted decision must be recorded exactly once.
 * Also scenario 8, projection-lag: workflow event → read-model row for the events made at 10/s.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { TaskType } from '../../../libs/domain/src/procedure.js';
import { candidateWorkflowId } from '../../../workflows/candidate/candidate.messages.js';
import { validDecision } from '../decisions.js';
import type { KetnapTree } from '../env.js';
import type { Api } from '../http.js';
import { describeCpu, measureCpu } from '../cpu.js';
import { decisionPhases, describePhases, meanPhases, updatePhases, type Phases } from '../history-profile.js';
import { delay, mapLimit, now, openLoop } from '../load.js';
import { progress } from '../log.js';
import { fmtLat, round, summarize, type LatencySummary } from '../stats.js';
import type { Ctx, Row, Scenario, ScenarioOutput } from '../types.js';
import { pingUpdate, waitForUpdatesWorkflow } from '../workflows.js';
import { candidateBody } from './case-starts.js';

const RATES = [1, 5, 10];
/** The rate whose events projection-lag (scenario 8) measures. */
const LAG_RATE = 10;
const DECIDABLE = new Set<string>([
  'recognize_sympathiser',
  'record_training_certificate',
  'submit_application',
  'verify_background',
  'record_introductions',
  'cell_admission_vote',
  'grassroots_admission_review',
  'superior_admission_decision',
  'admission_ceremony',
  'record_new_member_training',
]);
/** Decisions one case offers at business speed 1 (the admission path, then the new-member training). */
const DECISIONS_PER_CASE = 10;

export interface TaskRef {
  id: string;
  type: TaskType;
  role: keyof KetnapTree['users'];
  notBefore?: string;
  status?: string;
}

/** Epoch-ms times of one measured operation, for the history profile. */
interface Timing {
  rate: number;
  workflowId: string;
  /** taskId (ketnap) or updateId (bare). */
  key: string;
  sentAt: number;
  receivedAt: number;
  visibleAt?: number;
}

const PROFILE_SAMPLES = 20;

interface Case {
  id: string;
  next?: TaskRef;
  accepted: number;
}

export function nextTask(openTasks: TaskRef[] | undefined, today: string, except?: string): TaskRef | undefined {
  return (openTasks ?? []).find((t) => t.id !== except && (t.status ?? 'open') === 'open' && DECIDABLE.has(t.type) && (!t.notBefore || t.notBefore <= today));
}

export const decisionRoundTrip: Scenario = {
  name: 'decision-round-trip',
  title: 'decision → next task in the inbox, open loop at 1/5/10 per second, vs bare executeUpdate',
  byDefault: true,
  async run({ env, quick, smoke, signal }: Ctx): Promise<ScenarioOutput> {
    const countFor = (rate: number) => (smoke ? rate : quick ? Math.min(30, rate * 5) : Math.min(150, rate * 30));
    const total = RATES.reduce((s, r) => s + countFor(r), 0);

    // ketnap: enough cases that a ready one is always there (each offers ~10 decisions at speed 1).
    const tree = await env.ketnap();
    const { anon } = await env.api();
    const today = (await anon.get('/api/clock')).body.today as string;
    const poolSize = Math.ceil(total / (DECISIONS_PER_CASE - 2)) + 6;
    progress(`decision-round-trip: creating ${poolSize} cases for ${total} decisions`);
    const cases: Case[] = await mapLimit(Array.from({ length: poolSize }), 4, signal, async (_, i) => {
      const r = await tree.users.cell_secretary.post('/api/candidates', candidateBody(tree.units.cell, today, 100_000 + i));
      if (r.status !== 201) throw new Error(`POST /api/candidates: ${r.status} ${JSON.stringify(r.body)}`);
      env.track(candidateWorkflowId(r.body.id));
      return { id: r.body.id, next: nextTask(r.body.openTasks, today), accepted: 0 };
    });
    const ready: Case[] = cases.filter((c) => c.next);
    let refused = 0;
    let notVisible = 0;
    let extraReads = 0;
    let noReadyCase = 0;
    const postMs: number[] = [];
    const records: Timing[] = [];
    let currentRate = 0;

    const decide = async (scheduledAt: number): Promise<number> => {
      const c = ready.shift();
      if (!c) {
        noReadyCase++;
        throw new Error('no case with a decidable task (pool too small)');
      }
      const task = c.next!;
      const rec: Timing = { rate: currentRate, workflowId: candidateWorkflowId(c.id), key: task.id, sentAt: Date.now(), receivedAt: 0 };
      const r = await tree.users[task.role].post(`/api/tasks/${task.id}/complete`, validDecision(task.type, today), { 'idempotency-key': randomUUID() });
      postMs.push(now() - scheduledAt);
      rec.receivedAt = Date.now();
      if (r.status !== 200) {
        refused++;
        throw new Error(`complete ${task.type}: ${r.status} ${JSON.stringify(r.body)}`);
      }
      c.accepted++;
      const opened: TaskRef[] = (r.body.openTasks ?? []).filter((t: TaskRef) => t.id !== task.id);
      const target = opened[0];
      let ms = now() - scheduledAt;
      if (target) {
        // The next task must be in its approver's inbox; the API promises it already is when it answers.
        const inbox = tree.users[target.role] as Api;
        const deadline = now() + 5_000;
        let reads = 0;
        for (;;) {
          const g = await inbox.get(`/api/tasks?type=${target.type}&limit=500`);
          reads++;
          if (g.status === 200 && g.body.items.some((t: { id: string }) => t.id === target.id)) break;
          if (now() > deadline) {
            notVisible++;
            throw new Error(`${target.type} of ${c.id} not in the inbox 5 s after the decision`);
          }
          await delay(10);
        }
        extraReads += reads - 1;
        ms = now() - scheduledAt;
        rec.visibleAt = Date.now();
      }
      if (currentRate) records.push(rec);
      c.next = nextTask(opened, today);
      if (c.next) ready.push(c);
      return ms;
    };

    // Baseline: a pool of bare waiting workflows, one update in flight per workflow at a time.
    const taskQueue = await env.bareTaskQueue();
    const bareHandles = await mapLimit(Array.from({ length: 20 }), 10, signal, (_, i) =>
      env.client.workflow.start(waitForUpdatesWorkflow, { taskQueue, workflowId: `bench-wait-rt-${env.runId}-${i}`, args: [1_000_000] }),
    );
    for (const h of bareHandles) env.track(h.workflowId);
    const bareReady = [...bareHandles];
    for (const h of bareHandles) await h.executeUpdate(pingUpdate); // warm: first task done, cached
    let updates = 0;
    const bareUpdate = async (scheduledAt: number): Promise<number> => {
      const h = bareReady.shift();
      if (!h) throw new Error('no idle bare workflow');
      try {
        const updateId = `bench-ping-${updates++}`;
        const sentAt = Date.now();
        await h.executeUpdate(pingUpdate, { updateId });
        records.push({ rate: -currentRate, workflowId: h.workflowId, key: updateId, sentAt, receivedAt: Date.now() });
      } finally {
        bareReady.push(h);
      }
      return now() - scheduledAt;
    };

    // A few unmeasured decisions first (JIT, connection pools).
    for (let i = 0; i < 3; i++) await decide(now());

    const rows: Row[] = [];
    const perRate: Record<string, unknown> = {};
    let lagWindow: { from: Date; to: Date } | undefined;
    for (const rate of RATES) {
      const count = countFor(rate);
      currentRate = rate;
      progress(`decision-round-trip: ${rate}/s × ${count}, baseline (bare executeUpdate)`);
      const { result: base, cpu: baseCpu } = await measureCpu(env, () => openLoop({ rate, count, signal, op: (_i, at) => bareUpdate(at) }));
      progress(`decision-round-trip: ${rate}/s × ${count}, ketnap`);
      const postsBefore = postMs.length;
      const loopStart = new Date();
      const { result: sys, cpu: sysCpu } = await measureCpu(env, () => openLoop({ rate, count, signal, op: (_i, at) => decide(at) }));
      if (rate === LAG_RATE) lagWindow = { from: loopStart, to: new Date() };
      const b = summarize(base.latencies);
      const s = summarize(sys.latencies);
      const p = summarize(postMs.slice(postsBefore));
      progress(`decision-round-trip: ${rate}/s ketnap ${fmtLat(s)} (${sys.errors} errors), bare ${fmtLat(b)}`);
      progress(`decision-round-trip: ${rate}/s ketnap ${describeCpu(sysCpu)}; bare ${describeCpu(baseCpu)}`);
      const ratio = s.p95 / b.p95;
      const targeted = rate === 10;
      rows.push({
        scenario: 'decision-round-trip',
        metric: `decision → inbox @ ${rate}/s (n=${s.count})`,
        figure: fmtLat(s),
        value: round(s.p95, 1),
        unit: 'ms (p95)',
        baseline: fmtLat(b),
        baselineValue: round(b.p95, 1),
        ratio: round(ratio, 2),
        target: targeted ? 'p95 ≤ 2× and ≤ 500 ms' : '(info)',
        pass: targeted ? ratio <= 2 && s.p95 <= 500 && sys.errors === 0 && s.count === count : null,
      });
      perRate[`${rate}/s`] = {
        offered: count,
        ketnap: { completed: s.count, errors: sys.errors, firstError: sys.firstError, latencyMs: roundLat(s), postOnlyMs: roundLat(p), maxLateStartMs: round(sys.lateStartsMs), cpuCores: sysCpu },
        baseline: { completed: b.count, errors: base.errors, firstError: base.firstError, latencyMs: roundLat(b), maxLateStartMs: round(base.lateStartsMs), cpuCores: baseCpu },
      };
    }

    // Scenario 8, projection lag: every business event the workflows produced while decisions arrived at
    // 10/s, from the workflow's own time of the event (candidate_events.at: the start of the workflow task
    // that made it) to the read-model row (recorded_at: the start of the projection's transaction).
    const lag = lagWindow ? await projectionLag(env.dbUrl, cases.map((c) => c.id), lagWindow) : [];
    const lagSummary = summarize(lag);
    progress(`projection-lag: ${lag.length} events during ${LAG_RATE}/s: ${fmtLat(lagSummary)}`);
    rows.push({
      scenario: 'projection-lag',
      metric: `workflow event → read-model row, decisions at ${LAG_RATE}/s (n=${lag.length} events)`,
      figure: fmtLat(lagSummary),
      value: round(lagSummary.p95, 1),
      unit: 'ms (p95)',
      baseline: '—',
      baselineValue: NaN,
      ratio: NaN,
      target: 'p95 ≤ 200 ms',
      pass: lag.length > 0 && lagSummary.p95 <= 200,
    });

    // Where the time goes: a sample of decisions per rate, split by phase from the workflow histories.
    progress('decision-round-trip: profiling a sample of decisions from their histories');
    const histories = new Map<string, Promise<Parameters<typeof decisionPhases>[0]>>();
    const historyOf = (workflowId: string) => {
      let h = histories.get(workflowId);
      if (!h) histories.set(workflowId, (h = env.client.workflow.getHandle(workflowId).fetchHistory().then((x) => x.events ?? [])));
      return h;
    };
    const profiles: { [rate: string]: { ketnap: { [k: string]: number }; baseline: { [k: string]: number } } } = {};
    for (const rate of RATES) {
      const pick = (xs: Timing[]) => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / PROFILE_SAMPLES)) === 0).slice(0, PROFILE_SAMPLES);
      const sys = await mapLimit(pick(records.filter((r) => r.rate === rate)), 4, signal, async (r) => {
        const p = decisionPhases(await historyOf(r.workflowId), r.key, r.sentAt, r.receivedAt);
        return p ? { ...p, inboxReadMs: r.visibleAt ? r.visibleAt - r.receivedAt : 0 } : undefined;
      });
      const base = await mapLimit(pick(records.filter((r) => r.rate === -rate)), 4, signal, async (r) =>
        updatePhases(await historyOf(r.workflowId), (a) => a.acceptedRequest?.meta?.updateId === r.key, r.sentAt, r.receivedAt),
      );
      const m = meanPhases(sys.filter((p): p is Phases & { inboxReadMs: number } => p !== undefined));
      const inbox = sys.filter((p) => p).map((p) => p!.inboxReadMs);
      m.inboxReadMs = inbox.length ? round(inbox.reduce((a, b) => a + b, 0) / inbox.length, 1) : NaN;
      profiles[`${rate}/s`] = { ketnap: m, baseline: meanPhases(base.filter((p): p is Phases => p !== undefined)) };
      progress(`decision-round-trip: ${rate}/s ketnap (mean ms): ${describePhases(m)} | inbox read ${m.inboxReadMs}`);
      progress(`decision-round-trip: ${rate}/s bare   (mean ms): ${describePhases(profiles[`${rate}/s`].baseline)}`);
    }

    // Nothing lost, nothing applied twice: the business history of every case, read back through the API.
    progress('decision-round-trip: reading back every case history');
    let recorded = 0;
    let lost = 0;
    let twice = 0;
    const accepted = cases.reduce((s, c) => s + c.accepted, 0);
    await mapLimit(cases, 4, signal, async (c) => {
      const h = await tree.users.cell_secretary.get(`/api/candidates/${c.id}/history`);
      if (h.status !== 200) throw new Error(`history of ${c.id}: ${h.status}`);
      const n = (h.body.events as { type: string }[]).filter((e) => e.type === 'decision_recorded').length;
      recorded += n;
      if (n < c.accepted) lost += c.accepted - n;
      if (n > c.accepted) twice += n - c.accepted;
    });
    rows.push({
      scenario: 'decision-round-trip',
      metric: 'decisions recorded exactly once',
      figure: `${accepted} accepted, ${recorded} recorded, ${lost} lost, ${twice} twice`,
      value: lost + twice,
      unit: 'decisions',
      baseline: '—',
      baselineValue: NaN,
      ratio: NaN,
      target: '0 lost, 0 twice',
      pass: lost === 0 && twice === 0 && refused === 0 && notVisible === 0 && noReadyCase === 0,
    });
    progress(`decision-round-trip: ${accepted} accepted, ${recorded} recorded; refused ${refused}, not visible ${notVisible}, extra inbox reads ${extraReads}`);
    return {
      rows,
      details: { rates: perRate, projectionLagMs: roundLat(lagSummary), projectionLagEvents: lag.length, profileMs: profiles, cases: cases.length, accepted, recorded, lost, twice, refused, notVisible, extraInboxReads: extraReads, noReadyCase, postOnlyNote: 'postOnlyMs: scheduled send → POST answered (before the inbox read)' },
    };
  },
};

/** Milliseconds from each event's workflow time to its row, for the events of `candidateIds` made in `window`. */
async function projectionLag(dbUrl: string, candidateIds: string[], window: { from: Date; to: Date }): Promise<number[]> {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    const r = await db.query(
      `SELECT extract(epoch FROM recorded_at - at) * 1000 AS ms FROM candidate_events
        WHERE candidate_id = ANY($1::uuid[]) AND at >= $2 AND at <= $3`,
      [candidateIds, window.from, window.to],
    );
    return r.rows.map((x) => Number(x.ms));
  } finally {
    await db.end().catch(() => undefined);
  }
}

function roundLat(l: LatencySummary): Record<string, number> {
  return Object.fromEntries(Object.entries(l).map(([k, v]) => [k, round(v, 2)]));
}

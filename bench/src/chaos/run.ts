/**
 * npm run chaos [-- --quick] [-- --temporal server]
 *
 * Fault injection on the real stack (BENCHMARKS.md, "Chaos"): starts PostgreSQL (embedded, its own port),
 * Temporal, the API and the worker as separate processes (stack.ts), drives cases through the HTTP API at
 * ~10 decisions/s (driver.ts) with a bulk class certify, a calendar update and reminders on a compressed
 * business clock, and meanwhile kills and restarts each part (`kill -9`), makes SMTP fail permanently for a
 * while and PostgreSQL slow. Then it stops the faults, lets the system settle and checks the invariants over
 * every case (invariants.ts). Prints a table per fault and a summary; writes bench/results/chaos-latest.json.
 * Exit code 1 when an invariant is violated (or the run could not run), 130 when interrupted.
 *
 *   --quick            the CI form (< 3 minutes): one kill -9 each of the API, the worker and Temporal, a short SMTP outage
 *   --temporal server  the scale-out Temporal server on the run's PostgreSQL instead of the dev server
 */
import { setMaxListeners } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot } from '../../../infra/src/repo.js';
import { delay } from '../load.js';
import { casesBlockedByEmail, checkInvariants, type CheckResult } from './invariants.js';
import { Driver, type DecisionRec } from './driver.js';
import { say, sinceStart, started } from './log.js';
import { ChaosStack, type Part } from './stack.js';

/** 1 business day = 0.4 s: a 60-working-day clock (T3) runs out in ~35 s, probation (12 months) in ~146 s. */
const CLOCK_SPEED = 216_000;

type FaultSpec =
  | { kind: 'kill'; part: Part; downMs: number; withFanOuts?: boolean }
  | { kind: 'smtp'; periodMs: number }
  | { kind: 'slow-pg'; periodMs: number; latencyMs: number };

interface FaultRun {
  name: string;
  spec: FaultSpec;
  injectedAt: number;
  /** Restarted (kill) or the period over (smtp, slow-pg). */
  restoredAt?: number;
  error?: string;
  /** SMTP outage: cases with an activity failing on e-mail at the end of the outage. */
  blocked?: string[];
}

interface Plan {
  warmupMs: number;
  gapMs: number;
  settleMs: number;
  retryMs: number;
  initialCases: number;
  classSize: number;
  faults: FaultSpec[];
}

function plan(quick: boolean): Plan {
  if (quick) {
    return {
      warmupMs: 10_000,
      gapMs: 14_000,
      settleMs: 15_000,
      retryMs: 60_000,
      initialCases: 60,
      classSize: 12,
      faults: [
        { kind: 'kill', part: 'api', downMs: 1_000, withFanOuts: true },
        { kind: 'kill', part: 'worker', downMs: 1_000 },
        { kind: 'kill', part: 'temporal', downMs: 1_000 },
        { kind: 'smtp', periodMs: 12_000 },
      ],
    };
  }
  return {
    warmupMs: 30_000,
    gapMs: 25_000,
    settleMs: 40_000,
    retryMs: 120_000,
    initialCases: 80,
    classSize: 40,
    faults: [
      { kind: 'kill', part: 'api', downMs: 2_000, withFanOuts: true },
      { kind: 'kill', part: 'worker', downMs: 2_000 },
      { kind: 'kill', part: 'temporal', downMs: 2_000 },
      { kind: 'kill', part: 'postgres', downMs: 2_000 },
      { kind: 'smtp', periodMs: 40_000 },
      { kind: 'slow-pg', periodMs: 30_000, latencyMs: 150 },
      { kind: 'kill', part: 'worker', downMs: 5_000 },
      { kind: 'kill', part: 'api', downMs: 5_000 },
      { kind: 'kill', part: 'postgres', downMs: 5_000 },
      { kind: 'kill', part: 'temporal', downMs: 5_000 },
    ],
  };
}

function faultName(f: FaultSpec): string {
  if (f.kind === 'kill') return `kill -9 ${f.part}${f.withFanOuts ? ' (certify + calendar in flight)' : ''}`;
  if (f.kind === 'smtp') return `SMTP 554 for ${f.periodMs / 1000} s`;
  return `PostgreSQL +${f.latencyMs} ms/chunk for ${f.periodMs / 1000} s`;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n') + '\n';
}

async function injectFault(stack: ChaosStack, driver: Driver, f: FaultSpec, run: FaultRun, classId: string | undefined, signal: AbortSignal): Promise<Promise<void>[]> {
  const background: Promise<void>[] = [];
  if (f.kind === 'kill') {
    if (f.withFanOuts) {
      // The fan-outs are sent first and the API is killed while it works on them (signalling every active case
      // takes a few hundred ms here, certifying the class a few seconds).
      background.push(driver.calendarUpdate());
      if (classId) background.push(driver.certify(classId));
      await delay(300, signal);
    }
    run.injectedAt = Date.now();
    await stack.kill(f.part);
    say(`${run.name}: killed; starting it again in ${f.downMs / 1000} s`);
    await delay(f.downMs, signal);
    const t0 = Date.now();
    await stack.restart(f.part);
    run.restoredAt = Date.now();
    say(`${run.name}: ${f.part} serving again (${Date.now() - t0} ms to start)`);
    // A part that depends on the one killed may have exited meanwhile (e.g. the worker on a long Temporal outage).
    const others = await stack.ensureAllRunning();
    if (others.length) say(`${run.name}: restarted ${others.join(', ')} as well`);
  } else if (f.kind === 'smtp') {
    run.injectedAt = Date.now();
    stack.smtp.failing = true;
    await delay(f.periodMs, signal);
    // Before SMTP comes back: which cases wait behind a failing e-mail delivery?
    run.blocked = await casesBlockedByEmail(stack, signal).catch((e) => [`scan failed: ${(e as Error).message}`]);
    say(`${run.name}: ${run.blocked.length} case(s) blocked by the failing e-mail`);
    stack.smtp.failing = false;
    run.restoredAt = Date.now();
    say(`${run.name}: SMTP accepts mail again (${stack.smtp.refused} refused)`);
  } else {
    run.injectedAt = Date.now();
    stack.proxy.latencyMs = f.latencyMs;
    await delay(f.periodMs, signal);
    stack.proxy.latencyMs = 0;
    run.restoredAt = Date.now();
    say(`${run.name}: PostgreSQL at full speed again`);
  }
  return background;
}

interface FaultRow {
  fault: string;
  injectedAt: string;
  recoveredMs: number | null;
  sent: number;
  acknowledged: number;
  refused: number;
  unanswered: number;
  lost: number;
  duplicated: number;
  stuck: number;
  maxLatencyMs: number;
}

function faultRows(faults: FaultRun[], decisions: DecisionRec[], checks: CheckResult): FaultRow[] {
  const windows = [{ name: 'before the first fault', injectedAt: started } as FaultRun, ...faults];
  // A stuck case counts in the window of its last decision.
  const lastWindow = new Map<string, number>();
  for (const d of decisions) lastWindow.set(d.caseId, Math.max(lastWindow.get(d.caseId) ?? 0, d.window));
  return windows.map((w, i) => {
    const ds = decisions.filter((d) => d.window === i && d.via === 'path');
    const ok = ds.filter((d) => d.outcome === 'ok');
    const after = decisions.filter((d) => d.outcome === 'ok' && d.answeredAttemptAt !== undefined && d.answeredAttemptAt >= w.injectedAt && d.answeredAt !== undefined);
    const recovered = i === 0 || !after.length ? null : Math.min(...after.map((d) => d.answeredAt!)) - w.injectedAt;
    return {
      fault: i === 0 ? 'none (warm-up)' : w.name,
      injectedAt: i === 0 ? '—' : sinceStart(w.injectedAt),
      recoveredMs: recovered,
      sent: ds.length,
      acknowledged: ok.length,
      refused: ds.filter((d) => d.outcome === 'refused').length,
      unanswered: ds.filter((d) => d.outcome === 'unanswered').length,
      lost: ds.filter((d) => checks.lostKeys.has(d.key)).length,
      duplicated: ds.filter((d) => checks.duplicatedKeys.has(d.key)).length,
      stuck: [...checks.stuckIds].filter((id) => (lastWindow.get(id) ?? 0) === i).length,
      maxLatencyMs: Math.max(0, ...ds.filter((d) => d.answeredAt).map((d) => d.answeredAt! - d.firstSentAt)),
    };
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stderr.write('usage: npm run chaos [-- --quick] [-- --temporal dev|server]\n');
    return 0;
  }
  const quick = args.includes('--quick');
  const ti = args.indexOf('--temporal');
  const temporal = ti >= 0 ? args[ti + 1] : 'dev';
  if (temporal !== 'dev' && temporal !== 'server') throw new Error(`--temporal ${temporal}: expected dev or server`);
  const unknown = args.filter((a, i) => a.startsWith('-') && !['--quick', '--temporal'].includes(a) && args[i - 1] !== '--temporal');
  if (unknown.length) throw new Error(`unknown option(s): ${unknown.join(' ')}`);

  const ac = new AbortController();
  // Every request in flight waits on this signal (hundreds during an outage).
  setMaxListeners(0, ac.signal);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    say('interrupted: stopping (Ctrl-C again to exit at once)');
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const p = plan(quick);
  const root = repoRoot(path.dirname(fileURLToPath(import.meta.url)));
  const stack = new ChaosStack({ root, temporal, clockSpeed: CLOCK_SPEED, signal: ac.signal });
  say(`${quick ? 'quick' : 'long'} form: ${p.faults.length} faults, Temporal ${temporal === 'dev' ? 'dev server' : 'scale-out server on PostgreSQL'}, business clock ×${CLOCK_SPEED}`);
  const faults: FaultRun[] = [];
  let checks: CheckResult | undefined;
  let driver: Driver | undefined;
  let failure: string | undefined;
  try {
    await stack.start();
    say(`stack up: API ${stack.apiUrl}, Temporal ${stack.temporalAddress}, run folder ${path.relative(root, stack.runDir)}`);
    driver = new Driver(stack, { rate: 10, retryMs: p.retryMs, initialCases: p.initialCases, classSize: p.classSize }, ac.signal);
    await driver.setup();
    const load = driver.run();
    const classId = p.classSize ? await driver.prepareClass() : undefined;
    await delay(p.warmupMs, ac.signal);
    const background: Promise<void>[] = [];
    const progress = setInterval(() => {
      const d = driver!.decisions;
      say(`load: ${d.length} decisions sent, ${d.filter((x) => x.outcome === 'ok').length} acknowledged, ${driver!.pending()} in flight, ${driver!.cases.size} cases, ${stack.smtp.mails.length} e-mails`);
    }, 10_000);
    try {
      for (const spec of p.faults) {
        if (ac.signal.aborted) break;
        const run: FaultRun = { name: faultName(spec), spec, injectedAt: Date.now() };
        faults.push(run);
        driver.window = faults.length;
        say(`fault ${faults.length}/${p.faults.length}: ${run.name}`);
        try {
          background.push(...(await injectFault(stack, driver, spec, run, classId, ac.signal)));
        } catch (e) {
          run.error = (e as Error).message;
          say(`fault ${run.name} failed: ${run.error}`);
          await stack.ensureAllRunning().catch((err) => say(`could not restart: ${(err as Error).message}`));
        }
        await delay(p.gapMs, ac.signal);
      }
    } finally {
      clearInterval(progress);
    }
    say(`faults over; waiting for the ${driver.pending()} decisions in flight (each until answered or ${p.retryMs / 1000} s)`);
    await driver.stop();
    await Promise.allSettled(background);
    await load;
    await stack.ensureAllRunning();
    say(`settling for ${p.settleMs / 1000} s`);
    await delay(p.settleMs, ac.signal);
    if (ac.signal.aborted) throw new Error('interrupted');
    checks = await checkInvariants(stack, driver, ac.signal);
    const smtpRuns = faults.filter((f) => f.spec.kind === 'smtp');
    if (smtpRuns.length) {
      const blocked = smtpRuns.flatMap((f) => f.blocked ?? []);
      checks.invariants.push({
        name: 'a failing SMTP server blocks no case (no activity of a case retrying an e-mail)',
        pass: blocked.length === 0,
        detail: `${blocked.length} case(s) blocked at the end of ${smtpRuns.length} SMTP outage(s)`,
        examples: blocked.slice(0, 8),
      });
    }
  } catch (e) {
    failure = (e as Error).stack ?? String(e);
    say(`run failed: ${failure}`);
  } finally {
    say('stopping the stack');
    await stack.stop();
  }

  if (checks && driver) {
    const rows = faultRows(faults, driver.decisions, checks);
    const out = process.stdout;
    out.write(`\n## Chaos run (${quick ? 'quick' : 'long'} form, Temporal ${temporal}), ${((Date.now() - started) / 1000).toFixed(0)} s\n\n`);
    out.write(
      table(
        ['fault', 'injected at', 'recovered after', 'decisions sent', 'acknowledged', 'refused', 'unanswered', 'lost', 'duplicated', 'stuck', 'max latency'],
        rows.map((r) => [
          r.fault,
          r.injectedAt,
          r.recoveredMs === null ? '—' : `${r.recoveredMs} ms`,
          String(r.sent),
          String(r.acknowledged),
          String(r.refused),
          String(r.unanswered),
          String(r.lost),
          String(r.duplicated),
          String(r.stuck),
          `${r.maxLatencyMs} ms`,
        ]),
      ),
    );
    for (const f of faults) if (f.error) out.write(`\nfault "${f.name}" could not be injected: ${f.error}\n`);
    const ds = driver.decisions.filter((d) => d.via === 'path');
    const total = (k: keyof FaultRow) => rows.reduce((s, r) => s + (r[k] as number), 0);
    out.write(
      `\nfan-outs: ${
        driver.fanOuts
          .map((f) => `${f.kind} ${f.status ?? 'unanswered'} after ${f.attempts} attempt(s)${f.job ? `, job ${f.job.status} ${f.job.done}/${f.job.total} (${f.job.failed} failed) ${f.finishedAt ? `${((f.finishedAt - f.sentAt) / 1000).toFixed(1)} s after it was sent` : ''}` : ''} ${JSON.stringify(f.detail)}`)
          .join('; ') || 'none'
      }\n`,
    );
    const refused = new Map<string, number>();
    for (const d of ds.filter((x) => x.outcome === 'refused')) refused.set(`${d.status} ${d.code ?? ''}`.trim(), (refused.get(`${d.status} ${d.code ?? ''}`.trim()) ?? 0) + 1);
    if (refused.size) out.write(`refused decisions, by answer: ${[...refused].map(([k, n]) => `${k} ×${n}`).join(', ')}\n`);
    const unanswered = new Map<string, number>();
    for (const d of ds.filter((x) => x.outcome === 'unanswered')) unanswered.set(d.lastError ?? '?', (unanswered.get(d.lastError ?? '?') ?? 0) + 1);
    if (unanswered.size) {
      out.write(`unanswered decisions (retried with the same key for ${p.retryMs / 1000} s), by their last answer: ${[...unanswered].map(([k, n]) => `${k} ×${n}`).join(', ')}\n`);
      for (const d of ds.filter((x) => x.outcome === 'unanswered').slice(0, 3)) {
        out.write(`  - ${d.taskType} key ${d.key} case ${d.caseId}: ${d.attempts} attempts, recorded ${checks.recorded.get(d) ?? 0} time(s) in the history\n`);
      }
    }
    out.write(
      `totals: ${faults.length} faults injected, ${checks.cases} cases, ${ds.length} decisions sent (${driver.skipped} slots without a ready case), ` +
        `${total('acknowledged')} acknowledged, ${total('refused')} refused, ${total('unanswered')} unanswered, ${total('lost')} lost, ${total('duplicated')} duplicated, ` +
        `${checks.stuckIds.size} stuck; ${checks.remindersInHistory} reminders/escalations, ${checks.mailsReceived} e-mails; restarts ${JSON.stringify(stack.restarts)}\n\n`,
    );
    out.write(table(['invariant', 'result', 'detail'], checks.invariants.map((i) => [i.name, i.pass ? 'PASS' : 'FAIL', i.detail])));
    for (const i of checks.invariants.filter((x) => !x.pass)) {
      out.write(`\n${i.name}: FAIL\n${i.examples.map((e) => `  - ${e}`).join('\n')}\n`);
    }
    const file = path.join(root, 'bench', 'results', 'chaos-latest.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(
      file,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          form: quick ? 'quick' : 'long',
          temporal,
          clockSpeed: CLOCK_SPEED,
          durationS: Math.round((Date.now() - started) / 1000),
          faults: rows,
          fanOuts: driver.fanOuts,
          restarts: stack.restarts,
          invariants: checks.invariants,
          skippedSlots: driver.skipped,
          unanswered: Object.fromEntries(unanswered),
          refused: Object.fromEntries(refused),
          creations: driver.creations,
        },
        null,
        2,
      ) + '\n',
    );
    say(`results written to ${path.relative(root, file)}; logs of the processes in ${path.relative(root, stack.runDir)}`);
  }
  if (interrupted) return 130;
  if (failure || !checks) {
    process.stdout.write(`\nchaos run FAILED to complete: ${failure?.split('\n')[0] ?? 'no checks'}\n`);
    return 1;
  }
  const violated = checks.invariants.filter((i) => !i.pass);
  process.stdout.write(`\n${violated.length ? `FAIL: ${violated.length} invariant(s) violated` : 'PASS: every invariant holds'}\n`);
  return violated.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);

/**
 * npm run bench [-- --quick | --smoke] [-- <scenario> ...] [-- --list] [-- --strict]
 *
 * Starts what it needs (see env.ts), runs the scenarios in a fixed order, each with its bare-Temporal or
 * bare-PostgreSQL baseline in the same run, prints one table on stdout (progress goes to stderr), writes
 * bench/results/latest.json, and stops everything it started — also on Ctrl-C (a second Ctrl-C exits at
 * once). Exit code: 0 when every scenario ran (targets missed or not; --strict makes a miss exit 1),
 * 1 when a scenario failed to run, 130 when interrupted.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { BenchEnv } from './env.js';
import { Aborted } from './load.js';
import { elapsedSinceStartMs, progress, redirectStdout } from './log.js';
import { caseStarts } from './scenarios/case-starts.js';
import { coldCases } from './scenarios/cold-cases.js';
import { decisionRoundTrip } from './scenarios/decision-round-trip.js';
import { fullPath } from './scenarios/full-path.js';
import { inboxAtScale } from './scenarios/inbox-at-scale.js';
import { replay } from './scenarios/replay.js';
import { timerStorm } from './scenarios/timer-storm.js';
import { reports } from './scenarios/reports.js';
import { workerMemory } from './scenarios/worker-memory.js';
import type { Row, Scenario } from './types.js';

/**
 * Run order. inbox-at-scale is last of the default ones: its million rows would otherwise sit under the other
 * scenarios. cold-cases runs only when named (its 10,000 cases take 20–35 minutes to seed here).
 */
const SCENARIOS: Scenario[] = [caseStarts, decisionRoundTrip, replay, workerMemory, reports, fullPath, timerStorm, inboxAtScale, coldCases];

function usage(): string {
  return [
    'usage: npm run bench -- [--quick | --smoke | --full] [--strict] [scenario ...]',
    '       --smoke: smallest sizes (case-starts, decision-round-trip), checks that the harness runs (CI)',
    '       --full: the issue\'s largest sizes where a scenario has them (full-path: 10,000 cases)',
    '       npm run bench -- --list',
    '',
    'scenarios (all but those marked "named only" by default, in this order):',
    ...SCENARIOS.map((s) => `  ${s.name.padEnd(22)} ${s.title}${s.byDefault ? '' : ' (named only)'}`),
    '',
    'environment: TEMPORAL_ADDRESS (use that server), DATABASE_URL (use that PostgreSQL server; a fresh',
    'database is created and dropped), BENCH_TEMPORAL=server (start the scale-out Temporal server on that',
    'PostgreSQL server instead of a dev server: bash infra/install-temporal-server.sh first),',
    'TEMPORAL_BIN, KETNAP_CLOCK_SPEED, KETNAP_WORKER_CACHE_SIZE (cold-cases: its worker\'s cache; default 2% of its',
    'cases), BENCH_REMINDER_SPREAD_MINUTES (cold-cases: the morning\'s spread window, default KETNAP_REMINDER_SPREAD_MINUTES scaled to the run\'s size); BENCH_NO_PRELOAD=1 is an',
    'experiment: the bench-built candidate bundle (replay, worker-memory) without libs/domain preloaded (see BENCHMARKS.md).',
  ].join('\n');
}

function table(rows: Row[]): string {
  const head = ['scenario', 'metric', 'figure', 'baseline', 'ratio', 'target', 'result'];
  const body = rows.map((r) => [
    r.scenario,
    r.metric,
    r.figure,
    r.baseline,
    Number.isFinite(r.ratio) ? `${r.ratio}×` : '—',
    r.target,
    r.pass === null ? 'info' : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n') + '\n';
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    process.stderr.write(usage() + '\n');
    return 0;
  }
  if (args.includes('--list')) {
    process.stdout.write(SCENARIOS.map((s) => s.name).join('\n') + '\n');
    return 0;
  }
  const smoke = args.includes('--smoke');
  const quick = smoke || args.includes('--quick');
  const strict = args.includes('--strict');
  const full = !quick && args.includes('--full');
  const unknownFlags = args.filter((a) => a.startsWith('-') && !['--quick', '--smoke', '--strict', '--full'].includes(a));
  const names = args.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !SCENARIOS.some((s) => s.name === n));
  if (unknownFlags.length || unknown.length) {
    process.stderr.write(`unknown: ${[...unknownFlags, ...unknown].join(', ')}\n${usage()}\n`);
    return 2;
  }
  const selected = names.length ? SCENARIOS.filter((s) => names.includes(s.name)) : SCENARIOS.filter((s) => s.byDefault);

  const writeOut = redirectStdout();
  // No shutdownSignals: on Ctrl-C the bench stops the workers itself, in order, after the running scenario.
  Runtime.install({ logger: new DefaultLogger('WARN', (e) => process.stderr.write(`[temporal-sdk] ${e.level} ${e.message}\n`)), shutdownSignals: [] });

  const ac = new AbortController();
  let interrupts = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) {
      progress(`${sig}: stopping the running scenario and everything the bench started (again to exit at once)`);
      ac.abort();
    } else {
      progress(`${sig} again: exiting now`);
      process.exit(130); // processes.ts's exit hook SIGKILLs the children still running
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const loadAtStart = os.loadavg();
  progress(`mode ${smoke ? 'smoke' : quick ? 'quick' : full ? 'full' : 'default'}; scenarios: ${selected.map((s) => s.name).join(', ')}`);
  const env = new BenchEnv(ac.signal);
  const rows: Row[] = [];
  const results: Record<string, unknown>[] = [];
  let failed = false;
  let postgresVersion: string | undefined;
  try {
    await env.start();
    postgresVersion = await env.postgresVersion().catch(() => undefined);
    for (const s of selected) {
      if (ac.signal.aborted) break;
      progress(`── ${s.name}: ${s.title}`);
      const t0 = Date.now();
      try {
        const out = await s.run({ env, quick, smoke, full, signal: ac.signal });
        rows.push(...out.rows);
        results.push({ name: s.name, durationMs: Date.now() - t0, rows: out.rows, details: out.details });
        progress(`── ${s.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      } catch (e) {
        if (ac.signal.aborted || e instanceof Aborted) break;
        failed = true;
        const msg = (e as Error).message;
        progress(`── ${s.name} FAILED: ${(e as Error).stack ?? msg}`);
        rows.push({ scenario: s.name, metric: 'run', figure: `error: ${msg.slice(0, 120)}`, value: NaN, unit: '', baseline: '—', baselineValue: NaN, ratio: NaN, target: '—', pass: false });
        results.push({ name: s.name, durationMs: Date.now() - t0, error: msg });
      }
    }
  } catch (e) {
    if (!ac.signal.aborted) {
      failed = true;
      progress(`setup FAILED: ${(e as Error).stack ?? (e as Error).message}`);
    }
  } finally {
    progress('stopping everything the bench started');
    await env.stop();
  }

  const totalMs = elapsedSinceStartMs();
  if (rows.length) {
    writeOut(`\nketnap bench (${smoke ? '--smoke' : quick ? '--quick' : 'default'}), ${new Date().toISOString()}, ${os.cpus().length} CPUs, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, node ${process.version}, Temporal: ${(env.describe().temporal as { topology: string }).topology}, ${(totalMs / 1000).toFixed(0)} s${ac.signal.aborted ? ' (INTERRUPTED)' : ''}\n\n`);
    writeOut(table(rows));
  }
  const report = {
    date: new Date().toISOString(),
    mode: smoke ? 'smoke' : quick ? 'quick' : 'default',
    interrupted: ac.signal.aborted,
    durationMs: totalMs,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryBytes: os.totalmem(),
      memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
      platform: `${os.type()} ${os.release()} ${os.arch()}`,
      /** 1/5/15-minute load averages: other work on the machine shows here. */
      loadavgAtStart: loadAtStart.map((x) => Number(x.toFixed(2))),
      loadavgAtEnd: os.loadavg().map((x) => Number(x.toFixed(2))),
    },
    ...env.describe(),
    postgresVersion,
    scenarios: results,
    table: rows,
  };
  const dir = path.join(env.root, 'bench', 'results');
  fs.mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n';
  if (results.length) {
    // An interrupted run keeps only its dated file; latest.json stays the last complete run (a smoke run,
    // which only checks that the harness works, writes smoke.json instead).
    const dated = `${report.date.replace(/[:.]/g, '-')}${smoke ? '-smoke' : quick ? '-quick' : ''}${ac.signal.aborted ? '-interrupted' : ''}.json`;
    const latest = smoke ? 'smoke.json' : 'latest.json';
    if (!smoke || ac.signal.aborted) fs.writeFileSync(path.join(dir, dated), json);
    if (!ac.signal.aborted) fs.writeFileSync(path.join(dir, latest), json);
    progress(`results written to bench/results/${ac.signal.aborted ? dated : latest} (total ${(totalMs / 1000).toFixed(0)} s)`);
  }
  if (ac.signal.aborted) return 130;
  if (failed) return 1;
  if (strict && rows.some((r) => r.pass === false)) return 1;
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);

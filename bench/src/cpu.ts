/**
 * CPU used during a measurement, in cores, from /proc (Linux): this process (load generator + in-process
 * API and worker), the Temporal dev server we started, the PostgreSQL server (the postmaster and all its
 * processes, including parallel query workers and autovacuum — for a shared server, other databases'
 * work too), and the whole machine (whatever is left is someone else's). On other systems the figures
 * are zero.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { BenchEnv } from './env.js';
import { withClient } from '../../infra/src/postgres.js';
import { round } from './stats.js';

const HZ = 100; // USER_HZ: /proc reports times in clock ticks of 1/100 s on Linux

interface Snap {
  t: number;
  machineBusy: number;
  self: number;
  temporal: number;
  postgres: Map<number, number>;
  extra: number;
}

export interface CpuUse {
  /** Cores busy on average, machine-wide. */
  machine: number;
  bench: number;
  temporal: number;
  postgres: number;
  /** Extra processes named by the caller (e.g. a separate worker process), summed. */
  extra?: number;
  /** machine − the above: other processes (other PostgreSQL processes, other users' load). */
  other: number;
  cpus: number;
}

/** Fields of /proc/<pid>/stat after the command name (index 0 = field 3, "state"). */
function statFields(pid: number): string[] | undefined {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function ticks(pid: number): number {
  const f = statFields(pid);
  return f ? Number(f[11]) + Number(f[12]) : 0; // utime + stime (fields 14, 15)
}

/**
 * CPU of a PostgreSQL server: the postmaster's own time plus that of its reaped children (backends and
 * parallel workers that exited), plus every live child. Processes living across the window are counted
 * by difference; short-lived ones through the postmaster's cutime/cstime.
 */
function serverTicks(postmaster: number): Map<number, number> {
  const out = new Map<number, number>();
  const f = statFields(postmaster);
  if (!f) return out;
  out.set(postmaster, Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])); // + cutime + cstime
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const c = statFields(Number(d));
    if (c && Number(c[1]) === postmaster) out.set(Number(d), Number(c[11]) + Number(c[12])); // field 4 = ppid
  }
  return out;
}

let postmasterPid: number | undefined | null;

/** The postmaster of our database's server, when it runs on this machine (parent of one of our backends). */
async function postmaster(env: BenchEnv): Promise<number | undefined> {
  if (postmasterPid !== undefined) return postmasterPid ?? undefined;
  // Read while the connection is open: its backend process exits with it.
  const ppid: number | undefined = await withClient(env.adminUrl, async (c) => {
    const f = statFields((await c.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    return f ? Number(f[1]) : undefined;
  }).catch(() => undefined);
  postmasterPid = ppid ?? null;
  return postmasterPid ?? undefined;
}

function machineBusy(): number {
  try {
    const [, ...v] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const n = v.map(Number);
    const total = n.slice(0, 8).reduce((a, b) => a + b, 0);
    return total - n[3] - n[4]; // minus idle and iowait
  } catch {
    return 0;
  }
}

async function snap(env: BenchEnv, extraPids: number[]): Promise<Snap> {
  const pm = await postmaster(env);
  return {
    t: Date.now(),
    machineBusy: machineBusy(),
    self: ticks(process.pid),
    temporal: env.temporal?.process ? ticks(env.temporal.process.pid) : 0,
    postgres: pm ? serverTicks(pm) : new Map(),
    extra: extraPids.reduce((s, p) => s + ticks(p), 0),
  };
}

/** Runs fn and reports the CPU used meanwhile. */
export async function measureCpu<T>(env: BenchEnv, fn: () => Promise<T>, extraPids: number[] = []): Promise<{ result: T; cpu: CpuUse }> {
  const a = await snap(env, extraPids);
  const result = await fn();
  const b = await snap(env, extraPids);
  const secs = (b.t - a.t) / 1000;
  const cores = (t: number) => round(t / HZ / secs, 2);
  // Σ after − Σ before: a process that exited meanwhile is in the postmaster's cutime/cstime with its whole
  // life, minus what it had used at the first snapshot; one born meanwhile counts from 0.
  const sum = (m: Map<number, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  const pg = sum(b.postgres) - sum(a.postgres);
  const use: CpuUse = { machine: cores(b.machineBusy - a.machineBusy), bench: cores(b.self - a.self), temporal: cores(b.temporal - a.temporal), postgres: cores(pg), other: 0, cpus: os.cpus().length };
  if (extraPids.length) use.extra = cores(b.extra - a.extra);
  use.other = round(Math.max(0, use.machine - use.bench - use.temporal - use.postgres - (use.extra ?? 0)), 2);
  return { result, cpu: use };
}

export function describeCpu(c: CpuUse): string {
  return `CPU cores: bench ${c.bench}, temporal ${c.temporal}, postgres ${c.postgres}${c.extra !== undefined ? `, worker process ${c.extra}` : ''}, other ${c.other} (machine ${c.machine} of ${c.cpus})`;
}

/** Mean of several equally long measurements. */
export function meanCpu(parts: CpuUse[]): CpuUse {
  const avg = (k: 'machine' | 'bench' | 'temporal' | 'postgres' | 'other') => round(parts.reduce((s, p) => s + p[k], 0) / parts.length, 2);
  return { machine: avg('machine'), bench: avg('bench'), temporal: avg('temporal'), postgres: avg('postgres'), other: avg('other'), cpus: parts[0]?.cpus ?? os.cpus().length };
}

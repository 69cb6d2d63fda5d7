import type { BenchEnv } from './env.js';

export interface Ctx {
  env: BenchEnv;
  quick: boolean;
  /** --smoke (implies quick): the smallest sizes, to check that the harness still runs (CI); figures mean little. */
  smoke: boolean;
  /** --full: the largest sizes where a scenario has them (full-path: 10,000 cases). */
  full: boolean;
  signal: AbortSignal;
}

/** One line of the results table. */
export interface Row {
  scenario: string;
  metric: string;
  /** The measured figure, as printed. */
  figure: string;
  /** The number compared with the baseline (unit in `unit`). */
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  /** value / baselineValue. */
  ratio: number;
  target: string;
  /** true/false against the target; null for an informational line. */
  pass: boolean | null;
}

export interface ScenarioOutput {
  rows: Row[];
  /** Everything else worth keeping (raw latencies summaries, plans, counts) for latest.json. */
  details: Record<string, unknown>;
}

export interface Scenario {
  name: string;
  title: string;
  /** Run by `npm run bench` without names. */
  byDefault: boolean;
  run(ctx: Ctx): Promise<ScenarioOutput>;
}

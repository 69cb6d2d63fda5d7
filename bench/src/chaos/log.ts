/** Progress lines on stderr (`[chaos 12.3s] …`); the tables and the summary go to stdout. */
export const started = Date.now();

export function say(msg: string): void {
  process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);
}

/** Seconds since the run started, for the tables. */
export function sinceStart(at: number): string {
  return `${((at - started) / 1000).toFixed(1)} s`;
}

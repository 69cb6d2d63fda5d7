/**
 * Output discipline: stdout carries only the final table. Everything else — our progress lines, Nest and
 * Temporal SDK logs, the dev server's output — goes to stderr. redirectStdout() reroutes process.stdout
 * for everything in this process and returns the real writer for the table.
 */
const started = Date.now();

export function progress(msg: string): void {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  process.stderr.write(`[bench ${s}s] ${msg}\n`);
}

let realWrite: ((s: string) => boolean) | undefined;

export function redirectStdout(): (s: string) => boolean {
  if (realWrite) return realWrite;
  const original = process.stdout.write.bind(process.stdout) as (s: string) => boolean;
  realWrite = original;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) =>
    (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;
  return original;
}

export function elapsedSinceStartMs(): number {
  return Date.now() - started;
}

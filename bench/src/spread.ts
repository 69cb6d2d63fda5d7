/**
 * A deterministic spread of instants over a window: each case gets an offset from a hash of its id, the same
 * on every run and every machine. cold-cases uses it to measure, before any workflow change, what spreading a
 * morning's reminder instants over a window would do (BENCH_REMINDER_SPREAD_MINUTES).
 */

/** FNV-1a (32 bits) of the UTF-16 code units of `s`. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** The offset of `id` in [0, windowMs), in whole seconds; 0 for a window under a second. */
export function spreadOffsetMs(id: string, windowMs: number): number {
  const seconds = Math.floor(windowMs / 1_000);
  return seconds < 1 ? 0 : (fnv1a(id) % seconds) * 1_000;
}

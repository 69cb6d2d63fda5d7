/**
 * The business clock. With speed 1 it is wall-clock time; a larger speed lets a demo or a test watch months
 * pass in seconds. It is an affine map pinned by an anchor, so API, worker and every workflow agree:
 * business = anchorBusiness + (real - anchorReal) * speed.
 */
export interface BusinessClock {
  anchorRealMs: number;
  anchorBusinessMs: number;
  speed: number;
}

export function businessNowMs(clock: BusinessClock, realNowMs: number): number {
  return clock.anchorBusinessMs + (realNowMs - clock.anchorRealMs) * clock.speed;
}

/** Real instant at which the business clock shows `businessMs`. */
export function realMsForBusiness(clock: BusinessClock, businessMs: number): number {
  return clock.anchorRealMs + (businessMs - clock.anchorBusinessMs) / clock.speed;
}

/** Re-anchors at `realNowMs` keeping business time continuous, with a new speed. */
export function reanchor(clock: BusinessClock, realNowMs: number, speed: number): BusinessClock {
  return { anchorRealMs: realNowMs, anchorBusinessMs: businessNowMs(clock, realNowMs), speed };
}

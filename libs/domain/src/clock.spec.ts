import fc from 'fast-check';
import { businessNowMs, realMsForBusiness, reanchor, type BusinessClock } from './clock.js';

const T0 = Date.UTC(2030, 5, 1, 8, 0, 0);
const B0 = Date.UTC(2025, 0, 6);
const DAY = 86_400_000;

describe('businessNowMs', () => {
  it('shows the anchor business time at the anchor real time', () => {
    expect(businessNowMs({ anchorRealMs: T0, anchorBusinessMs: B0, speed: 1 }, T0)).toBe(B0);
  });

  it('moves at wall-clock pace with speed 1', () => {
    expect(businessNowMs({ anchorRealMs: T0, anchorBusinessMs: B0, speed: 1 }, T0 + 3 * DAY)).toBe(B0 + 3 * DAY);
  });

  it('moves `speed` times faster than real time', () => {
    const clock = { anchorRealMs: T0, anchorBusinessMs: B0, speed: 1000 };
    expect(businessNowMs(clock, T0 + 86_400)).toBe(B0 + DAY);
  });
});

describe('realMsForBusiness', () => {
  it('finds the real instant at which a business instant is reached', () => {
    const clock = { anchorRealMs: T0, anchorBusinessMs: B0, speed: 1000 };
    expect(realMsForBusiness(clock, B0 + 365 * DAY)).toBe(T0 + 365 * 86_400);
  });

  it('is the inverse of businessNowMs for any anchor and speed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.constantFrom(1, 2, 10, 1000, 86_400, 10_000_000),
        fc.integer({ min: -100_000_000, max: 100_000_000 }),
        (anchorRealMs, anchorBusinessMs, speed, offset) => {
          const clock: BusinessClock = { anchorRealMs, anchorBusinessMs, speed };
          const real = anchorRealMs + offset;
          const roundTripReal = realMsForBusiness(clock, businessNowMs(clock, real));
          const business = anchorBusinessMs + offset * speed;
          const roundTripBusiness = businessNowMs(clock, realMsForBusiness(clock, business));
          return Math.abs(roundTripReal - real) < 1e-3 && Math.abs(roundTripBusiness - business) < 1e-3 * speed;
        },
      ),
    );
  });
});

describe('reanchor', () => {
  it('keeps business time continuous at the moment of re-anchoring', () => {
    const before: BusinessClock = { anchorRealMs: T0, anchorBusinessMs: B0, speed: 10 };
    const now = T0 + 5 * DAY;
    const after = reanchor(before, now, 1000);
    expect(after.anchorRealMs).toBe(now);
    expect(businessNowMs(after, now)).toBe(businessNowMs(before, now));
    expect(after.speed).toBe(1000);
  });

  it('runs at the new speed after re-anchoring', () => {
    const before: BusinessClock = { anchorRealMs: T0, anchorBusinessMs: B0, speed: 10 };
    const now = T0 + DAY;
    const after = reanchor(before, now, 1);
    expect(businessNowMs(after, now + DAY) - businessNowMs(after, now)).toBe(DAY);
  });

  it('never moves business time backwards when slowing down', () => {
    const before: BusinessClock = { anchorRealMs: T0, anchorBusinessMs: B0, speed: 1000 };
    const now = T0 + 1000;
    const after = reanchor(before, now, 1);
    expect(businessNowMs(after, now + 1)).toBeGreaterThan(businessNowMs(before, now));
  });
});

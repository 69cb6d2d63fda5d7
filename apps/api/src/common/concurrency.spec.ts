import { mapConcurrent } from './concurrency.js';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('mapConcurrent', () => {
  it('returns results in the order of the items, whatever order they finish in', async () => {
    const out = await mapConcurrent([30, 5, 20, 1], 4, async (ms, i) => {
      await tick(ms);
      return `${i}:${ms}`;
    });
    expect(out).toEqual(['0:30', '1:5', '2:20', '3:1']);
  });

  it('never runs more than the limit at once', async () => {
    let inFlight = 0;
    let peak = 0;
    await mapConcurrent(Array.from({ length: 25 }, (_, i) => i), 8, async () => {
      peak = Math.max(peak, ++inFlight);
      await tick(2);
      inFlight -= 1;
    });
    expect(peak).toBe(8);
  });

  it('handles an empty list', async () => {
    expect(await mapConcurrent([], 8, async () => 1)).toEqual([]);
  });

  it('rejects with the first failure after the started calls settle', async () => {
    const done: number[] = [];
    await expect(
      mapConcurrent([1, 2, 3], 3, async (n) => {
        await tick(n * 3);
        if (n === 1) throw new Error('boom');
        done.push(n);
      }),
    ).rejects.toThrow('boom');
    expect(done.sort()).toEqual([2, 3]);
  });
});

import { randomUUID } from 'node:crypto';
import { fnv1a, reminderPoints, spreadOffsetMs } from './reminders.js';

describe('spreadOffsetMs', () => {
  it('gives the same offset for the same id on every call', () => {
    const id = '6f1c9a52-8f7e-4b7e-9a43-2f3d6c1b0e11';
    expect(spreadOffsetMs(id, 15 * 60_000)).toBe(spreadOffsetMs(id, 15 * 60_000));
  });

  it('keeps every offset in whole seconds inside the window', () => {
    for (let i = 0; i < 1_000; i++) {
      const o = spreadOffsetMs(randomUUID(), 10 * 60_000);
      expect(o).toBeGreaterThanOrEqual(0);
      expect(o).toBeLessThan(10 * 60_000);
      expect(o % 1_000).toBe(0);
    }
  });

  it('spreads 5,000 ids over the window with no tenth holding more than 12% of them', () => {
    const tenths = new Array(10).fill(0);
    for (let i = 0; i < 5_000; i++) tenths[Math.floor(spreadOffsetMs(randomUUID(), 15 * 60_000) / 90_000)]++;
    expect(Math.max(...tenths)).toBeLessThan(600);
  });

  it('gives no offset for a window under a second', () => {
    expect(spreadOffsetMs('any', 0)).toBe(0);
    expect(spreadOffsetMs('any', 999)).toBe(0);
  });
});

describe('fnv1a', () => {
  it('matches the published FNV-1a test vectors', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('reminderPoints with a morning offset', () => {
  it('shifts the 08:00 points by the offset and leaves the overdue point at midnight, keys unchanged', () => {
    const plain = reminderPoints('2027-03-08');
    const shifted = reminderPoints('2027-03-08', undefined, undefined, 137_000);
    expect(shifted.map((p) => p.key)).toEqual(plain.map((p) => p.key));
    for (const [i, p] of shifted.entries()) expect(p.atMs - plain[i].atMs).toBe(p.kind === 'overdue' ? 0 : 137_000);
  });
});

import { parseVnDate } from './dates.js';

describe('parseVnDate', () => {
  it('reads dd/mm/yyyy as an ISO date', () => {
    expect(parseVnDate('05/03/2026')).toBe('2026-03-05');
    expect(parseVnDate('5/3/2026')).toBe('2026-03-05');
    expect(parseVnDate(' 31.12.2025 ')).toBe('2025-12-31');
  });

  it('refuses impossible or unfinished dates', () => {
    expect(parseVnDate('30/02/2026')).toBeUndefined();
    expect(parseVnDate('29/02/2025')).toBeUndefined();
    expect(parseVnDate('12/2026')).toBeUndefined();
    expect(parseVnDate('2026-03-05')).toBeUndefined();
  });

  it('accepts 29 February in a leap year', () => {
    expect(parseVnDate('29/02/2028')).toBe('2028-02-29');
  });
});

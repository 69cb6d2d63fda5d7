import { z } from 'zod';
import { keyedUuid, requestIdFor } from './request-id.js';

describe('keyedUuid', () => {
  it('names the same record for the same key and another for another key, as a valid UUID', () => {
    const a = keyedUuid('candidate:u1:key-1');
    expect(keyedUuid('candidate:u1:key-1')).toBe(a);
    expect(keyedUuid('candidate:u2:key-1')).not.toBe(a);
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(a[14]).toBe('5');
  });
});

describe('requestIdFor', () => {
  it('gives one update id per user and key, and a fresh one without a key', () => {
    expect(requestIdFor({ id: 'u1' }, 'k')).toBe(requestIdFor({ id: 'u1' }, 'k'));
    expect(requestIdFor({ id: 'u1' }, 'k')).not.toBe(requestIdFor({ id: 'u2' }, 'k'));
    expect(requestIdFor({ id: 'u1' })).not.toBe(requestIdFor({ id: 'u1' }));
    expect(requestIdFor({ id: 'u1' }, 'k')).toMatch(/^idem-[0-9a-f]{40}$/);
  });
});

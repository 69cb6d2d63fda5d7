import { candidateOf } from './request.interceptor.js';
import { logFields, requestIdFrom } from './request-context.js';

describe('requestIdFrom', () => {
  it('keeps a plausible caller id and replaces a missing, long or odd one by a UUID', () => {
    expect(requestIdFrom('abc-123.x:y_z')).toBe('abc-123.x:y_z');
    expect(requestIdFrom(['first', 'second'])).toBe('first');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(129), 'a"b', 'é']) expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('candidateOf', () => {
  const id = '0b6f8a4e-3c1d-4a2b-9f00-123456789abc';
  it('reads the candidate from a candidate route or a task id, nothing from other routes', () => {
    expect(candidateOf('/api/candidates/:id', { id })).toBe(id);
    expect(candidateOf('/api/candidates/:id/history', { id })).toBe(id);
    expect(candidateOf('/api/tasks/:id/complete', { id: `${id}.7` })).toBe(id);
    expect(candidateOf('/api/tasks/:id/complete', { id: 'not-a-task' })).toBeUndefined();
    expect(candidateOf('/api/users/:id', { id })).toBeUndefined();
    expect(candidateOf(undefined, { id })).toBeUndefined();
  });
});

describe('logFields', () => {
  it('writes only the fields known', () => {
    expect(logFields(undefined)).toEqual({});
    expect(logFields({ requestId: 'r', method: 'GET', userId: 'u' })).toEqual({ requestId: 'r', userId: 'u' });
  });
});

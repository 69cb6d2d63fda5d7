import { DomainError } from './domain-error.js';
import { findNul, NoNulPipe } from './no-nul.pipe.js';

describe('NoNulPipe', () => {
  const pipe = new NoNulPipe();

  it('finds U+0000 deep in a body, in a key too, and names where', () => {
    expect(findNul({ a: [{ b: 'x' }, { c: 'y\u0000' }] }, '')).toBe('a.1.c');
    expect(findNul({ ['k\u0000']: 1 }, '')).toBe('k\u0000');
    expect(findNul({ a: 'fine', n: 5, z: null }, '')).toBeUndefined();
  });

  it('refuses a path parameter, query or body holding U+0000 with a 400 naming it, and passes the rest through', () => {
    expect(() => pipe.transform('1/CN\u0000', { type: 'param', data: 'number' })).toThrow(DomainError);
    const thrown = (() => {
      try {
        pipe.transform({ items: [{ note: '\u0000' }] }, { type: 'body' });
      } catch (e) {
        return e;
      }
    })();
    expect(thrown).toMatchObject({ code: 'invalid_field', params: { field: 'items.0.note', detail: 'U+0000' } });
    const body = { name: 'Chi bộ' };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
  });
});

// What adapters remember is bounded in number and, optionally, in age.
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/platform/bounded-map.js';

describe('bounded map', () => {
  it('forgets the entry set longest ago once full', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('ana', 1).set('ben', 2);
    m.set('ana', 3); // set again: now the newest
    m.set('cara', 4);
    expect([m.get('ana'), m.get('ben'), m.get('cara')]).toEqual([3, undefined, 4]);
    expect(m.size).toBe(2);
  });

  it('forgets an entry its time to live after it was set', () => {
    let t = 0;
    const m = new BoundedMap<string, string>(10, { ttlMs: 1000, now: () => t });
    m.set('U1', 'Ana');
    t = 999;
    expect(m.get('U1')).toBe('Ana');
    t = 1000;
    expect(m.has('U1')).toBe(false);
    expect(m.size).toBe(0);
  });
});

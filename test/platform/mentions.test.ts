// Mentions as adapters hand them to the core: each person once, under a token
// that is one word and names nobody else.
import { describe, expect, it } from 'vitest';
import { Mentions } from '../../src/platform/mentions.js';

describe('mentions', () => {
  it('gives each person one token, made of their name as one word', () => {
    const m = new Mentions();
    expect(m.add('U1', 'Ana Silva')).toBe('@Ana_Silva');
    expect(m.add('U1', 'Ana Silva')).toBe('@Ana_Silva');
    expect(m.add('2100', 'Ben', 'ben.okafor')).toBe('@ben.okafor');
    expect(m.tokenOf('2100')).toBe('@ben.okafor');
    expect(m.tokenOf('U9')).toBeUndefined();
    expect(m.list).toEqual([
      { token: '@Ana_Silva', id: 'U1', displayName: 'Ana Silva' },
      { token: '@ben.okafor', id: '2100', displayName: 'Ben' },
    ]);
  });

  it('tells apart two people with the same name, and a name with no letters, by id', () => {
    const m = new Mentions();
    m.add('U1', 'Sam');
    expect(m.add('U2', 'sam')).toBe('@U2');
    expect(m.add('U3', '🙂')).toBe('@U3');
  });
});

import { describe, expect, it } from 'vitest';
import { clip, listWords, plural } from '../src/text/format.js';

describe('wording helpers', () => {
  it('counts with the right word', () => {
    expect(plural(1, 'chat')).toBe('1 chat');
    expect(plural(0, 'chat')).toBe('0 chats');
    expect(plural(2, 'person', 'people')).toBe('2 people');
    expect(plural(1200, 'member')).toBe('1,200 members');
  });

  it('lists words as a sentence would', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['A'])).toBe('A');
    expect(listWords(['A', 'B'])).toBe('A and B');
    expect(listWords(['A', 'B', 'C'])).toBe('A, B and C');
    expect(listWords(['a lead', 'a delegate', 'an admin'], 'or')).toBe('a lead, a delegate or an admin');
  });

  it('clips to one line of at most max characters', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('  two\n lines ', 10)).toBe('two lines');
    expect(clip('abcdefghijk', 5)).toBe('abcd…');
    expect(clip('abcdefghijk', 5)).toHaveLength(5);
  });
});

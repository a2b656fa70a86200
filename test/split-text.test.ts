import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../src/text/split.js';

describe('splitText', () => {
  it('keeps short text whole and lines together', () => {
    expect(splitText('hello\nworld\n', 100)).toEqual(['hello\nworld']);
    expect(splitText('aaaa\nbbbb\ncccc', 9)).toEqual(['aaaa\nbbbb', 'cccc']);
  });

  it('breaks a long line at a space, or hard when it has none', () => {
    expect(splitText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(splitText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });

  it('gives pieces that fit, losing nothing but the breaks', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'é'), maxLength: 120 }), { minLength: 1, maxLength: 30 }), fc.integer({ min: 5, max: 100 }), (lines, max) => {
        const text = lines.join('\n');
        fc.pre(text.trim().length > 0);
        const pieces = splitText(text, max);
        expect(pieces.every((p) => p.length > 0 && p.length <= max)).toBe(true);
        expect(pieces.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
        // Lines that fit are never broken.
        const trimmed = text.replace(/\s+$/, '').split('\n');
        if (trimmed.every((l) => l.length <= max)) expect(pieces.flatMap((p) => p.split('\n')).every((l) => trimmed.includes(l))).toBe(true);
      }),
    );
  });
});

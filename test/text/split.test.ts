import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/text/split.js';

// Words as the splitter sees them: no-break spaces hold a word together.
const rawWords = (s: string) => s.split(/(?:(?![\u00a0\u2007\u202f])\s)+/).filter((w) => w.trim());
const words = (s: string) => rawWords(s).map((w) => w.trim());
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s.replace(/\s+/g, ''))].map((g) => g.segment);

describe('splitting long messages', () => {
  it('leaves a message within the limit alone, but for trailing space', () => {
    expect(splitText('  short\n\ntext \n', 100)).toEqual(['  short\n\ntext']);
  });

  it("keeps a line's own indentation where a part starts", () => {
    expect(splitText('Actions:\n  - call the council\n  - write to the board', 20)).toEqual(['Actions:', '  - call the council', '  - write to the', 'board']);
  });

  it('splits at paragraph breaks first, keeping paragraphs whole', () => {
    const paras = ['First paragraph is here.', 'Second one, a bit longer than that.', 'Third.'];
    expect(splitText(paras.join('\n\n'), 40)).toEqual([paras[0], paras[1], paras[2]]);
    // Paragraphs that fit together share a part, with their blank line.
    expect(splitText(paras.join('\n\n'), 65)).toEqual([`${paras[0]}\n\n${paras[1]}`, paras[2]]);
  });

  it('splits a paragraph that is too long at line breaks, then at spaces', () => {
    const text = 'line one is here\nline two is here\n\nthe last paragraph has quite a few words in it';
    expect(splitText(text, 20)).toEqual(['line one is here', 'line two is here', 'the last paragraph', 'has quite a few', 'words in it']);
  });

  it('never cuts a word unless the word alone is longer than the limit', () => {
    const text = 'see https://example.org/a-very-long-address-that-goes-on-and-on for details';
    const parts = splitText(text, 20);
    expect(parts.every((p) => p.length <= 20)).toBe(true);
    expect(parts[0]).toBe('see');
    expect(parts.at(-1)).toBe('for details');
    expect(parts.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
  });

  it('keeps emoji, accents and flags whole, and never leaves half a surrogate pair', () => {
    const family = '👩‍👩‍👧‍👦'; // one grapheme, 11 UTF-16 units
    const text = `Café ${family}${family}${family} 🇬🇧🇬🇧 naïve`;
    for (const limit of [5, 11, 12, 15]) {
      const parts = splitText(text, limit);
      for (const p of parts) {
        expect(p.length).toBeLessThanOrEqual(limit);
        expect(wellFormed(p)).toBe(true);
      }
      expect(graphemes(parts.join(''))).toEqual(graphemes(text));
    }
    // A grapheme longer than the limit is cut between code points, not inside one.
    for (const p of splitText(family, 4)) expect(wellFormed(p)).toBe(true);
  });

  it('splits text without spaces (Japanese) between words', () => {
    const text = '今日は会議がありました。予算の相談は一月に始まります。'.repeat(3);
    const parts = splitText(text, 16);
    expect(parts.every((p) => p.length <= 16)).toBe(true);
    expect(parts.join('')).toBe(text);
    // Word boundaries as Intl.Segmenter sees them: no part starts inside a word.
    const starts = new Set([...new Intl.Segmenter('ja', { granularity: 'word' }).segment(text)].map((s) => s.index));
    let at = 0;
    for (const p of parts) {
      expect(starts.has(at)).toBe(true);
      at += p.length;
    }
  });

  it('does not break at a no-break space', () => {
    expect(splitText('pay £1\u00a0000 now please', 9)).toEqual(['pay', '£1\u00a0000', 'now', 'please']);
  });

  it('holds its rules for any text (property)', () => {
    const piece = fc.oneof(
      fc.constantFrom(' ', '\n', '\n\n', '\t', 'é', '👍🏽', '漢字', '\u00a0'),
      fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme-ascii' }),
      fc.string({ minLength: 1, maxLength: 30, unit: 'grapheme' }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }).map((a) => a.join('')), fc.integer({ min: 4, max: 80 }), (text, limit) => {
        const parts = splitText(text, limit);
        for (const p of parts) {
          expect(p.length).toBeLessThanOrEqual(limit);
          expect(wellFormed(p)).toBe(true);
          if (text.length > limit) expect(p.trim()).not.toBe('');
        }
        // Nothing lost, nothing reordered: only the white space where parts meet goes.
        expect(parts.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''));
        // Every word that fits the limit arrives whole.
        const got = parts.flatMap(words);
        for (const w of rawWords(text)) if (w.length <= limit) expect(got).toContain(w.trim());
      }),
      { numRuns: 300 },
    );
  });
});

describe('splitText: lines, spaces and hard breaks', () => {
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

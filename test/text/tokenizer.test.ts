import { describe, expect, it } from 'vitest';
import { flagName, unquote, tokenize } from '../../src/text/tokenizer.js';

const texts = (s: string) => tokenize(s).map((t) => t.text);

describe('tokenizer', () => {
  it('splits words on any white space', () => {
    expect(texts('poll  close\t3\n')).toEqual(['poll', 'close', '3']);
  });

  it('groups quoted words, straight or curly as phones type them', () => {
    expect(texts('poll "Which day?" "Tuesday evening" Thursday')).toEqual(['poll', 'Which day?', 'Tuesday evening', 'Thursday']);
    expect(texts('poll \u201cWhich day?\u201d \u201cTue\u201d')).toEqual(['poll', 'Which day?', 'Tue']);
    expect(tokenize('"a b"')[0]).toMatchObject({ quoted: true, start: 0, end: 5 });
  });

  it('keeps apostrophes inside words and escaped quotes inside quotes', () => {
    expect(texts("don't stop")).toEqual(["don't", 'stop']);
    expect(texts('"say \\"hi\\"" x')).toEqual(['say "hi"', 'x']);
  });

  it('handles unicode letters, emoji and non-breaking spaces', () => {
    expect(texts('vote Café\u00a0🎉 "Gàidhlig ùr"')).toEqual(['vote', 'Café', '🎉', 'Gàidhlig ùr']);
  });

  it('marks an unterminated quote instead of failing', () => {
    const t = tokenize('poll "Which day');
    expect(t[1]).toMatchObject({ text: 'Which day', unterminated: true });
  });

  it('returns nothing for empty or blank input', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize('   \n\t ')).toEqual([]);
  });

  it('recognises --flags, --key=value and the dashes phones substitute', () => {
    const [a, b, c, d, e] = tokenize('--anonymous --closes=2d \u2014multi \u2013hidden "--quoted"');
    expect(flagName(a!)).toBe('anonymous');
    expect(flagName(b!)).toBe('closes');
    expect(flagName(c!)).toBe('multi');
    expect(flagName(d!)).toBe('hidden');
    expect(flagName(e!)).toBeUndefined();
    expect(flagName(tokenize('--')[0]!)).toBeUndefined();
    expect(flagName(tokenize('-5')[0]!)).toBeUndefined();
  });
});

describe('unquote', () => {
  it('takes the quotes off text typed in quotes as a whole, and leaves other text alone', () => {
    expect(unquote('"Food Network"')).toBe('Food Network');
    expect(unquote(' \u201cFood Network\u201d ')).toBe('Food Network');
    expect(unquote('\u201eFood Network\u201c')).toBe('Food Network');
    expect(unquote('"Food')).toBe('Food');
    expect(unquote('Food Network')).toBe('Food Network');
    expect(unquote('"Food" Network')).toBe('"Food" Network');
    expect(unquote('"A" and "B"')).toBe('"A" and "B"');
  });
});

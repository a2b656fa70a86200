// validateNewPoll: every guard of a new poll, as a pure function.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import type { NewPoll } from '../../src/polls/types.js';
import { MAX_LABEL, MAX_OPTIONS, MAX_QUESTION, validateNewPoll } from '../../src/polls/validate.js';

const NOW = Date.UTC(2026, 11, 4, 12);
const HOUR = 3600_000;
const ctx = { now: NOW, tz: 'UTC', isLead: (p: number) => p === 1 };
const poll = (over: Partial<NewPoll> = {}): NewPoll => ({ question: 'Which day?', options: ['Tue', 'Thu'], createdBy: 2, collabId: 1, ...over });
const refusal = (input: NewPoll) => {
  try {
    validateNewPoll(input, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('accepted');
};

describe('validateNewPoll', () => {
  it('trims the question and options and fills in the defaults', () => {
    expect(validateNewPoll(poll({ question: '  Which day? ', options: [' Tue ', 'Thu', '  '] }), ctx)).toEqual({ question: 'Which day?', type: 'choice', labels: ['Tue', 'Thu'], multi: 1 });
  });

  it('gives a proposal its four fixed options and refuses others', () => {
    expect(validateNewPoll(poll({ type: 'proposal', options: [] }), ctx).labels).toEqual(['Agree', 'Abstain', 'Disagree', 'Block']);
    expect(refusal(poll({ type: 'proposal' }))).toMatch(/fixed options.*For example: \/poll/);
  });

  it.each([
    ['no question', poll({ question: '   ' }), /needs a question. For example/],
    ['a long question', poll({ question: 'x'.repeat(MAX_QUESTION + 1) }), /too long \(301 characters\)/],
    ['one option', poll({ options: ['Tue'] }), /2 to 20 options.*you gave 1. For example/],
    ['too many options', poll({ options: Array.from({ length: MAX_OPTIONS + 1 }, (_, i) => `o${i}`) }), /you gave 21/],
    ['a long option', poll({ options: ['Tue', 'y'.repeat(MAX_LABEL + 1)] }), /too long.*under 100/],
    ['an option twice', poll({ options: ['Tue', 'tue'] }), /"tue" is there twice/],
    ['--multi on a ranked poll', poll({ type: 'ranked', multi: 2 }), /--multi is for choice polls only/],
    ['--multi over the options', poll({ multi: 3 }), /--multi must be a number from 2 to the number of options \(2\)/],
    ['a closing time in the past', poll({ closesAt: NOW - HOUR }), /at least 5 minutes from now.*would have been/],
    ['a closing time over a year away', poll({ closesAt: NOW + 400 * 24 * HOUR }), /at most a year/],
    ['a quorum of 0', poll({ quorum: 0 }), /--quorum is the number of voters/],
    ['--native on a score poll', poll({ type: 'score', native: true }), /--native is for choice polls and proposals/],
    ['--native and --anonymous', poll({ native: true, anonymous: true }), /can't be --anonymous/],
    ['--everywhere by a non-lead', poll({ everywhere: true }), /Only a lead or an admin/],
    ['--everywhere by the system', poll({ everywhere: true, createdBy: null }), /Only a lead or an admin/],
  ])('refuses %s, saying what to do', (_, input, message) => {
    expect(refusal(input)).toMatch(message);
  });

  it('accepts a lead posting everywhere, a closing time in range and a quorum', () => {
    expect(() => validateNewPoll(poll({ everywhere: true, createdBy: 1, closesAt: NOW + 2 * HOUR, quorum: 3, multi: 2 }), ctx)).not.toThrow();
  });

  it('only ever accepts 2 to 20 distinct, trimmed, short options', () => {
    const label = fc.string({ maxLength: 110 });
    fc.assert(
      fc.property(fc.array(label, { maxLength: 24 }), fc.constantFrom('choice', 'ranked', 'score') as fc.Arbitrary<'choice'>, (options, type) => {
        let valid;
        try {
          valid = validateNewPoll(poll({ options, type }), ctx);
        } catch (err) {
          expect(err).toBeInstanceOf(UserError);
          return;
        }
        expect(valid.labels.length).toBeGreaterThanOrEqual(2);
        expect(valid.labels.length).toBeLessThanOrEqual(MAX_OPTIONS);
        expect(new Set(valid.labels.map((l) => l.toLowerCase())).size).toBe(valid.labels.length);
        for (const l of valid.labels) expect(l === l.trim() && l.length > 0 && l.length <= MAX_LABEL).toBe(true);
      }),
    );
  });
});

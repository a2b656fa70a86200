import { describe, expect, it } from 'vitest';
import { describeBallot, parseBallot } from '../../src/polls/ballot.js';
import { UserError } from '../../src/errors.js';

const options = (...labels: string[]) => labels.map((label, i) => ({ idx: i + 1, label }));
const choice = { id: 1, type: 'choice' as const, multi: 1, options: options('Tuesday', 'Thursday', 'Next Tuesday') };

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('reading a vote', () => {
  it('takes an option number, its text in any case, or an unambiguous start of it', () => {
    expect(parseBallot(choice, ['2'])).toEqual([{ idx: 2, value: 1 }]);
    expect(parseBallot(choice, ['THURSDAY'])).toEqual([{ idx: 2, value: 1 }]);
    expect(parseBallot(choice, ['thu'])).toEqual([{ idx: 2, value: 1 }]);
    expect(parseBallot(choice, ['tuesday'])).toEqual([{ idx: 1, value: 1 }]); // exact beats prefix
    expect(parseBallot(choice, ['next', 'tuesday'])).toEqual([{ idx: 3, value: 1 }]); // several words of one option
  });

  it('refuses unknown, ambiguous, missing and too many choices, saying what to type', () => {
    expect(refusal(() => parseBallot(choice, ['friday']))).toMatch(/no option "friday".*1\. Tuesday, 2\. Thursday, 3\. Next Tuesday.*\/vote 1 2/s);
    expect(refusal(() => parseBallot(choice, ['t']))).toMatch(/could be 1\. Tuesday or 2\. Thursday.*\/vote 1 1/);
    expect(refusal(() => parseBallot(choice, []))).toMatch(/Say what you choose/);
    expect(refusal(() => parseBallot(choice, ['1', '2']))).toMatch(/takes one choice/);
    expect(refusal(() => parseBallot(choice, ['4']))).toMatch(/no option "4"/);
  });

  it('takes up to K choices in a multi-choice poll, ignoring repeats', () => {
    const multi = { ...choice, multi: 2 };
    expect(parseBallot(multi, ['3', 'tue', '3'])).toEqual([{ idx: 1, value: 1 }, { idx: 3, value: 1 }]);
    expect(refusal(() => parseBallot(multi, ['1', '2', '3']))).toMatch(/up to 2 choices, and you picked 3, so that vote was not counted/);
  });

  it('reads proposal positions by name', () => {
    const proposal = { id: 2, type: 'proposal' as const, multi: 1, options: options('Agree', 'Abstain', 'Disagree', 'Block') };
    expect(parseBallot(proposal, ['block'])).toEqual([{ idx: 4, value: 1 }]);
    expect(parseBallot(proposal, ['dis'])).toEqual([{ idx: 3, value: 1 }]);
    expect(refusal(() => parseBallot(proposal, ['a']))).toMatch(/could be 1\. Agree or 2\. Abstain/);
  });

  it('reads a ranking (numbers, names or commas), refusing repeats; a partial ranking is fine', () => {
    const ranked = { id: 4, type: 'ranked' as const, multi: 1, options: options('Memphis', 'Nashville', 'Chattanooga', 'Knoxville') };
    expect(parseBallot(ranked, ['3', '1', '2'])).toEqual([{ idx: 3, value: 1 }, { idx: 1, value: 2 }, { idx: 2, value: 3 }]);
    expect(parseBallot(ranked, ['knox', 'nash'])).toEqual([{ idx: 4, value: 1 }, { idx: 2, value: 2 }]);
    expect(parseBallot(ranked, ['4,2'])).toEqual([{ idx: 4, value: 1 }, { idx: 2, value: 2 }]);
    expect(refusal(() => parseBallot(ranked, ['1', '2', '1']))).toMatch(/ranked Memphis twice/);
    expect(describeBallot(ranked, parseBallot(ranked, ['4', '2']))).toBe('1. Knoxville, 2. Nashville');
  });

  it('reads option=score pairs from 0 to 5', () => {
    const score = { id: 6, type: 'score' as const, multi: 1, options: options('Morning', 'Afternoon', 'Late evening') };
    expect(parseBallot(score, ['1=4', 'afternoon=5'])).toEqual([{ idx: 1, value: 4 }, { idx: 2, value: 5 }]);
    expect(parseBallot(score, ['Late evening', '=0', '1:3'])).toEqual([{ idx: 1, value: 3 }, { idx: 3, value: 0 }]);
    expect(refusal(() => parseBallot(score, ['1=6']))).toMatch(/whole number from 0 to 5/);
    expect(refusal(() => parseBallot(score, ['morning']))).toMatch(/like option=score/);
    expect(refusal(() => parseBallot(score, ['1=x']))).toMatch(/whole number/);
  });
});

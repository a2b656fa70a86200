// The decisions adapters make alike when they draw a poll from its PollView.
import { describe, expect, it } from 'vitest';
import { nativePollFits, picksSeveral, votedByPicking } from '../../src/platform/poll-view.js';
import { pollView as view } from '../helpers/poll-view.js';

describe('poll views', () => {
  it('has choice polls and proposals voted by picking, ranked and score polls by typing', () => {
    expect(votedByPicking(view())).toBe(true);
    expect(votedByPicking(view({ type: 'proposal' }))).toBe(true);
    expect(votedByPicking(view({ type: 'ranked' }))).toBe(false);
    expect(votedByPicking(view({ type: 'score' }))).toBe(false);
  });

  it('lets voters pick several options only in a choice poll with --multi', () => {
    expect(picksSeveral(view({ multi: 2 }))).toBe(true);
    expect(picksSeveral(view())).toBe(false);
  });

  it('never shows an anonymous or hidden poll, or a typed one, as the platform’s own poll', () => {
    expect(nativePollFits(view())).toBe(true);
    expect(nativePollFits(view({ type: 'proposal' }))).toBe(true);
    expect(nativePollFits(view({ anonymous: true }))).toBe(false);
    expect(nativePollFits(view({ hidden: true }))).toBe(false);
    expect(nativePollFits(view({ type: 'ranked' }))).toBe(false);
  });
});

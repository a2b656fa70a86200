// Enabling and Invest requests end to end: the request opens the leads' poll,
// and the grant follows the poll when a lead closes it or its time runs out.
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import { GRANT_POLL_DAYS } from '../../src/grants/poll-decisions.js';
import type { Harness } from '../helpers/harness.js';
import { foodNetwork, stateOf } from './setup.js';

let h: Harness;
afterEach(async () => {
  expect(ledgerDiscrepancies(h.db)).toEqual([]);
  await h.close();
});

describe("grants decided by the leads' poll (wired)", () => {
  it('opens a proposal only leads vote in, and approves the grant when the poll passes', async () => {
    h = await foodNetwork();
    await h.say('/fund set enabling 20000', { as: 'ana' });
    const sent = await h.say('/grant request enabling £8,000 Run a year of weekly community food workshops', { as: 'ben' });
    expect(sent).toContain(
      '[main] Grant #1 requested: £8,000.00 from Enabling for Food Network.\nThe leads decide Enabling grants together by poll (poll #1). ' +
        "I'll tell this chat when it closes. To withdraw it meanwhile: /grant withdraw 1",
    );
    expect(sent.find((l) => l.startsWith('[main] Poll #1 (proposal): Approve grant request #1 from Food Network: £8,000.00 (Enabling)'))).toContain('Only leads can vote.');
    expect(sent.filter((l) => /^\[@(lee|lou|lia)\] Poll #1 \(proposal\)/.test(l))).toHaveLength(3);
    expect((await h.say('/vote 1 agree', { as: 'ben' }))[0]).toContain('Only leads can vote in poll #1');
    await h.say('/vote 1 agree', { as: 'lee' });
    await h.say('/vote 1 agree', { as: 'lou' });
    await h.say('/vote 1 disagree', { as: 'lia' });
    expect(stateOf(h, 1)).toBe('submitted');
    const closed = await h.say('/poll close 1', { as: 'lee' });
    expect(closed).toContain("[main] Grant #1 is approved: the leads' poll #1 passed. £8,000.00 is reserved from Enabling.");
    expect(stateOf(h, 1)).toBe('approved');
    expect((await h.say('/fund'))[0]).toContain('budget £20,000.00, approved £8,000.00');
  });

  it('declines the grant when the poll is blocked and closes on its own', async () => {
    h = await foodNetwork();
    await h.say('/fund set invest 50000', { as: 'ana' });
    await h.say('/grant request invest £30,000 Open a community grocery in the old library', { as: 'ben' });
    await h.say('/vote 1 agree', { as: 'lee' });
    await h.say('/vote 1 block', { as: 'lia' });
    const later = await h.advance(GRANT_POLL_DAYS * 86_400_000);
    expect(later).toContain("[main] Grant #1 is declined: the leads' poll #1 did not pass. Type /grant show 1 for its history.");
    expect(stateOf(h, 1)).toBe('declined');
  });

  it('leaves a withdrawn request alone when its poll closes', async () => {
    h = await foodNetwork();
    await h.say('/fund set enabling 20000', { as: 'ana' });
    await h.say('/grant request enabling 3000 Train ten volunteers as community researchers', { as: 'ben' });
    await h.say('/vote 1 agree', { as: 'lee' });
    await h.say('/grant withdraw 1', { as: 'ben' });
    await h.say('/poll close 1', { as: 'lee' });
    expect(stateOf(h, 1)).toBe('withdrawn');
  });
});

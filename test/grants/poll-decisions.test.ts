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
    await h.say('/vote 1 block -- it ignores under-18s', { as: 'lia' });
    const later = await h.advance(GRANT_POLL_DAYS * 86_400_000);
    expect(later).toContain("[main] Grant #1 is declined: the leads' poll #1 did not pass. Type /grant show 1 for its history.");
    expect(stateOf(h, 1)).toBe('declined');
    // The ledger keeps why: the reasons given with the block.
    expect((await h.say('/grant show 1', { as: 'ben' })).join('\n')).toContain("leads' poll #1 did not pass. Reasons given: block (lia: it ignores under-18s)");
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

  it('closes the open poll when the request is withdrawn, saying why, so the leads stop voting', async () => {
    h = await foodNetwork();
    await h.say('/fund set enabling 20000', { as: 'ana' });
    await h.say('/grant request enabling 3000 Train ten volunteers as community researchers', { as: 'ben' });
    await h.say('/vote 1 agree', { as: 'lee' });
    await h.say('/vote 1 agree', { as: 'lou' });
    const withdrawn = await h.say('/grant withdraw 1', { as: 'ben' });
    expect(withdrawn).toContain('[main] Done: grant #1 is withdrawn.');
    const closing = withdrawn.find((l) => l.startsWith('[main] Poll #1 is closed.'));
    expect(closing).toMatch(/^\[main\] Poll #1 is closed\. Grant #1 was withdrawn, so there is nothing left to decide\.\nResults of poll #1/);
    expect(closing).not.toContain('closing time');
    expect(h.services.polls.get(1)).toMatchObject({ status: 'closed', closed_by: null });
    expect(h.services.scheduler.pendingAt('poll:1:close')).toBeUndefined();
    expect((await h.say('/vote 1 agree', { as: 'lia' }))[0]).toContain('Poll #1 closed on');
    expect(stateOf(h, 1)).toBe('withdrawn');
    expect((await h.say('/fund'))[0]).toContain('budget £20,000.00, approved £0.00');
  });

  it("refuses to reopen the poll of a request it has decided: the decision stands", async () => {
    h = await foodNetwork();
    await h.say('/fund set enabling 20000', { as: 'ana' });
    await h.say('/grant request enabling 3000 Train ten volunteers as community researchers', { as: 'ben' });
    for (const who of ['lee', 'lou', 'lia']) await h.say('/vote 1 disagree', { as: who });
    await h.say('/poll close 1', { as: 'lee' });
    expect(stateOf(h, 1)).toBe('declined');
    expect(await h.say('/poll reopen 1', { as: 'lou' })).toEqual([
      "[main] Poll #1 was the leads' decision on grant #1, which is now declined, so it can't be reopened.\n" +
        'To ask again, make a new request, e.g. /grant request enabling 3000 <what it is for>',
    ]);
    expect(h.services.polls.get(1)!.status).toBe('closed');
  });
});

describe("conflicts of interest in the leads' poll", () => {
  it('refuses the vote of a lead who asked for the grant or facilitates the collab, and does not count them', async () => {
    h = await foodNetwork();
    await h.say('/role add @fay lead', { as: 'ana' });
    await h.say('/role add @fay facilitator', { as: 'ana' });
    await h.say('/fund set enabling 20000', { as: 'ana' });
    const sent = await h.say('/grant request enabling £8,000 Run a year of weekly community food workshops', { as: 'lee' });
    // Only the leads who may decide get the poll privately.
    expect(sent.filter((l) => /^\[@\w+\] Poll #1 \(proposal\)/.test(l)).map((l) => l.split(']')[0])).toEqual(['[@lou', '[@lia']);
    expect(await h.say('/vote 1 agree', { as: 'lee' })).toEqual([
      "[main] You can't vote in poll #1: you asked for grant #1, so that would be a conflict of interest. The other leads will decide.",
    ]);
    expect(await h.say('/vote 1 agree', { as: 'fay', in: 'fay-dm', direct: true })).toEqual([
      "[fay-dm] You can't vote in poll #1: you facilitate Food Network, which asked for grant #1, so that would be a conflict of interest. The other leads will decide.",
    ]);
    // Nor may they decide it by closing the poll early.
    await h.say('/vote 1 agree', { as: 'lou' });
    expect(await h.say('/poll close 1', { as: 'lee' })).toEqual([
      "[main] You can't close poll #1: you asked for grant #1, so that would be a conflict of interest. The other leads will decide.",
    ]);
    expect(h.services.polls.get(1)!.status).toBe('open');
    expect(h.services.polls.result(h.services.polls.get(1)!).voters).toBe(1);
    // The 24-hour reminder counts only the leads who may still vote: lia.
    const warned = await h.advance((GRANT_POLL_DAYS - 1) * 86_400_000);
    expect(warned.find((l) => l.startsWith('[main] Poll #1 closes in 24 hours'))).toContain('1 person has not voted yet: lia.');
  });
});

// Money decided by enough leads, and by nobody with a conflict of interest
// (issue 15, item 3), through the console bot.
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import { GRANT_POLL_DAYS, grantQuorum } from '../../src/grants/poll-decisions.js';
import type { Harness } from '../helpers/harness.js';
import { foodNetwork, stateOf } from '../grants/setup.js';

let h: Harness;
let open = false;
afterEach(async () => {
  if (!open) return;
  open = false;
  expect(ledgerDiscrepancies(h.db)).toEqual([]);
  await h.close();
});
async function network(opts?: Parameters<typeof foodNetwork>[0]) {
  h = await foodNetwork(opts);
  open = true;
  return h;
}

describe("a leads' poll on a grant", () => {
  it('does not let one lead approve £90,000 alone: no early close, and alone it does not pass', async () => {
    h = await network();
    await h.say('/fund set invest 100000', { as: 'ana' });
    const asked = await h.say('/grant request invest 90000 Buy the old library for a community grocery', { as: 'ben' });
    const post = asked.find((l) => l.startsWith('[main] Poll #1 (proposal)'))!;
    expect(post).toContain('It passes only if enough leads vote (at least half of the leads who may vote, and never fewer than 2), nobody blocks, and more agree than disagree.');
    expect(post).toContain('Quorum: at least 2 voters needed; 0 voted — not reached yet.');
    await h.say('/vote 1 agree', { as: 'lee' });
    const [refused] = await h.say('/poll close 1', { as: 'lee' });
    expect(refused).toMatch(/^\[main\] Poll #1 decides grant #1, so it can be closed early only once every lead who may vote has voted \(1 of 3 have\)\. It closes by itself on .+\. An admin can close it sooner: without enough votes, that declines the grant\.$/);
    expect(h.services.polls.get(1)!.status).toBe('open');
    expect(stateOf(h, 1)).toBe('submitted');
    // Its time runs out with one vote: not enough leads took part.
    const later = await h.advance(GRANT_POLL_DAYS * 86_400_000);
    expect(later).toContain("[main] Grant #1 is declined: the leads' poll #1 did not pass. Type /grant show 1 for its history.");
    expect(later.find((l) => l.startsWith('[main] Poll #1 is closed.'))).toContain('does not pass: quorum not reached');
  });

  it('lets an admin close early: with a quorum it is decided by the votes, without one it is declined', async () => {
    // ana facilitates Food Network (she created it), so another admin closes.
    h = await network({ admins: 'console:ana,console:ada' });
    await h.say('/fund set invest 100000', { as: 'ana' });
    await h.say('/grant request invest 30000 A van for deliveries', { as: 'ben' });
    await h.say('/grant request invest 20000 A cold room for the food bank', { as: 'ben' });
    await h.say('/vote 1 agree', { as: 'lee' });
    await h.say('/vote 1 agree', { as: 'lou' });
    await h.say('/poll close 1', { as: 'ada' });
    expect(stateOf(h, 1)).toBe('approved');
    await h.say('/vote 2 agree', { as: 'lee' });
    await h.say('/poll close 2', { as: 'ada' });
    expect(stateOf(h, 2)).toBe('declined');
  });

  it('may be closed early by a lead once every lead who may vote has voted', async () => {
    h = await network();
    await h.say('/fund set enabling 20000', { as: 'ana' });
    await h.say('/grant request enabling 5000 Run a year of weekly food workshops', { as: 'ben' });
    for (const who of ['lee', 'lou', 'lia']) await h.say('/vote 1 agree', { as: who });
    await h.say('/poll close 1', { as: 'lia' });
    expect(stateOf(h, 1)).toBe('approved');
  });

  it('needs at least half of the leads who may vote, and never fewer than COLLABOT_GRANT_APPROVALS', () => {
    expect([0, 1, 2, 3, 4, 5, 9, 10].map((n) => grantQuorum(n, 2))).toEqual([2, 2, 2, 2, 2, 3, 5, 5]);
    expect(grantQuorum(3, 3)).toBe(3);
  });
});

describe('the lead role', () => {
  it('is given and taken away by admins only, so a lead cannot add a second account of their own', async () => {
    h = await network();
    expect(await h.say('/role add @sock lead', { as: 'lee' })).toEqual(['[main] Only an admin can give or take away the lead role. Type /roles to see who can help.']);
    expect(await h.say('/role remove @lou lead', { as: 'lee' })).toEqual(['[main] Only an admin can give or take away the lead role. Type /roles to see who can help.']);
    expect(h.services.roles.holders('lead')).toHaveLength(3);
    expect(await h.say('/role add @sock lead', { as: 'ana' })).toEqual(['[main] Done: sock is now a lead.']);
    // Leads still name delegates.
    expect(await h.say('/role add @dee delegate', { as: 'lee' })).toEqual(['[main] Done: dee is now a delegate.']);
  });
});

describe('conflicts of interest', () => {
  it('are fixed when the request is made: a facilitator who drops the role still may not decide', async () => {
    h = await network();
    await h.say('/role add @lee facilitator', { as: 'ana' });
    await h.say('/grant request discovery 800 Run a consultation on food access', { as: 'ben' });
    expect(await h.say('/role remove @lee facilitator', { as: 'lee' })).toEqual(['[main] Done: lee is no longer a facilitator of Food Network.']);
    expect(await h.say('/grant approve 1', { as: 'lee' })).toEqual([
      "[main] You can't decide on grant #1: you facilitated Food Network when it asked for grant #1, so that would be a conflict of interest. Another lead will decide.",
    ]);
    // The same in a leads' poll, for voting and for closing.
    await h.say('/role add @lou facilitator', { as: 'ana' });
    await h.say('/fund set enabling 20000', { as: 'ana' });
    await h.say('/grant request enabling 5000 Run a year of weekly food workshops', { as: 'ben' });
    await h.say('/role remove @lou facilitator', { as: 'lou' });
    expect(await h.say('/vote 1 agree', { as: 'lou' })).toEqual([
      "[main] You can't vote in poll #1: you facilitated Food Network when it asked for grant #2, so that would be a conflict of interest. The other leads will decide.",
    ]);
    // Quorum counts only the leads who may vote: lee and lia (lou is conflicted), so 2.
    expect(h.services.polls.result(h.services.polls.get(1)!).quorum).toBe(2);
    // Someone who becomes a facilitator later is conflicted too (the rule looks at both).
    await h.say('/role add @lia facilitator', { as: 'ana' });
    expect((await h.say('/vote 1 agree', { as: 'lia' }))[0]).toContain("You can't vote in poll #1: you facilitate Food Network");
  });
});

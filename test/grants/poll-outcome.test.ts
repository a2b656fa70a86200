// Enabling and Invest requests are decided by a leads' proposal poll. The
// polls feature calls applyPollOutcome when the poll closes; tested directly here.
import { afterEach, describe, expect, it } from 'vitest';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import type { Harness } from '../helpers/harness.js';
import { foodNetwork, ledgerSize, request, stateOf } from './setup.js';

let h: Harness;
afterEach(async () => {
  expect(ledgerDiscrepancies(h.db)).toEqual([]);
  await h.close();
});

/** What the poll service will do when the poll closes: apply the outcome in its transaction, then deliver. */
async function pollCloses(grantId: number, passed: boolean, pollId: number) {
  const state = h.db.transaction(() => h.services.grants.applyPollOutcome(grantId, passed, pollId))();
  h.services.outbox.notify();
  await h.flush();
  return { state, sent: h.take() };
}

describe('grants decided by the leads\' poll', () => {
  it('waits in submitted, refuses /grant approve and /grant decline, and follows the poll when it passes', async () => {
    h = await foodNetwork();
    h.services.grants.setPollOpener(() => undefined); // outcomes applied by hand below
    await h.say('/fund set enabling 20000', { as: 'ana' });
    const [asked] = await h.say('/grant request enabling £8,000 Run a year of weekly community food workshops', { as: 'ben' });
    expect(asked).toBe(
      '[main] Grant #1 requested: £8,000.00 from Enabling for Food Network.\nThe leads decide Enabling grants together by poll. ' +
        "I'll tell this chat when it closes. To withdraw it meanwhile: /grant withdraw 1",
    );
    expect(stateOf(h, 1)).toBe('submitted');
    // No approvals, so no approval DMs and no approval nudge.
    expect(h.services.scheduler.pendingAt('grant:1:nudge')).toBeUndefined();
    expect((await h.say('/grant approve 1', { as: 'lee' }))[0]).toBe(
      '[main] Grant #1 is an Enabling grant: the leads decide Enabling and larger grants together by poll, not with /grant approve.\nType /grant show 1 to see where it is.',
    );
    expect((await h.say('/grant decline 1 Too big for us', { as: 'lee' }))[0]).toContain('by poll, not with /grant decline');
    expect(h.services.grants.decisions(1)).toEqual([]);

    const before = ledgerSize(h);
    const { state, sent } = await pollCloses(1, true, 7);
    expect(state).toBe('approved');
    expect(sent).toEqual(["[main] Grant #1 is approved: the leads' poll #7 passed. £8,000.00 is reserved from Enabling."]);
    expect(ledgerSize(h)).toBe(before + 1);
    expect(h.db.prepare('SELECT event, from_state, to_state, approved_change, actor_id, actor_name, note FROM grant_ledger ORDER BY id DESC LIMIT 1').get()).toEqual({
      event: 'approved', from_state: 'submitted', to_state: 'approved', approved_change: 800_000, actor_id: null, actor_name: "leads' poll #7", note: "leads' poll #7 passed",
    });
    expect((await h.say('/fund'))[0]).toContain('Enabling (up to £10,000.00 a grant, decided by the leads\' poll): budget £20,000.00, approved £8,000.00');
    expect((await h.say('/grant show 1'))[0]).toContain("— the leads' poll #7 passed. The grant is approved and £8,000.00 is reserved");
    // Then on as any grant.
    await h.say('/grant paid 1', { as: 'ana' });
    expect(stateOf(h, 1)).toBe('paid');
  });

  it('declines when the poll does not pass, or passes with too little money left', async () => {
    h = await foodNetwork();
    h.services.grants.setPollOpener(() => undefined); // outcomes applied by hand below
    await h.say('/fund set invest 50000', { as: 'ana' });
    const a = await request(h, '£30,000', 'invest');
    const b = await request(h, '£30,000', 'invest');
    const c = await request(h, '£25,000', 'invest');
    expect((await pollCloses(a, false, 1)).sent).toEqual([`[main] Grant #${a} is declined: the leads' poll #1 did not pass. Type /grant show ${a} for its history.`]);
    expect(stateOf(h, a)).toBe('declined');
    expect((await pollCloses(c, true, 3)).state).toBe('approved');
    const { state, sent } = await pollCloses(b, true, 2);
    expect(state).toBe('declined');
    expect(sent).toEqual([`[main] Grant #${b} is declined: the leads' poll #2 passed, but the Invest fund has only £25,000.00 left. Type /grant show ${b} for its history.`]);
    expect((await h.say('/fund'))[0]).toContain('Invest (no cap, decided by the leads\' poll): budget £50,000.00, approved £25,000.00');
  });

  it('ignores an outcome for a request no longer waiting, or for another poll, and refuses one decided by approvals', async () => {
    h = await foodNetwork();
    await h.say('/fund set enabling 20000', { as: 'ana' });
    h.services.grants.setPollOpener((grant, fund) => (fund.category === 'enabling' ? 40 + grant.id : undefined));
    const a = await request(h, '£2,000', 'enabling');
    const b = await request(h, '£2,000', 'enabling');
    expect(h.services.grants.require(a).poll_id).toBe(41);
    expect((await h.say(`/grant approve ${b}`, { as: 'lee' }))[0]).toContain('Vote in poll #42.');
    await h.say(`/grant withdraw ${a}`, { as: 'ben' });
    const before = ledgerSize(h);
    expect((await pollCloses(a, true, 41)).state).toBeUndefined();
    expect((await pollCloses(b, true, 99)).state).toBeUndefined();
    expect(ledgerSize(h)).toBe(before);
    expect(stateOf(h, b)).toBe('submitted');
    const d = await request(h, '£100');
    expect(() => h.services.grants.applyPollOutcome(d, true, 1)).toThrow('decided by approvals');
    expect(() => h.services.grants.applyPollOutcome(999, true, 1)).toThrow('there is no grant #999');
  });

  it('says which poll decides it when the polls feature opened one', async () => {
    h = await foodNetwork();
    await h.say('/fund set enabling 20000', { as: 'ana' });
    const seen: number[] = [];
    h.services.grants.setPollOpener((grant) => {
      seen.push(grant.id);
      return 42;
    });
    const [asked] = await h.say('/grant request enabling 3000 Train ten volunteers as community researchers', { as: 'ben' });
    expect(asked).toContain('The leads decide Enabling grants together by poll (poll #42).');
    expect(seen).toEqual([1]);
    // Discovery requests never open a poll.
    await request(h, '£100');
    expect(seen).toEqual([1]);
  });
});

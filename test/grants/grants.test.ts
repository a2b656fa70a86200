import { afterEach, describe, expect, it } from 'vitest';
import { ledgerDiscrepancies } from '../../src/grants/ledger.js';
import { NUDGE_AFTER_MS, REPORT_DUE_MS } from '../../src/grants/service.js';
import { GRANT_ACTIONS, GRANT_STATES, TRANSITIONS, type GrantAction, type GrantState } from '../../src/grants/transitions.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { DONE_WHEN_SCRIPT, foodNetwork, ledgerSize, request, stateOf } from './setup.js';

let h: Harness;
afterEach(async () => {
  if (!h) return;
  // Whatever a test did, the ledger agrees with the fund totals.
  expect(ledgerDiscrepancies(h.db)).toEqual([]);
  await h.close();
  h = undefined!;
});

const main = (lines: string[]) => lines.filter((l) => l.startsWith('[main]'));

describe('the Done-when script', () => {
  it('ends with the grant approved and Discovery remaining £4,250.00', async () => {
    h = await createHarness({ admins: 'console:ana' });
    const out = await h.script(DONE_WHEN_SCRIPT);
    const text = out.join('\n');
    expect(text).toContain('[main] Grant #1 requested: £750.00 from Discovery for Food Network.');
    expect(text).toContain('[main] Discovery grants are up to £1,000.00, and this asks for £1,500.00.');
    expect(text).toContain('[main] Only a lead (being an admin is not enough) can use /grant approve.');
    expect(text).toContain('[main] Thank you, lee: grant #1 has 1 of 2 approvals.');
    expect(text).toContain('[main] Grant #1 is approved (2 of 2 approvals, the last from lou). £750.00 is reserved from Discovery, which has £4,250.00 left.');
    expect(out.at(-1)).toContain('• Discovery (up to £1,000.00 a grant): budget £5,000.00, approved £750.00, paid £0.00, remaining £4,250.00');
    expect(stateOf(h, 1)).toBe('approved');
    // The refused request left no grant behind.
    expect(h.services.grants.list(null).total).toBe(1);
  });
});

describe('transitions', () => {
  // Written out independently of TRANSITIONS, so a wrong table fails here.
  const ALLOWED: Record<string, GrantState> = {
    'submitted approve': 'approved',
    'submitted decline': 'declined',
    'submitted withdraw': 'withdrawn',
    'approved pay': 'paid',
    'paid report': 'reported',
  };

  it('the table is exactly the allowed transitions', () => {
    const table: Record<string, GrantState> = {};
    for (const s of GRANT_STATES) for (const [a, to] of Object.entries(TRANSITIONS[s])) table[`${s} ${a}`] = to!;
    expect(table).toEqual(ALLOWED);
  });

  /** Bring a new grant to `state` by typing the commands people type. */
  async function grantIn(state: GrantState): Promise<number> {
    const id = await request(h, '£10');
    const steps: Record<GrantState, [string, string][]> = {
      submitted: [],
      approved: [['lee', `/grant approve ${id}`], ['lou', `/grant approve ${id}`]],
      declined: [['lee', `/grant decline ${id} Not this time please`]],
      withdrawn: [['ben', `/grant withdraw ${id}`]],
      paid: [['lee', `/grant approve ${id}`], ['lou', `/grant approve ${id}`], ['ana', `/grant paid ${id}`]],
      reported: [['lee', `/grant approve ${id}`], ['lou', `/grant approve ${id}`], ['ana', `/grant paid ${id}`], ['ben', `/grant report ${id} Forty people came to the consultation`]],
    };
    for (const [as, line] of steps[state]) await h.say(line, { as });
    expect(stateOf(h, id)).toBe(state);
    return id;
  }

  const act: Record<GrantAction, (id: number) => Promise<string[]>> = {
    approve: async (id) => {
      const first = await h.say(`/grant approve ${id}`, { as: 'lia' });
      return /1 of 2 approvals/.test(first[0]!) ? h.say(`/grant approve ${id}`, { as: 'lou' }) : first;
    },
    decline: (id) => h.say(`/grant decline ${id} The plan is not clear yet`, { as: 'lia' }),
    withdraw: (id) => h.say(`/grant withdraw ${id}`, { as: 'ben' }),
    pay: (id) => h.say(`/grant paid ${id}`, { as: 'ana' }),
    report: (id) => h.say(`/grant report ${id} We ran three sessions with forty people`, { as: 'ben' }),
  };

  it('allows exactly the table and refuses every other transition, naming the current state', async () => {
    h = await foodNetwork();
    await h.say('/fund set discovery 1000', { as: 'ana' });
    for (const state of GRANT_STATES) {
      for (const action of GRANT_ACTIONS) {
        const id = await grantIn(state);
        const before = ledgerSize(h);
        const replies = main(await act[action](id));
        const to = ALLOWED[`${state} ${action}`];
        if (to) {
          expect(stateOf(h, id), `${state} → ${action}`).toBe(to);
          expect(ledgerSize(h)).toBeGreaterThan(before);
        } else {
          expect(replies, `${state} → ${action}`).toHaveLength(1);
          expect(replies[0]).toMatch(new RegExp(`^\\[main\\] Grant #${id} is ${state} \\(.+\\), so it can't be `));
          expect(replies[0]).toContain(`Type /grant show ${id}`);
          expect(stateOf(h, id)).toBe(state);
          expect(ledgerSize(h)).toBe(before);
        }
      }
    }
  });
});

describe('decisions', () => {
  it('needs approvals from different leads; a lead cannot approve twice', async () => {
    h = await foodNetwork({ env: { COLLABOT_GRANT_APPROVALS: '3' } });
    const id = await request(h);
    expect(main(await h.say(`/grant approve ${id} Good plan`, { as: 'lee' }))).toEqual([`[main] Thank you, lee: grant #${id} has 1 of 3 approvals. It needs 2 more from other leads.`]);
    expect(main(await h.say(`/grant approve ${id}`, { as: 'lee' }))).toEqual([`[main] You already approved grant #${id}. It needs approvals from 3 different leads and has 1.`]);
    await h.say(`/grant approve ${id}`, { as: 'lou' });
    expect(stateOf(h, id)).toBe('submitted');
    expect(main(await h.say(`/grant approve ${id}`, { as: 'lia' }))[0]).toContain(`Grant #${id} is approved (3 of 3 approvals, the last from lia)`);
    const show = (await h.say(`/grant show ${id}`))[0]!;
    expect(show).toContain('lee approved (1 of 3): Good plan');
    expect(show).toContain('lia approved (3 of 3). The grant is approved and £100.00 is reserved');
  });

  it('one decline with a reason ends the request, and says why in the collab', async () => {
    h = await foodNetwork();
    await h.say('/collab link Food Network', { as: 'ana', in: 'food-slack' });
    const id = await request(h);
    await h.say(`/grant approve ${id}`, { as: 'lee' });
    expect((await h.say(`/grant decline ${id}`, { as: 'lou' }))[0]).toContain('Something is missing: reason');
    expect((await h.say(`/grant decline ${id} no`, { as: 'lou' }))[0]).toContain('The reason needs at least 2 words');
    const out = await h.say(`/grant decline ${id} Please say who runs it and when`, { as: 'lou', in: 'leads' });
    expect(out).toContain(`[leads] Grant #${id} is declined. lou said: Please say who runs it and when`);
    // The collab's chats hear it; the chat it was typed in hears it once.
    expect(out.filter((l) => l.startsWith('[main] Grant #') && l.includes('is declined by lou: Please say who runs it and when'))).toHaveLength(1);
    expect(out.filter((l) => l.startsWith('[food-slack] Grant #'))).toHaveLength(1);
    expect(out.filter((l) => l.startsWith('[leads]'))).toHaveLength(1);
    expect(stateOf(h, id)).toBe('declined');
    expect((await h.say(`/grant approve ${id}`, { as: 'lia' }))[0]).toContain(`Grant #${id} is declined (that is final)`);
  });

  it('refuses a conflict of interest: the lead who asked, or who facilitates the collab', async () => {
    h = await foodNetwork();
    await h.say('/role add @fay lead', { as: 'ana' });
    await h.say('/role add @fay facilitator', { as: 'ana' });
    // lee asks for a grant for the collab.
    const [asked] = main(await h.say('/grant request discovery 300 Pay for a room for six community meetings', { as: 'lee' }));
    const id = Number(/#(\d+)/.exec(asked!)![1]);
    const before = ledgerSize(h);
    expect(main(await h.say(`/grant approve ${id}`, { as: 'lee' }))).toEqual([
      `[main] You can't decide on grant #${id}: you asked for grant #${id}, so that would be a conflict of interest. Another lead will decide.`,
    ]);
    expect(main(await h.say(`/grant decline ${id} Not needed now`, { as: 'lee' }))[0]).toContain('conflict of interest');
    expect(main(await h.say(`/grant approve ${id}`, { as: 'fay' }))).toEqual([
      `[main] You can't decide on grant #${id}: you facilitate Food Network, which asked for grant #${id}, so that would be a conflict of interest. Another lead will decide.`,
    ]);
    expect(main(await h.say(`/grant decline ${id} Not needed now`, { as: 'fay' }))[0]).toContain('you facilitate Food Network');
    expect(ledgerSize(h)).toBe(before);
    expect(h.services.grants.decisions(id)).toEqual([]);
    // A lead who facilitates another collab is not conflicted here.
    await h.say('/collab create Youth Forum', { as: 'lou', in: 'youth' });
    await h.say(`/grant approve ${id}`, { as: 'lou' });
    await h.say(`/grant approve ${id}`, { as: 'lia' });
    expect(stateOf(h, id)).toBe('approved');
  });

  it('tells only the leads who may decide, and refuses admins who are not leads', async () => {
    h = await foodNetwork();
    await h.say('/role add @fay lead', { as: 'ana' });
    await h.say('/role add @fay facilitator', { as: 'ana' });
    const out = await h.say('/grant request discovery 300 Pay for a room for six community meetings', { as: 'lee' });
    expect(out.filter((l) => l.startsWith('[@')).map((l) => l.split(']')[0])).toEqual(['[@lou', '[@lia']);
    expect(out.find((l) => l.startsWith('[@lou]'))).toContain('New grant request: #1 from Food Network: £300.00 (Discovery) for “Pay for a room for six community meetings”');
    expect(out.find((l) => l.startsWith('[main]'))).toContain("I've sent the request to 2 leads.");
    expect(main(await h.say('/grant approve 1', { as: 'ana' }))[0]).toContain('Only a lead (being an admin is not enough) can use /grant approve.');
  });

  it('says so when too few leads may decide a request', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.script(':as ana\n/collab create Food Network\n/role add @lee lead\n/fund set discovery 5000');
    const out = await h.say('/grant request discovery 300 Pay for a room for six community meetings', { as: 'ben' });
    expect(main(out)[0]).toContain(
      "It needs approval from 2 different leads. Only 1 lead can decide it (leads who asked for it or facilitate Food Network can't), so it needs more leads: an admin can add one with /role add @name lead.",
    );
  });
});

describe('money and budgets', () => {
  it('refuses requests over the cap or over what is left, with the numbers', async () => {
    h = await foodNetwork();
    await h.say('/fund set discovery 1200', { as: 'ana' });
    expect(main(await h.say('/grant request discovery £1,000.01 Pay for a big community consultation', { as: 'ben' }))[0]).toContain(
      'Discovery grants are up to £1,000.00, and this asks for £1,000.01.',
    );
    await request(h, '£1,000');
    await h.say('/grant approve 1', { as: 'lee' });
    await h.say('/grant approve 1', { as: 'lou' });
    expect(main(await h.say('/grant request discovery 300 Pay for a second community consultation', { as: 'ben' }))).toEqual([
      '[main] The Discovery fund has £200.00 left (budget £1,200.00, approved £1,000.00), and this asks for £300.00.\nAsk for £200.00 or less, e.g. /grant request discovery 200 <what it is for>',
    ]);
    expect(main(await h.say('/grant request enabling 2000 A bigger plan for the whole area', { as: 'ben' }))[0]).toContain(
      'The Enabling fund has £0.00 left (budget £0.00, approved £0.00), and this asks for £2,000.00.\nAn admin can set its budget first, e.g. /fund set enabling 5000',
    );
    expect(main(await h.say('/grant request discovery 100 food', { as: 'ben' }))[0]).toContain('What the money is for needs at least 3 words');
    expect(main(await h.say('/grant request grants 100 Pay for the room hire', { as: 'ben' }))[0]).toContain('There is no "grants" category. The categories are: discovery, enabling, invest.');
    expect(main(await h.say('/grant request discovery 100 Pay for the room hire', { as: 'ben', in: 'elsewhere' }))).toEqual([]);
    expect(h.services.grants.list(null).total).toBe(1);
  });

  it('keeps the approval that would go over the budget waiting, with the numbers, and counts it when the budget is raised', async () => {
    h = await foodNetwork();
    await h.say('/fund set discovery 1000', { as: 'ana' });
    const a = await request(h, '600');
    const b = await request(h, '600');
    await h.say(`/grant approve ${a}`, { as: 'lee' });
    await h.say(`/grant approve ${b}`, { as: 'lee' });
    await h.say(`/grant approve ${a}`, { as: 'lou' });
    expect(main(await h.say(`/grant approve ${b}`, { as: 'lou' }))).toEqual([
      `[main] Thank you, lou: grant #${b} now has all 2 approvals, but the Discovery fund has only £400.00 left for its £600.00. ` +
        `It waits for budget: when an admin raises it (e.g. /fund set discovery 1200.00), it is approved and everyone here is told.`,
    ]);
    expect(stateOf(h, b)).toBe('submitted');
    await h.say('/fund set discovery 1200', { as: 'ana' });
    expect(stateOf(h, b)).toBe('approved');
    expect((await h.say('/fund'))[0]).toContain('Discovery (up to £1,000.00 a grant): budget £1,200.00, approved £1,200.00, paid £0.00, remaining £0.00');
  });

  it('lets admins set budgets and caps, records each change in the ledger, and never lets the budget drop below what is approved', async () => {
    h = await foodNetwork();
    const id = await request(h, '£800');
    await h.say(`/grant approve ${id}`, { as: 'lee' });
    await h.say(`/grant approve ${id}`, { as: 'lou' });
    expect(main(await h.say('/fund set discovery 500', { as: 'ana' }))).toEqual([
      "[main] £800.00 of Discovery is already approved, so its budget can't be less than that.\nFor example: /fund set discovery 800",
    ]);
    expect(main(await h.say('/fund set discovery £5,000', { as: 'ana' }))).toEqual(['[main] The Discovery budget is already £5,000.00, so nothing changed.']);
    expect(main(await h.say('/fund set discovery 0', { as: 'ana' }))[0]).toContain("can't be less than that");
    expect(main(await h.say('/fund set discovery 1e3', { as: 'ana' }))[0]).toContain('plain digits');
    expect(main(await h.say('/fund set invest 250000', { as: 'ana' }))).toEqual(['[main] Done: the Invest budget is now £250,000.00 (was £0.00). Approved £0.00, remaining £250,000.00.']);
    expect(main(await h.say('/fund cap discovery 1500', { as: 'ana' }))).toEqual(['[main] Done: a Discovery grant can now be up to £1,500.00.']);
    expect(main(await h.say('/fund cap enabling none', { as: 'ana' }))).toEqual(['[main] Done: Enabling grants now have no cap.']);
    expect(main(await h.say('/fund cap enabling none', { as: 'ana' }))).toEqual(['[main] The Enabling cap is already none, so nothing changed.']);
    expect(main(await h.say('/fund cap discovery lots', { as: 'ana' }))[0]).toContain('Or type none for no cap');
    await request(h, '£1,200');
    const events = h.db.prepare(`SELECT event, category, amount, budget_change, note FROM grant_ledger WHERE event IN ('budget set', 'cap set') ORDER BY id`).all();
    expect(events).toEqual([
      { event: 'budget set', category: 'discovery', amount: 500_000, budget_change: 500_000, note: 'was £0.00' },
      { event: 'budget set', category: 'invest', amount: 25_000_000, budget_change: 25_000_000, note: 'was £0.00' },
      { event: 'cap set', category: 'discovery', amount: 150_000, budget_change: 0, note: 'was up to £1,000.00 a grant' },
      { event: 'cap set', category: 'enabling', amount: null, budget_change: 0, note: 'was up to £10,000.00 a grant' },
    ]);
  });
});

describe('payment, reports and stories', () => {
  it('pays, asks for the report, and stores the report as a story', async () => {
    h = await foodNetwork();
    const id = await request(h, '£750');
    await h.say(`/grant approve ${id}`, { as: 'lee' });
    await h.say(`/grant approve ${id}`, { as: 'lou' });
    expect(main(await h.say(`/grant paid ${id}`, { as: 'ana', in: 'admin-dm' }))).toEqual([
      `[main] Grant #${id} from Food Network: £750.00 (Discovery) for “Run a community consultation on food access” is paid.\n` +
        `ben, when you can, tell everyone what difference it made: /grant report ${id} <what happened>. I'll remind you in 8 weeks.`,
    ]);
    expect(main(await h.say(`/grant report ${id} Forty people came and we now run a food share`, { as: 'lee' }))[0]).toContain(
      `Only ben, who asked for grant #${id}, can report on it.`,
    );
    expect(main(await h.say(`/grant report ${id} ok`, { as: 'ben' }))[0]).toContain('Say what happened in a few sentences.');
    expect(main(await h.say(`/grant report ${id} Forty people came and we now run a food share --outcome nonsense`, { as: 'ben' }))[0]).toContain(
      'I don\'t know the outcome "nonsense". Use one of these tags:\n• involved — More involved communities',
    );
    expect(stateOf(h, id)).toBe('paid');
    expect(main(await h.say(`/grant report ${id} Forty people came and we now run a food share --outcome local-need`, { as: 'ben' }))).toEqual([
      `[main] Thank you, ben! Grant #${id} is reported, and your report is story #1 (Responding to local need). Type /stories to read the collab's stories.`,
    ]);
    expect(stateOf(h, id)).toBe('reported');
    expect((await h.say('/stories'))[0]).toMatch(/1 story for Food Network:\n• #1 .*, ben \(Responding to local need, grant #1\): Forty people came and we now run a food share$/);
    const show = (await h.say(`/grant show ${id}`))[0]!;
    expect(show.split('\n').slice(0, 3)).toEqual([
      `[main] Grant #${id}: £750.00 Discovery grant for Food Network — reported`,
      'For: Run a community consultation on food access',
      'Asked by ben.',
    ]);
    expect(show).toMatch(/— ben asked for £750\.00\n.*— lee approved \(1 of 2\)\n.*— lou approved \(2 of 2\)\. The grant is approved and £750\.00 is reserved\n.*— ana marked it paid \(£750\.00\)\n.*— ben reported what happened \(story #1\)$/);
  });

  it('withdraws only for the requester', async () => {
    h = await foodNetwork();
    const id = await request(h);
    expect(main(await h.say(`/grant withdraw ${id}`, { as: 'lee' }))[0]).toContain(`Only ben, who asked for grant #${id}, can withdraw it.`);
    expect(main(await h.say(`/grant withdraw ${id}`, { as: 'ben' }))).toEqual([`[main] Done: grant #${id} is withdrawn.`]);
    expect(main(await h.say('/grant withdraw 99', { as: 'ben' }))).toEqual(['[main] There is no grant #99. Type /grants to see them all.']);
    expect(main(await h.say('/grant withdraw one', { as: 'ben' }))[0]).toContain('The grant number is the number after #');
  });

  it('keeps a person\'s grants when they /link another account', async () => {
    h = await foodNetwork({ platforms: ['console', 'slack'] });
    const id = await request(h);
    const dm = (await h.say('/link', { as: 'ben' })).find((l) => l.startsWith('[@ben]'))!;
    const code = /code is (\d{6})/.exec(dm)![1];
    await h.say(`/link ${code}`, { platform: 'slack', as: 'U7', in: 'D1', direct: true });
    await h.say('/link confirm', { as: 'ben' });
    expect(await h.say(`/grant withdraw ${id}`, { platform: 'slack', as: 'U7', in: 'D1', direct: true })).toEqual([`[D1] Done: grant #${id} is withdrawn.`]);
  });
});

describe('lists and export', () => {
  it('lists grants by state and exports the ledger as CSV by direct message', async () => {
    h = await foodNetwork();
    const a = await request(h, '£100');
    const b = await request(h, '£200');
    await h.say(`/grant decline ${b} =HYPERLINK("http://x") not now`, { as: 'lee' });
    expect((await h.say('/grants'))[0]).toBe(
      `[main] 2 grants:\n• #${b} Food Network — £200.00 Discovery, declined: Run a community consultation on food access\n` +
        `• #${a} Food Network — £100.00 Discovery, submitted (0 of 2 approvals): Run a community consultation on food access\nType /grant show <number> for one grant's history.`,
    );
    expect((await h.say('/grants Submitted'))[0]).toContain(`1 grant submitted:\n• #${a}`);
    expect((await h.say('/grants paid'))[0]).toBe('[main] No grants are paid. Type /grants to see them all.');
    expect((await h.say('/grants pending'))[0]).toContain('Choose one of: submitted, approved, declined, withdrawn, paid, reported');
    expect((await h.say('/grants export', { as: 'ben' }))[0]).toContain('Only a lead or an admin can use /grants export');
    const out = await h.say('/grants export', { as: 'lee' });
    expect(out).toContain("[main] lee, I've sent you the grant ledger (4 entries) as CSV in a direct message.");
    const csv = out.find((l) => l.startsWith('[@lee] '))!.slice('[@lee] '.length).trimEnd().split('\n');
    expect(csv[0]).toBe('entry,time,grant,collab,category,event,from_state,to_state,amount_gbp,budget_change_gbp,approved_change_gbp,paid_change_gbp,by,note');
    expect(csv).toHaveLength(5);
    expect(csv[1]).toMatch(/^1,2026-11-23T10:00:00\+00:00,,,discovery,budget set,,,5000\.00,5000\.00,0\.00,0\.00,ana,was £0\.00$/);
    expect(csv[2]).toBe('2,2026-11-23T10:00:00+00:00,1,Food Network,discovery,requested,,submitted,100.00,0.00,0.00,0.00,ben,Run a community consultation on food access');
    // A reason that looks like a spreadsheet formula is quoted so it stays text.
    expect(csv[4]).toBe(`4,2026-11-23T10:00:00+00:00,2,Food Network,discovery,declined,submitted,declined,200.00,0.00,0.00,0.00,lee,"'=HYPERLINK(""http://x"") not now"`);
  });

  it('keeps the ledger append-only, even in SQL', async () => {
    h = await foodNetwork();
    expect(() => h.db.prepare('UPDATE grant_ledger SET amount = 1').run()).toThrow('grant_ledger is append-only');
    expect(() => h.db.prepare('DELETE FROM grant_ledger').run()).toThrow('grant_ledger is append-only');
    expect(ledgerSize(h)).toBe(1);
  });
});

describe('nudges', () => {
  const HOUR = 3_600_000;

  it('nudges the leads who have not decided after 3 days, by direct message, and not once decided', async () => {
    h = await foodNetwork();
    const a = await request(h);
    h.clock.advance(HOUR);
    const b = await request(h);
    await h.say(`/grant approve ${a}`, { as: 'lee' });
    await h.say(`/grant decline ${b} Not this one, sorry`, { as: 'lee' });
    expect(await h.advance(NUDGE_AFTER_MS - HOUR - 60_000)).toEqual([]);
    const nudges = await h.advance(2 * 60_000);
    expect(nudges.map((l) => l.split(']')[0])).toEqual(['[@lou', '[@lia']);
    expect(nudges[0]).toBe(
      `[@lou] Reminder: grant request #${a} from Food Network: £100.00 (Discovery) for “Run a community consultation on food access” has been waiting 3 days for the leads' decision (1 of 2 approvals so far).\n` +
        `Type /grant approve ${a} or /grant decline ${a} <reason>. Details: /grant show ${a}`,
    );
    // The declined request's nudge was cancelled, not just skipped.
    expect(h.services.scheduler.pendingAt(`grant:${b}:nudge`)).toBeUndefined();
    expect(await h.advance(HOUR * 2)).toEqual([]);
  });

  it('reminds the requester to report 8 weeks after payment, unless they already have', async () => {
    h = await foodNetwork();
    const a = await request(h);
    const b = await request(h);
    for (const id of [a, b]) {
      await h.say(`/grant approve ${id}`, { as: 'lee' });
      await h.say(`/grant approve ${id}`, { as: 'lou' });
      await h.say(`/grant paid ${id}`, { as: 'ana' });
    }
    await h.say(`/grant report ${b} We held the consultation and wrote it up`, { as: 'ben' });
    expect(h.services.scheduler.pendingAt(`grant:${b}:report`)).toBeUndefined();
    expect(await h.advance(REPORT_DUE_MS - 60_000)).toEqual([]);
    const due = await h.advance(120_000);
    expect(due).toHaveLength(1);
    expect(due[0]).toMatch(new RegExp(`^\\[@ben\\] Grant #${a} from Food Network: .* was paid 8 weeks ago\\. Please tell the leads what difference it made`));
    expect(due[0]).toContain(`/grant report ${a} <what happened>`);
  });
});

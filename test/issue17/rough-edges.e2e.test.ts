// Issue 17, part 3: each rough edge a month of real use found, reproduced with
// the input quoted in the issue, through the console harness.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const MIN = 60_000;
const DAY = 24 * 3600_000;

async function forum() {
  h = await createHarness({ admins: 'console:ana' });
  await h.say('/collab create Food Network', { as: 'ana' });
  return h;
}

describe('notes and actions', () => {
  it('reads "Action @olly:" in any case, and says how to type an action line it cannot read', async () => {
    await forum();
    const [saved] = await h.say('/notes add June meeting\nAction @olly: book the hall\naction @ben by friday: bring cups', { as: 'ana' });
    expect(saved).toContain('2 actions');
    const [open] = await h.say('/actions', { as: 'ana' });
    expect(open).toContain('olly: book the hall');
    expect(open).toContain('ben: bring cups');
    const [refused] = await h.say('/notes add July meeting\nAction for @olly book the hall', { as: 'ana' });
    expect(refused).toContain("I can't read this action line:\nAction for @olly book the hall\nWrite it like: ACTION @ben by friday: book the hall");
    // Words that only start with "Action" and name nobody stay text.
    expect((await h.say('/notes add August meeting\nAction plan agreed by all', { as: 'ana' }))[0]).toContain('Saved note #2');
  });

  it('keeps a dash in the title when the note is on the next lines', async () => {
    await forum();
    expect((await h.say('/notes add Youth forum — 10 Dec\nWe planned the day.', { as: 'ana' }))[0]).toContain('Saved note #1 "Youth forum — 10 Dec"');
    expect((await h.say('/notes add Van -- hire one for Saturday', { as: 'ana' }))[0]).toContain('Saved note #2 "Van"');
  });

  it('lists the finished actions with /actions done', async () => {
    await forum();
    expect((await h.say('/actions done', { as: 'ana' }))[0]).toContain('Food Network has no finished actions yet.');
    await h.say('/notes add June meeting\nACTION @ana: book the hall', { as: 'ana' });
    await h.say('/action done 1', { as: 'ana' });
    expect((await h.say('/actions done', { as: 'ana' }))[0]).toMatch(/^\[main\] Finished actions of Food Network:\n• .*ana: book the hall/);
  });
});

describe('keywords and typos', () => {
  it('takes role names and vote keywords in any case', async () => {
    await forum();
    expect(await h.say('/role add @frank Lead', { as: 'ana' })).toEqual(['[main] Done: frank is now a lead.']);
    await h.say('/poll "Go ahead?" --type proposal', { as: 'ana' });
    expect((await h.say('/vote 1 Block -- too soon', { as: 'frank' }))[0]).toContain('counted: Block');
    expect((await h.say('/unsubscribe everything', { as: 'ana' }))[0]).toContain('Choose what to unsubscribe from: minutes, polls or elections. For example: /unsubscribe minutes');
  });

  it('suggests from the whole line and answers a missing argument with a complete example', async () => {
    await forum();
    expect((await h.say('/note search lunch', { as: 'ana' }))[0]).toBe("[main] I don't know /note. Did you mean /notes search lunch?\nType /help notes to see its commands.");
    expect((await h.say('/grants show 1', { as: 'ana' }))[0]).toBe('[main] Did you mean /grant show 1?\nType /help grant to see its commands.');
    expect((await h.say('/remind cancle 9', { as: 'ana' }))[0]).toBe('[main] Did you mean /remind cancel 9?\nType /help remind to see its commands.');
    await h.say('/poll Lunch? Soup, Salad', { as: 'ana' });
    expect(await h.say('/vote', { as: 'ana' })).toEqual(['[main] Which poll? Type /vote, the poll number and your choice:\n#1 Lunch? — e.g. /vote 1 soup']);
    expect((await h.say('/link 853 290', { as: 'ana' }))[0]).toContain('not valid or has expired');
    expect((await h.say('/link 85', { as: 'ana' }))[0]).toContain('A link code is the 6 digits I sent you by direct message.');
  });

  it('notices the amount and the category typed the other way round', async () => {
    await forum();
    expect(await h.say('/grant request £300 discovery hall hire', { as: 'ana' })).toEqual([
      '[main] The category comes first, then the amount. Type it like this: /grant request discovery £300 hall hire',
    ]);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM grants').get()).toEqual({ n: 0 });
  });
});

describe('times', () => {
  it('says the real closing rule and the time it would have been, with examples from the clock', async () => {
    await forum();
    const [refused] = await h.say('/poll "Q?" "A" "B" --closes 30s', { as: 'ana' });
    expect(refused).toBe(
      '[main] A poll must close at least 5 minutes from now, so people can vote; that would have been Mon 23 Nov 2026, 10:00. ' +
        'For example: --closes 2d, --closes 36h or --closes "2026-11-26 17:00"',
    );
    h.clock.advance(30 * DAY);
    const [later] = await h.say('/poll "Q?" "A" "B" --closes 30s', { as: 'ana' });
    expect(later).toContain('--closes "2026-12-26 17:00"');
  });

  it('says a reminder that already went off is finished', async () => {
    await forum();
    await h.say('/remind in 10 minutes Tea', { as: 'ana' });
    await h.advance(11 * MIN);
    expect((await h.say('/remind resume 1', { as: 'ana' }))[0]).toBe(
      '[main] Reminder 1 is finished: it went off on Mon 23 Nov 2026, 10:10. To be reminded again, set a new one, e.g. /remind tomorrow at 9 Tea',
    );
  });

  it('accepts only time zones with a city name, suggesting Europe/London for GMT', async () => {
    await forum();
    for (const tz of ['GMT', 'BST', 'UTC']) {
      expect((await h.say(`/collab tz ${tz}`, { as: 'ana' }))[0]).toContain(`${tz} stays the same all year, so in summer every time would be an hour off. Use the name of a city's zone instead, e.g. /collab tz Europe/London`);
    }
    expect((await h.say('/collab tz Europe/London', { as: 'ana' }))[0]).toContain('Done: Food Network now uses the Europe/London time zone.');
  });
});

describe('polls', () => {
  it('matches option names ignoring case, punctuation, articles and order; commas separate choices', async () => {
    await forum();
    await h.say('/poll "Where?" "Base" "The Hub" "Town hall" --type ranked', { as: 'ana' });
    expect((await h.say('/vote 1 base hub', { as: 'ana' }))[0]).toContain('counted: 1. Base, 2. The Hub.');
    await h.say('/poll "Which cities?" "Glasgow" "Edinburgh" "Dundee" --multi 2', { as: 'ana' });
    expect((await h.say('/vote 2 glasgow, edinburgh', { as: 'ana' }))[0]).toContain('counted: Glasgow and Edinburgh.');
    await h.say('/poll "Picnic?" "Yes" "No"', { as: 'ana' });
    expect((await h.say('/vote 3 Yes!', { as: 'ana' }))[0]).toContain('counted: Yes.');
    expect((await h.say('/vote 1 hall town, hub', { as: 'bob' }))[0]).toContain('counted: 1. Town hall, 2. The Hub.');
  });

  it('bases multi-choice percentages on voters, and says so', async () => {
    await forum();
    await h.say('/poll "Which days suit you?" "Mon" "Tue" "Wed" "Thu" --multi 2', { as: 'ana' });
    await h.say('/vote 1 mon tue', { as: 'ana' });
    await h.say('/vote 1 wed thu', { as: 'bob' });
    expect((await h.say('/poll results 1', { as: 'ana' }))[0]).toContain('Mon: 1 vote (50% of 2 voters)');
  });

  it('reminds about an anonymous poll with the private-vote hint', async () => {
    await forum();
    await h.say('/poll "Secret?" "A" "B" --anonymous --closes 3d', { as: 'ana' });
    const warning = (await h.advance(2 * DAY)).join('\n');
    expect(warning).toContain('Poll #1 closes in 24 hours');
    expect(warning).toContain('To vote privately, send me the /vote command in a direct message.');
  });

  it("refuses to show one collab's poll or note in another collab's chat, pointing to a direct message", async () => {
    await forum();
    await h.say('/poll "Lunch?" "Soup" "Salad"', { as: 'ana' });
    await h.say('/poll close 1', { as: 'ana' });
    await h.say('/notes add June meeting -- we met', { as: 'ana' });
    await h.say('/collab create Youth', { as: 'ana', in: 'youth' });
    const elsewhere = "belongs to Food Network, so you can't";
    expect(await h.say('/poll reopen 1', { as: 'ana', in: 'youth' })).toEqual([
      `[youth] Poll #1 ${elsewhere} reopen it in this chat. Type the command in one of Food Network's chats, or send it to me in a direct message.`,
    ]);
    expect(await h.say('/notes show 1', { as: 'ana', in: 'youth' })).toEqual([
      `[youth] Note #1 ${elsewhere} see it in this chat. Type the command in one of Food Network's chats, or send it to me in a direct message.`,
    ]);
    expect((await h.say('/poll results 1', { as: 'ana', in: 'youth' }))[0]).toContain(elsewhere);
    expect((await h.say('/notes show 1', { as: 'ana', in: 'dm-ana', direct: true }))[0]).toContain('#1 June meeting');
  });
});

describe('one person, one name', () => {
  it('shows a person linked across platforms under one name in the grant history', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await h.say('/collab create Food Network', { as: 'ana' });
    await h.say('/fund set discovery 5000', { as: 'ana' });
    await h.say('/grant request discovery £300 hall hire for the forum', { as: 'ben' });
    const dm = (await h.say('/link', { as: 'ben' })).find((l) => l.includes('Your link code is'))!;
    const code = /Your link code is (\d{6})/.exec(dm)![1]!;
    await h.say(`/link ${code}`, { as: 'benny', platform: 'slack', in: 'dm-benny', direct: true });
    await h.say('/link confirm', { as: 'ben' }); // linking needs both accounts (issue 15)
    await h.say('/grant withdraw 1', { as: 'benny', platform: 'slack', in: 'dm-benny', direct: true });
    const [history] = await h.say('/grant show 1', { as: 'ana' });
    const names = [...history!.matchAll(/— (\w+) (asked|withdrew)/g)].map((m) => m[1]);
    expect(names).toHaveLength(2);
    expect(new Set(names).size).toBe(1);
  });
});

describe('an approval waiting for budget', () => {
  it('keeps the leads\' approvals when the budget is short, and approves the grant once an admin raises it, telling the collab', async () => {
    await forum();
    await h.say('/role add @lee lead', { as: 'ana' });
    await h.say('/role add @lou lead', { as: 'ana' });
    await h.say('/fund set discovery 500', { as: 'ana' });
    await h.say('/grant request discovery £400 hall hire for the youth forum', { as: 'cara' });
    await h.say('/grant request discovery £300 cups and urns for the cafe', { as: 'cara' });
    await h.say('/grant approve 1', { as: 'lee' });
    await h.say('/grant approve 1', { as: 'lou' });
    await h.say('/grant approve 2', { as: 'lee' });
    expect((await h.say('/grant approve 2', { as: 'lou' }))[0]).toBe(
      '[main] Thank you, lou: grant #2 now has all 2 approvals, but the Discovery fund has only £100.00 left for its £300.00. ' +
        'It waits for budget: when an admin raises it (e.g. /fund set discovery 700.00), it is approved and everyone here is told.',
    );
    expect(h.db.prepare('SELECT state FROM grants WHERE id = 2').get()).toEqual({ state: 'submitted' });
    const raised = await h.say('/fund set discovery 700', { as: 'ana' });
    expect(raised.join('\n')).toContain('Good news: grant #2');
    expect(raised.join('\n')).toContain('is approved. The leads had approved it, and now the Discovery budget covers it: £300.00 is reserved, £0.00 is left.');
    expect(h.db.prepare('SELECT state FROM grants WHERE id = 2').get()).toEqual({ state: 'approved' });
  });
});

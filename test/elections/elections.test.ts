// Delegate elections through the console bot: nominations, unopposed, lapsed,
// contested with 30 voters, terms in /delegates, terms ending, the 30-day reminder.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const DAY = 86_400_000;
const CREATE = '/election create "Community Planning Partnership" --seats 2 --nominations 7d --voting 7d --term 12 months';

async function setUp() {
  h = await createHarness({ admins: 'console:ana' });
  await h.script(`
:as ana
:in youth
/collab create Youth Work
/subscribe elections
:in main
/collab create Forum
/role add @ben lead
`);
}

const lines = (out: string[], chat: string) => out.filter((l) => l.startsWith(`[${chat}]`));

describe('delegate elections', () => {
  it('runs nominations, a contested stv vote of 30 voters, and makes the elected delegates with a term', async () => {
    await setUp();
    const made = await h.say(CREATE, { as: 'ben' });
    expect(lines(made, 'main')[0]).toContain('Election #1: 2 delegates to Community Planning Partnership, for 12 months.\nNominations are open until Mon 30 Nov 2026, 10:00;');
    expect(lines(made, 'youth')).toHaveLength(1);
    // One answer in the chat it was made in: the announcement itself.
    expect(lines(made, 'main')).toHaveLength(1);

    expect((await h.say('/election stand 1 I chair the Food Network and will report back after every meeting.', { as: 'cara' }))[0]).toContain(
      'Done: cara, you stand in election #1 (2 delegates to Community Planning Partnership).\nYour statement: I chair the Food Network',
    );
    const nominated = await h.say('/election nominate 1 @dee', { as: 'ana' });
    expect(nominated).toContain('[@dee] ana nominated you in election #1: 2 delegates to Community Planning Partnership. Nominations close Mon 30 Nov 2026, 10:00.\nTo accept, type /election accept 1 and a few words about you (up to 500 characters). To say no, do nothing, or type /election withdraw 1.');
    // Not a candidate until they accept.
    expect((await h.say('/election candidates 1', { as: 'gus' }))[0]).toContain('Nominated, waiting to accept: dee.');
    await h.say('/election accept 1 Two years on the board; I will keep the sector informed.', { as: 'dee' });
    await h.say('/election stand 1', { as: 'eve' });
    await h.say('/election withdraw 1', { as: 'eve' });
    await h.say('/election stand 1 Youth work for twenty years.', { as: 'fay' });
    const list = (await h.say('/election candidates 1', { as: 'gus' }))[0]!;
    expect(list).toBe(
      '[main] Election #1: 2 delegates to Community Planning Partnership — nominations open until Mon 30 Nov 2026, 10:00.\n' +
        'Candidates (3):\n• cara: I chair the Food Network and will report back after every meeting.\n• dee: Two years on the board; I will keep the sector informed.\n• fay: Youth work for twenty years.',
    );
    // Bad input changes nothing and says what to type.
    expect((await h.say('/election stand 9', { as: 'gus' }))[0]).toBe('[main] There is no election #9. The latest is #1 (Community Planning Partnership). Type /elections to see them all.');
    expect((await h.say(`/election stand 1 ${'x'.repeat(501)}`, { as: 'gus' }))[0]).toContain('Your statement is 501 characters; please keep it to 500.');

    // Nominations close: a secret stv poll opens in the same chats.
    const opened = await h.advance(7 * DAY);
    const poll = lines(opened, 'youth').join('\n');
    expect(poll).toContain('Poll #1 (single transferable vote, 2 seats): Election #1: 2 delegates to Community Planning Partnership');
    expect(poll).toContain('Election #1: nominations are closed. 3 candidates for 2 seats: cara, dee and fay.');
    expect(poll).toContain('Read what each candidate says: /election candidates 1');
    expect((await h.say('/elections', { as: 'gus' }))[0]).toBe(
      '[main] Elections (latest first):\n#1 Community Planning Partnership, 2 seats — voting in poll #1 until Mon 7 Dec 2026, 10:00\nCandidates and their statements: /election candidates <number>',
    );
    expect((await h.say('/election stand 1', { as: 'gus' }))[0]).toContain('Nominations for election #1 are closed');

    // 30 voters: quota = floor(30 / 3) + 1 = 11. cara 12 first preferences (surplus 1 to fay), dee 8, fay 10.
    const ballots: [number, string][] = [[12, '1 3'], [8, '2'], [10, '3 2']];
    let v = 0;
    for (const [n, ranking] of ballots) for (let i = 0; i < n; i++) await h.say(`/vote 1 ${ranking}`, { as: `voter${++v}`, in: v % 2 ? 'main' : 'youth' });
    expect((await h.say('/vote 1 1', { as: 'voter1' }))[0]).toContain('You have already voted in poll #1');

    const closed = await h.advance(7 * DAY);
    const results = lines(closed, 'main').join('\n');
    expect(results).toContain('Poll #1 is closed. It has reached its closing time.\nElected: cara, fay\n');
    // Quota 11: cara's surplus of 1 moves at 1/12 = 0.08333 (12 ballots: 0.99996 to fay, 0.00004 lost); dee is then out, and fay fills the last seat.
    expect(results).toContain(
      [
        '2 seats; 30 valid ballots; quota 11 (30 ÷ 3, plus 1, ignoring fractions).',
        'Stage 1, first preferences. cara 12.00, fay 10.00, dee 8.00. Elected: cara.',
        "Stage 2, cara's surplus of 1.00 moves at 0.08333 a ballot: fay +0.99, lost to rounding 0.00004. cara 11.00, fay 10.99, dee 8.00. (So far: lost to rounding 0.00004.)",
        'Stage 3, dee is excluded with the fewest votes; their ballots move: non-transferable 8.00. cara 11.00, fay 10.99. (So far: non-transferable 8.00; lost to rounding 0.00004.) Elected: fay (as many candidates left as seats).',
      ].join('\n'),
    );
    // The election's result follows the poll's.
    expect(results.indexOf('Election #1 result')).toBeGreaterThan(results.indexOf('Elected: cara, fay'));
    expect(results).toContain('Election #1 result: cara and fay are elected (in that order) as delegates to Community Planning Partnership, until Tue 7 Dec 2027, 10:00.');
    expect(lines(closed, 'youth').join('\n')).toContain('Election #1 result');

    await h.say('/delegate add @hal Community Planning Partnership', { as: 'ana' });
    expect((await h.say('/delegates', { as: 'gus' }))[0]).toBe(
      '[main] Who represents the sector where:\n• Community Planning Partnership: cara (term ends Tue 7 Dec 2027), fay (term ends Tue 7 Dec 2027), hal\nRead their minutes with /minutes.',
    );

    // Thirty days before the term ends, the leads are reminded where the election was made.
    const reminded = await h.advance(335 * DAY);
    expect(reminded).toEqual([
      '[main] Leads: the term of cara and fay as delegate to Community Planning Partnership (election #1) ends on Tue 7 Dec 2027, in 30 days. Time to run the next election, e.g.\n' +
        '/election create "Community Planning Partnership" --seats 2 --nominations 7d --voting 7d --term 12 months',
    ]);

    // The next election: fay stands again, unopposed with ida, after the old term ended.
    await h.say(CREATE, { as: 'ben' });
    await h.say('/election stand 2 Again, please.', { as: 'fay' });
    await h.say('/election stand 2 New to this.', { as: 'ida' });
    const ended = await h.advance(30 * DAY);
    // Election #2 decides (unopposed) a week later, before the old term ends; on the day it ends, cara (not re-elected) stops.
    expect(ended).toEqual([
      '[main] Election #2: fay and ida are elected unopposed as delegates to Community Planning Partnership (2 candidates for 2 seats), until Tue 14 Nov 2028, 10:00.\nType /delegates to see everyone.',
      '[youth] Election #2: fay and ida are elected unopposed as delegates to Community Planning Partnership (2 candidates for 2 seats), until Tue 14 Nov 2028, 10:00.\nType /delegates to see everyone.',
      '[main] The term of cara as delegate to Community Planning Partnership ended today, Tue 7 Dec 2027. Type /delegates to see who represents the sector now.',
      '[youth] The term of cara as delegate to Community Planning Partnership ended today, Tue 7 Dec 2027. Type /delegates to see who represents the sector now.',
    ].sort((a, b) => ended.indexOf(a) - ended.indexOf(b)));
    // hal, appointed by hand, stays.
    expect((await h.say('/delegates', { as: 'gus' }))[0]).toBe(
      '[main] Who represents the sector where:\n• Community Planning Partnership: fay (term ends Tue 14 Nov 2028), hal, ida (term ends Tue 14 Nov 2028)\nRead their minutes with /minutes.',
    );
    expect((await h.say('/elections', { as: 'gus' }))[0]).toBe(
      '[main] Elections (latest first):\n#2 Community Planning Partnership, 2 seats — decided: fay and ida elected unopposed\n#1 Community Planning Partnership, 2 seats — decided: cara and fay elected\nCandidates and their statements: /election candidates <number>',
    );
  });

  it('at the end of a term with no new election, the delegates stay and the leads are told', async () => {
    await setUp();
    await h.say('/election create "Health and Social Care Board" --nominations 1d --term 2 months', { as: 'ben' });
    await h.say('/election stand 1 Me.', { as: 'cara' });
    expect((await h.advance(DAY)).join('\n')).toContain('Election #1: cara is elected unopposed as delegate to Health and Social Care Board (1 candidate for 1 seat), until Sun 24 Jan 2027, 10:00.');
    // The term is 61 days: the reminder comes 31 days after the election, 30 days before the end.
    expect(await h.advance(30 * DAY)).toEqual([]);
    expect((await h.advance(DAY))[0]).toContain('[main] Leads: the term of cara as delegate to Health and Social Care Board (election #1) ends on Sun 24 Jan 2027, in 30 days.');
    const out = await h.advance(30 * DAY);
    expect(out).toEqual([
      '[main] The term of cara as delegate to Health and Social Care Board (election #1) ended today. They stay delegates until the next election decides. ' +
        'Leads: please run the next election, e.g. /election create "Health and Social Care Board" --seats 1 --nominations 7d --voting 7d --term 2 months',
    ]);
    expect((await h.say('/delegates'))[0]).toContain('• Health and Social Care Board: cara (term ended Sun 24 Jan 2027)');
  });

  it('refuses bad input with what to type instead, and changes nothing', async () => {
    await setUp();
    const first = async (line: string, as = 'ben') => (await h.say(line, { as }))[0]!;
    expect(await first(CREATE, 'gus')).toContain('a lead or an admin');
    expect(await first('/election create "Community Planning Partnership" --term soon')).toContain(
      'I can\'t read "soon" as a term. Give it in months or years, e.g. --term 12 months or --term 2 years.',
    );
    expect(await first('/election create "Community Planning Partnership" --seats 0')).toContain('--seats is how many delegates to elect, from 1 to 10.');
    expect(await first('/election create "Community Planning Partnership" --nominations 10m')).toContain('--nominations must be from 1 hour to 90 days, e.g. --nominations 7d.');
    expect(await first('/election create "Community Planning Partnership" --voting whenever')).toContain('I can\'t read "whenever" as a length of time for --voting.');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM elections').get()).toEqual({ n: 0 });
    // Unquoted names and "2 years" work; the body keeps the spelling /delegate add gave it.
    await h.say('/delegate add @dee Community Planning Partnership', { as: 'ana' });
    await first('/election create community planning partnership --term 2 years');
    expect(h.db.prepare('SELECT body, term_months FROM elections').get()).toEqual({ body: 'Community Planning Partnership', term_months: 24 });
    expect(await first(CREATE)).toBe(
      '[main] Election #1 for Community Planning Partnership is already under way (nominations open). Type /election candidates 1 to see it.',
    );
    expect(await first('/election nominate 1 @ben')).toBe('[main] To put yourself forward, type /election stand 1 and a few words about you.');
    expect(await first('/election accept 1', 'eve')).toBe('[main] Nobody has nominated you in election #1. To stand yourself, type /election stand 1 and a few words about you.');
    expect(await first('/election withdraw 1', 'eve')).toContain('You are not a candidate in election #1');
    expect(await first('/election stand one', 'eve')).toContain('Give the election number, e.g. 1');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM election_candidates').get()).toEqual({ n: 0 });
  });

  it('lapses with no candidates, telling the chats and the lead who made it', async () => {
    await setUp();
    await h.say('/election create "Health and Social Care Board" --nominations 2d', { as: 'ben' });
    await h.say('/election nominate 1 @dee', { as: 'ben' });
    const out = await h.advance(2 * DAY);
    const text = 'Election #1 (1 delegate to Health and Social Care Board) has lapsed: nobody stood.\nNominated but did not accept in time: dee.\nHealth and Social Care Board has no delegate for now.';
    expect(lines(out, 'main')[0]).toContain(text);
    expect(lines(out, 'youth')[0]).toContain(text);
    expect(lines(out, '@ben')[0]).toContain(text);
    expect((await h.say('/elections'))[0]).toContain('#1 Health and Social Care Board, 1 seat — lapsed (nobody elected)');
  });

  it('a candidate who is a lead cannot close or change their election; its timetable survives a restart', async () => {
    await setUp();
    await h.say('/election create "Community Planning Partnership" --nominations 1d --voting 1d', { as: 'ana' });
    await h.say('/election stand 1 Me.', { as: 'ben' });
    await h.say('/election stand 1 Me too.', { as: 'cara' });
    expect((await h.say('/election close 1', { as: 'ben' }))[0]).toBe(
      '[main] You can\'t close election #1: you stand in it, so that would be a conflict of interest. Another lead or an admin can do it.',
    );
    expect((await h.say('/election close 1', { as: 'cara' }))[0]).toContain('Only');
    await h.say('/election close 1', { as: 'ana' });
    expect((await h.say('/poll close 1', { as: 'ben' }))[0]).toBe(
      "[main] You can't close poll #1: you stand in election #1, so that would be a conflict of interest. Another lead or an admin can do it.",
    );
    // A facilitator manages their collab's polls, but not an election's vote.
    await h.say('/role add @gus facilitator', { as: 'ana' });
    expect((await h.say('/poll close 1', { as: 'gus' }))[0]).toBe(
      "[main] You can't close poll #1: it is the vote of election #1, which only a lead or an admin can manage. Type /roles to see who they are.",
    );
    await h.say('/vote 1 2 1', { as: 'ben' });
    // A restart: a second bot on the same database runs the poll's closing job.
    const { db, clock } = h;
    await h.bot.stop();
    const again = await createHarness({ admins: 'console:ana', db, clock });
    const out = await again.advance(DAY);
    expect(out.join('\n')).toContain('Election #1 result: cara is elected');
    expect((await again.say('/poll reopen 1', { as: 'ana' }))[0]).toContain("Poll #1 is an election's vote");
    await again.bot.stop();
    h = { ...h, close: async () => void db.close() };
  });
});

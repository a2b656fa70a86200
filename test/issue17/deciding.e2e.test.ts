// Issue 17, parts 1 and 2, through the console harness with the inputs quoted
// in the issue: reasons with votes, and polls that are only made on purpose and
// can be put right.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const DAY = 24 * 3600_000;

async function forum() {
  h = await createHarness({ admins: 'console:ana' });
  await h.say('/collab create Forum', { as: 'ana' });
  return h;
}

const pollCount = () => (h.db.prepare('SELECT COUNT(*) AS n FROM polls').get() as { n: number }).n;
const tables = () => ['polls', 'poll_options', 'poll_chats', 'poll_voters', 'poll_ballots', 'poll_reasons'].map((t) => h.db.prepare(`SELECT * FROM ${t}`).all());

describe('reasons with votes', () => {
  it('takes a reason after --, an em dash or "because", and a block needs one', async () => {
    await forum();
    await h.say('/poll "Fund the minibus?" --type proposal', { as: 'ana' });
    const before = tables();
    expect(await h.say('/vote 1 block', { as: 'bob' })).toEqual([
      '[main] A block means you would not go along with this, so please say why after the vote. Your vote is not counted yet.\nFor example: /vote 1 block -- it leaves out the under-18s',
    ]);
    expect(tables()).toEqual(before);
    expect((await h.say('/vote 1 block because it ignores under-18s', { as: 'olly' }))[0]).toContain('your vote in poll #1 is counted: Block. Your reason is kept with it.');
    expect((await h.say('/vote 1 disagree -- it ignores under-18s', { as: 'bob' }))[0]).toContain('counted: Disagree. Your reason is kept with it.');
    expect((await h.say('/vote 1 Agree — we need it by spring', { as: 'cat' }))[0]).toContain('counted: Agree.');
    const [results] = await h.say('/poll results 1', { as: 'cat' });
    expect(results).toContain('Reasons given:\nAgree:\n  - cat: we need it by spring\nDisagree:\n  - bob: it ignores under-18s\nBlock:\n  - olly: it ignores under-18s');
    // Changing your vote replaces your reason; voting the same with a new reason updates it.
    expect((await h.say('/vote 1 agree', { as: 'bob' }))[0]).toContain('is now Agree (instead of Disagree)');
    expect((await h.say('/vote 1 block -- the route skips the estate', { as: 'olly' }))[0]).toContain('already Block, so nothing changed. Your reason is updated.');
    expect(await h.say('/poll reasons 1', { as: 'bob' })).toEqual([
      '[main] Poll #1: Fund the minibus?\nReasons given:\nAgree:\n  - cat: we need it by spring\nBlock:\n  - olly: the route skips the estate',
    ]);
  });

  it('shows reasons of an anonymous poll without names, only once it closes', async () => {
    await forum();
    await h.say('/poll "Rate the venue?" "Hall" "Library" --anonymous', { as: 'ana' });
    await h.say('/vote 1 hall -- step-free access', { as: 'bob' });
    await h.say('/vote 1 library because it is central', { as: 'cat' });
    expect((await h.say('/poll reasons 1', { as: 'bob' }))[0]).toContain('shows its votes and reasons when it closes');
    const closed = (await h.say('/poll close 1', { as: 'ana' })).join('\n');
    expect(closed).toContain('Hall:\n  - step-free access');
    expect(closed).toContain('Library:\n  - it is central');
    expect(closed).not.toMatch(/bob|cat/);
    // Nothing in the database ties a reason to a voter.
    // The reasons are kept in the poll's own shuffled list, apart from the ballots (as unlinkable as they are), never in poll_reasons.
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM poll_reasons').get()).toEqual({ n: 0 });
    const kept = h.db.prepare('SELECT reasons FROM poll_anonymous_ballots WHERE poll_id = 1').pluck().get() as string;
    expect((JSON.parse(kept) as [number, string][]).map(([, r]) => r).sort()).toEqual(['it is central', 'step-free access']);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM poll_voters WHERE ballot IS NOT NULL').get()).toEqual({ n: 0 });
  });
});

describe('a poll is made only on purpose', () => {
  it('refuses a question without quotes or "?", showing the right form with the words typed', async () => {
    await forum();
    expect(await h.say('/poll Where should the party be Town hall, Library, Pub', { as: 'ana' })).toEqual([
      '[main] I made no poll: I can\'t tell where the question ends. Put the question in quotes or end it with "?".\nType it like this: /poll "Where should the party be?" Town hall, Library, Pub',
    ]);
    expect(pollCount()).toBe(0);
  });

  it('reads comma options, single quotes and one-hyphen flags, and refuses a stray quote naming where', async () => {
    await forum();
    expect((await h.say('/poll Lunch? Soup, Salad, Pizza', { as: 'ana' }))[0]).toBe(
      '[main] Poll #1: Lunch?\n1. Soup\n2. Salad\n3. Pizza\nTo vote, type /vote 1 and the number of your choice, e.g. /vote 1 2',
    );
    expect((await h.say("/poll 'Where should the party be?' 'Town hall' 'Library'", { as: 'ana' }))[0]).toContain('Poll #2: Where should the party be?\n1. Town hall\n2. Library');
    expect((await h.say('/poll "Where?" "Town hall" "Pub" -type ranked -closes 2d', { as: 'ana' }))[0]).toMatch(/^\[main\] Poll #3 \(ranked choice\): Where\?\n1\. Town hall\n2\. Pub\n/);
    expect(await h.say('/poll "Where?" "Town hall "Library"', { as: 'ana' })).toEqual([
      '[main] A quote is missing near Library": each quoted option needs a " at both ends, so I made nothing.\nType it like this: /poll "Where should we meet?" "Town hall" "Library"',
    ]);
    expect(await h.say('/poll "Where? "Town hall" "Library', { as: 'ana' })).toEqual([expect.stringContaining('A quote is opened before "Library" but never closed.')]);
    expect(pollCount()).toBe(3);
  });

  it('answers /poll <word> N with the nearest subcommand, never a new poll', async () => {
    await forum();
    expect(await h.say('/poll result 21', { as: 'ana' })).toEqual(['[main] Did you mean /poll results 21?\nType /help poll to see its commands.']);
    expect((await h.say('/poll remove 3', { as: 'ana' }))[0]).toMatch(/^\[main\] There is no \/poll remove, so I made nothing\. The poll commands are: .*\/poll delete/);
    expect((await h.say('/poll delete 17 18', { as: 'ana' }))[0]).toBe('[main] There is no poll #17. Type /polls to see the open polls here.');
    expect(pollCount()).toBe(0);
  });

  it('edits a poll nobody voted in; deletes it from every chat; cancels one with votes and tells the voters', async () => {
    await forum();
    await h.say('/collab link Forum', { as: 'ana', in: 'forum-2' });
    await h.say('/poll "Lunch?" "Soup" "Salad"', { as: 'bob' });
    expect((await h.say('/poll edit 1 "Lunch on Friday?" Soup, Salad, Pizza', { as: 'cat' }))[0]).toContain('Only the person who asked poll #1, a facilitator of its collab or an admin can change it.');
    const edited = await h.say('/poll edit 1 "Lunch on Friday?" Soup, Salad, Pizza', { as: 'bob' });
    expect(edited).toEqual(expect.arrayContaining([expect.stringContaining('[main] Poll #1: Lunch on Friday?\n1. Soup\n2. Salad\n3. Pizza'), expect.stringContaining('[forum-2] Poll #1: Lunch on Friday?')]));
    expect(await h.say('/poll delete 1', { as: 'bob' })).toEqual(['[main] Poll #1 (Lunch on Friday?) was deleted by bob.', '[forum-2] Poll #1 (Lunch on Friday?) was deleted by bob.']);
    expect(await h.say('/polls', { as: 'bob' })).toEqual([expect.stringContaining('There are no open polls here.')]);
    expect(await h.say('/poll results 1', { as: 'bob' })).toEqual(['[main] Poll #1 was deleted. Type /polls to see the open polls here.']);

    await h.say('/poll "Party?" "Yes" "No" --closes 3d', { as: 'bob' });
    await h.say('/vote 2 yes', { as: 'cat' });
    expect((await h.say('/poll edit 2 "Party on Friday?"', { as: 'bob' }))[0]).toContain('1 person has voted in poll #2, so changing it would change what they voted for.');
    const cancelled = await h.say('/poll delete 2', { as: 'ana' });
    expect(cancelled).toContain('[main] Poll #2 (Party?) was cancelled by ana. It is closed without results: the 1 vote cast will not count.');
    expect(cancelled).toContain('[@cat] Poll #2 (Party?), which you voted in, was cancelled by ana. Your vote will not count; if it is asked again, please vote again.');
    expect(await h.say('/poll results 2', { as: 'cat' })).toEqual(['[main] Poll #2 (Party?) was cancelled, so it has no results. Type /polls to see the open polls here.']);
    expect((await h.say('/poll reopen 2', { as: 'ana' }))[0]).toContain('Poll #2 was cancelled, so it can\'t be reopened.');
    // Its closing time no longer does anything.
    expect(await h.advance(4 * DAY)).toEqual([]);
  });
});

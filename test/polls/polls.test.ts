// Polls through the entry point people use: command lines typed into the
// harness (the console's syntax), with a fake clock for closing times.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleAdapter } from '../../adapters/console/index.js';
import type { OutMessage } from '../../src/model.js';
import type { PollRow } from '../../src/polls/repo.js';
import { TRANSITIONS } from '../../src/polls/status.js';
import type { PollResult } from '../../src/polls/tally.js';
import { createHarness, RecordingAdapter, type Harness, type HarnessOptions } from '../helpers/harness.js';
import { DONE_WHEN_SCRIPT } from './done-when.js';
import { PollsRepo } from '../../src/polls/repo.js';

let h: Harness;
afterEach(async () => h?.close());

async function forum(opts: HarnessOptions = {}) {
  h = await createHarness({ admins: 'console:ana', ...opts });
  keepOutbox();
  await h.say('/collab create Forum', { as: 'ana' });
  return h;
}

/** Delivered replies leave the outbox (and their ids may come round again): keep a copy of everything written to it. */
function keepOutbox() {
  h.db.exec(`CREATE TABLE outbox_written (seq INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT, dest TEXT, body TEXT);
    CREATE TRIGGER outbox_copy AFTER INSERT ON outbox BEGIN
      INSERT INTO outbox_written (platform, dest, body) VALUES (NEW.platform, NEW.dest, NEW.body);
    END;`);
}

/** Every message written to the outbox since keepOutbox(), decoded. */
function outbox(): { platform: string; dest: string; message: OutMessage }[] {
  return (h.db.prepare('SELECT platform, dest, body FROM outbox_written ORDER BY seq').all() as { platform: string; dest: string; body: string }[]).map((r) => ({
    platform: r.platform,
    dest: r.dest,
    message: JSON.parse(r.body) as OutMessage,
  }));
}

/** Every message the console adapter was given, as the outbox held it (without the sender's deliveryId). */
function delivered(): OutMessage[] {
  return h.adapter().sent.map((s) => {
    const { deliveryId: _, ...message } = s.message;
    return message;
  });
}

/** What the poll tables hold, to show a refused command changed nothing. */
function pollTables() {
  return ['polls', 'poll_options', 'poll_chats', 'poll_voters', 'poll_ballots'].map((t) => h.db.prepare(`SELECT * FROM ${t}`).all());
}

const DAY = 24 * 3600_000;

/** Adapters that can edit sent messages (Slack, Discord): the only ones that get live counts. */
const editable: HarnessOptions['adapterFor'] = (platform, timeline) =>
  new RecordingAdapter(platform, { buttons: false, nativePolls: false, threads: false, edit: true, maxMessageLength: 100_000, markdown: 'plain' }, timeline);


describe('the Done-when console script', () => {
  it('gives Thursday 2, Tuesday 1, refuses the late vote and shows the outcome', async () => {
    h = await createHarness({ admins: '' }); // no admins: ana closes it as the person who asked
    const lines = await h.script(DONE_WHEN_SCRIPT);
    expect(lines[1]).toBe(
      '[main] Poll #1: Which day for the forum?\n1. Tuesday\n2. Thursday\nTo vote, type /vote 1 and the number of your choice, e.g. /vote 1 2',
    );
    expect(lines[2]).toBe('[main] Thanks ben: your vote in poll #1 is counted: Thursday.\nNow: Tuesday 0 · Thursday 1');
    expect(lines[3]).toBe('[main] Thanks cara: your vote in poll #1 is counted: Thursday.\nNow: Tuesday 0 · Thursday 2');
    expect(lines[5]).toBe('[main] dan: your vote in poll #1 is now Thursday (instead of Tuesday).\nNow: Tuesday 0 · Thursday 3');
    expect(lines[6]).toBe('[main] dan: your vote in poll #1 is now Tuesday (instead of Thursday).\nNow: Tuesday 1 · Thursday 2');
    expect(lines[7]).toBe(
      '[main] Results of poll #1: Which day for the forum? (still open)\nThursday: 2 votes (67%)\nTuesday: 1 vote (33%)\n3 people have voted so far.',
    );
    expect(lines[8]).toMatch(/^\[main\] Poll #1 is closed\.\nResults of poll #1: Which day for the forum\? \(closed\)\nThursday: 2 votes \(67%\)\nTuesday: 1 vote \(33%\)\nMost votes: Thursday\.\n3 people voted\./);
    expect(lines[9]).toBe('[main] Outcome of poll #1 (Which day for the forum?): We meet on Thursdays.');
    expect(lines[10]).toMatch(/^\[main\] Poll #1 closed on .+, so it no longer takes votes\. To see the results: \/poll results 1$/);
    expect(lines).toHaveLength(11);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM poll_voters').get()).toEqual({ n: 3 });
    const [results] = await h.say('/poll results 1');
    expect(results).toContain('Outcome: We meet on Thursdays.');
    expect(results).toContain('Thursday: 2 votes');
  });
});

describe('the poll contract with adapters', () => {
  it('posts the view with editKey poll:<id>, refreshes it updateOnly after each vote, and withholds hidden counts', async () => {
    await forum({ adapterFor: editable });
    await h.say('/poll "Which day?" "Tuesday" "Thursday"', { as: 'ana' });
    await h.say('/vote 1 2', { as: 'ben' });
    const [post, refresh, reply] = outbox().slice(1);
    expect(post!.message).toMatchObject({ editKey: 'poll:1', replyTo: expect.any(String) });
    expect(post!.message.updateOnly).toBeUndefined();
    expect(post!.message.poll).toEqual({
      pollId: 1,
      question: 'Which day?',
      type: 'choice',
      options: [{ index: 1, label: 'Tuesday', count: 0 }, { index: 2, label: 'Thursday', count: 0 }],
      multi: 1,
      anonymous: false,
      hidden: false,
      closed: false,
      voters: 0,
    });
    expect(reply!.message.editKey).toBeUndefined();
    expect(refresh!.message).toMatchObject({ editKey: 'poll:1', updateOnly: true, poll: { voters: 1, options: [{ count: 0 }, { count: 1 }] } });
    expect(refresh!.message.text).toContain('2. Thursday — 1 vote');

    await h.say('/poll "Secret?" "Yes" "No" --hidden --closes 3d', { as: 'ana' });
    await h.say('/vote 2 yes', { as: 'ben' });
    const hidden = outbox().filter((o) => o.message.editKey === 'poll:2');
    expect(hidden.at(-1)!.message.poll!.options).toEqual([{ index: 1, label: 'Yes' }, { index: 2, label: 'No' }]);
    expect(hidden.at(-1)!.message.poll).toMatchObject({ hidden: true, voters: 1, closesAt: new Date(h.clock.now() + 3 * DAY).toISOString() });
    expect(hidden.at(-1)!.message.text).not.toContain('—');
  });

  it('takes the action texts adapters send: /vote N k, /vote N i j for multi, /unvote N', async () => {
    await forum();
    await h.say('/poll "Days?" "Mon" "Tue" "Wed" --multi 2', { as: 'ana' });
    h.bot.process({
      kind: 'action', platform: 'console', eventId: 'btn-1', chat: { id: 'main', name: 'main', isDirect: false },
      author: { id: 'ben', displayName: 'ben', isBot: false }, time: new Date(), text: '/vote 1 1 3',
    });
    await h.flush();
    expect(h.take()).toEqual(['[main] Thanks ben: your vote in poll #1 is counted: Mon and Wed.\nNow: Mon 1 · Tue 0 · Wed 1']);
    expect(await h.say('/unvote 1', { as: 'ben' })).toEqual(['[main] ben: your vote in poll #1 is taken back. To vote again: /vote 1 1']);
    // The console cannot edit a sent message, so no live count is ever written for it.
    expect(outbox().filter((o) => o.message.updateOnly)).toEqual([]);
    expect(await h.say('/unvote 1', { as: 'ben' })).toEqual([expect.stringContaining("You haven't voted in poll #1")]);
  });

  it('marks confirmations of button and native-poll votes as acks, and never refusals or typed votes', async () => {
    await forum();
    await h.say('/poll "Days?" "Mon" "Tue" "Wed" --multi 2', { as: 'ana' });
    const act = (text: string, n: number) =>
      h.bot.process({
        kind: 'action', platform: 'console', eventId: `act-${n}`, chat: { id: 'main', name: 'main', isDirect: false },
        author: { id: 'ben', displayName: 'ben', isBot: false }, time: new Date(), text, messageId: `poll-message-${n}`,
      });
    act('/vote 1 1 3', 1);
    act('/vote 1 1 2 3', 2); // a native poll lets people tick more than the poll takes
    act('/unvote 1', 3);
    await h.flush();
    await h.say('/vote 1 2', { as: 'ben' });
    const replies = delivered().filter((m) => !m.poll).slice(-4);
    expect(replies).toEqual([
      { text: expect.stringMatching(/^Thanks ben: your vote in poll #1 is counted: Mon and Wed\./), ack: true, replyTo: 'poll-message-1' },
      { text: expect.stringMatching(/^Poll #1 takes up to 2 choices, and you picked 3, so that vote was not counted\. Pick up to 2, e\.g\. \/vote 1 1 2$/), replyTo: 'poll-message-2' },
      { text: 'ben: your vote in poll #1 is taken back. To vote again: /vote 1 1', ack: true, replyTo: 'poll-message-3' },
      { text: expect.stringMatching(/^Thanks ben: your vote in poll #1 is counted: Tue\./), replyTo: expect.any(String) },
    ]);
    await h.say('/poll close 1', { as: 'ana' });
    act('/vote 1 2', 4);
    await h.flush();
    expect(delivered().at(-1)).toEqual({ text: expect.stringMatching(/^Poll #1 closed on .+, so it no longer takes votes\./), replyTo: 'poll-message-4' });

    // The console prints an ack like any message.
    let printed = '';
    const console = new ConsoleAdapter({ output: new Writable({ write: (chunk, _enc, done) => void ((printed += chunk), done()) }) });
    await console.send({ platform: 'console', chatId: 'main' }, replies[0]!);
    expect(printed).toMatch(/^\[main\] Thanks ben: your vote in poll #1 is counted: Mon and Wed\./);
  });

  it('gives adapters the lines their own rendering would miss: a block, the quorum, who may vote', async () => {
    await forum({ adapterFor: editable });
    await h.say('/poll "Fund the minibus?" --type proposal --quorum 3', { as: 'ana' });
    await h.say('/vote 1 agree', { as: 'ben' });
    const view = () => outbox().filter((o) => o.message.poll).at(-1)!.message.poll!;
    expect(view().notes).toEqual(['Quorum: at least 3 voters needed; 1 voted — not reached yet.']);
    await h.say('/vote 1 block -- it leaves out the under-18s', { as: 'eve' });
    expect(view().notes).toEqual(['BLOCKED: 1 block (eve). A block means someone will not go along with this.', 'Quorum: at least 3 voters needed; 2 voted — not reached yet.']);
    // Hidden: no block shown before it closes (that would give the count away).
    await h.say('/poll "Fund the van?" --type proposal --hidden', { as: 'ana' });
    await h.say('/vote 2 block -- it leaves out the under-18s', { as: 'eve' });
    expect(view()).not.toHaveProperty('notes');
  });

  it('asks for the platform’s own poll with --native, where the poll type allows it', async () => {
    await forum({ adapterFor: editable });
    await h.say('/poll "Lunch?" "Soup" "Salad" --native', { as: 'ana' });
    await h.say('/poll "Fund the minibus?" --type proposal --native', { as: 'ana' });
    await h.say('/vote 1 soup', { as: 'ben' });
    const views = outbox().filter((o) => o.message.poll).map((o) => o.message.poll!);
    expect(views.map((v) => [v.pollId, v.native])).toEqual([[1, true], [2, true], [1, true]]);
    await h.say('/poll close 1', { as: 'ana' });
    expect(outbox().filter((o) => o.message.poll).at(-1)!.message.poll).toMatchObject({ pollId: 1, closed: true, native: true });
    // Without it, the view says nothing of it (adapters render as usual).
    await h.say('/poll "Tea?" "Yes" "No"', { as: 'ana' });
    expect(outbox().filter((o) => o.message.poll).at(-1)!.message.poll).not.toHaveProperty('native');

    const before = pollTables();
    expect(await h.say('/poll "Rank them" "A" "B" --type ranked --native', { as: 'ana' })).toEqual([
      '[main] --native is for choice polls and proposals; ranked polls are voted by typing /vote. For example: /poll "Lunch?" "Soup" "Salad" --native',
    ]);
    expect((await h.say('/poll "Secret?" "A" "B" --anonymous --native', { as: 'ana' }))[0]).toContain("A native poll shows everyone's votes as they come in, so it can't be --anonymous.");
    expect((await h.say('/poll "Secret?" "A" "B" --hidden --native', { as: 'ana' }))[0]).toContain("so it can't be --hidden.");
    expect(pollTables()).toEqual(before);
    expect(await h.say('/help poll', { as: 'ana' })).toEqual([expect.stringContaining("--native: Discord: post as Discord's own poll (choice or proposal, up to 10 options; else buttons)")]);
  });
});

describe('poll types', () => {
  it('proposal: fixed options, a block shown prominently, and the pass rule', async () => {
    await forum();
    expect((await h.say('/poll "Fund the minibus?" "yes" "no" --type proposal', { as: 'ana' }))[0]).toContain('A proposal has fixed options');
    const [post] = await h.say('/poll "Fund the minibus?" --type proposal', { as: 'ana' });
    expect(post).toContain('Poll #1 (proposal): Fund the minibus?\n1. Agree\n2. Abstain\n3. Disagree\n4. Block');
    await h.say('/vote 1 agree', { as: 'ben' });
    await h.say('/vote 1 agree', { as: 'cara' });
    await h.say('/vote 1 abstain', { as: 'dan' });
    let [results] = await h.say('/poll results 1');
    expect(results).toContain('Agree 2 · Abstain 1 · Disagree 0 · Block 0');
    expect(results).toContain('If it closed now, the proposal passes: no block, and more agree than disagree.');
    await h.say('/vote 1 block -- it leaves out the under-18s', { as: 'eve' });
    [results] = await h.say('/poll results 1');
    expect(results!.split('\n')[1]).toBe('BLOCKED: 1 block (eve). A block means someone will not go along with this.');
    const [closed] = await h.say('/poll close 1', { as: 'ana' });
    expect(closed).toContain('The proposal does not pass: it is blocked.');
  });

  it('ranked: voters rank options and the results show every instant-runoff round', async () => {
    await forum();
    await h.say('/poll "Where do we meet?" "Library" "Town hall" "Cafe" --type ranked', { as: 'ana' });
    for (const [who, order] of [['ben', '1 3'], ['cara', '1'], ['dan', '2 3'], ['eve', '3 2'], ['fay', '2']] as const) {
      await h.say(`/vote 1 ${order}`, { as: who });
    }
    const [reply] = await h.say('/vote 1 cafe town', { as: 'gus' });
    expect(reply).toBe('[main] Thanks gus: your vote in poll #1 is counted: 1. Cafe, 2. Town hall.\nFirst choices now: Library 2 · Town hall 2 · Cafe 2');
    const [closed] = await h.say('/poll close 1', { as: 'ana' });
    // Every option still in the race has the same votes: a tie, by the stated rule.
    expect(closed).toContain('Round 1: Library 2, Town hall 2, Cafe 2.');
    expect(closed).toContain('Tie between Library, Town hall and Cafe: no winner.');
    await h.say('/poll reopen 1', { as: 'ana' });
    await h.say('/vote 1 2 1', { as: 'hal' });
    const [again] = await h.say('/poll close 1', { as: 'ana' });
    expect(again).toContain('Round 1: Town hall 3, Library 2, Cafe 2. Out: Cafe (tied in every round; listed later in the poll).');
    expect(again).toContain('Round 2: Town hall 5, Library 2.');
    expect(again).toContain('Winner: Town hall, with 5 of 7 votes (71%) in round 2.');
  });

  it('score: option=score pairs; results show mean and count', async () => {
    await forum();
    await h.say('/poll "Rate the sessions" "Morning" "Afternoon" "Evening" --type score', { as: 'ana' });
    await h.say('/vote 1 1=4 2=5', { as: 'ben' });
    await h.say('/vote 1 morning=2 afternoon=5 evening=0', { as: 'cara' });
    expect(await h.say('/vote 1 1=9', { as: 'dan' })).toEqual([expect.stringContaining('A score is a whole number from 0 to 5')]);
    const [results] = await h.say('/poll results 1');
    expect(results).toContain('Afternoon: average 5.0 from 2 scores\nMorning: average 3.0 from 2 scores\nEvening: average 0.0 from 1 score');
    expect(results).toContain('2 people have voted so far.');
  });

  it('choice with --multi K lets each voter pick up to K', async () => {
    await forum();
    await h.say('/poll "Which days suit you?" "Mon" "Tue" "Wed" --multi 2', { as: 'ana' });
    expect(await h.say('/vote 1 1 2 3', { as: 'ben' })).toEqual([expect.stringContaining('takes up to 2 choices, and you picked 3, so that vote was not counted.')]);
    await h.say('/vote 1 mon wed', { as: 'ben' });
    await h.say('/vote 1 wed', { as: 'cara' });
    const [results] = await h.say('/poll results 1');
    expect(results).toContain('Wed: 2 votes (100% of 2 voters)\nMon: 1 vote (50% of 2 voters)\nTue: 0 votes (0% of 2 voters)');
  });
});

describe('creating polls', () => {
  it('refuses bad polls with a clear reply and changes nothing', async () => {
    await forum();
    const before = pollTables();
    const cases: [string, RegExp][] = [
      ['/poll "Only one?" "A"', /needs 2 to 20 options/],
      [`/poll "Too many?" ${Array.from({ length: 21 }, (_, i) => `"o${i}"`).join(' ')}`, /needs 2 to 20 options, in quotes or separated by commas; you gave 21/],
      ['/poll "Twice?" "A" "a"', /The option "a" is there twice/],
      ['/poll "Q?" "A" "B" --type vote', /The type must be one of: choice, proposal, ranked, score/],
      ['/poll "Q?" "A" "B" --multi 3', /--multi must be a number from 2 to the number of options \(2\)/],
      ['/poll "Q?" "A" "B" --type ranked --multi 2', /--multi is for choice polls only/],
      ['/poll "Q?" "A" "B" --closes someday', /I can't read "someday" as a closing time/],
      ['/poll "Q?" "A" "B" --closes 2020-01-01', /I can't read|at least 5 minutes from now/],
      ['/poll "Q?" "A" "B" --quorum many', /--quorum takes a whole number/],
      ['/poll "Q?" "A" "B" --everywhere', /Only a lead or an admin can post a poll to every subscribed chat/],
    ];
    for (const [line, reply] of cases) {
      const got = await h.say(line, { as: 'ben' });
      expect(got, line).toHaveLength(1);
      expect(got[0], line).toMatch(reply);
    }
    expect(await h.say('/poll "Q?" "A" "B"', { in: 'elsewhere', as: 'ben' })).toEqual([expect.stringContaining('This chat is not a collab yet')]);
    expect(pollTables()).toEqual(before);
  });

  it('reads an unquoted question up to its "?", and an unquoted --closes date and time', async () => {
    await forum();
    const [post] = await h.say('/poll Which day suits? Tuesday Thursday --closes 2026-12-01 17:00', { as: 'ana' });
    expect(post).toContain('Poll #1: Which day suits?\n1. Tuesday\n2. Thursday\n');
    expect(post).toContain('Closes Tue 1 Dec 2026, 17:00.');
    const [next] = await h.say('/poll "Lunch?" --closes next friday at 5pm "Soup" "Salad"', { as: 'ana' });
    expect(next).toContain('1. Soup\n2. Salad');
    expect(next).toMatch(/Closes Fri (27 Nov|4 Dec) 2026, 17:00\./);
  });
});

describe('voting', () => {
  it('refuses unknown polls, invalid choices and closed polls, changing nothing', async () => {
    await forum();
    await h.say('/poll "Which day?" "Tuesday" "Thursday"', { as: 'ana' });
    await h.say('/vote 1 1', { as: 'ben' });
    const before = pollTables();
    expect(await h.say('/vote 7 1', { as: 'ben' })).toEqual(['[main] There is no poll #7. Type /polls to see the open polls here.']);
    expect(await h.say('/vote 1 friday', { as: 'ben' })).toEqual([
      '[main] Poll #1 has no option "friday". The options are: 1. Tuesday, 2. Thursday.\nTo vote, type /vote 1 and the number of your choice, e.g. /vote 1 2',
    ]);
    expect(await h.say('/vote 1 3', { as: 'cara' })).toEqual([expect.stringContaining('Poll #1 has no option "3"')]);
    expect(await h.say('/vote one 1', { as: 'cara' })).toEqual([expect.stringContaining('Give the poll number, e.g. 1')]);
    expect(await h.say('/vote 1', { as: 'cara' })).toEqual([expect.stringContaining('Say what you choose in poll #1')]);
    expect(await h.say('/vote 1 1', { as: 'ben' })).toEqual(['[main] ben: your vote in poll #1 is already Tuesday, so nothing changed.']);
    expect(pollTables()).toEqual(before);
    await h.say('/poll close 1', { as: 'ana' });
    const closed = pollTables();
    expect(await h.say('/vote 1 2', { as: 'ben' })).toEqual([expect.stringContaining('Poll #1 closed on')]);
    expect(await h.say('/unvote 1', { as: 'ben' })).toEqual([expect.stringContaining('so votes can no longer be changed')]);
    expect(pollTables()).toEqual(closed);
  });

  it('takes votes only where the poll is shown: its collab’s chats, or a direct message from a member', async () => {
    await forum();
    await h.say('/collab create Youth Hub', { as: 'zoe', in: 'youth' });
    await h.say('/poll "Which day?" "Tuesday" "Thursday"', { as: 'ana' });
    await h.say('/polls', { as: 'ben' }); // ben is now a member of Forum
    expect(await h.say('/vote 1 1', { as: 'zoe', in: 'youth' })).toEqual([
      "[youth] Poll #1 belongs to Forum, so you can't vote on it in this chat. Type the command in one of Forum's chats, or send it to me in a direct message.",
    ]);
    expect(await h.say('/vote 1 1', { as: 'zoe', in: 'random' })).toEqual([expect.stringContaining('belongs to Forum')]);
    expect(await h.say('/vote 1 1', { as: 'zoe', in: 'zoe-dm', direct: true })).toEqual([
      '[zoe-dm] You can vote on poll #1 in a direct message only if you are a member of Forum. Type the command in a chat where the poll is shown.',
    ]);
    expect(await h.say('/poll results 1', { as: 'zoe', in: 'youth' })).toEqual([expect.stringContaining("you can't see it in this chat")]);
    expect(await h.say('/vote 1 2', { as: 'ben', in: 'ben-dm', direct: true })).toEqual([expect.stringContaining('Thanks ben: your vote in poll #1 is counted: Thursday.')]);
    // A chat linked to the collab later shows its polls too.
    await h.say('/collab link Forum', { as: 'ana', in: 'forum-2' });
    expect(await h.say('/vote 1 1', { as: 'cara', in: 'forum-2' })).toEqual([expect.stringContaining('Thanks cara')]);
    expect(h.services.polls.result(h.services.polls.get(1)!).voters).toBe(2);
  });
});

describe('managing polls', () => {
  it('moves a poll only as its one transition table allows', () => {
    // Written out independently of TRANSITIONS, so a wrong table fails here.
    const table = Object.entries(TRANSITIONS).flatMap(([from, moves]) => Object.entries(moves).map(([action, to]) => `${from} ${action} → ${to}`));
    expect(table.sort()).toEqual(['closed outcome → closed', 'closed reopen → open', 'open close → closed', 'open unvote → open', 'open vote → open']);
  });

  it('lets only the asker, a facilitator of its collab, a lead or an admin close, reopen or record an outcome', async () => {
    await forum();
    await h.say('/role add @lee lead', { as: 'ana' });
    await h.say('/role add @fay facilitator', { as: 'ana' });
    await h.say('/poll "Which day?" "Tuesday" "Thursday"', { as: 'ben' });
    const before = pollTables();
    const refusal = "[main] Only the person who asked it, a facilitator of its collab, a lead or an admin can close poll #1. Type /roles to see who can help.";
    expect(await h.say('/poll close 1', { as: 'mallory' })).toEqual([refusal]);
    expect(pollTables()).toEqual(before);
    // A facilitator of another collab is not enough.
    await h.say('/collab create Youth Hub', { as: 'zoe', in: 'youth' });
    expect(await h.say('/poll close 1', { as: 'zoe', in: 'main' })).toEqual([refusal]);
    expect((await h.say('/poll close 1', { as: 'ben' }))[0]).toContain('Poll #1 is closed.');
    expect(await h.say('/poll close 1', { as: 'ben' })).toEqual(['[main] Poll #1 is already closed. To open it again: /poll reopen 1']);
    expect(await h.say('/poll reopen 1', { as: 'mallory' })).toEqual([expect.stringContaining('can reopen poll #1')]);
    expect(await h.say('/poll outcome 1 Tuesdays', { as: 'mallory' })).toEqual([expect.stringContaining('can record the outcome of poll #1')]);
    expect(await h.say('/poll outcome 1', { as: 'fay' })).toEqual([expect.stringContaining('Say what was decided')]);
    expect(await h.say('/poll outcome 1 "Tuesdays it is."', { as: 'fay' })).toEqual(['[main] Outcome of poll #1 (Which day?): Tuesdays it is.']);
    const reopened = await h.say('/poll reopen 1 --closes 2d', { as: 'lee' });
    expect(reopened[0]).toMatch(/^\[main\] Poll #1: Which day\?/);
    expect(reopened[1]).toMatch(/^\[main\] Done: poll #1 is open again until .+\. Votes cast before it closed still count\.\nIts recorded outcome \("Tuesdays it is\."\) no longer stands and was cleared\./);
    expect(h.services.polls.get(1)).toMatchObject({ status: 'open', outcome: null });
    expect(await h.say('/poll outcome 1 x', { as: 'lee' })).toEqual([expect.stringContaining('is still open. Close it first')]);
    expect(await h.say('/poll reopen 1', { as: 'lee' })).toEqual([expect.stringContaining('is still open. To close it: /poll close 1')]);
    expect(await h.say('/poll close 99', { as: 'ana' })).toEqual([expect.stringContaining('There is no poll #99')]);
    expect((await h.say('/help poll close'))[0]).toContain('Who: the person who asked it, a facilitator of its collab, a lead or an admin');
  });

  it('lists the open polls of this collab with /polls', async () => {
    await forum();
    expect(await h.say('/polls')).toEqual([expect.stringContaining('There are no open polls here.')]);
    await h.say('/poll "Which day?" "Tuesday" "Thursday" --closes 2d', { as: 'ana' });
    await h.say('/poll "Lunch?" "Soup" "Salad"', { as: 'ana' });
    await h.say('/poll "Old?" "A" "B"', { as: 'ana' });
    await h.say('/poll close 3', { as: 'ana' });
    await h.say('/collab create Youth Hub', { as: 'zoe', in: 'youth' });
    await h.say('/poll "Youth only?" "A" "B"', { as: 'zoe', in: 'youth' });
    await h.say('/vote 2 soup', { as: 'ben' });
    const [list] = await h.say('/polls');
    expect(list).toMatch(/^\[main\] Open polls \(2\):\n#1 Which day\? — 0 voted, closes .+\n#2 Lunch\? — 1 voted\nTo vote/);
  });
});

describe('closing by time', () => {
  it('warns 24 hours before, naming who has not voted, then closes itself and posts the results', async () => {
    await forum();
    for (const who of ['ben', 'cara', 'dan']) await h.say('/polls', { as: who }); // seen in the collab
    await h.say('/poll "Which day?" "Tuesday" "Thursday" --closes 3d', { as: 'ana' });
    await h.say('/vote 1 2', { as: 'ben' });
    expect(await h.advance(2 * DAY - 60_000)).toEqual([]);
    const warning = await h.advance(60_000);
    expect(warning).toHaveLength(1);
    expect(warning[0]).toMatch(/^\[main\] Poll #1 closes in 24 hours \(.+\): Which day\?\n3 people have not voted yet: ana, cara, dan\.\nTo vote/);
    await h.say('/vote 1 1', { as: 'cara' });
    expect(await h.advance(DAY - 1000)).toEqual([]);
    const closing = await h.advance(1000);
    expect(closing).toHaveLength(1);
    expect(closing[0]).toContain('Poll #1 is closed. It has reached its closing time.\nResults of poll #1: Which day? (closed)\nTuesday: 1 vote (50%)\nThursday: 1 vote (50%)\nTie between Tuesday and Thursday.');
    expect(h.services.polls.get(1)).toMatchObject({ status: 'closed', closed_by: null });
    expect(await h.say('/vote 1 1', { as: 'dan' })).toEqual([expect.stringContaining('Poll #1 closed on')]);
    expect(h.services.scheduler.pendingAt('poll:1:close')).toBeUndefined();
  });

  it('refuses votes once the closing time has passed, even before the closing job runs; closing by hand cancels the jobs', async () => {
    await forum();
    await h.say('/poll "Which day?" "Tuesday" "Thursday" --closes 2d', { as: 'ana' });
    expect(h.services.scheduler.pendingAt('poll:1:warn')).toBe(h.clock.now() + DAY);
    h.services.scheduler.stop(); // as if the bot were busy
    h.clock.advance(2 * DAY);
    expect(await h.say('/vote 1 1', { as: 'ben' })).toEqual([expect.stringContaining('Poll #1 closed on')]);
    await h.say('/poll close 1', { as: 'ana' });
    expect(h.services.scheduler.pendingAt('poll:1:close')).toBeUndefined();
    expect(h.services.scheduler.pendingAt('poll:1:warn')).toBeUndefined();
  });

  it('closes a poll past its closing time before reopening it or recording its outcome, even before the closing job runs', async () => {
    await forum();
    const closed: number[] = [];
    h.services.polls.onClosed((poll) => closed.push(poll.id));
    await h.say('/poll "Which day?" "Tuesday" "Thursday" --closes 2d', { as: 'ana' });
    await h.say('/poll "Lunch?" "Soup" "Salad" --closes 2d', { as: 'ana' });
    await h.say('/vote 1 2', { as: 'ben' });
    h.services.scheduler.stop(); // as if the bot were busy
    h.clock.advance(2 * DAY);
    const reopened = await h.say('/poll reopen 1 --closes 2d', { as: 'ana' });
    expect(reopened[0]).toContain('Poll #1 is closed. It has reached its closing time.\nResults of poll #1: Which day? (closed)\nThursday: 1 vote (100%)');
    expect(reopened.at(-1)).toMatch(/^\[main\] Done: poll #1 is open again until /);
    expect(closed).toEqual([1]);
    expect(h.services.polls.get(1)).toMatchObject({ status: 'open', closed_at: null });
    expect((await h.say('/poll outcome 2 Soup it is.', { as: 'ana' })).map((l) => l.split('\n')[0])).toEqual([
      '[main] Poll #2 is closed. It has reached its closing time.',
      '[main] Outcome of poll #2 (Lunch?): Soup it is.',
    ]);
    expect(closed).toEqual([1, 2]);
    expect(h.services.polls.get(2)).toMatchObject({ status: 'closed', closed_by: null, outcome: 'Soup it is.' });
  });

  it('after downtime, closes late without a stale 24-hour reminder', async () => {
    await forum();
    await h.say('/poll "Which day?" "Tuesday" "Thursday" --closes 3d', { as: 'ana' });
    h.services.scheduler.stop(); // the bot is down
    h.clock.advance(4 * DAY);
    h.services.scheduler.start();
    const lines = await h.advance(0);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Poll #1 is closed. It has reached its closing time.');
  });

  it('skips the 24-hour reminder for short polls, names nobody in anonymous ones, and reschedules on reopen', async () => {
    await forum();
    await h.say('/poll "Quick?" "A" "B" --closes 12h', { as: 'ana' });
    expect(h.services.scheduler.pendingAt('poll:1:warn')).toBeUndefined();
    await h.say('/polls', { as: 'ben' });
    await h.say('/poll "Secret?" "A" "B" --anonymous --closes 2d', { as: 'ana' });
    const warning = (await h.advance(DAY)).find((l) => l.includes('Poll #2 closes in 24 hours'));
    expect(warning).toMatch(/Poll #2 closes in 24 hours .*\n2 people have not voted yet\.\n/);
    await h.advance(DAY);
    // (Anonymous polls are never reopened: poll #1 is.)
    await h.say('/poll reopen 1 --closes 36h', { as: 'ana' });
    expect(h.services.scheduler.pendingAt('poll:1:close')).toBe(h.clock.now() + 36 * 3600_000);
    expect(h.services.scheduler.pendingAt('poll:1:warn')).toBe(h.clock.now() + 12 * 3600_000);
  });
});

describe('--hidden and --quorum', () => {
  it('hides results until the poll closes, then shows them with whether quorum was reached', async () => {
    await forum();
    const [post] = await h.say('/poll "Which day?" "Tuesday" "Thursday" --hidden --quorum 3', { as: 'ana' });
    expect(post).toContain('Results stay hidden until the poll closes.');
    expect(post).toContain('Quorum: at least 3 voters needed; 0 voted — not reached yet.');
    expect(await h.say('/vote 1 2', { as: 'ben' })).toEqual(['[main] Thanks ben: your vote in poll #1 is counted: Thursday. Results stay hidden until the poll closes.']);
    await h.say('/vote 1 2', { as: 'cara' });
    expect(await h.say('/poll results 1', { as: 'ana' })).toEqual([
      '[main] Results of poll #1: Which day? (still open)\nResults are hidden until the poll closes.\n2 people have voted so far.',
    ]);
    expect(await h.say('/poll export 1', { as: 'ana' })).toEqual([expect.stringContaining('shows its results only when it closes')]);
    const [closed] = await h.say('/poll close 1', { as: 'ana' });
    expect(closed).toContain('Thursday: 2 votes (100%)');
    expect(closed).toContain('Quorum: at least 3 voters needed; 2 voted — not reached.');
  });
});

describe('anonymous polls', () => {
  it('stores no link from voter to choice anywhere in the database', async () => {
    await forum();
    await h.say('/poll "Do you feel heard?" "Yes" "Somewhat" "No" --anonymous', { as: 'ana' });
    const votes = { ben: 'Yes', cara: 'No', dan: 'Somewhat', eve: 'No' };
    for (const [who, choice] of Object.entries(votes)) {
      const [reply] = await h.say(`/vote 1 ${choice}`, { as: who });
      expect(reply).toBe(`[main] Thanks: your anonymous vote in poll #1 is counted, with any reason you gave (shown without your name). It is final: nobody can see it, so it cannot be changed. Results are shown when the poll closes.`);
    }
    const voters = Object.keys(votes).map((name) => h.services.people.find('console', name)!);
    const tables = h.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
    for (const table of tables) {
      const columns = (h.db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
      const refsPeople = (h.db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string }[]).filter((f) => f.table === 'people').map((f) => f.from);
      const rows = h.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[];
      for (const row of rows) {
        const json = JSON.stringify(row);
        const namesVoter = refsPeople.some((c) => voters.includes(row[c] as number)) || /\b(ben|cara|dan|eve)\b/.test(json);
        if (!namesVoter) continue;
        // A row that identifies a voter holds nothing about a choice: no option, no ballot, no time, no label.
        expect(columns, table).not.toContain('option_idx');
        if (table === 'poll_voters') expect(row).toEqual({ poll_id: 1, person_id: row.person_id, ballot: null, voted_at: null });
        if (table === 'outbox') expect(JSON.parse(row.body as string).text, json).not.toMatch(/\b(Yes|Somewhat|No)\b/);
      }
    }
    // The ballots themselves name nobody and keep no order or time.
    expect((h.db.prepare('PRAGMA table_info(poll_ballots)').all() as { name: string }[]).map((c) => c.name)).toEqual(['poll_id', 'ballot', 'option_idx', 'value']);
    expect(() => h.db.prepare('SELECT rowid FROM poll_ballots').all()).toThrow(); // WITHOUT ROWID: no insertion order
    // Live counts stay out of the view until it closes.
    expect(outbox().filter((o) => o.message.poll).every((o) => o.message.poll!.options.every((x) => x.count === undefined))).toBe(true);
    // And the database itself refuses a link, or turning anonymity off.
    expect(() => h.db.prepare(`UPDATE poll_voters SET voted_at = 1 WHERE poll_id = 1`).run()).toThrow(/no link from voter to ballot/);
    expect(() => h.db.prepare(`UPDATE polls SET anonymous = 0 WHERE id = 1`).run()).toThrow(/cannot stop being anonymous/);
    const [closed] = await h.say('/poll close 1', { as: 'ana' });
    expect(closed).toContain('No: 2 votes (50%)\nYes: 1 vote (25%)\nSomewhat: 1 vote (25%)');
  });

  it('makes an anonymous vote final: no re-vote, no unvote; results only once closed; private votes by direct message', async () => {
    await forum();
    const [post] = await h.say('/poll "Happy?" "Yes" "No" --anonymous', { as: 'ana' });
    expect(post).toContain('An anonymous vote is final once cast.');
    await h.say('/polls', { as: 'ben' });
    expect(await h.say('/vote 1 no', { as: 'ben', in: 'ben-dm', direct: true })).toEqual([expect.stringContaining('[ben-dm] Thanks: your anonymous vote in poll #1 is counted, with any reason you gave (shown without your name).')]);
    const before = pollTables();
    expect(await h.say('/vote 1 yes', { as: 'ben' })).toEqual([
      '[main] You have already voted in poll #1. It is anonymous, so your vote is final: nobody, not even me, can find your ballot to change it.',
    ]);
    expect(await h.say('/unvote 1', { as: 'ben' })).toEqual([expect.stringContaining('is anonymous, so your vote is final')]);
    expect(pollTables()).toEqual(before);
    expect((await h.say('/poll results 1', { as: 'ana' }))[0]).toContain('Results of an anonymous poll are shown when it closes');
    await h.say('/poll close 1', { as: 'ana' });
    await h.say('/poll export 1', { as: 'ana' });
    const dm = h.adapter().sent.filter((s) => s.to.userId === 'ana').at(-1)!.line;
    expect(dm).toBe('[@ana] Poll #1 (Happy?) as CSV; copy it into a spreadsheet:\nballot,1. Yes,2. No\n1,,1\n');
  });
});

describe('exports', () => {
  it('gives every named ballot as CSV by direct message', async () => {
    await forum();
    await h.say('/poll "Rank" "A" "B" "C" --type ranked', { as: 'ana' });
    await h.say('/vote 1 3 1', { as: 'ben' });
    await h.say('/vote 1 b', { as: 'cara' });
    const lines = await h.say('/poll export 1', { as: 'dan' });
    expect(lines).toContain("[main] dan, I've sent you poll #1 as CSV in a direct message.");
    expect(lines.filter((l) => l.startsWith('[@dan] Poll #1 (Rank) as CSV'))).toHaveLength(1);
    const csv = h.adapter().sent.find((s) => s.to.userId === 'dan')!.message.text.split('\n').slice(1);
    expect(csv[0]).toBe('ballot,voter,voted at,1. A,2. B,3. C');
    expect(csv[1]).toMatch(/^1,ben,".+",2,,1$/);
    expect(csv[2]).toMatch(/^2,cara,".+",,1,$/);
  });
});

describe('sector-wide polls', () => {
  it('are posted to every subscribed chat on every platform, and votes from all of them count once per person', async () => {
    h = await createHarness({ admins: 'console:ana,slack:sam', platforms: ['console', 'slack'] });
    keepOutbox();
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/subscribe polls', { as: 'ana' });
    await h.say('/role add @ben lead', { as: 'ana' });
    await h.say('/collab create Slack Group', { as: 'sam', in: 'general', platform: 'slack' });
    await h.say('/subscribe polls', { as: 'sam', in: 'general', platform: 'slack' });
    await h.say('/collab create Quiet', { as: 'ana', in: 'quiet' }); // not subscribed
    expect(await h.say('/poll "Sector view?" "Yes" "No" --everywhere', { as: 'cara' })).toEqual([expect.stringContaining('Only a lead or an admin can post a poll to every subscribed chat')]);

    const posted = await h.say('/poll "Should the Collective back the transport bid?" "Yes" "No" --everywhere', { as: 'ben' });
    expect(posted.sort()).toEqual([
      expect.stringMatching(/^\[general\] Poll #1: Should the Collective back/),
      expect.stringMatching(/^\[main\] Poll #1: Should the Collective back/),
    ].sort());
    expect(h.adapter('slack').sent.at(-1)!.message).toMatchObject({ editKey: 'poll:1', poll: { pollId: 1 } });
    expect(posted[0]).toContain('Sector-wide poll: votes from every chat it was posted to count together.');

    await h.say('/vote 1 yes', { as: 'cara' });
    await h.say('/vote 1 no', { as: 'tom', in: 'general', platform: 'slack' });
    await h.say('/vote 1 yes', { as: 'uma', in: 'general', platform: 'slack' });
    expect(await h.say('/vote 1 yes', { as: 'ana', in: 'quiet' })).toEqual([expect.stringContaining("Poll #1 was not posted in this chat, so you can't vote on it here.")]);
    const [results] = await h.say('/poll results 1', { as: 'tom', in: 'general', platform: 'slack' });
    expect(results).toContain('Yes: 2 votes (67%)\nNo: 1 vote (33%)\n3 people have voted so far.');
    // After each vote the view would be refreshed in every chat that shows it, but
    // these adapters cannot edit (test/outbox-live-views.test.ts has ones that can).
    expect(outbox().filter((o) => o.message.updateOnly)).toEqual([]);

    // cara links her Slack account: voting from Slack changes her one vote.
    await h.say('/link', { as: 'cara' });
    const code = /link code is (\d{6})/.exec(h.adapter().sent.find((s) => s.to.userId === 'cara')!.message.text)![1];
    await h.say(`/link ${code}`, { as: 'cara-slack', in: 'general', platform: 'slack' });
    await h.say('/link confirm', { as: 'cara' });
    expect(await h.say('/vote 1 no', { as: 'cara-slack', in: 'general', platform: 'slack' })).toEqual([
      expect.stringContaining('your vote in poll #1 is now No (instead of Yes)'),
    ]);
    const closing = await h.say('/poll close 1', { as: 'ben' });
    expect(closing.map((l) => l.slice(0, l.indexOf(']') + 1)).sort()).toEqual(['[general]', '[main]']); // both platforms get the results
    for (const l of closing) expect(l).toContain('No: 2 votes (67%)\nYes: 1 vote (33%)\nMost votes: No.\n3 people voted.');
    expect(await h.say('/polls', { as: 'tom', in: 'general', platform: 'slack' })).toEqual([expect.stringContaining('There are no open polls here')]);
  });
});

describe('one person, one vote across linked accounts', () => {
  it('keeps the later ballot in open polls, and keeps (and notes) both where ballots cannot be told apart', async () => {
    h = await createHarness({ admins: 'console:ana,slack:ana', platforms: ['console', 'slack'] });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/collab link Forum', { as: 'ana', in: 'forum', platform: 'slack' });
    await h.say('/poll "Which day?" "Tuesday" "Thursday"', { as: 'ana' });
    await h.say('/poll "Secret?" "Yes" "No" --anonymous', { as: 'ana' });
    await h.say('/poll "Closed?" "A" "B"', { as: 'ana' });
    const slack = { in: 'forum', platform: 'slack', as: 'ben-s' };
    await h.say('/vote 1 tuesday', { as: 'ben' });
    await h.say('/vote 2 yes', { as: 'ben' });
    await h.say('/vote 3 a', { as: 'ben' });
    h.clock.advance(1000);
    await h.say('/vote 1 thursday', slack);
    await h.say('/vote 2 no', slack);
    await h.say('/vote 3 b', slack);
    await h.say('/poll close 3', { as: 'ana' });
    expect(h.services.polls.result(h.services.polls.get(1)!).voters).toBe(2);

    await h.say('/link', { as: 'ben' });
    const code = /link code is (\d{6})/.exec(h.adapter().sent.find((s) => s.to.userId === 'ben')!.message.text)![1];
    await h.say(`/link ${code}`, slack);
    await h.say('/link confirm', { as: 'ben' });

    const polls = h.services.polls;
    const one = polls.result(polls.get(1)!);
    expect(one.voters).toBe(1);
    expect(one.options.map((o) => o.count)).toEqual([0, 1]); // the later vote (Thursday) stands
    const two = polls.get(2)!;
    expect(polls.result(two).voters).toBe(1);
    expect(two.linked_double_votes).toBe(1);
    expect(h.db.prepare('SELECT json_array_length(ballots) AS n FROM poll_anonymous_ballots WHERE poll_id = 2').get()).toEqual({ n: 2 });
    const three = polls.get(3)!;
    expect(polls.result(three).options.map((o) => o.count)).toEqual([1, 1]); // a closed poll is not recounted
    expect(polls.resultsText(three)).toContain('Note: 1 person voted from two accounts before linking them with /link; the poll had closed, so both ballots stay as counted.');
    // From either account, it is one person with one vote.
    expect(await h.say('/vote 1 thursday', { as: 'ben' })).toEqual(['[main] ben: your vote in poll #1 is already Thursday, so nothing changed.']);
    expect(await h.say('/vote 2 yes', { as: 'ben' })).toEqual([expect.stringContaining('You have already voted in poll #2')]);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM poll_voters WHERE person_id NOT IN (SELECT person_id FROM identities)').get()).toEqual({ n: 0 });
  });
});

describe('hooks for other features (grants)', () => {
  it('creates a proposal only leads may vote in, linked to its origin, and reports its result when it closes', async () => {
    await forum();
    await h.say('/role add @ben lead', { as: 'ana' });
    await h.say('/role add @lee lead', { as: 'ana' });
    const closed: [PollRow, PollResult][] = [];
    h.services.polls.onClosed((poll, result) => closed.push([poll, result]));
    const poll = h.services.polls.create({
      type: 'proposal',
      question: 'Approve Discovery grant #7 (£800 for a community fridge)?',
      voterRole: 'lead',
      origin: 'grant:7',
      collabId: h.services.collabs.byName('Forum')!.id,
      createdBy: null,
      closesAt: h.clock.now() + 3 * DAY,
      quorum: 2,
    });
    h.services.outbox.notify();
    await h.flush();
    const posted = h.take();
    expect(posted.find((l) => l.startsWith('[main] Poll #1 (proposal): Approve Discovery grant #7'))).toContain('Only leads can vote.');
    // Each lead also gets it privately, and may vote there.
    expect(posted.filter((l) => /^\[@(ben|lee)\] Poll #1 \(proposal\)/.test(l) && l.endsWith('You can vote here, in this direct message.'))).toHaveLength(2);
    expect(posted).toHaveLength(3);
    expect(h.services.polls.byOrigin('grant:7').map((p) => p.id)).toEqual([poll.id]);
    expect(await h.say(`/vote ${poll.id} agree`, { as: 'cara' })).toEqual([`[main] Only leads can vote in poll #${poll.id}. Type /roles to see who they are.`]);
    expect(await h.say(`/vote ${poll.id} agree`, { as: 'ana' })).toEqual([expect.stringContaining('Only leads can vote')]); // admins are not leads
    expect(await h.say(`/poll close ${poll.id}`, { as: 'cara' })).toEqual([expect.stringContaining('Only a lead or an admin can close')]);
    await h.say(`/vote ${poll.id} agree`, { as: 'ben' });
    await h.say(`/vote ${poll.id} abstain`, { as: 'lee', in: 'lee-dm', direct: true }); // leads may vote privately
    expect(closed).toEqual([]);
    await h.advance(3 * DAY);
    expect(closed).toHaveLength(1);
    const [row, result] = closed[0]!;
    expect(row).toMatchObject({ id: poll.id, origin: 'grant:7', status: 'closed', voter_role: 'lead' });
    expect(result.proposal).toEqual({ agree: 1, abstain: 1, disagree: 0, block: 0, passed: true });
    expect(result.quorumReached).toBe(true);
  });

  it('sends a lead who uses two platforms a leads-only poll on the platform it was asked on', async () => {
    h = await createHarness({ admins: 'console:ana,slack:UA', platforms: ['console', 'slack'] });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/collab link Forum', { as: 'UA', platform: 'slack', in: 'C1' });
    const [dm] = await h.say('/link', { as: 'lee' });
    await h.say(`/link ${/code is (\d{6})/.exec(dm!)![1]}`, { platform: 'slack', as: 'U2', in: 'D2', direct: true });
    await h.say('/link confirm', { as: 'lee' });
    await h.say('/role add @lee lead', { as: 'ana' });
    const slackChat = h.services.collabs.ensureChat('slack', 'C1', 'C1', false);
    h.services.polls.create({ type: 'proposal', question: 'Fund the minibus?', voterRole: 'lead', collabId: slackChat.collab_id, createdBy: null, from: { chat: slackChat } });
    h.services.outbox.notify();
    await h.flush();
    expect(h.take().filter((l) => /^\[@(lee|U2)\] Poll #1/.test(l))).toEqual([expect.stringMatching(/^\[@U2\] Poll #1 \(proposal\): Fund the minibus\?/)]);
  });

  it('calls onClosed inside the closing transaction: a failing listener leaves the poll open', async () => {
    await forum();
    h.services.polls.onClosed(() => {
      throw new Error('grant service unavailable');
    });
    await h.say('/poll "Which day?" "Tuesday" "Thursday"', { as: 'ana' });
    expect((await h.say('/poll close 1', { as: 'ana' }))[0]).toContain('Sorry, something went wrong on my side and nothing was changed.');
    expect(h.services.polls.get(1)!.status).toBe('open');
  });
});

describe('tally speed', () => {
  it('counts a 10,000-voter poll from its running tallies: a few rows, not every ballot', async () => {
    await forum();
    await h.say('/poll "Which day?" "Tuesday" "Thursday" "Saturday"', { as: 'ana' });
    h.db.transaction(() => {
      const person = h.db.prepare('INSERT INTO people (display_name, created_at) VALUES (?, 0)');
      const voter = h.db.prepare('INSERT INTO poll_voters (poll_id, person_id, ballot, voted_at) VALUES (1, ?, ?, 0)');
      const ballot = h.db.prepare('INSERT INTO poll_ballots (poll_id, ballot, option_idx, value) VALUES (1, ?, ?, 1)');
      for (let i = 0; i < 10_000; i++) {
        const id = Number(person.run(`v${i}`).lastInsertRowid);
        voter.run(id, `b${i}`);
        ballot.run(`b${i}`, 1 + (i % 3));
      }
    })();
    const repo = new PollsRepo(h.db) as unknown as { s: Record<string, { source: string }> };
    for (const statement of ['counts', 'firstPreferences']) {
      const plan = (h.db.prepare(`EXPLAIN QUERY PLAN ${repo.s[statement]!.source}`).all(1) as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan, statement).toMatch(/^SEARCH poll_tallies USING PRIMARY KEY \(poll_id=\?\)$/);
    }
    const voters = (h.db.prepare(`EXPLAIN QUERY PLAN ${repo.s.voterCount!.source}`).all(1) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(voters).toMatch(/^SEARCH polls USING INTEGER PRIMARY KEY \(rowid=\?\)$/);
    const t0 = performance.now();
    const result = h.services.polls.result(h.services.polls.get(1)!);
    const ms = performance.now() - t0;
    expect(result.voters).toBe(10_000);
    expect(result.options.map((o) => o.count)).toEqual([3334, 3333, 3333]);
    expect(ms).toBeLessThan(250);
  });

  it('finds who blocked a named proposal in one pass over the blocks, not one per voter', async () => {
    await forum();
    const repo = new PollsRepo(h.db) as unknown as { s: Record<string, { source: string }> };
    const plan = (h.db.prepare(`EXPLAIN QUERY PLAN ${repo.s.blockers!.source}`).all(1, 1) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan).not.toMatch(/CORRELATED/);
    expect(plan).toMatch(/USING COVERING INDEX poll_ballots_blocks \(poll_id=\?\)/);
  });
});

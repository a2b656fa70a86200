// Meeting notes and action items, driven the way people use them: typed command
// lines in chats, on a fake clock (Monday 23 November 2026, 10:00 in London).
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A message whose @names are typed text, not picked mentions (as on Slack or WhatsApp). */
async function sayUnpicked(text: string, as: string, chat = 'main') {
  const id = `u-${Math.random().toString(36).slice(2)}`;
  h.bot.process({
    kind: 'message',
    platform: 'console',
    eventId: id,
    messageId: id,
    chat: { id: chat, name: chat, isDirect: false },
    author: { id: as, displayName: as, isBot: false },
    text,
    time: new Date(h.clock.now()),
    mentions: [],
  });
  await h.flush();
  return h.take();
}

async function setup() {
  h = await createHarness({ admins: 'console:root' });
  await h.say('/collab create Food Network', { as: 'ana' });
  return h;
}

const count = (table: string) => (h.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('notes and action items', () => {
  it('a note with two ACTION lines makes two actions with owners and due dates; /actions shows them; /action done closes one', async () => {
    await setup();
    const [saved] = await h.say(
      '/notes add June meeting\nWe agreed to run the summer lunch club.\nACTION @ben by friday: book the hall\nACTION @cara by 5 dec: ask the council about the van',
      { as: 'ana' },
    );
    expect(saved).toBe(
      [
        '[main] Saved note #1 "June meeting" in Food Network.',
        '2 actions:',
        '• #1 ben: book the hall — due Fri 27 Nov 2026',
        '• #2 cara: ask the council about the van — due Sat 5 Dec 2026',
      ].join('\n'),
    );
    const rows = h.db.prepare('SELECT a.id, p.display_name AS owner, a.due_date FROM actions a JOIN people p ON p.id = a.owner_id ORDER BY a.id').all();
    expect(rows).toEqual([
      { id: 1, owner: 'ben', due_date: '2026-11-27' },
      { id: 2, owner: 'cara', due_date: '2026-12-05' },
    ]);
    expect(await h.say('/actions', { as: 'dee' })).toEqual([
      [
        '[main] Open actions of Food Network:',
        '• #1 ben: book the hall — due Fri 27 Nov 2026',
        '• #2 cara: ask the council about the van — due Sat 5 Dec 2026',
        'When one is finished, type /action done 1',
      ].join('\n'),
    ]);
    expect(await h.say('/action done 1', { as: 'ben' })).toEqual(['[main] Done: action #1 (book the hall) is closed. Closed by mistake? Type /action reopen 1']);
    expect(await h.say('/actions', { as: 'ben' })).toEqual([
      ['[main] Open actions of Food Network:', '• #2 cara: ask the council about the van — due Sat 5 Dec 2026', 'When one is finished, type /action done 2'].join('\n'),
    ]);
    expect((await h.say('/action done 1', { as: 'ben' }))[0]).toBe('[main] Action #1 is already done. To open it again, type /action reopen 1');
    expect(await h.say('/action reopen 1', { as: 'ben' })).toEqual(['[main] Action #1 (book the hall) is open again.']);
  });

  it('takes the note on one line after --, and refuses a note with no title', async () => {
    await setup();
    expect(await h.say('/notes add Planning -- we agreed to meet monthly. ACTION @ben: book the hall', { as: 'ana' })).toEqual([
      '[main] Saved note #1 "Planning" in Food Network.\nRead it again with /notes show 1. Tip: a line like "ACTION @ben by friday: book the hall" becomes an action item.',
    ]);
    // ACTION counts only at the start of a line.
    expect(count('actions')).toBe(0);
    await h.say('/notes add Planning 2 -- ACTION @ben: book the hall', { as: 'ana' });
    expect(count('actions')).toBe(1);
    expect((await h.say('/notes add -- no title here', { as: 'ana' }))[0]).toContain('Give the note a title');
    expect((await h.say('/notes add ' + 'long '.repeat(40), { as: 'ana' }))[0]).toContain('A title can be at most 120 characters');
    expect((await h.say('/notes add Minutes', { direct: true, in: 'dm-ana', as: 'ana' }))[0]).toContain('This chat is not a collab yet');
    expect(count('notes')).toBe(2);
  });

  it('refuses a bad date with a clear message and saves nothing', async () => {
    await setup();
    const [reply] = await h.say('/notes add June meeting\nACTION @ben by friday: book the hall\nACTION @cara by someday: ask the council', { as: 'ana' });
    expect(reply).toBe(
      '[main] I can\'t read the date "someday" in this line:\nACTION @cara by someday: ask the council\nWrite the date like friday, next tuesday, 26 nov or 2026-11-26. Nothing was saved.',
    );
    expect((await h.say('/notes add June -- ACTION @ben by 2026-01-05: book the hall', { as: 'ana' }))[0]).toContain('is in the past');
    expect(count('notes')).toBe(0);
    expect(count('actions')).toBe(0);
    expect(h.services.scheduler.pendingAt('action:1:due')).toBeUndefined();
  });

  it('saves an action for someone it does not know under the name as written, and says how to fix it', async () => {
    await setup();
    await h.say('/notes', { as: 'ben' }); // ben has written in the chat, so he is known
    const [reply] = await sayUnpicked('/notes add Van -- ACTION @ben by friday: book the hall\nACTION @sam by friday: find a driver', 'ana');
    expect(reply).toBe(
      [
        '[main] Saved note #1 "Van" in Food Network.',
        '2 actions:',
        '• #1 ben: book the hall — due Fri 27 Nov 2026',
        '• #2 sam: find a driver — due Fri 27 Nov 2026',
        'I don\'t know who @sam is, so action #2 is saved under the name "sam" and will not be in their /actions mine. To give it to the right person, type /action reassign 2 @name (pick their name from the list your app shows).',
      ].join('\n'),
    );
    expect(h.db.prepare('SELECT owner_id IS NULL AS unknown, owner_name FROM actions WHERE id = 2').get()).toEqual({ unknown: 1, owner_name: 'sam' });
    // The chat is still reminded, under the name as written.
    expect(h.services.notes.reminderAt(2)).toBe(Date.parse('2026-11-26T09:00:00Z'));
    // Reassigning needs someone known; once sam is picked, the action is theirs.
    expect((await sayUnpicked('/action reassign 2 @nobody', 'ana'))[0]).toContain("I don't know who @nobody is yet");
    expect(await h.say('/action reassign 2 @sam', { as: 'ana' })).toEqual(["[main] Done: action #2 (find a driver) is now sam's."]);
    expect(await h.say('/actions mine', { as: 'sam' })).toEqual([
      ['[main] Your open actions (1):', '• #2 sam: find a driver — due Fri 27 Nov 2026 (Food Network)', 'When one is finished, type /action done 2'].join('\n'),
    ]);
  });

  it('lists open actions overdue first, and mine across collabs', async () => {
    await setup();
    await h.say('/notes add One -- ACTION @ben by 5 dec: later thing\nACTION @ben: no date\nACTION @ben by tuesday: soon thing', { as: 'ana' });
    await h.say('/collab create Youth Club', { as: 'ana', in: 'youth' });
    await h.say('/notes add Two -- ACTION @ben by friday: youth thing', { as: 'ana', in: 'youth' });
    await h.advance(2 * DAY); // Wednesday: Tuesday's action is overdue
    expect(await h.say('/actions', { as: 'ana' })).toEqual([
      [
        '[main] Open actions of Food Network:',
        '• #3 ben: soon thing — OVERDUE, was due Tue 24 Nov 2026',
        '• #1 ben: later thing — due Sat 5 Dec 2026',
        '• #2 ben: no date',
        'When one is finished, type /action done 3',
      ].join('\n'),
    ]);
    expect(await h.say('/actions mine', { as: 'ben', in: 'dm-ben', direct: true })).toEqual([
      [
        '[dm-ben] Your open actions (4):',
        '• #3 ben: soon thing — OVERDUE, was due Tue 24 Nov 2026 (Food Network)',
        '• #4 ben: youth thing — due Fri 27 Nov 2026 (Youth Club)',
        '• #1 ben: later thing — due Sat 5 Dec 2026 (Food Network)',
        '• #2 ben: no date (Food Network)',
        'When one is finished, type /action done 3',
      ].join('\n'),
    ]);
    expect(h.services.notes.actionsDueBy(h.clock.now()).map((a) => a.id)).toEqual([3]);
    expect(h.services.notes.actionsDueBy(Date.parse('2026-12-31T00:00:00Z')).map((a) => a.id)).toEqual([3, 4, 1]);
    const youth = h.services.collabs.byName('Youth Club')!.id;
    expect(h.services.notes.actionsDueBy(Date.parse('2026-12-31T00:00:00Z'), youth).map((a) => a.id)).toEqual([4]);
    expect(await h.say('/actions mine', { as: 'zed' })).toEqual(['[main] You have no open actions. Nice!']);
  });

  it('lets the owner, the note author, a facilitator or an admin change an action, nobody else', async () => {
    await setup();
    await h.say('/notes add Van -- ACTION @ben by friday: book the hall', { as: 'cara' });
    const before = h.db.prepare('SELECT * FROM actions').all();
    for (const cmd of ['/action done 1', '/action due 1 5 dec', '/action reassign 1 @dee']) {
      expect(await h.say(cmd, { as: 'dee' })).toEqual([
        '[main] Only ben (who owns action #1), the author of note #1, a facilitator of Food Network or an admin can change it.',
      ]);
    }
    expect(h.db.prepare('SELECT * FROM actions').all()).toEqual(before);
    expect((await h.say('/action due 1 5 dec', { as: 'ben' }))[0]).toBe('[main] Done: action #1 (book the hall) is now due Sat 5 Dec 2026. ben will be reminded in the chat the day before.');
    expect((await h.say('/action due 1 friday', { as: 'cara' }))[0]).toContain('is now due Fri 27 Nov 2026');
    expect((await h.say('/action reassign 1 @dee', { as: 'ana' }))[0]).toBe("[main] Done: action #1 (book the hall) is now dee's.");
    expect((await h.say('/action due 1 whenever', { as: 'ana' }))[0]).toBe(
      '[main] I can\'t read the date "whenever". Write the date like friday, next tuesday, 26 nov or 2026-11-26.',
    );
    expect((await h.say('/action done 1', { as: 'root' }))[0]).toContain('is closed');
    expect((await h.say('/action due 1 monday', { as: 'ana' }))[0]).toBe('[main] Action #1 is done. To change it, open it again first: /action reopen 1');
    // Actions of collabs you are not in do not exist for you.
    expect(await h.say('/action done 1', { as: 'eve', in: 'elsewhere' })).toEqual([
      "[elsewhere] There is no action #1 in your collabs. Type /actions to see this collab's open actions, or /actions mine for yours.",
    ]);
    expect((await h.say('/action done x', { as: 'ben' }))[0]).toContain('Give the action number, e.g. 3');
  });

  it('shows, lists and hints', async () => {
    await setup();
    await h.say('/notes add June meeting -- We agreed.\nACTION @ben by friday: book the hall', { as: 'ana' });
    await h.say('/notes add July meeting -- Nothing new.', { as: 'ben' });
    expect(await h.say('/notes', { as: 'cara' })).toEqual([
      [
        '[main] Recent notes of Food Network, newest first:',
        '#2 July meeting — ben, Mon 23 Nov 2026',
        '#1 June meeting — ana, Mon 23 Nov 2026 · 1 open action',
        'Type /notes show 2 to read one, or /notes search <words> to find older ones.',
      ].join('\n'),
    ]);
    expect(await h.say('/notes show 1', { as: 'cara' })).toEqual([
      [
        '[main] #1 June meeting',
        'Food Network · ana, Mon 23 Nov 2026, 10:00',
        '',
        '> We agreed.',
        '> ACTION @ben by friday: book the hall',
        '',
        'Actions:',
        '• #1 ben: book the hall — due Fri 27 Nov 2026',
      ].join('\n'),
    ]);
    expect((await h.say('/notes show 9', { as: 'cara' }))[0]).toContain('There is no note #9 in your collabs');
    expect((await h.say('/notes shwo 1', { as: 'cara' }))[0]).toBe('[main] Did you mean /notes show 1?\nType /help notes to see its commands.');
    expect((await h.say('/notes 1', { as: 'cara' }))[0]).toBe('[main] To read note #1, type /notes show 1');
    expect((await h.say('/actions mien', { as: 'cara' }))[0]).toContain('Did you mean /actions mine?');
    expect((await h.say('/notes', { as: 'cara', in: 'other' }))[0]).toContain('This chat is not a collab yet');
  });
});

describe('editing notes', () => {
  it('lets the author, a facilitator or an admin replace the body, keeping the earlier version', async () => {
    await setup();
    await h.say('/role add @fay facilitator', { as: 'ana' });
    await h.say('/notes add June meeting -- first text', { as: 'ben' });
    const before = h.db.prepare('SELECT * FROM notes').all();
    expect(await h.say('/notes edit 1 -- my text now', { as: 'cara' })).toEqual([
      "[main] Only the note's author (ben), a facilitator of Food Network or an admin can edit note #1. To add to it, start a new note: /notes add <title>",
    ]);
    expect(h.db.prepare('SELECT * FROM notes').all()).toEqual(before);
    expect(count('note_versions')).toBe(0);

    expect(await h.say('/notes edit 1 -- second text', { as: 'ben' })).toEqual([
      '[main] Updated note #1 "June meeting" (version 2; the earlier text is kept: /notes show 1 --version 1).',
    ]);
    await h.advance(HOUR);
    expect((await h.say('/notes edit 1\nthird text\nover two lines', { as: 'fay' }))[0]).toContain('version 3');
    expect((await h.say('/notes edit 1 — fourth text', { as: 'root' }))[0]).toContain('version 4');
    expect((await h.say('/notes edit 1 — fourth text', { as: 'root' }))[0]).toBe('[main] That is what note #1 already says, so nothing changed.');
    expect((await h.say('/notes edit 1', { as: 'ben' }))[0]).toContain('Put the new text of the note after the number');

    expect((await h.say('/notes show 1', { as: 'cara' }))[0]).toBe(
      '[main] #1 June meeting\nFood Network · ben, Mon 23 Nov 2026, 10:00 · edited by root, Mon 23 Nov 2026, 11:00 (version 4; earlier: /notes show 1 --version 3)\n\n> fourth text',
    );
    expect(await h.say('/notes show 1 --version 1', { as: 'cara' })).toEqual(['[main] #1 June meeting — version 1 of 4, written by ben, Mon 23 Nov 2026, 10:00\n\n> first text']);
    expect(await h.say('/notes show 1 --version 3', { as: 'cara' })).toEqual(['[main] #1 June meeting — version 3 of 4, written by fay, Mon 23 Nov 2026, 11:00\n\n> third text\n> over two lines']);
    expect((await h.say('/notes show 1 --version 7', { as: 'cara' }))[0]).toContain('Note #1 has versions 1 to 4');
    // Search sees only the current text.
    expect((await h.say('/notes search first', { as: 'cara' }))[0]).toContain('No notes in your collabs have the words: first');
    expect((await h.say('/notes search fourth', { as: 'cara' }))[0]).toContain('#1 June meeting');
  });

  it('keeps actions of unchanged ACTION lines, adds new ones, drops open ones whose line is gone', async () => {
    await setup();
    await h.say('/notes add Plan\nACTION @ben by friday: book the hall\nACTION @cara by friday: call the council\nACTION @dee: print flyers', { as: 'ana' });
    await h.say('/action done 3', { as: 'dee' });
    await h.say('/action due 1 5 dec', { as: 'ben' });
    await h.advance(DAY); // Tuesday: "friday" in a new line still means this Friday
    const [reply] = await h.say(
      '/notes edit 1\nACTION @ben by friday: book the hall\nACTION @cara by next tuesday: call the council\nACTION @eve by friday: bring cake',
      { as: 'ana' },
    );
    expect(reply).toBe(
      [
        '[main] Updated note #1 "Plan" (version 2; the earlier text is kept: /notes show 1 --version 1).',
        'Unchanged ACTION lines keep their actions: #1.',
        'New actions:',
        '• #4 cara: call the council — due Tue 1 Dec 2026',
        '• #5 eve: bring cake — due Fri 27 Nov 2026',
        'Taken out (their lines are gone): #2 call the council.',
      ].join('\n'),
    );
    const states = h.db.prepare('SELECT id, status, due_date FROM actions ORDER BY id').all();
    expect(states).toEqual([
      { id: 1, status: 'open', due_date: '2026-12-05' }, // kept as changed by /action due
      { id: 2, status: 'dropped', due_date: '2026-11-27' },
      { id: 3, status: 'done', due_date: null }, // done stays done though its line is gone
      { id: 4, status: 'open', due_date: '2026-12-01' },
      { id: 5, status: 'open', due_date: '2026-11-27' },
    ]);
    expect(h.services.scheduler.pendingAt('action:2:due')).toBeUndefined();
    expect(h.services.scheduler.pendingAt('action:1:due')).toBe(Date.parse('2026-12-04T09:00:00Z'));
    expect((await h.say('/action done 2', { as: 'cara' }))[0]).toContain('Action #2 was taken out of note #1 when the note was edited.');
    // A bad date in an edit changes nothing.
    const notesBefore = h.db.prepare('SELECT * FROM notes').all();
    expect((await h.say('/notes edit 1 -- ACTION @ben by never: x', { as: 'ana' }))[0]).toContain('I can\'t read the date "never"');
    expect(h.db.prepare('SELECT * FROM notes').all()).toEqual(notesBefore);
    expect(count('actions')).toBe(5);
  });
});

describe('search', () => {
  it('finds stemmed words, ranks the better match first, and only in collabs the asker is in', async () => {
    await setup();
    await h.say('/notes add Summer lunch club -- We talked about the menu, the rota and the hall. We may need more volunteers.', { as: 'ana' });
    await h.say('/notes add Volunteering day -- Volunteering is how we grow. Thank every volunteer who came.', { as: 'ana' });
    await h.say('/notes add Budget -- Nothing about people.', { as: 'ana' });
    await h.say('/collab create Secret Garden', { as: 'gil', in: 'garden' });
    await h.say('/notes add Garden volunteers -- volunteering volunteering volunteering', { as: 'gil', in: 'garden' });

    const [found] = await h.say('/notes search volunteering', { as: 'ben' });
    expect(found).toBe(
      [
        '[main] 2 notes with the words: volunteering (best match first)',
        '#2 *Volunteering* day (Mon 23 Nov 2026)',
        '   *Volunteering* is how we grow. Thank every *volunteer* who came.',
        '#1 Summer lunch club (Mon 23 Nov 2026)',
        '   We talked about the menu, the rota and the hall. We may need more *volunteers*.',
        'Type /notes show 2 to read one.',
      ].join('\n'),
    );
    // ben is not in Secret Garden, so its note never shows, even from a direct message.
    expect((await h.say('/notes search garden volunteers', { as: 'ben', in: 'dm-ben', direct: true }))[0]).toBe(
      '[dm-ben] No note has all the words (garden volunteers); these have some of them:\n#2 *Volunteering* day (Food Network, Mon 23 Nov 2026)\n   *Volunteering* is how we grow. Thank every *volunteer* who came.\n#1 Summer lunch club (Food Network, Mon 23 Nov 2026)\n   We talked about the menu, the rota and the hall. We may need more *volunteers*.\nType /notes show 2 to read one.',
    );
    expect((await h.say('/notes show 4', { as: 'ben' }))[0]).toContain('There is no note #4 in your collabs');
    // Once ben writes in the garden chat he is a member there, and finds its note too (named by collab).
    await h.say('/notes', { as: 'ben', in: 'garden' });
    const [both] = await h.say('/notes search volunteers', { as: 'ben' });
    expect(both).toContain('#4 Garden *volunteers* (Secret Garden, Mon 23 Nov 2026)');
  });

  it("never shows another collab's note, even one that contains the index's collab mark", async () => {
    await setup(); // Food Network is collab 1
    await h.say('/collab create Secret Garden', { as: 'gil', in: 'garden' });
    // gil types the private-use mark the index uses for collab 1's scope, hoping to be found there.
    await h.say('/notes add Hall -- \uE0001 hall hall hall', { as: 'gil', in: 'garden' });
    await h.say('/notes add Hall booking -- the hall is booked', { as: 'ana' });
    for (const q of ['hall', 'hall \uE0001', '\uE0001', 'hall booking']) {
      const [r] = await h.say(`/notes search ${q}`, { as: 'ana' });
      expect(r, q).not.toContain('#1 ');
    }
    expect((await h.say('/notes search hall', { as: 'ana' }))[0]).toContain('#2 *Hall* booking');
  });

  it('treats FTS syntax in what is typed as plain words', async () => {
    await setup();
    await h.say('/notes add Station -- The hall is NEAR the station; bring a map (not a phone). Volunteers only.', { as: 'ana' });
    for (const q of ['"hall', 'hall"', '"hall" NEAR', 'volunteer*', '-hall', 'hall AND', 'OR hall', '(hall', 'hall)', '^hall', 'hall +station', 'NOT hall', '"a" NEAR b*']) {
      const [r] = await h.say(`/notes search ${q}`, { as: 'ana' });
      expect(r, q).toMatch(/^\[main\] (1 note with the words|No note has all the words)/);
      expect(r, q).toMatch(/#1 \*?Station/);
    }
    // A word with punctuation inside is searched as those words side by side.
    for (const q of ['NEAR(hall', 'title:hall', 'hall*station']) {
      expect((await h.say(`/notes search ${q}`, { as: 'ana' }))[0], q).toMatch(/^\[main\] No notes in your collabs have the words: /);
    }
    expect((await h.say('/notes search near:the', { as: 'ana' }))[0]).toContain('#1 Station (Mon 23 Nov 2026)\n   The hall is *NEAR the* station');
    expect((await h.say('/notes search NEAR', { as: 'ana' }))[0]).toContain('The hall is *NEAR* the station');
    expect((await h.say('/notes search * - ( ) "', { as: 'ana' }))[0]).toBe('[main] Type the words to look for after /notes search, e.g. /notes search volunteers');
    expect((await h.say('/notes search zebra', { as: 'ana' }))[0]).toBe('[main] No notes in your collabs have the words: zebra\nTry fewer or other words, e.g. /notes search hall');
  });
});

describe('export', () => {
  it('gives one note as Markdown, and all of a collab privately', async () => {
    await setup();
    await h.say('/notes add June meeting\nWe agreed to run the lunch club.\nACTION @ben by friday: book the hall\nACTION @cara: call the council', { as: 'ana' });
    await h.say('/action done 2', { as: 'cara' });
    await h.say('/notes add July meeting -- All good.', { as: 'ben' });
    const one = await h.say('/notes export 1', { as: 'dee' });
    expect(one).toEqual([
      [
        '[main] # June meeting',
        '',
        '_Note #1 · Food Network · written by ana on Mon 23 Nov 2026, 10:00_',
        '',
        'We agreed to run the lunch club.',
        'ACTION @ben by friday: book the hall',
        'ACTION @cara: call the council',
        '',
        '## Actions',
        '',
        '- [ ] #1 **ben**: book the hall (due Fri 27 Nov 2026)',
        '- [x] #2 **cara**: call the council',
      ].join('\n'),
    ]);
    const all = await h.say('/notes export', { as: 'dee' });
    expect(all).toHaveLength(2);
    expect(all).toContain("[main] I've sent you the 2 notes of Food Network as Markdown in a direct message.");
    expect(all.find((l) => l.startsWith('[@dee] '))).toBe(
      [
        '[@dee] # Food Network: meeting notes',
        '',
        '_2 notes, exported Mon 23 Nov 2026_',
        '',
        '## June meeting',
        '',
        '_Note #1 · Food Network · written by ana on Mon 23 Nov 2026, 10:00_',
        '',
        'We agreed to run the lunch club.',
        'ACTION @ben by friday: book the hall',
        'ACTION @cara: call the council',
        '',
        '### Actions',
        '',
        '- [ ] #1 **ben**: book the hall (due Fri 27 Nov 2026)',
        '- [x] #2 **cara**: call the council',
        '',
        '## July meeting',
        '',
        '_Note #2 · Food Network · written by ben on Mon 23 Nov 2026, 10:00_',
        '',
        'All good.',
      ].join('\n'),
    );
  });

  it('sends a long export in parts, at note boundaries, losing nothing', async () => {
    await setup();
    const body = 'word '.repeat(1_000).trim();
    for (let i = 1; i <= 14; i++) await h.say(`/notes add Meeting ${i} -- ${body}`, { as: 'ana' });
    const sent = await h.say('/notes export', { as: 'ana' });
    const parts = sent.filter((l) => l.startsWith('[@ana] ')).map((l) => l.slice('[@ana] '.length));
    expect(parts.length).toBe(3);
    expect(sent).toContain("[main] I've sent you the 14 notes of Food Network as Markdown in a direct message (3 parts).");
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(30_000);
    const joined = parts.join('\n\n');
    for (let i = 1; i <= 14; i++) expect(joined).toContain(`## Meeting ${i}\n`);
    expect(parts[1]).toMatch(/^## Meeting \d+\n/);
  });
});

describe('reminders of actions due', () => {
  it('reminds the owner in the collab chat at 09:00 the day before, and follows changes of date', async () => {
    await setup();
    await h.say('/notes add Van -- ACTION @ben by friday: book the hall\nACTION @cara by 5 dec: call the council', { as: 'ana' });
    expect(h.services.notes.reminderAt(1)).toBe(Date.parse('2026-11-26T09:00:00Z'));
    h.clock.set('2026-11-26T08:59:00Z');
    await h.flush();
    expect(h.take()).toEqual([]);
    expect(await h.advance(2 * 60_000)).toEqual([
      '[main] Reminder for ben: action #1 is due Fri 27 Nov 2026: book the hall\n(from note #1 "Van") When it is done, type /action done 1',
    ]);
    // Moving the date moves the reminder; marking it done cancels it.
    await h.say('/action due 2 2026-12-10', { as: 'cara' });
    expect(h.services.notes.reminderAt(2)).toBe(Date.parse('2026-12-09T09:00:00Z'));
    h.clock.set('2026-12-05T00:00:00Z');
    await h.flush();
    expect(h.take()).toEqual([]);
    await h.say('/action done 2', { as: 'cara' });
    expect(h.services.notes.reminderAt(2)).toBeUndefined();
    expect(await h.advance(10 * DAY)).toEqual([]);
  });

  it('sends no reminder when it is already past 09:00 the day before, and none missed long ago', async () => {
    await setup();
    h.clock.set('2026-11-26T12:00:00Z'); // Thursday noon
    await h.say('/notes add Van -- ACTION @ben by friday: book the hall\nACTION @cara by 2026-12-10: call the council', { as: 'ana' });
    expect(h.services.notes.reminderAt(1)).toBeUndefined();
    // The bot is down over the reminder time, and comes back more than COLLABOT_MISSED_GRACE (6h) later.
    h.services.scheduler.stop();
    h.clock.set('2026-12-09T16:00:00Z');
    h.services.scheduler.start();
    await h.flush();
    expect(h.take()).toEqual([]);
    expect(h.db.prepare(`SELECT status FROM jobs WHERE key = 'action:2:due'`).get()).toEqual({ status: 'done' });
  });
});

describe('notes across platforms', () => {
  it('keeps actions with the person when two accounts are linked, and reminds them in the chat on their platform', async () => {
    h = await createHarness({ admins: 'console:root', platforms: ['console', 'slack'] });
    await h.say('/collab create Food Network', { as: 'ana' });
    // ana writes on the console, then links her Slack account to it (typing the code on the console,
    // so her console person is the one merged away: her action must follow her). ben is on Slack only.
    await h.say('/notes add Van -- ACTION @ana by friday: book the hall', { as: 'ana' });
    const linkCode = /code is (\d{6})/.exec((await h.say('/link', { platform: 'slack', as: 'U-ana', in: 'C1' })).join('\n'))![1]!;
    expect((await h.say(`/link ${linkCode}`, { as: 'ana' })).join('\n')).not.toContain('not valid');
    await h.say('/link confirm', { platform: 'slack', as: 'U-ana', in: 'C1' });
    expect(h.db.prepare('SELECT COUNT(DISTINCT owner_id) AS n FROM actions WHERE owner_id = (SELECT person_id FROM identities WHERE user_id = ?)').get('U-ana')).toEqual({ n: 1 });
    await h.say('/collab link Food Network', { platform: 'slack', as: 'U-ana', in: 'C1' });
    await h.say('/notes', { platform: 'slack', as: 'U-ben', in: 'C1' });
    expect((await h.say('/actions mine', { platform: 'slack', as: 'U-ana', in: 'C1' }))[0]).toContain('• #1 U-ana: book the hall — due Fri 27 Nov 2026 (Food Network)');

    await h.say('/notes add Kitchen -- ACTION @U-ben by friday: clean the oven', { platform: 'slack', as: 'U-ana', in: 'C1' });
    await h.say('/notes add Hall -- ACTION @cara by friday: lock up', { as: 'ana' });
    await h.say('/action reassign 3 @U-ben', { platform: 'slack', as: 'U-ana', in: 'C1' });
    h.clock.set('2026-11-26T09:00:00Z');
    await h.flush();
    const sent = h.take().sort();
    // ana (on both) is reminded where her note was written; ben (Slack only) in the Slack channel, even for the console note.
    // Both of ben's fall due in the same minute in the same channel: one message lists them.
    expect(sent).toEqual([
      '[C1] 2 reminders due now:\n' +
        '• Reminder for U-ben: action #2 is due Fri 27 Nov 2026: clean the oven\n  (from note #2 "Kitchen") When it is done, type /action done 2\n' +
        '• Reminder for U-ben: action #3 is due Fri 27 Nov 2026: lock up\n  (from note #3 "Hall") When it is done, type /action done 3',
      '[main] Reminder for U-ana: action #1 is due Fri 27 Nov 2026: book the hall\n(from note #1 "Van") When it is done, type /action done 1',
    ]);
  });
});

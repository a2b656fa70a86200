// Delegates and minutes, typed the way people type them.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { FakePlatform, runClock } from '../helpers/fake-platform.js';
import { createHarness, RecordingAdapter, type Harness } from '../helpers/harness.js';
import { DONE_WHEN_SCRIPT } from './script.js';

let h: Harness;
afterEach(async () => h?.close());

const RELAYED = [
  'Minutes #1: Community Planning Partnership',
  'Meeting: CPP board, 3 December',
  'Delegate: dee. To send dee a comment, type /comment 1 followed by your comment.',
  '',
  '> Budget consultation opens in January. Rural transport gaps raised by the sector.',
].join('\n');

const count = (sql: string) => (h.db.prepare(sql).get() as { n: number }).n;

async function withMinutes() {
  h = await createHarness({ admins: 'console:ana' });
  await h.script(DONE_WHEN_SCRIPT);
}

describe('minutes relay (the issue script)', () => {
  it('shows the minutes in the two subscribed chats only, and passes the comment to the delegate', async () => {
    h = await createHarness({ admins: 'console:ana' });
    const out = await h.script(DONE_WHEN_SCRIPT);
    expect(out).toContain(`[forum] ${RELAYED}`);
    expect(out).toContain(`[youth] ${RELAYED}`);
    expect(out.filter((l) => l.startsWith('[quiet]'))).toEqual(['[quiet] Done: this chat is now the collab "Quiet Collab", and ana is its facilitator.\nNext: type /help to see what the collab can do, or /collab link Quiet Collab in its other chats (Slack, Discord, WhatsApp).']);
    expect(out).toContain(
      '[main] Done: minutes #1 for Community Planning Partnership are saved and on their way to 2 chats: forum (console), youth (Youth Work, console).\n' +
        'Comments will come to you by direct message; /minutes digest 1 sums them up.',
    );
    expect(out).toContain(
      '[@dee] Comment on minutes #1 (CPP board, 3 December) from fay in forum (console):\n> Please raise the cuts to the 79 bus\n\n' +
        'All comments: /minutes comments 1 · a summary by chat: /minutes digest 1',
    );
    expect(out.at(-1)).toBe('[forum] Thanks, fay. Your comment on minutes #1 has gone to dee, the delegate to Community Planning Partnership.');
    // One outbox row per destination, keyed per (minutes, chat), written with the minutes.
    expect(h.db.prepare(`SELECT idem_key FROM outbox WHERE origin = 'minutes:1' ORDER BY id`).pluck().all()).toEqual(['minutes:1:console:forum', 'minutes:1:console:youth']);
  });

  it('lists recent minutes and shows one', async () => {
    await withMinutes();
    expect(await h.say('/minutes', { in: 'quiet', as: 'gus' })).toEqual([
      '[quiet] Recent minutes:\n#1 Community Planning Partnership: CPP board, 3 December — dee, Mon 23 Nov 2026; 1 comment\nRead one with /minutes show 1',
    ]);
    expect(await h.say('/minutes show 1', { in: 'quiet', as: 'gus' })).toEqual([`[quiet] ${RELAYED}\n\nPosted Mon 23 Nov 2026; sent to 2 chats; 1 comment so far.`]);
    expect(await h.say('/minutes show #1', { in: 'quiet' })).toHaveLength(1);
    expect(await h.say('/minutes 1', { in: 'quiet' })).toEqual([`[quiet] ${RELAYED}\n\nPosted Mon 23 Nov 2026; sent to 2 chats; 1 comment so far.`]);
    expect(await h.say('/minutes show 9', { in: 'quiet' })).toEqual(['[quiet] There are no minutes #9. The latest are #1 (CPP board, 3 December). Type /minutes to see recent ones.']);
    expect((await h.say('/minutes show one', { in: 'quiet' }))[0]).toBe(
      '[quiet] Use the number of the minutes, e.g. 3\nType it like this: /minutes show <number>\nFor example: /minutes show 1',
    );
  });

  it('takes minutes over several lines, and relays them on every platform', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await h.script(':as ana\n/delegate add @dee Health and Social Care Board');
    await h.say('/collab create Forum', { platform: 'slack', in: 'C1', as: 'U1' });
    expect(await h.say('/subscribe minutes', { platform: 'slack', in: 'C1', as: 'U1' })).toEqual(['[C1] Done: this chat will now receive minutes. To stop, type /unsubscribe minutes']);
    const out = await h.say('/minutes "IJB, 4 Dec" Three things:\n\n1. Winter plan agreed.\n2. Carers\' strategy out for comment.', { as: 'dee' });
    expect(out).toContain('[C1] Minutes #1: Health and Social Care Board\nMeeting: IJB, 4 Dec\nDelegate: dee. To send dee a comment, type /comment 1 followed by your comment.\n\n> Three things:\n\n> 1. Winter plan agreed.\n> 2. Carers\' strategy out for comment.');
    expect(h.adapter('slack').sent.map((s) => s.to.chatId)).toContain('C1');
    // A comment from Slack reaches the delegate on the console, where they posted.
    expect(await h.say('/comment 1 Carers in rural areas need respite too', { platform: 'slack', in: 'C1', as: 'U2' })).toEqual([
      '[@dee] Comment on minutes #1 (IJB, 4 Dec) from U2 in C1 (Forum, slack):\n> Carers in rural areas need respite too\n\nAll comments: /minutes comments 1 · a summary by chat: /minutes digest 1',
      '[C1] Thanks, U2. Your comment on minutes #1 has gone to dee, the delegate to Health and Social Care Board.',
    ]);
  });

  it("splits long minutes at paragraphs to each platform's limit, header first, in order", async () => {
    const clock = new FakeClock();
    h = await createHarness({
      admins: 'console:ana',
      clock,
      platforms: ['console', 'discord'],
      adapterFor: (p, timeline) => (p === 'discord' ? FakePlatform.preset('discord', { clock, timeline }) : new RecordingAdapter(p, undefined, timeline)),
    });
    await h.script(':as ana\n/delegate add @dee Community Planning Partnership\n:in forum\n/collab create Forum\n/subscribe minutes');
    const discord = h.adapter('discord') as FakePlatform;
    h.db.transaction(() => h.services.collabs.subscribe(h.services.collabs.ensureChat('discord', 'D1', 'general', false), 'minutes', 1))();
    const paras = Array.from({ length: 12 }, (_, i) => `Item ${i + 1}. ` + 'The board discussed the budget and the sector view. '.repeat(8).trim());
    await h.say(`/minutes "Budget board" ${paras.join('\n\n')}`, { as: 'dee', wait: false });
    await runClock(clock, () => count(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'`) === 0);
    const parts = discord.byChat().get('D1')!;
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts[0]).toMatch(/^Minutes #1: Community Planning Partnership\nMeeting: Budget board\nDelegate: dee\. .*\n\n> Item 1\. /);
    expect(parts.join('\n\n')).toBe(`Minutes #1: Community Planning Partnership\nMeeting: Budget board\nDelegate: dee. To send dee a comment, type /comment 1 followed by your comment.\n\n${paras.map((p) => `> ${p}`).join('\n\n')}`);
    // The console takes long messages whole.
    expect(h.adapter().sent.filter((s) => s.to.chatId === 'forum' && s.message.text.startsWith('Minutes #1'))).toHaveLength(1);
  });
});

describe('undelivered minutes', () => {
  it('tells the delegate after a day about chats whose platform never connected', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await h.script(DONE_WHEN_SCRIPT);
    await h.say('/collab create Slack Forum', { platform: 'slack', in: 'C1', as: 'U1' });
    await h.say('/subscribe minutes', { platform: 'slack', in: 'C1', as: 'U1' });
    const { NotConnectedError } = await import('../../src/model.js');
    h.adapter('slack').fail = () => new NotConnectedError(3_600_000); // a send never fails for good: it waits
    // (Slack is never idle now, so the harness's own waiting would wait out its timeout: step the clock by hand.)
    const seen: string[] = [];
    const advance = async (ms: number) => {
      h.clock.advance(ms);
      for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
      const lines = h.take();
      seen.push(...lines);
      return lines;
    };
    await h.say('/minutes "CPP board, 10 December" Second meeting.', { as: 'dee', wait: false });
    const report = (lines: string[]) => lines.filter((l) => l.startsWith('[@dee] Your minutes #2'));
    expect(report(await advance(23 * 3_600_000))).toEqual([]);
    expect(report(await advance(2 * 3_600_000))).toEqual([
      '[@dee] Your minutes #2 (CPP board, 10 December) did not reach 1 of the 3 chats they were sent to, even after several tries: C1 (Slack Forum, slack).\n' +
        'You may want to share them there another way, or ask an admin to check that I am still in that chat.',
    ]);
    // Once only; and minutes #1, which reached every chat, bring no report.
    expect(report(await advance(48 * 3_600_000))).toEqual([]);
    expect(seen.filter((l) => l.startsWith('[@dee] Your minutes'))).toHaveLength(1);
  });
});

describe('delegates', () => {
  it('adds, moves and removes delegates, and maps who represents the sector where', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.script(':as ana\n/role add @ben lead');
    expect(await h.say('/delegate add @dee community planning partnership', { as: 'ben' })).toEqual([
      '[main] Done: dee is now a delegate to community planning partnership. Type /delegates to see everyone.',
      expect.stringMatching(/^\[@dee\] You are now the sector's delegate to community planning partnership\. After each meeting/),
    ]);
    // The same body keeps one spelling, so its delegates are listed together.
    expect((await h.say('/delegate add @eli Community Planning Partnership', { as: 'ben' }))[0]).toBe('[main] Done: eli is now a delegate to community planning partnership. Type /delegates to see everyone.');
    await h.say('/delegate add @fi "Health and Social Care Board"', { as: 'ben' });
    expect(await h.say('/delegate add @fi Health and Social Care Board', { as: 'ben' })).toEqual(['[main] fi is already a delegate to Health and Social Care Board. Type /delegates to see everyone.']);
    await h.say('/role add @gus delegate', { as: 'ben' }); // a delegate with no body yet
    expect(await h.say('/delegates', { as: 'zed' })).toEqual([
      '[main] Who represents the sector where:\n' +
        '• community planning partnership: dee, eli\n' +
        '• Health and Social Care Board: fi\n' +
        'Delegates with no body recorded yet: gus. A lead can set it, e.g. /delegate add @gus Community Planning Partnership\n' +
        'Read their minutes with /minutes.',
    ]);
    expect((await h.say('/minutes "Board" Notes', { as: 'gus' }))[0]).toBe(
      "[main] You are a delegate, but I don't know which partnership body you sit on. A lead can record it, e.g. /delegate add @gus Community Planning Partnership",
    );
    expect((await h.say('/delegate add @eli Health and Social Care Board', { as: 'ben' }))[0]).toBe(
      '[main] Done: eli is now a delegate to Health and Social Care Board (instead of community planning partnership). Type /delegates to see everyone.',
    );
    expect(await h.say('/delegate remove @dee', { as: 'ben' })).toEqual(['[main] Done: dee is no longer a delegate to community planning partnership. Their minutes stay, and comments on them still reach them.']);
    expect(await h.say('/delegate remove @dee', { as: 'ben' })).toEqual(['[main] dee is not a delegate, so nothing changed. Type /delegates to see who is.']);
    expect((await h.say('/roles'))[0]).toContain('• eli: delegate to Health and Social Care Board\n• fi: delegate to Health and Social Care Board');
    expect(await h.say('/delegate add @dee', { as: 'ben' })).toEqual([
      '[main] Something is missing: body.\nType it like this: /delegate add @name <partnership body>\nFor example: /delegate add @dee Community Planning Partnership',
    ]);
  });

  it('lets only delegates post minutes, and a refusal changes nothing', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.script(':as ana\n/role add @ben lead\n:in forum\n/collab create Forum\n/subscribe minutes\n/role add @cara facilitator\n:in main');
    for (const who of ['zed', 'ben', 'cara', 'ana']) {
      expect(await h.say('/minutes "CPP board" The budget.', { as: who, in: 'forum' })).toEqual([
        '[forum] Only a delegate can post minutes. A lead can make someone a delegate, e.g. /delegate add @dee Community Planning Partnership\nType /minutes to read the latest minutes.',
      ]);
    }
    expect(count('SELECT COUNT(*) AS n FROM minutes')).toBe(0);
    expect(count(`SELECT COUNT(*) AS n FROM outbox WHERE body LIKE '%Minutes #%'`)).toBe(0);
  });

  it('asks for the meeting title in quotes and the text after it', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.script(':as ana\n/delegate add @dee Community Planning Partnership\n:as dee');
    const example = 'For example: /minutes "CPP board, 3 December" Budget consultation opens in January. Rural transport gaps raised by the sector.';
    expect(await h.say('/minutes CPP board Budget opens')).toEqual([`[main] Put the meeting title in double quotes, then the minutes.\n${example}`]);
    expect(await h.say('/minutes "CPP board Budget opens')).toEqual([`[main] The meeting title's quote is opened but never closed. Put a " after the title.\n${example}`]);
    expect(await h.say('/minutes "CPP board"')).toEqual(['[main] Write the minutes after the meeting title.\nFor example: /minutes "CPP board, 3 December" Budget consultation opens in January.']);
    expect(await h.say('/minutes “CPP board” Curly quotes from a phone')).toEqual([
      '[main] Done: minutes #1 are saved, but no chat receives minutes yet, so they went nowhere. A facilitator can type /subscribe minutes in their collab\'s chat; anyone can read them with /minutes show 1.',
    ]);
    // A direct message to the bot works too.
    expect((await h.say('/minutes "IJB" Sent from a direct message', { in: 'dee-dm', direct: true }))[0]).toMatch(/^\[dee-dm\] Done: minutes #2 are saved/);
    expect(count('SELECT COUNT(*) AS n FROM minutes')).toBe(2);
  });
});

describe('comments', () => {
  it('takes comments only where minutes are received', async () => {
    await withMinutes();
    expect(await h.say('/comment 1 Hello', { in: 'quiet', as: 'gus' })).toEqual([
      '[quiet] This chat does not receive minutes, so comments on them are not collected here. A facilitator can type /subscribe minutes, then you can type /comment 1 Please raise the cuts to the 79 bus',
    ]);
    expect((await h.say('/comment 1 Hello', { in: 'gus-dm', as: 'gus', direct: true }))[0]).toMatch(/^\[gus-dm\] Comments are made in a chat that receives minutes/);
    expect(await h.say('/comment 2 Hello', { in: 'forum', as: 'gus' })).toEqual(['[forum] There are no minutes #2. The latest are #1 (CPP board, 3 December). Type /minutes to see recent ones.']);
    expect(await h.say('/comment 1', { in: 'forum', as: 'gus' })).toEqual([
      '[forum] Something is missing: text.\nType it like this: /comment <number> <your comment>\nFor example: /comment 1 Please raise the cuts to the 79 bus',
    ]);
    // A chat that got the minutes and later unsubscribed can still answer them.
    await h.say('/unsubscribe minutes', { in: 'youth', as: 'ana' });
    expect(await h.say('/comment #1 Youth services need a say', { in: 'youth', as: 'hal' })).toHaveLength(2);
    expect(count('SELECT COUNT(*) AS n FROM minutes_comments')).toBe(2);
  });

  it('shows the comments and a digest by chat to the delegate, privately, and to nobody else', async () => {
    await withMinutes();
    await h.say('/comment 1 And the 80 bus on Sundays', { in: 'forum', as: 'gus' });
    await h.say('/comment 1 Youth clubs lose their minibus in March', { in: 'youth', as: 'hal' });
    await h.say('/comment 1 Also: the budget survey must be online and on paper', { in: 'forum', as: 'fay' });
    expect(await h.say('/minutes digest 1', { in: 'main', as: 'dee' })).toEqual([
      '[@dee] Digest of comments on minutes #1: CPP board, 3 December (Community Planning Partnership)\n' +
        '4 comments from 3 people in 2 chats, of the 2 chats that received the minutes.\n\n' +
        'forum (console): 3 comments\n• fay: Please raise the cuts to the 79 bus\n• gus: And the 80 bus on Sundays\n• fay: Also: the budget survey must be online and on paper\n\n' +
        'youth (Youth Work, console): 1 comment\n• hal: Youth clubs lose their minibus in March',
      "[main] dee, I've sent you the digest of comments on minutes #1 in a direct message.",
    ]);
    const [comments] = await h.say('/minutes comments 1', { in: 'dee-dm', as: 'dee', direct: true });
    expect(comments).toBe(
      '[dee-dm] Comments on minutes #1 (CPP board, 3 December): 4\n\n' +
        '1. fay in forum (console), Mon 23 Nov 2026, 10:00\n> Please raise the cuts to the 79 bus\n\n' +
        '2. gus in forum (console), Mon 23 Nov 2026, 10:00\n> And the 80 bus on Sundays\n\n' +
        '3. hal in youth (Youth Work, console), Mon 23 Nov 2026, 10:00\n> Youth clubs lose their minibus in March\n\n' +
        '4. fay in forum (console), Mon 23 Nov 2026, 10:00\n> Also: the budget survey must be online and on paper',
    );
    // A lead may look; a delegate to another body may not; nor may anyone else.
    await h.script(':as ana\n/role add @ben lead\n/delegate add @eli Health Board');
    expect(await h.say('/minutes comments 1', { as: 'ben', in: 'main' })).toEqual([expect.stringMatching(/^\[@ben\] Comments on minutes #1 /), "[main] ben, I've sent you the 4 comments on minutes #1 in a direct message."]);
    expect(await h.say('/minutes digest 1', { as: 'eli', in: 'main' })).toEqual([
      '[main] Only dee (who posted minutes #1), another delegate to Community Planning Partnership, a lead or an admin can see the comments on them. Anyone can read the minutes: /minutes show 1',
    ]);
    expect((await h.say('/minutes comments 1', { as: 'fay', in: 'forum' }))[0]).toBe(
      '[forum] Only dee (who posted minutes #1), another delegate to Community Planning Partnership, a lead or an admin can see the comments on them. Anyone can read the minutes: /minutes show 1',
    );
    expect(count('SELECT COUNT(*) AS n FROM outbox WHERE dest = \'u:fay\'')).toBe(0);
    // A delegate who stops being one still sees the comments on the minutes they posted.
    await h.say('/delegate remove @dee', { as: 'ana' });
    expect(await h.say('/minutes digest 1', { as: 'dee', in: 'dee-dm', direct: true })).toEqual([expect.stringMatching(/^\[dee-dm\] Digest of comments on minutes #1: /)]);
    expect(await h.say('/minutes comments 1', { as: 'dee', in: 'dee-dm', direct: true })).toEqual([expect.stringMatching(/^\[dee-dm\] Comments on minutes #1 /)]);
  });

  it('keeps minutes and comments with a delegate who links a second account', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await h.script(DONE_WHEN_SCRIPT);
    await h.say('/link', { platform: 'slack', in: 'D-dee', as: 'UDEE', direct: true });
    const code = /link (\d{6})/.exec(h.adapter('slack').sent.at(-1)!.message.text)![1];
    await h.say(`/link ${code}`, { as: 'dee', in: 'main' }); // the console account joins the Slack one
    await h.say('/link confirm', { platform: 'slack', in: 'D-dee', as: 'UDEE', direct: true });
    expect((await h.say('/minutes comments 1', { platform: 'slack', in: 'D-dee', as: 'UDEE', direct: true }))[0]).toMatch(/^\[D-dee\] Comments on minutes #1/);
  });
});

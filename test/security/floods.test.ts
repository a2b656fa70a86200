// One member cannot make the bot flood a chat (issue 15, item 6).
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS_PER_MINUTE, FloodGuard } from '../../src/core/flood-guard.js';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const slack = (as: string) => ({ platform: 'slack', as, in: 'general' });

describe('ACTION lines', () => {
  it('are at most 30 in one note: more is refused with the count, and nothing is saved', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    const body = Array.from({ length: 1960 }, (_, i) => `ACTION @ana: task ${i + 1}`).join('\n');
    const [reply] = await h.say(`/notes add Big meeting\n${body}`, { as: 'ana' });
    expect(reply).toBe(
      '[main] That note has 1960 ACTION lines; a note can have at most 30. Split them over a few notes, e.g. /notes add Planning meeting -- ACTION @ana by friday: book the hall',
    );
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM actions').get()).toEqual({ n: 0 });
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: 0 });
    const thirty = Array.from({ length: 30 }, (_, i) => `ACTION @ana: task ${i + 1}`).join('\n');
    expect((await h.say(`/notes add Fine meeting\n${thirty}`, { as: 'ana' }))[0]).toContain('Saved note #1');
  });
});

describe('commands from one person in one chat', () => {
  it('get one "slow down" after 20 in a minute; the rest are ignored until the minute is over', async () => {
    h = await createHarness({ platforms: ['console', 'slack'] });
    for (let i = 0; i < COMMANDS_PER_MINUTE; i++) expect(await h.say('/collabs', slack('mo'))).toHaveLength(1);
    expect(await h.say('/collabs', slack('mo'))).toEqual([
      "[general] mo, please slow down: that is more than 20 commands in a minute. I'll ignore your commands here for the rest of the minute, then carry on. Try again in a minute, e.g. /help",
    ]);
    for (let i = 0; i < 30; i++) expect(await h.say('/collabs', slack('mo'))).toEqual([]);
    // Others in the chat are not held up.
    expect(await h.say('/collabs', slack('ben'))).toHaveLength(1);
    h.clock.advance(60_000);
    expect(await h.say('/collabs', slack('mo'))).toHaveLength(1);
  });

  it('are counted per person and chat, in windows of a minute', () => {
    const g = new FloodGuard(2);
    expect(['a', 'a', 'a', 'a', 'b'].map((k) => g.check(k, 0))).toEqual(['ok', 'ok', 'warn', 'drop', 'ok']);
    expect(g.check('a', 59_999)).toBe('drop');
    expect(g.check('a', 60_000)).toBe('ok');
  });

  it('stays cheap with many people in one minute: old windows are swept now and then, not at every command', () => {
    const g = new FloodGuard(2);
    const windows = (g as unknown as { windows: Map<string, unknown> }).windows;
    let swept = 0;
    const sweep = (g as unknown as { sweep: (now: number) => void }).sweep.bind(g);
    (g as unknown as { sweep: (now: number) => void }).sweep = (now) => {
      swept++;
      sweep(now);
    };
    for (let i = 0; i < 30_000; i++) expect(g.check(`p${i}`, i)).toBe('ok'); // 30,000 people within 30 seconds
    expect(swept).toBeLessThanOrEqual(4);
    // A minute on, the old windows go at the next sweep.
    g.check('late', 200_000);
    expect(windows.size).toBe(1);
  });
});

describe('reminders and action nudges due in the same minute for the same chat', () => {
  it('go out as one message listing them', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    const lines = Array.from({ length: 30 }, (_, i) => `ACTION @ana by friday: task ${i + 1}`).join('\n');
    await h.say(`/notes add Big meeting\n${lines}`, { as: 'ana' });
    await h.say('/remind here friday 9am Bring the banner', { as: 'ana' });
    const sent = await h.advance(8 * 86_400_000);
    const nudges = sent.filter((l) => l.includes('Reminder for ana'));
    expect(nudges).toHaveLength(1);
    expect(nudges[0]).toMatch(/^\[main\] 30 reminders due now:\n• Reminder for ana: action #1 is due /);
    expect(nudges[0]!.match(/• Reminder for ana/g)).toHaveLength(30);
  });
});

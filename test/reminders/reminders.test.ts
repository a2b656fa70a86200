// Reminders through the commands people type, on a fake clock: every <when>
// form fires when it should, repeats keep their wall-clock time across the
// 2027 clock changes, and restarts neither lose nor repeat an occurrence.
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { tempDb } from '../helpers/console-process.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const tz = 'Europe/London';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close().catch(() => undefined);
});

async function harness(opts: Parameters<typeof createHarness>[0] = {}) {
  const h = await createHarness({ admins: 'console:ana', ...opts });
  open.push(h);
  return h;
}

/** A collab in chat `main`, with ana (admin) as its facilitator. */
async function collab(h: Harness) {
  await h.say('/collab create Food Network', { as: 'ana' });
}

/** Reminder messages the bot wrote to the outbox, with the local time it wrote each (= when it fired). */
function fired(h: Harness, zone = tz) {
  const rows = h.db
    .prepare(`SELECT dest, body, created_at FROM outbox WHERE origin LIKE 'reminder:%' ORDER BY id`)
    .all() as { dest: string; body: string; created_at: number }[];
  // Reminders due in the same minute for one chat share a message (a list): one line per reminder here.
  const items = (text: string) => (/^\d+ reminders due now:\n• /.test(text) ? text.split('\n• ').slice(1) : [text]);
  return rows.flatMap((r) => items(JSON.parse(r.body).text).map((t) => `${DateTime.fromMillis(r.created_at, { zone }).toFormat('ccc yyyy-MM-dd HH:mm:ss')} ${r.dest} ${t}`));
}

const close = (h: Harness) => {
  open.splice(open.indexOf(h), 1);
  return h.close();
};

describe('reminders', () => {
  it('fires every <when> form at its time, once (repeats keep going)', async () => {
    // Monday 23 November 2026, 10:00 GMT.
    const h = await harness();
    await collab(h);
    const forms = [
      'in 2 seconds Two seconds',
      'in 30s Thirty seconds',
      'in 10 minutes Ten minutes',
      'in 2h Two hours',
      'at 17:00 At five',
      'tomorrow at 9 Tomorrow',
      'friday 10am Friday',
      'on 2026-12-01 09:30 On a date',
      'every day at 9:00 Daily',
      'every monday at 10:00 Mondays',
      'every weekday at 8:30 Weekdays',
      'every month on the 1st at 9:00 Monthly',
      'cron "0 9 * * 1" Cron',
    ];
    for (const f of forms) expect((await h.say(`/remind ${f}`, { as: 'ana' }))[0]).toMatch(/^\[main\] Done: reminder \d+ will remind this chat /);
    await h.advance(Date.parse('2027-01-01T12:00:00Z') - h.clock.now());
    const got = fired(h);
    const at = (text: string) => got.filter((l) => l.endsWith(`Reminder: ${text}`)).map((l) => l.slice(0, 23));
    expect(at('Two seconds')).toEqual(['Mon 2026-11-23 10:00:02']);
    expect(at('Thirty seconds')).toEqual(['Mon 2026-11-23 10:00:30']);
    expect(at('Ten minutes')).toEqual(['Mon 2026-11-23 10:10:00']);
    expect(at('Two hours')).toEqual(['Mon 2026-11-23 12:00:00']);
    expect(at('At five')).toEqual(['Mon 2026-11-23 17:00:00']);
    expect(at('Tomorrow')).toEqual(['Tue 2026-11-24 09:00:00']);
    expect(at('Friday')).toEqual(['Fri 2026-11-27 10:00:00']);
    expect(at('On a date')).toEqual(['Tue 2026-12-01 09:30:00']);
    expect(at('Daily')).toHaveLength(39); // 24 Nov to 1 Jan
    expect(at('Daily').slice(0, 2)).toEqual(['Tue 2026-11-24 09:00:00', 'Wed 2026-11-25 09:00:00']);
    expect(at('Mondays')).toEqual(['Mon 2026-11-30 10:00:00', 'Mon 2026-12-07 10:00:00', 'Mon 2026-12-14 10:00:00', 'Mon 2026-12-21 10:00:00', 'Mon 2026-12-28 10:00:00']);
    expect(at('Weekdays').slice(0, 5)).toEqual([
      'Tue 2026-11-24 08:30:00',
      'Wed 2026-11-25 08:30:00',
      'Thu 2026-11-26 08:30:00',
      'Fri 2026-11-27 08:30:00',
      'Mon 2026-11-30 08:30:00',
    ]);
    expect(at('Monthly')).toEqual(['Tue 2026-12-01 09:00:00', 'Fri 2027-01-01 09:00:00']);
    expect(at('Cron')).toEqual(['Mon 2026-11-30 09:00:00', 'Mon 2026-12-07 09:00:00', 'Mon 2026-12-14 09:00:00', 'Mon 2026-12-21 09:00:00', 'Mon 2026-12-28 09:00:00']);
    // Delivered to the chat, each exactly once.
    const lines = h.adapter().sent.flatMap((s) => s.line.split('\n• ')).filter((l) => l.includes('Reminder: '));
    expect(lines).toHaveLength(got.length);
    expect(lines[0]).toBe('[main] Reminder: Two seconds');
    // One pending job per repeating reminder, none for finished one-offs.
    expect(h.services.scheduler.pendingAt('reminder:1')).toBeUndefined();
    expect(h.services.scheduler.pendingAt('reminder:9')).toBe(Date.parse('2027-01-02T09:00:00Z'));
    expect((await h.say('/reminders'))[0]).toBe(
      [
        '[main] Reminders in this chat:',
        '9. Sat 2 Jan 2027, 09:00 (every day at 9:00) — Daily',
        '11. Mon 4 Jan 2027, 08:30 (every weekday at 8:30) — Weekdays',
        '13. Mon 4 Jan 2027, 09:00 (cron "0 9 * * 1") — Cron',
        '10. Mon 4 Jan 2027, 10:00 (every monday at 10:00) — Mondays',
        '12. Mon 1 Feb 2027, 09:00 (every month on the 1st at 9:00) — Monthly',
        'To cancel one, type its number, e.g. /remind cancel 9',
      ].join('\n'),
    );
  });

  it('keeps a daily 09:00 at 09:00 London time across the 2027 spring-forward, once a day; 01:30 moves to 02:30 that day', async () => {
    const h = await harness({ clock: new FakeClock(Date.parse('2027-03-25T12:00:00Z')) });
    await collab(h);
    await h.say('/remind every day at 9:00 Stand-up', { as: 'ana' });
    await h.say('/remind every day at 1:30 Night shift', { as: 'ana' });
    await h.advance(Date.parse('2027-03-31T12:00:00Z') - h.clock.now());
    const utc = (text: string) =>
      (h.db.prepare(`SELECT created_at FROM outbox WHERE origin LIKE 'reminder:%' AND body LIKE ? ORDER BY id`).all(`%${text}%`) as { created_at: number }[]).map((r) =>
        new Date(r.created_at).toISOString().slice(5, 16),
      );
    expect(fired(h).filter((l) => l.includes('Stand-up'))).toEqual(
      ['Fri 2027-03-26', 'Sat 2027-03-27', 'Sun 2027-03-28', 'Mon 2027-03-29', 'Tue 2027-03-30', 'Wed 2027-03-31'].map((d) => `${d} 09:00:00 c:main Reminder: Stand-up`),
    );
    expect(utc('Stand-up')).toEqual(['03-26T09:00', '03-27T09:00', '03-28T08:00', '03-29T08:00', '03-30T08:00', '03-31T08:00']);
    // 01:30 does not exist on 28 March: it fires when the clocks have jumped, at 02:30 BST.
    expect(fired(h).filter((l) => l.includes('Night shift')).map((l) => l.slice(0, 23))).toEqual([
      'Fri 2027-03-26 01:30:00',
      'Sat 2027-03-27 01:30:00',
      'Sun 2027-03-28 02:30:00',
      'Mon 2027-03-29 01:30:00',
      'Tue 2027-03-30 01:30:00',
      'Wed 2027-03-31 01:30:00',
    ]);
  });

  it('keeps a daily 09:00 at 09:00 across the 2027 autumn-back, once a day; a doubled 01:30 fires once, the first time', async () => {
    const h = await harness({ clock: new FakeClock(Date.parse('2027-10-28T12:00:00Z')) });
    await collab(h);
    await h.say('/remind every day at 9:00 Stand-up', { as: 'ana' });
    await h.say('/remind every day at 1:30 Night shift', { as: 'ana' });
    await h.advance(Date.parse('2027-11-02T12:00:00Z') - h.clock.now());
    expect(fired(h).filter((l) => l.includes('Stand-up')).map((l) => l.slice(0, 23))).toEqual(
      ['Fri 2027-10-29', 'Sat 2027-10-30', 'Sun 2027-10-31', 'Mon 2027-11-01', 'Tue 2027-11-02'].map((d) => `${d} 09:00:00`),
    );
    const night = h.db.prepare(`SELECT created_at FROM outbox WHERE origin LIKE 'reminder:%' AND body LIKE '%Night shift%' ORDER BY id`).all() as { created_at: number }[];
    expect(night.map((r) => new Date(r.created_at).toISOString().slice(5, 16))).toEqual([
      '10-29T00:30',
      '10-30T00:30',
      '10-31T00:30', // 01:30 BST; 01:30 GMT an hour later does not fire again
      '11-01T01:30',
      '11-02T01:30',
    ]);
  });

  it('sends /remind me as a direct message; /reminders in a direct message lists your own', async () => {
    const h = await harness();
    expect((await h.say('/remind me in 10 minutes Call the venue', { as: 'ben' }))[0]).toBe(
      '[main] Done: reminder 1 will remind you by direct message on Mon 23 Nov 2026, 10:10 (in 10 minutes): Call the venue\nTo cancel it: /remind cancel 1',
    );
    expect(await h.say('/reminders', { as: 'ben', in: 'dm-ben', direct: true })).toEqual([
      '[dm-ben] Your reminders (sent to you by direct message):\n1. Mon 23 Nov 2026, 10:10 — Call the venue\nTo cancel one, type its number, e.g. /remind cancel 1',
    ]);
    expect(await h.say('/reminders me', { as: 'cara' })).toEqual([
      '[@cara] You have no reminders. Set one with /remind me tomorrow at 9 Call the venue',
      '[main] I have sent you your reminders by direct message.',
    ]);
    // A personal reminder is not in the chat's list.
    expect(await h.say('/reminders', { as: 'ben' })).toEqual(['[main] This chat has no reminders. A facilitator can set one with /remind friday 10am Send your stats']);
    expect(await h.advance(10 * 60_000)).toEqual(['[@ben] Reminder: Call the venue']);
  });

  it('lets who set it, a facilitator or an admin cancel, pause and resume; nobody else', async () => {
    const h = await harness();
    await collab(h);
    await h.say('/role add @lee lead', { as: 'ana' });
    await h.say('/role add @fay facilitator', { as: 'ana' });
    await h.say('/remind every day at 9:00 Stand-up', { as: 'lee' });
    await h.say('/remind me every day at 8:00 Coffee', { as: 'lee' });
    expect(await h.say('/remind cancel 1', { as: 'mallory' })).toEqual([
      '[main] Only the person who set reminder 1, a facilitator of Food Network or an admin can cancel it.',
    ]);
    // Someone else's personal reminder does not exist, as far as others can tell.
    expect((await h.say('/remind pause 2', { as: 'fay' }))[0]).toBe('[main] There is no reminder 2. Type /reminders to see the reminders here, with their numbers.');
    expect((await h.say('/remind cancel 99', { as: 'lee' }))[0]).toContain('There is no reminder 99.');
    expect((await h.say('/remind cancel three', { as: 'lee' }))[0]).toContain('Say which reminder by its number');

    expect(await h.say('/remind pause 1', { as: 'fay' })).toEqual(['[main] Done: reminder 1 is paused: Stand-up\nTo start it again: /remind resume 1']);
    expect((await h.say('/remind pause 1', { as: 'lee' }))[0]).toContain('Reminder 1 is paused, so there is nothing to pause.');
    expect(h.services.scheduler.pendingAt('reminder:1')).toBeUndefined();
    // Paused for two days: nothing is sent, and nothing is owed afterwards.
    await h.advance(2 * DAY);
    expect(fired(h).filter((l) => l.includes('Stand-up'))).toEqual([]);
    expect(await h.say('/remind resume 1', { as: 'lee' })).toEqual(['[main] Done: reminder 1 is on again. Next time: Thu 26 Nov 2026, 09:00: Stand-up']);
    await h.advance(DAY);
    expect(fired(h).filter((l) => l.includes('Stand-up'))).toEqual(['Thu 2026-11-26 09:00:00 c:main Reminder: Stand-up']);
    expect((await h.say('/remind resume 1', { as: 'ana' }))[0]).toContain('Reminder 1 is on, not paused, so there is nothing to resume.');
    expect(await h.say('/remind cancel 1', { as: 'ana' })).toEqual(['[main] Done: reminder 1 is cancelled: Stand-up']);
    expect((await h.say('/remind cancel 1', { as: 'lee' }))[0]).toContain('Reminder 1 was cancelled, so there is nothing to cancel.');
    await h.advance(2 * DAY);
    expect(fired(h).filter((l) => l.includes('Stand-up'))).toHaveLength(1);
    expect(await h.say('/remind cancel 2', { as: 'lee' })).toEqual(['[main] Done: reminder 2 is cancelled: Coffee']);
  });

  it('will not resume a one-off whose time passed while it was paused', async () => {
    const h = await harness();
    await collab(h);
    await h.say('/remind in 1 hour Doors open', { as: 'ana' });
    await h.say('/remind pause 1', { as: 'ana' });
    await h.advance(2 * HOUR);
    expect((await h.say('/remind resume 1', { as: 'ana' }))[0]).toContain('Reminder 1 was due Mon 23 Nov 2026, 11:00, which passed while it was paused.');
    expect(fired(h)).toEqual([]);
    // A personal one is set again with /remind me (anyone may), not /remind (facilitators).
    await h.say('/remind me in 1 hour Call Sam', { as: 'ben' });
    await h.say('/remind pause 2', { as: 'ben' });
    await h.advance(2 * HOUR);
    expect((await h.say('/remind resume 2', { as: 'ben' }))[0]).toBe(
      '[main] Reminder 2 was due Mon 23 Nov 2026, 13:00, which passed while it was paused. Cancel it with /remind cancel 2 and set a new one, e.g. /remind me tomorrow at 9 Call Sam',
    );
  });

  it('says how to see your own reminders when you have too many', async () => {
    const h = await harness();
    await collab(h);
    const ben = h.services.people.ensure('console', 'ben', 'ben');
    const chat = h.services.collabs.ensureChat('console', 'main', 'main', false);
    h.db.transaction(() => {
      for (let i = 0; i < 100; i++) {
        h.services.reminders.create({ chat, personId: ben, createdBy: ben, text: `r${i}`, whenText: 'in 1 day', schedule: { kind: 'once', at: h.clock.now() + DAY }, tz });
      }
    })();
    expect(await h.say('/remind me in 2h Call the venue', { as: 'ben' })).toEqual([
      '[main] You have 100 reminders, the most I keep. Cancel one first: type /reminders me to see them, then e.g. /remind cancel 3',
    ]);
  });

  it('tells whoever set it when a reminder cannot be delivered', async () => {
    const h = await harness({ env: { COLLABOT_OUTBOX_MAX_ATTEMPTS: '2' } });
    await collab(h);
    await h.say('/remind every day at 9:00 Stand-up', { as: 'ana' });
    const { PermanentSendError } = await import('../../src/model.js');
    h.adapter().fail = (to) => (to.chatId === 'main' ? new PermanentSendError('not in channel') : undefined);
    expect(await h.advance(DAY)).toEqual([
      '[@ana] I could not deliver reminder 1 ("Stand-up") to main. If it keeps failing, stop it with /remind cancel 1',
    ]);
  });

  it('refuses a bad time, changing nothing', async () => {
    const h = await harness();
    await collab(h);
    const [r] = await h.say('/remind 31 February at 9 Pay the rent', { as: 'ana' });
    expect(r).toContain('There is no 31 February.');
    expect(r).toContain('Times I understand: in 10 minutes, in 2h');
    // The example is a few days from today (the fake clock's 23 November), never a date gone by.
    expect((await h.say('/remind on 2026-13-01 09:30 Pay the rent', { as: 'ana' }))[0]).toContain('There is no month 13: months go from 01 to 12, e.g. on 2026-11-26 09:30.');
    expect((await h.say('/remind', { as: 'ana' }))[0]).toContain('Tell me when to remind, and what to say.');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM reminders').get()).toEqual({ n: 0 });
    expect(h.services.scheduler.pendingCount()).toBe(1); // only the daily housekeeping
  });
});

describe('reminders across restarts', () => {
  /** A bot on a file database; `at` is when it (re)starts. */
  async function boot(file: string, at: string, env: Record<string, string> = {}) {
    return harness({ db: openDatabase(file), clock: new FakeClock(Date.parse(at)), env });
  }
  const sentLines = (...hs: Harness[]) => hs.flatMap((h) => h.adapter().sent.map((s) => s.line));

  it('a restart mid-schedule neither loses nor repeats an occurrence', async () => {
    const file = tempDb();
    const a = await boot(file, '2026-11-23T10:00:00Z');
    await collab(a);
    await a.say('/remind every day at 9:00 Stand-up', { as: 'ana' });
    await a.say('/remind on 2026-11-26 12:00 Lunch', { as: 'ana' });
    await a.advance(Date.parse('2026-11-25T10:00:00Z') - a.clock.now()); // 24th and 25th sent
    await close(a);
    // Back an hour later, before the next one; then on for three days.
    const b = await boot(file, '2026-11-25T11:00:00Z');
    await b.flush();
    expect(b.adapter().sent).toEqual([]);
    await b.advance(Date.parse('2026-11-28T10:00:00Z') - b.clock.now());
    await close(b);
    // And a second restart exactly at a due time.
    const c = await boot(file, '2026-11-29T09:00:00Z');
    await c.flush();
    expect(sentLines(a, b, c).filter((l) => l.includes('Reminder:'))).toEqual([
      '[main] Reminder: Stand-up', // 24
      '[main] Reminder: Stand-up', // 25
      '[main] Reminder: Stand-up', // 26
      '[main] Reminder: Lunch',
      '[main] Reminder: Stand-up', // 27
      '[main] Reminder: Stand-up', // 28
      '[main] Reminder: Stand-up', // 29, on start-up, on time
    ]);
    expect(c.services.scheduler.pendingAt('reminder:1')).toBe(Date.parse('2026-11-30T09:00:00Z'));
    expect(c.services.scheduler.pendingAt('reminder:2')).toBeUndefined();
  });

  it('sends a reminder that fell due during downtime once after restart, marked late', async () => {
    const file = tempDb();
    const a = await boot(file, '2026-11-23T10:00:00Z');
    await collab(a);
    await a.say('/remind every day at 9:00 Stand-up', { as: 'ana' });
    await a.say('/remind me tomorrow at 9:30 Call Sam', { as: 'ben' });
    await a.advance(Date.parse('2026-11-24T08:00:00Z') - a.clock.now());
    await close(a);
    // Down from 08:00 to 11:00: both fell due 2 hours and 1½ hours ago, within the 6h grace.
    const b = await boot(file, '2026-11-24T11:00:00Z');
    await b.flush();
    expect(b.adapter().sent.map((s) => s.line)).toEqual(['[main] Reminder: Stand-up (late: due 09:00)', '[@ben] Reminder: Call Sam (late: due 09:30)']);
    await close(b);
    // A second restart does not send them again; the repeat goes on the next day, on time.
    const c = await boot(file, '2026-11-24T12:00:00Z');
    expect(await c.advance(DAY)).toEqual(['[main] Reminder: Stand-up']);
  });

  it('skips occurrences older than COLLABOT_MISSED_GRACE and tells whoever set them; a repeat goes on from its next time', async () => {
    const file = tempDb();
    const a = await boot(file, '2026-11-23T10:00:00Z');
    await collab(a);
    await a.say('/remind every day at 9:00 Stand-up', { as: 'ana' });
    await a.say('/remind on 2026-11-24 12:00 Lunch', { as: 'ana' });
    await close(a);
    // Down for four days, back at 10:00 on the 27th with a 2h grace: only Friday's 09:00 is recent enough.
    const b = await boot(file, '2026-11-27T10:00:00Z', { COLLABOT_MISSED_GRACE: '2h' });
    await b.flush();
    expect(b.adapter().sent.map((s) => s.line)).toEqual([
      '[main] Reminder: Stand-up (late: due 09:00)',
      '[@ana] I was offline and skipped reminder 1 ("Stand-up") from Tue 24 Nov 2026, 09:00; I sent only its latest time (Fri 27 Nov 2026, 09:00), late. Next time: Sat 28 Nov 2026, 09:00.',
      '[@ana] I was offline when reminder 2 ("Lunch") was due (Tue 24 Nov 2026, 12:00). That is more than 2 hours ago, so I did not send it.',
    ]);
    await close(b);
    // Down again overnight, back at 16:00 the next day: 09:00 is 7 hours old, beyond the grace.
    const c = await boot(file, '2026-11-28T16:00:00Z', { COLLABOT_MISSED_GRACE: '2h' });
    await c.flush();
    expect(c.take()).toEqual([
      '[@ana] I was offline when reminder 1 ("Stand-up") was due (Sat 28 Nov 2026, 09:00). That is more than 2 hours ago, so I did not send it. Next time: Sun 29 Nov 2026, 09:00.',
    ]);
    expect(await c.advance(DAY)).toEqual(['[main] Reminder: Stand-up']);
    const row = c.db.prepare('SELECT status, sent FROM reminders WHERE id = 2').get();
    expect(row).toEqual({ status: 'done', sent: 0 });
  });
});

// Every N days / weeks (issue 17): `every 2 weeks on monday at 9`, `every other
// week`, `every 3 days at 18:00`, through the commands people type on a fake
// clock, across the 2027 clock changes and a restart.
import { DateTime } from 'luxon';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { openDatabase } from '../../src/storage/db.js';
import { latestInterval, nextInterval } from '../../src/reminders/interval.js';
import { tempDb } from '../helpers/console-process.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const tz = 'Europe/London';
const DAY = 86_400_000;
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close().catch(() => undefined);
});

async function harness(at?: string, db?: ReturnType<typeof openDatabase>) {
  const h = await createHarness({ admins: 'console:ana', ...(at ? { clock: new FakeClock(Date.parse(at)) } : {}), ...(db ? { db } : {}) });
  open.push(h);
  await h.say('/collab create Food Network', { as: 'ana' });
  return h;
}

/** When each reminder with this text fired, local time. */
function fired(h: Harness, text: string) {
  const rows = h.db
    .prepare(`SELECT body, created_at FROM outbox WHERE origin LIKE 'reminder:%' ORDER BY id`)
    .all() as { body: string; created_at: number }[];
  return rows.filter((r) => JSON.parse(r.body).text.includes(text)).map((r) => DateTime.fromMillis(r.created_at, { zone: tz }).toFormat('ccc yyyy-MM-dd HH:mm'));
}

describe('every N days / weeks', () => {
  it('/remind every 2 weeks on monday at 9 fires on every other Monday at 09:00 across the October clock change', async () => {
    const h = await harness('2027-10-11T12:00:00Z'); // Monday, after 09:00
    const reply = await h.say('/remind every 2 weeks on monday at 9 Team call', { as: 'ana' });
    expect(reply[0]).toContain('Done: reminder 1 will remind this chat every 2 weeks on monday at 9 (Europe/London time), first on Mon 18 Oct 2027, 09:00: Team call');
    expect(await h.say('/reminders', { as: 'ana' })).toEqual([expect.stringContaining('1. Mon 18 Oct 2027, 09:00 (every 2 weeks on Monday at 09:00) — Team call')]);
    await h.advance(Date.parse('2027-11-20T12:00:00Z') - h.clock.now());
    expect(fired(h, 'Team call')).toEqual(['Mon 2027-10-18 09:00', 'Mon 2027-11-01 09:00', 'Mon 2027-11-15 09:00']);
  });

  it('every other week does the same across the March clock change', async () => {
    const h = await harness('2027-03-15T12:00:00Z'); // Monday
    await h.say('/remind every other week on monday at 9:00 Team call', { as: 'ana' });
    expect(await h.say('/reminders', { as: 'ana' })).toEqual([expect.stringContaining('(every 2 weeks on Monday at 09:00) — Team call')]);
    await h.advance(Date.parse('2027-04-24T12:00:00Z') - h.clock.now());
    expect(fired(h, 'Team call')).toEqual(['Mon 2027-03-22 09:00', 'Mon 2027-04-05 09:00', 'Mon 2027-04-19 09:00']);
  });

  it('every 3 days at 18:00, paused and resumed, cancelled', async () => {
    const h = await harness(); // Mon 23 Nov 2026, 10:00
    expect((await h.say('/remind every 3 days at 18:00 Water the plants', { as: 'ana' }))[0]).toContain('Mon 23 Nov 2026, 18:00');
    expect(await h.say('/reminders', { as: 'ana' })).toEqual([expect.stringContaining('(every 3 days at 18:00) — Water the plants')]);
    await h.advance(4 * DAY);
    expect(fired(h, 'Water')).toEqual(['Mon 2026-11-23 18:00', 'Thu 2026-11-26 18:00']);
    await h.say('/remind pause 1', { as: 'ana' });
    await h.advance(4 * DAY); // 29 Nov passes while paused
    expect((await h.say('/remind resume 1', { as: 'ana' }))[0]).toContain('Next time: Wed 2 Dec 2026, 18:00');
    await h.advance(5 * DAY);
    expect(fired(h, 'Water')).toEqual(['Mon 2026-11-23 18:00', 'Thu 2026-11-26 18:00', 'Wed 2026-12-02 18:00', 'Sat 2026-12-05 18:00']);
    await h.say('/remind cancel 1', { as: 'ana' });
    await h.advance(7 * DAY);
    expect(fired(h, 'Water')).toHaveLength(4);
  });

  it('keeps its fortnight across a restart, and sends one missed while down once, late', async () => {
    const file = tempDb();
    const a = await harness('2026-11-23T10:00:00Z', openDatabase(file));
    await a.say('/remind every 2 weeks on monday at 9 Team call', { as: 'ana' });
    await a.advance(Date.parse('2026-12-01T12:00:00Z') - a.clock.now()); // 30 Nov sent
    open.splice(open.indexOf(a), 1);
    await a.close();
    // Down over 14 December; back at 09:10.
    const b = await createHarness({ admins: 'console:ana', db: openDatabase(file), clock: new FakeClock(Date.parse('2026-12-14T09:10:00Z')) });
    open.push(b);
    await b.flush();
    expect(b.adapter().sent.map((s) => s.line)).toEqual([expect.stringMatching(/^\[main\] .*Team call/)]);
    expect(b.services.scheduler.pendingAt('reminder:1')).toBe(Date.parse('2026-12-28T09:00:00Z'));
  });

  it('refuses a bad N with an example from today, and changes nothing', async () => {
    const h = await harness(); // Monday 23 Nov 2026
    for (const line of ['/remind every 0 weeks on monday at 9 Team call', '/remind every 100 days at 9 Team call', '/remind every 100 weeks on monday at 9 Team call']) {
      const [reply] = await h.say(line, { as: 'ana' });
      expect(reply).toMatch(/I can repeat every 1 to \d+ (day|week)s/);
      expect(reply).toContain('every 2 weeks on monday at 9:00 Team call');
    }
    expect((await h.say('/remind every 2 weeks on moonday at 9 Team call', { as: 'ana' }))[0]).toContain('"moonday" is not a day I know');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM reminders').get()).toEqual({ n: 0 });
  });
});

describe('the next time of every N days', () => {
  it('is after the given time, on a step from the first day, at the wall-clock time, and the latest is before it', () => {
    const zones = ['Europe/London', 'America/New_York', 'Australia/Sydney', 'Pacific/Auckland'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 3 * 366 }),
        fc.integer({ min: 0, max: 1000 * DAY }),
        fc.constantFrom(...zones),
        (days, hour, minute, offset, later, zone) => {
          const from = DateTime.fromISO('2026-01-01', { zone }).plus({ days: offset }).toISODate()!;
          const i = { days, from, hour, minute };
          const after = DateTime.fromISO(from, { zone }).toMillis() + later;
          const next = nextInterval(i, after, zone);
          expect(next).toBeGreaterThan(after);
          const local = DateTime.fromMillis(next, { zone });
          const step = Math.round(local.startOf('day').diff(DateTime.fromISO(from, { zone }), 'days').days);
          expect(step % days).toBe(0);
          // 09:00 stays 09:00; only a time the clocks skip moves (forward, by the jump).
          if (local.hour !== hour || local.minute !== minute) expect(DateTime.fromObject({ year: local.year, month: local.month, day: local.day, hour, minute }, { zone }).hour).not.toBe(hour);
          // Nothing in between: the latest at or before `next - 1` is before `after`.
          const latest = latestInterval(i, next - 1, zone);
          if (latest !== undefined) expect(latest).toBeLessThanOrEqual(after);
          expect(latestInterval(i, next, zone)).toBe(next);
        },
      ),
      { numRuns: 500 },
    );
  });
});

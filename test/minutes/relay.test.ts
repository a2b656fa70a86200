// The relay engine under stress: platforms that enforce their limits, refuse 30%
// of sends and answer "slow down" now and then; a restart in the middle; chats
// that never take the message. Every destination gets the minutes exactly once,
// and the delegate hears about the ones that could not be reached.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { openDatabase, type DB } from '../../src/storage/db.js';
import { tempDb } from '../helpers/console-process.js';
import { FakePlatform, PLATFORMS, runClock, seeded, settle } from '../helpers/fake-platform.js';
import { createHarness, RecordingAdapter, type Harness } from '../helpers/harness.js';
import { measureRelay } from '../helpers/relay-scenario.js';

const PLATFORM_NAMES = Object.keys(PLATFORMS) as (keyof typeof PLATFORMS)[];
const CHATS_PER_PLATFORM = 15;

let open: Harness[] = [];
afterEach(async () => {
  for (const h of open) await h.close().catch(() => undefined);
  open = [];
});

/** A bot on the console (where people type) plus three fake platforms with their real limits. */
async function relayBot(clock: FakeClock, fakes: Map<string, FakePlatform>, db?: DB) {
  const h = await createHarness({
    admins: 'console:ana',
    clock,
    db,
    env: { COLLABOT_OUTBOX_MAX_ATTEMPTS: '25' },
    sender: { baseBackoffMs: 500, maxBackoffMs: 20_000, stopWaitMs: 2000 },
    platforms: ['console', ...PLATFORM_NAMES],
    adapterFor: (p, timeline) => {
      if (p === 'console') return new RecordingAdapter(p, undefined, timeline);
      if (!fakes.has(p)) fakes.set(p, FakePlatform.preset(p as keyof typeof PLATFORMS, { clock, latencyMs: 80, random: seeded(p.length * 7919) }));
      return fakes.get(p)!;
    },
  });
  open.push(h);
  return h;
}

/** Many chats on every platform subscribe to minutes; dee is the delegate. */
async function subscribeChats(h: Harness) {
  await h.script(':as ana\n/delegate add @dee Community Planning Partnership');
  const { collabs, people } = h.services;
  const ana = people.find('console', 'ana')!;
  h.db.transaction(() => {
    for (const p of PLATFORM_NAMES) {
      for (let i = 0; i < CHATS_PER_PLATFORM; i++) collabs.subscribe(collabs.ensureChat(p, `${p}-${i}`, `${p} chat ${i}`, false), 'minutes', ana);
    }
  })();
}

const minutesIn = (fake: FakePlatform) => [...fake.byChat().entries()].map(([chat, texts]) => [chat, texts.filter((t) => t.startsWith('Minutes #1:')).length] as const);
const pending = (db: DB) => (db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status = 'pending'`).get() as { n: number }).n;

function expectEveryChatOnce(fakes: Map<string, FakePlatform>, withinLimits = true) {
  for (const p of PLATFORM_NAMES) {
    const got = minutesIn(fakes.get(p)!);
    expect(got.length, `${p}: chats reached`).toBe(CHATS_PER_PLATFORM);
    expect(got.filter(([, n]) => n !== 1), `${p}: chats that got them other than once`).toEqual([]);
    // (A restarted bot does not know what the old one just sent, so it may be told to wait once.)
    if (withinLimits) expect(fakes.get(p)!.stats.overLimit, `${p}: sends over the platform's limit`).toBe(0);
  }
}

describe('minutes relay engine', () => {
  it('delivers to every chat exactly once when 30% of sends fail and platforms answer "slow down"', async () => {
    const clock = new FakeClock();
    const fakes = new Map<string, FakePlatform>();
    const h = await relayBot(clock, fakes);
    await subscribeChats(h);
    for (const f of fakes.values()) f.set({ failRate: 0.3, rateLimitRate: 0.1 });
    await h.say('/minutes "CPP board, 3 December" Budget consultation opens in January.', { as: 'dee', wait: false });
    expect(await runClock(clock, () => pending(h.db) === 0)).toBe(true);
    expectEveryChatOnce(fakes);
    const stats = [...fakes.values()].map((f) => f.stats);
    expect(stats.reduce((n, s) => n + s.failed, 0)).toBeGreaterThan(10);
    expect(stats.reduce((n, s) => n + s.rateLimited, 0)).toBeGreaterThan(3);
    // Nothing failed for good, so the delegate hears nothing about failures.
    expect(h.adapter().sent.filter((s) => s.to.userId === 'dee' && /did not reach/.test(s.message.text))).toEqual([]);
  });

  it('loses nothing and repeats nothing when the bot restarts mid-relay (a second bot on the same database)', async () => {
    const clock = new FakeClock();
    const fakes = new Map<string, FakePlatform>();
    const file = tempDb();
    const first = await relayBot(clock, fakes, openDatabase(file));
    await subscribeChats(first);
    for (const f of fakes.values()) f.set({ failRate: 0.3, rateLimitRate: 0.1 });
    await first.say('/minutes "CPP board, 3 December" Budget consultation opens in January.', { as: 'dee', wait: false });
    const delivered = () => [...fakes.values()].reduce((n, f) => n + f.accepted.length, 0);
    await runClock(clock, () => delivered() >= 12);
    expect(pending(first.db)).toBeGreaterThan(10);
    // Restart: the first bot stops while sends are still out (their answers come
    // back later and are recorded), and a new bot opens the same file at once.
    const stopping = first.close();
    open = open.filter((x) => x !== first);
    const second = await relayBot(clock, fakes, openDatabase(file));
    await settle();
    await runClock(clock, () => pending(second.db) === 0);
    await stopping;
    expectEveryChatOnce(fakes, false);
  });

  it('tells the delegate, once, which chats did not get the minutes after the last attempt', async () => {
    const clock = new FakeClock();
    const fakes = new Map<string, FakePlatform>();
    const h = await relayBot(clock, fakes);
    await subscribeChats(h);
    fakes.get('slack')!.fail = (to) => (to.chatId === 'slack-3' ? new Error('not_in_channel') : undefined);
    fakes.get('whatsapp')!.fail = (to) => (to.chatId === 'whatsapp-7' ? new Error('chat not found') : undefined);
    await h.say('/minutes "CPP board, 3 December" Budget consultation opens in January.', { as: 'dee', wait: false });
    const reports = () => h.adapter().sent.filter((s) => s.to.userId === 'dee' && /did not reach/.test(s.message.text)).map((s) => s.message.text);
    await runClock(clock, () => reports().length > 0);
    expect(reports()).toEqual([
      'Your minutes #1 (CPP board, 3 December) did not reach 2 of the 45 chats they were sent to, even after several tries: slack chat 3 (slack), whatsapp chat 7 (whatsapp).\n' +
        'You may want to share them there another way, or ask an admin to check that I am still in those chats.',
    ]);
    // Every other chat got them; nothing more is said later.
    expect(minutesIn(fakes.get('slack')!).filter(([, n]) => n === 1)).toHaveLength(CHATS_PER_PLATFORM - 1);
    clock.advance(3_600_000);
    await settle();
    expect(reports()).toHaveLength(1);
  });

  it('relays at 90% or more of the rate the platform allows (small relay_1000)', async () => {
    const discord = await measureRelay('discord', 300, { latencyMs: 150 });
    expect(discord.ratio).toBeGreaterThanOrEqual(0.9);
    expect(discord.ratioWithJitter).toBe(discord.ratio);
    // WhatsApp's random extra delay is on purpose: measured against the limits plus its average.
    const whatsapp = await measureRelay('whatsapp', 25, { latencyMs: 300 });
    expect(whatsapp.ratioWithJitter).toBeGreaterThanOrEqual(0.9);
    expect(whatsapp.ratio).toBeLessThan(whatsapp.ratioWithJitter!);
    expect(discord.overLimit + whatsapp.overLimit).toBe(0);
  });
});

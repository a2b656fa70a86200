// The outbox splits long messages to each platform's limit, and its sender keeps
// to the platform's limits and delivers each message at most once, also when a
// slow send races a retry or a second sender on the same database.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { RateLimitedError } from '../src/model.js';
import { Outbox } from '../src/outbox/outbox.js';
import { OutboxSender, type SenderOptions } from '../src/outbox/sender.js';
import { openDatabase, type DB } from '../src/storage/db.js';
import { FakePlatform, PLATFORMS, runClock, seeded, settle, type FakePlatformOptions } from './helpers/fake-platform.js';
import { tempDb } from './helpers/console-process.js';

function setup(o: Partial<FakePlatformOptions> = {}, s: Partial<SenderOptions> = {}, db: DB = openDatabase(':memory:'), clock = new FakeClock()) {
  const outbox = new Outbox(db, clock, ['xoxb-secret-token']);
  const adapter = new FakePlatform({ platform: 'fake', clock, maxMessageLength: 100, ...o });
  outbox.setMaxMessageLength('fake', adapter.capabilities.maxMessageLength);
  const sender = new OutboxSender(adapter, outbox, clock, silentLogger, { maxAttempts: 20, baseBackoffMs: 1000, random: seeded(7), ...s });
  sender.start();
  const put = (chatId: string, text: string, key?: string) => {
    const id = outbox.enqueue({ platform: 'fake', chatId }, { text }, { idemKey: key, origin: 'test' });
    outbox.notify();
    return id;
  };
  const rows = () => db.prepare('SELECT dest, body, idem_key, status FROM outbox ORDER BY id').all() as { dest: string; body: string; idem_key: string | null; status: string }[];
  return { clock, db, outbox, adapter, sender, put, rows };
}

const para = (n: number, len = 40) => `P${n} ` + 'word '.repeat(Math.ceil(len / 5)).slice(0, len - 4).trim();

describe('outbox: long messages', () => {
  it("splits text over the platform's limit into ordered parts, one row each, with per-part keys", async () => {
    const t = setup();
    const text = [para(1, 60), para(2, 60), para(3, 60)].join('\n\n');
    t.put('a', text, 'minutes:1:fake:a');
    await settle();
    expect(t.rows().map((r) => r.idem_key)).toEqual(['minutes:1:fake:a', 'minutes:1:fake:a#2', 'minutes:1:fake:a#3']);
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual([para(1, 60), para(2, 60), para(3, 60)]);
    // The same key again writes nothing, however the text would split.
    expect(t.put('a', text + '\n\nmore', 'minutes:1:fake:a')).toBeNull();
    expect(t.rows()).toHaveLength(3);
  });

  it('does not split messages that show a poll or are edited in place, and leaves short ones alone', () => {
    const t = setup();
    const long = 'x '.repeat(80);
    t.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: long, editKey: 'poll:1' });
    t.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'short' });
    t.outbox.enqueue({ platform: 'elsewhere', chatId: 'a' }, { text: long }); // no adapter told us its limit
    expect(t.rows()).toHaveLength(3);
  });

  it('redacts a secret even where a part boundary would have cut it', () => {
    const t = setup({ maxMessageLength: 20 });
    t.put('a', 'token is xoxb-secret-token ok '.repeat(3));
    const bodies = t.rows().map((r) => JSON.parse(r.body).text as string);
    expect(bodies.length).toBeGreaterThan(1);
    expect(bodies.join(' ')).not.toMatch(/xoxb|secret/);
  });
});

describe('outbox sender: limits', () => {
  it('never goes over the platform limits, and waits as long as a rate-limit answer says', async () => {
    for (const name of ['slack', 'discord', 'whatsapp'] as const) {
      const clock = new FakeClock();
      const t = setup({ ...PLATFORMS[name], clock, latencyMs: 30, rateLimitRate: 0.2, retryAfterMs: 700, random: seeded(3) }, {}, undefined, clock);
      for (let i = 0; i < 6; i++) for (let c = 0; c < 12; c++) t.put(`c${c}`, `m${i}`);
      expect(await runClock(clock, () => t.adapter.accepted.length === 72)).toBe(true);
      expect(t.adapter.stats.overLimit).toBe(0); // our own pacing kept within the limits
      expect(t.adapter.stats.rateLimited).toBeGreaterThan(0);
      for (const texts of t.adapter.byChat().values()) expect(texts).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
    }
  });

  it('adds jitter on top of the interval, so gaps are never shorter than the limit', async () => {
    const clock = new FakeClock();
    const t = setup({ clock, limits: { global: { count: 1, intervalMs: 4000 } }, jitterMs: 1000 }, { random: seeded(11) }, undefined, clock);
    for (let c = 0; c < 20; c++) t.put(`c${c}`, 'hello');
    await runClock(clock, () => t.adapter.accepted.length === 20);
    const gaps = t.adapter.accepted.slice(1).map((a, i) => a.at - t.adapter.accepted[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(4000);
    expect(Math.max(...gaps)).toBeLessThan(5000);
    expect(new Set(gaps).size).toBeGreaterThan(10); // not machine-regular
  });

  it('pauses every chat on a platform-wide rate-limit answer', async () => {
    const clock = new FakeClock();
    const t = setup({ clock }, {}, undefined, clock);
    let once = true;
    t.adapter.fail = () => (once ? ((once = false), new RateLimitedError(3000, 'global', 'platform')) : undefined);
    t.put('a', 'first');
    await settle();
    t.put('b', 'second');
    await settle();
    clock.advance(2999);
    await settle();
    expect(t.adapter.sent).toHaveLength(0);
    clock.advance(1);
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text).sort()).toEqual(['first', 'second']);
  });
});

describe('outbox sender: at most once', () => {
  it('does not retry a slow send; a late success is recorded, and other chats go on meanwhile', async () => {
    const clock = new FakeClock();
    const t = setup({ clock, latencyMs: (to) => (to.chatId === 'slow' ? 120_000 : 10) }, { slowMs: 30_000, concurrency: 1 }, undefined, clock);
    t.put('slow', 'one');
    t.put('slow', 'two');
    for (let c = 0; c < 5; c++) t.put(`fast${c}`, 'hi');
    // With one slot, the fast chats only go once the slow send has freed it.
    await runClock(clock, () => t.adapter.accepted.length === 6, 60_000);
    expect(t.adapter.accepted.map((a) => a.chat)).toEqual(['slow', 'fast0', 'fast1', 'fast2', 'fast3', 'fast4']);
    expect(t.adapter.stats.calls).toBe(6); // 'slow' was not tried again while its send was out
    await runClock(clock, () => t.rows().every((r) => r.status === 'sent'));
    expect(t.adapter.byChat().get('slow')).toEqual(['one', 'two']);
  });

  it('records a success that comes back after stop(), and a second sender on the same database never repeats it', async () => {
    const clock = new FakeClock();
    const file = tempDb();
    const a = setup({ clock, latencyMs: 5000 }, { stopWaitMs: 50 }, openDatabase(file), clock);
    for (let c = 0; c < 10; c++) a.put(`c${c}`, 'minutes');
    await settle();
    expect(a.adapter.accepted).toHaveLength(8); // eight in flight, answers due in 5 s
    const stopping = a.sender.stop(); // the bot restarts before the platform has answered
    // A new bot on the same file, talking to the same platform.
    const db2 = openDatabase(file);
    const outbox2 = new Outbox(db2, clock);
    const b = new OutboxSender(a.adapter, outbox2, clock, silentLogger, { maxAttempts: 5, random: seeded(1) });
    b.start();
    await settle();
    await stopping;
    await runClock(clock, () => (db2.prepare(`SELECT COUNT(*) AS n FROM outbox`).get() as { n: number }).n === 0); // all recorded
    expect([...a.adapter.byChat().values()]).toEqual(Array.from({ length: 10 }, () => ['minutes']));
    b.stop();
  });

  it('never sends a message twice while its delivery cannot be recorded (the database is locked for minutes)', async () => {
    const clock = new FakeClock();
    const file = tempDb();
    const db = openDatabase(file);
    db.pragma('busy_timeout = 0'); // fail at once instead of waiting 5 s a try
    const t = setup({ clock }, {}, db, clock);
    // Another program holds the write lock (a backup, an open sqlite3 shell): reads go on, writes fail.
    const other = openDatabase(file);
    t.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'once' });
    other.exec('BEGIN IMMEDIATE');
    t.outbox.notify();
    await settle();
    expect(t.adapter.accepted).toHaveLength(1);
    await runClock(clock, () => false, 10 * 60_000);
    other.exec('COMMIT');
    await runClock(clock, () => t.rows().length === 0, 60_000); // recorded at last, so deleted
    expect(t.adapter.stats.calls).toBe(1);
    t.sender.stop();
    other.close();
  });

  it('gives every attempt at one message the same deliveryId', async () => {
    const clock = new FakeClock();
    const t = setup({ clock }, {}, undefined, clock);
    const ids: (string | undefined)[] = [];
    let fails = 2;
    t.adapter.fail = (_to, m) => (ids.push(m.deliveryId), fails-- > 0 ? new Error('timeout') : undefined);
    t.put('a', 'x');
    t.put('a', 'y');
    await runClock(clock, () => t.adapter.sent.length === 2);
    expect(ids).toHaveLength(4);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);
    expect(ids[3]).not.toBe(ids[0]);
  });

  it('never gives two messages the same deliveryId, though a deleted reply\'s row id comes round again', async () => {
    const clock = new FakeClock();
    const t = setup({ clock }, {}, undefined, clock);
    const seen: (string | undefined)[] = [];
    t.adapter.fail = (_to, m) => (seen.push(m.deliveryId), undefined);
    const first = t.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'same words' });
    t.outbox.notify();
    await runClock(clock, () => t.rows().length === 0); // delivered and deleted
    clock.advance(1);
    const second = t.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'same words' });
    t.outbox.notify();
    await runClock(clock, () => t.rows().length === 0);
    expect(second).toBe(first); // SQLite hands out the freed id again
    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]); // so Discord's nonce does not drop the second
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/outbox/rate-limiter.js';
import { createHarness, RecordingAdapter, type Harness } from '../helpers/harness.js';

const DAY = 86_400_000;
let h: Harness;
afterEach(() => h?.close());

const count = (t: string) => (h.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;


describe('retention (COLLABOT_RETENTION)', () => {
  it('prunes delivered messages, event ids and message references after 90 days by default, keeping newer ones and undelivered ones', async () => {
    // An editable (live-count) platform, so the poll leaves a message reference behind.
    h = await createHarness({
      adapterFor: (p, timeline) => new RecordingAdapter(p, { buttons: false, nativePolls: false, threads: false, edit: true, maxMessageLength: 4000, markdown: 'plain' }, timeline),
    });
    await h.script(':as ana\n/collab create Forum\n/poll "Which day?" "Tuesday" "Thursday"\n/vote 1 1');
    expect(count('message_refs')).toBe(1);
    await h.advance(60 * DAY);
    await h.say('/collabs', { as: 'ben' });
    // A message that failed for good is kept as long, counted from when it was written.
    const failed = h.db.prepare(`INSERT INTO outbox (platform, dest, body, status, next_at, created_at) VALUES ('gone', 'c:x', ?, 'failed', 0, ?)`);
    failed.run('{"text":"too old"}', h.clock.now() - 91 * DAY);
    failed.run('{"text":"kept"}', h.clock.now());
    expect(h.services.pruning.prune()).toEqual({ events: 0, outbox: 1, refs: 0, failures: 0, jobs: expect.any(Number) });
    await h.advance(31 * DAY);
    // The daily job ran: the first day's rows are over 90 days old, the later ones are not.
    expect(count('inbound_events')).toBe(1);
    expect(count('message_refs')).toBe(0);
    expect(h.db.prepare(`SELECT status, body FROM outbox ORDER BY id`).all()).toEqual([{ status: 'failed', body: '{"text":"kept"}' }]);
  });

  it('follows COLLABOT_RETENTION', async () => {
    h = await createHarness({ env: { COLLABOT_RETENTION: '7d' } });
    await h.say('/collabs', { as: 'ana' });
    await h.advance(6 * DAY);
    expect(count('inbound_events')).toBe(1);
    await h.advance(2 * DAY);
    expect(count('inbound_events')).toBe(0);
    expect(count('outbox')).toBe(0);
  });

  it("rejects a retention that isn't a duration, naming the setting", async () => {
    await expect(createHarness({ env: { COLLABOT_RETENTION: 'three months' } })).rejects.toThrow(/COLLABOT_RETENTION: must be a duration such as 30s, 15m, 6h or 2d/);
  });
});

describe("the rate limiter's per-chat memory", () => {
  it('forgets chats that have been quiet for a whole window, so it follows recent chats, not every chat ever', () => {
    const limiter = new RateLimiter({ perChat: { count: 1, intervalMs: 1000 } });
    let now = 0;
    for (let i = 0; i < 5000; i++) {
      now += 10;
      const dest = `c:${i}`;
      expect(limiter.waitMs(dest, now)).toBe(0);
      limiter.record(dest, now);
    }
    // 5000 chats over 50 s; at most the last minute's worth are remembered.
    expect(limiter.trackedChats()).toBeLessThanOrEqual(60_000 / 10 + 1);
    now += 120_000;
    limiter.waitMs('c:new', now);
    expect(limiter.trackedChats()).toBe(1);
  });

  it('never forgets a chat still inside its window: the limit holds across a sweep', () => {
    const limiter = new RateLimiter({ perChat: { count: 1, intervalMs: 90_000 } });
    limiter.record('c:a', 0);
    limiter.waitMs('c:a', 0);
    limiter.record('c:a', 0);
    // A sweep is due after 90 s; at 89 s the chat's one send is still in its window.
    expect(limiter.waitMs('c:b', 89_000)).toBe(0);
    expect(limiter.waitMs('c:a', 89_000)).toBe(1000);
  });
});

// A platform outage: every send fails for a while, then the platform comes
// back flaky (some sends fail, some are rate-limited) before it recovers.
// Everything is delivered exactly once, in order per chat.
import { describe, expect, it } from 'vitest';
import { RateLimitedError } from '../../src/model.js';
import { createHarness } from '../helpers/harness.js';
import { size } from './size.js';
import { settle as settleTurns } from '../helpers/settle.js';

const settle = () => settleTurns(20);

describe('platform outage', () => {
  it('delivers everything once, in order per chat, after the platform comes back', async () => {
    const h = await createHarness({ env: { COLLABOT_OUTBOX_MAX_ATTEMPTS: '50' }, sender: { baseBackoffMs: 1000, maxBackoffMs: 60_000 } });
    const adapter = h.adapter();
    let state: 'down' | 'flaky' | 'up' = 'down';
    let failedSends = 0;
    let tries = 0;
    adapter.fail = () => {
      tries++;
      if (state === 'down' || (state === 'flaky' && tries % 3 === 0)) return (failedSends++, new Error('503 Service Unavailable'));
      if (state === 'flaky' && tries % 5 === 0) return new RateLimitedError(2000, '429 Too Many Requests');
      return undefined;
    };
    const chats = size(5, 20);
    const perChat = size(6, 25);
    let n = 0;
    for (let i = 0; i < perChat; i++) {
      for (let c = 0; c < chats; c++) {
        // /help <i> gives a different, recognisable answer per message.
        h.bot.process({
          kind: 'message',
          platform: 'console',
          eventId: `o${++n}`,
          chat: { id: `chat${c}`, name: `chat${c}`, isDirect: false },
          author: { id: 'ana', displayName: 'ana', isBot: false },
          text: `/help msg${i}`,
          time: new Date(),
        });
      }
      await settle();
      h.clock.advance(1000);
    }
    // Ten minutes of outage with backoff retries.
    for (let t = 0; t < 600; t += 5) {
      h.clock.advance(5000);
      await settle();
    }
    expect(adapter.sent).toHaveLength(0);
    expect(failedSends).toBeGreaterThan(chats);
    // Back, but flaky for a while: a third of the sends fail and some are rate-limited.
    state = 'flaky';
    for (let t = 0; t < 60; t++) {
      h.clock.advance(2000);
      await settle();
    }
    expect(adapter.sent.length).toBeGreaterThan(0);
    state = 'up';
    for (let t = 0; t < 60 && adapter.sent.length < chats * perChat; t++) {
      h.clock.advance(10_000);
      await settle();
    }
    expect(adapter.sent).toHaveLength(chats * perChat);
    for (let c = 0; c < chats; c++) {
      const order = adapter.sent.filter((s) => s.to.chatId === `chat${c}`).map((s) => /no \/(msg\d+)/.exec(s.message.text)![1]);
      expect(order).toEqual(Array.from({ length: perChat }, (_, i) => `msg${i}`));
    }
    expect(h.db.prepare(`SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`).all()).toEqual([]); // all delivered (and deleted)
    await h.close();
  });
});

// Rate limits with jitter (WhatsApp): the random extra delay must add to the
// minimum gap between sends, never eat into it.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { Outbox } from '../src/outbox/outbox.js';
import { OutboxSender } from '../src/outbox/sender.js';
import { openDatabase } from '../src/storage/db.js';
import { RecordingAdapter } from './helpers/harness.js';
import { settle as settleTurns } from './helpers/settle.js';

const settle = () => settleTurns(3);

describe('outbox sender with jitter', () => {
  it('keeps at least the per-chat and global gaps between real send times', async () => {
    const clock = new FakeClock();
    const outbox = new Outbox(openDatabase(':memory:'), clock);
    const adapter = new RecordingAdapter('fake', {
      buttons: false,
      nativePolls: false,
      threads: false,
      edit: false,
      maxMessageLength: 1000,
      markdown: 'whatsapp',
      rate: { perChat: { count: 1, intervalMs: 4000 }, global: { count: 1, intervalMs: 2000 }, jitterMs: 2000 },
    });
    const sentAt: { chat: string; at: number }[] = [];
    adapter.fail = (to) => void sentAt.push({ chat: to.chatId!, at: clock.now() });
    // Long jitter then none, alternately: the worst case for the gap.
    let n = 0;
    const sender = new OutboxSender(adapter, outbox, clock, silentLogger, { maxAttempts: 3, random: () => (n++ % 2 ? 0 : 0.99) });
    sender.start();
    for (let i = 0; i < 4; i++) {
      outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: `a${i}` });
      outbox.enqueue({ platform: 'fake', chatId: 'b' }, { text: `b${i}` });
    }
    outbox.notify();
    // Small steps, so each send happens at the time it was due (times are multiples of 20 ms).
    for (let t = 0; t < 1500 && sentAt.length < 8; t++) {
      await settle();
      clock.advance(20);
    }
    await settle();
    expect(sentAt).toHaveLength(8);
    const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
    for (const chat of ['a', 'b']) {
      for (const gap of gaps(sentAt.filter((s) => s.chat === chat).map((s) => s.at))) expect(gap).toBeGreaterThanOrEqual(4000);
    }
    for (const gap of gaps(sentAt.map((s) => s.at))) expect(gap).toBeGreaterThanOrEqual(2000);
    sender.stop();
  });
});

import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { PermanentSendError, RateLimitedError, type Capabilities } from '../src/model.js';
import { Outbox } from '../src/outbox/outbox.js';
import { OutboxSender } from '../src/outbox/sender.js';
import { openDatabase } from '../src/storage/db.js';
import { RecordingAdapter } from './helpers/harness.js';
import { settle as settleTurns } from './helpers/settle.js';

const settle = () => settleTurns(10);

function setup(caps: Partial<Capabilities> = {}, maxAttempts = 4) {
  const clock = new FakeClock();
  const db = openDatabase(':memory:');
  const outbox = new Outbox(db, clock);
  const adapter = new RecordingAdapter('fake', { buttons: false, nativePolls: false, threads: false, edit: false, maxMessageLength: 1000, markdown: 'plain', ...caps });
  const sender = new OutboxSender(adapter, outbox, clock, silentLogger, { maxAttempts, baseBackoffMs: 1000, random: () => 0.5 });
  sender.start();
  const put = (chatId: string, text: string, key?: string) => {
    const id = outbox.enqueue({ platform: 'fake', chatId }, { text }, { idemKey: key, origin: 'test' });
    outbox.notify();
    return id;
  };
  const status = () => db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status').all();
  return { clock, db, outbox, adapter, sender, put, status };
}

describe('outbox sender', () => {
  it('delivers in order per chat', async () => {
    const t = setup();
    for (let i = 1; i <= 5; i++) t.put('a', `a${i}`), t.put('b', `b${i}`);
    await settle();
    const a = t.adapter.sent.filter((s) => s.to.chatId === 'a').map((s) => s.message.text);
    expect(a).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(t.status()).toEqual([{ status: 'sent', n: 10 }]); // kept: each has an origin
  });

  it('writes a message only once per idempotency key', async () => {
    const t = setup();
    expect(t.put('a', 'hello', 'k1')).not.toBeNull();
    expect(t.put('a', 'hello again', 'k1')).toBeNull();
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['hello']);
  });

  it('retries failures with growing backoff, keeping later messages of that chat waiting', async () => {
    const t = setup();
    let failures = 2;
    t.adapter.fail = () => (failures-- > 0 ? new Error('network down') : undefined);
    t.put('a', 'first');
    t.put('a', 'second');
    await settle();
    expect(t.adapter.sent).toHaveLength(0);
    t.clock.advance(999); // first retry after 1 s
    await settle();
    expect(t.adapter.sent).toHaveLength(0);
    t.clock.advance(1);
    await settle();
    expect(t.adapter.sent).toHaveLength(0); // failed again; next retry after 2 s
    t.clock.advance(2000);
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['first', 'second']);
  });

  it('gives up after the last attempt and tells the failure hooks', async () => {
    const t = setup({}, 3);
    const failed: string[] = [];
    t.outbox.onFailure((row, to) => failed.push(`${row.origin} ${to.chatId} ${row.last_error ?? ''}`));
    t.adapter.fail = () => new Error('still down');
    t.put('a', 'doomed');
    await settle();
    t.clock.advance(1000);
    await settle();
    t.clock.advance(2000);
    await settle();
    expect(failed).toEqual(['test a still down']);
    expect(t.status()).toEqual([{ status: 'failed', n: 1 }]);
  });

  it('fails at once on a permanent error', async () => {
    const t = setup();
    t.adapter.fail = () => new PermanentSendError('channel_not_found');
    t.put('a', 'x');
    await settle();
    expect(t.status()).toEqual([{ status: 'failed', n: 1 }]);
  });

  it('waits as long as the platform says on a rate-limit answer, without using up attempts', async () => {
    const t = setup({}, 2);
    let limited = 3;
    t.adapter.fail = () => (limited-- > 0 ? new RateLimitedError(5000) : undefined);
    t.put('a', 'x');
    for (let i = 0; i < 3; i++) {
      await settle();
      t.clock.advance(5000);
    }
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['x']);
  });

  it("keeps within the platform's per-chat rate", async () => {
    const t = setup({ rate: { perChat: { count: 1, intervalMs: 1000 } } });
    t.put('a', '1');
    t.put('a', '2');
    t.put('a', '3');
    t.put('b', 'other chat');
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['1', 'other chat']);
    t.clock.advance(1000);
    await settle();
    expect(t.adapter.sent).toHaveLength(3);
    t.clock.advance(1000);
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['1', 'other chat', '2', '3']);
  });

  it('edits in place where it can, and drops update-only messages where it cannot', async () => {
    const editing = setup({ edit: true });
    editing.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'poll v1', editKey: 'poll:1' });
    editing.outbox.notify();
    await settle();
    editing.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'poll v2', editKey: 'poll:1', updateOnly: true });
    editing.outbox.notify();
    await settle();
    expect(editing.adapter.sent.map((s) => [s.message.text, !!s.edited])).toEqual([
      ['poll v1', false],
      ['poll v2', true],
    ]);

    const plain = setup({ edit: false });
    plain.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'poll v1', editKey: 'poll:1' });
    plain.outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'poll v2', editKey: 'poll:1', updateOnly: true });
    plain.outbox.notify();
    await settle();
    expect(plain.adapter.sent.map((s) => s.message.text)).toEqual(['poll v1']);
    expect(plain.status()).toEqual([]);
  });

  it('sends only the newest of several live counts waiting for one message, and spends no send on a dropped one', async () => {
    const slow = { rate: { perChat: { count: 1, intervalMs: 4000 } } };
    const editing = setup({ edit: true, ...slow });
    const to = { platform: 'fake', chatId: 'a' };
    editing.outbox.enqueue(to, { text: 'poll v1', editKey: 'poll:1' });
    // A burst of votes while the chat's next send must wait.
    for (const v of [2, 3, 4]) editing.outbox.enqueue(to, { text: `poll v${v}`, editKey: 'poll:1', updateOnly: true });
    editing.outbox.enqueue(to, { text: 'poll 2', editKey: 'poll:2' });
    editing.outbox.enqueue(to, { text: 'poll 2 v2', editKey: 'poll:2', updateOnly: true });
    editing.outbox.notify();
    for (let i = 0; i < 4; i++) {
      await settle();
      editing.clock.advance(4000);
    }
    await settle();
    expect(editing.adapter.sent.map((s) => [s.message.text, !!s.edited])).toEqual([
      ['poll v1', false],
      ['poll v4', true],
      ['poll 2', false],
      ['poll 2 v2', true],
    ]);
    expect(editing.status()).toEqual([]);

    // Where nothing can be edited, live counts cost the chat nothing: the next message goes at once.
    const plain = setup({ edit: false, ...slow });
    plain.outbox.enqueue(to, { text: 'poll v1', editKey: 'poll:1' });
    plain.outbox.notify();
    await settle();
    plain.clock.advance(4000);
    for (const v of [2, 3]) plain.outbox.enqueue(to, { text: `poll v${v}`, editKey: 'poll:1', updateOnly: true });
    plain.outbox.enqueue(to, { text: 'results' });
    plain.outbox.notify();
    await settle();
    expect(plain.adapter.sent.map((s) => s.message.text)).toEqual(['poll v1', 'results']);
  });

  it('paces a confirmation (ack) only by the overall limit: it is shown privately or dropped, not posted in the chat', async () => {
    const t = setup({ rate: { perChat: { count: 1, intervalMs: 4000 }, global: { count: 3, intervalMs: 1000 } } });
    const to = { platform: 'fake', chatId: 'a' };
    t.put('a', 'poll');
    for (const n of [1, 2, 3]) t.outbox.enqueue(to, { text: `thanks ${n}`, ack: true, replyTo: `click-${n}` });
    t.put('a', 'results');
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['poll', 'thanks 1', 'thanks 2']); // 3 a second overall
    t.clock.advance(1000);
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['poll', 'thanks 1', 'thanks 2', 'thanks 3']);
    t.clock.advance(3000); // the chat's next message keeps the chat's limit
    await settle();
    expect(t.adapter.sent.at(-1)!.message.text).toBe('results');
  });

  it('picks up where it left off after a restart', async () => {
    const t = setup();
    t.sender.stop();
    t.put('a', 'queued while down');
    const again = new OutboxSender(t.adapter, t.outbox, t.clock, silentLogger, { maxAttempts: 3 });
    again.start();
    await settle();
    expect(t.adapter.sent.map((s) => s.message.text)).toEqual(['queued while down']);
  });
});

// outbox_backlog_50k: time for one sender to drain 50,000 queued messages (500
// chats) over a fake platform with no limits and instant answers, on a file
// database with the production pragmas; baseline: draining a tenth as many the
// same way, measured interleaved with it. Linear work gives a ratio near 10;
// the goal is <= 12. (The old queue query read every pending row on each round,
// so a backlog took time that grew with the square of its size.)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import type { Adapter, Capabilities, SentRef } from '../../src/model.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { OutboxSender } from '../../src/outbox/sender.js';
import { openDatabase } from '../../src/storage/db.js';
import { median, nowMs, result, type Bench } from './lib.js';

const CHATS = 500;

/** A platform that takes every message at once. */
class Sink implements Adapter {
  readonly platform = 'sink';
  readonly capabilities: Capabilities = { buttons: false, nativePolls: false, threads: false, edit: false, maxMessageLength: 100_000, markdown: 'plain' };
  sent = 0;
  async start() {}
  async stop() {}
  async send(): Promise<SentRef> {
    return { messageId: String(++this.sent) };
  }
}

/** Milliseconds to drain `n` queued messages. */
async function drain(dir: string, n: number, tag: string): Promise<number> {
  const db = openDatabase(join(dir, `backlog-${tag}.sqlite`));
  const outbox = new Outbox(db, systemClock);
  db.transaction(() => {
    for (let i = 0; i < n; i++) outbox.enqueue({ platform: 'sink', chatId: `chat${i % CHATS}` }, { text: `Reminder ${i}: the food bank rota for next week is up.` });
  })();
  const sink = new Sink();
  const sender = new OutboxSender(sink, outbox, systemClock, silentLogger, { maxAttempts: 3 });
  const t0 = nowMs();
  sender.start();
  await sender.idle();
  const ms = nowMs() - t0;
  await sender.stop();
  db.close();
  if (sink.sent !== n) throw new Error(`sent ${sink.sent} of ${n}`);
  return ms;
}

export const backlog: Bench = async ({ quick }) => {
  const big = process.env.BIG ? Number(process.env.BIG) : quick ? 20_000 : 50_000;
  const small = big / 10;
  const rounds = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'bench-backlog-'));
  const smalls: number[] = [];
  const bigs: number[] = [];
  for (let i = 0; i < rounds; i++) {
    smalls.push(await drain(dir, small, `s${i}`));
    bigs.push(await drain(dir, big, `b${i}`));
  }
  const ratios = bigs.map((b, i) => b / smalls[i]!);
  const ratio = median(ratios);
  return [
    result({
      bench: `outbox_backlog_${big / 1000}k`,
      value: median(bigs),
      unit: 'ms',
      baseline: median(smalls),
      ratio,
      goal: 'ratio <= 12 (linear: 10x the messages in at most 12x the time)',
      met: ratio <= 12,
      limits:
        "each send reads its chat's queue head (outbox_queues), not the queue, and deliveries are recorded in groups, so a message costs about the same with 500 or 50,000 waiting; " +
        'what grows is SQLite looking rows up in a larger table',
      note: `${big} messages queued over ${CHATS} chats, drained by one sender to a platform with no limits; baseline: ${small} messages the same way; ${rounds} interleaved pairs, ratio of the medians' pairs: ${ratios.map((r) => r.toFixed(1)).join(', ')}; ${Math.round(big / (median(bigs) / 1000))} messages/s`,
    }),
  ];
};

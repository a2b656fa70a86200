// One poll voted on through the core alone (tokenize, validate, permission check,
// service, SQLite commit, outbox rows) on a file database, with its baseline:
// single-row INSERT transactions on the same disk and settings. vote_core_throughput
// (votes.ts) and vote_throughput_anonymous (votes-anonymous.ts) both run it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import type { InboundEvent } from '../../src/model.js';
import { openDatabase } from '../../src/storage/db.js';
import { nowMs } from './lib.js';

export interface CoreVotes {
  baselinePerSec: number;
  votesPerSec: number;
  /** Each vote's time in ms, in voting order. */
  latencies: number[];
  /** Rows in the outbox once everyone has voted. */
  outboxRows: number;
  /** The rate over the first and the last fifth of the votes (the poll grows as they come in). */
  fifth: number;
  early: number;
  late: number;
}

export function runCoreVotes(opts: { n: number; poll: string; vote: (i: number) => string }): CoreVotes {
  const { n } = opts;
  const dir = mkdtempSync(join(tmpdir(), 'bench-votes-'));
  try {
    // Baseline: the cheapest durable write this database can do, same settings.
    const bdb = openDatabase(join(dir, 'baseline.sqlite'));
    bdb.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, voter TEXT NOT NULL, choice INTEGER NOT NULL)');
    const ins = bdb.prepare('INSERT INTO t (voter, choice) VALUES (?, ?)');
    const one = bdb.transaction((i: number) => ins.run(`v${i}`, i % 2));
    let t0 = nowMs();
    for (let i = 0; i < n; i++) one(i);
    const baselinePerSec = n / ((nowMs() - t0) / 1000);
    bdb.close();

    // The whole core, as an adapter would drive it.
    const db = openDatabase(join(dir, 'bot.sqlite'));
    const bot = new Bot({ db, config: loadConfig({ COLLABOT_ADMINS: 'bench:admin' }), clock: systemClock, log: silentLogger, commands: allCommands });
    let seq = 0;
    const event = (author: string, text: string): InboundEvent => ({
      kind: 'message',
      platform: 'bench',
      eventId: `b${++seq}`,
      messageId: `b${seq}`,
      chat: { id: 'forum', name: 'forum', isDirect: false },
      author: { id: author, displayName: author, isBot: false },
      text,
      time: new Date(),
    });
    bot.process(event('admin', '/collab create Bench Forum'));
    bot.process(event('admin', opts.poll));
    const latencies: number[] = [];
    t0 = nowMs();
    for (let i = 0; i < n; i++) {
      const s = nowMs();
      const outcome = bot.process(event(`voter${i}`, opts.vote(i)));
      latencies.push(nowMs() - s);
      if (outcome !== 'handled') throw new Error(`vote ${i} was ${outcome}`);
    }
    const votesPerSec = n / ((nowMs() - t0) / 1000);
    const outboxRows = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    db.close();
    const fifth = Math.floor(n / 5);
    const rate = (xs: number[]) => xs.length / (xs.reduce((a, b) => a + b, 0) / 1000);
    return { baselinePerSec, votesPerSec, latencies, outboxRows, fifth, early: rate(latencies.slice(0, fifth)), late: rate(latencies.slice(-fifth)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

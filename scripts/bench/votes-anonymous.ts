// vote_throughput_anonymous: anonymous votes per second through the whole core,
// as vote_throughput measures named ones. Each anonymous vote rewrites its poll's
// shuffled ballots list (so its cost grows with the poll), and after commit
// truncates the WAL (a checkpoint: the main file is synced too). Baseline:
// single-row INSERT transactions per second on the same disk and settings.
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
import { nowMs, result, type Bench } from './lib.js';

export const votesAnonymous: Bench = async ({ quick }) => {
  const n = quick ? 1_000 : 5_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-anon-'));

  const bdb = openDatabase(join(dir, 'baseline.sqlite'));
  bdb.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, voter TEXT NOT NULL, choice INTEGER NOT NULL)');
  const ins = bdb.prepare('INSERT INTO t (voter, choice) VALUES (?, ?)');
  const one = bdb.transaction((i: number) => ins.run(`v${i}`, i % 2));
  let t0 = nowMs();
  for (let i = 0; i < n; i++) one(i);
  const baselinePerSec = n / ((nowMs() - t0) / 1000);
  bdb.close();

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
  bot.process(event('admin', '/poll "Who represents us?" "Asha" "Bo" "Chen" --type ranked --anonymous'));
  const latencies: number[] = [];
  t0 = nowMs();
  for (let i = 0; i < n; i++) {
    const s = nowMs();
    const outcome = bot.process(event(`voter${i}`, `/vote 1 ${1 + (i % 3)} ${1 + ((i + 1) % 3)}`));
    latencies.push(nowMs() - s);
    if (outcome !== 'handled') throw new Error(`anonymous vote ${i} was ${outcome}`);
  }
  const votesPerSec = n / ((nowMs() - t0) / 1000);
  db.close();
  rmSync(dir, { recursive: true, force: true });
  const fifth = Math.floor(n / 5);
  const rate = (xs: number[]) => xs.length / (xs.reduce((a, b) => a + b, 0) / 1000);
  const early = rate(latencies.slice(0, fifth));
  const late = rate(latencies.slice(-fifth));
  return [
    result({
      bench: 'vote_throughput_anonymous',
      value: votesPerSec,
      unit: 'votes/s',
      baseline: baselinePerSec,
      note:
        `${n} voters in one anonymous ranked poll; first ${fifth}: ${Math.round(early)} votes/s (ratio ${(early / baselinePerSec).toFixed(2)}), ` +
        `last ${fifth}: ${Math.round(late)} votes/s (ratio ${(late / baselinePerSec).toFixed(2)}); each vote rewrites the poll's shuffled ballots list ` +
        'and truncates the WAL after commit; baseline: single-row INSERT transactions/s, same disk, WAL, synchronous=FULL',
    }),
  ];
};

// vote_core_throughput: votes per second through the core alone (tokenize, validate,
// permission check, service, SQLite commit, outbox row) on a file database in
// WAL mode; baseline: single-row INSERT transactions per second with
// better-sqlite3 on the same disk and settings. Also command_latency p50/p99.
// No adapter and no sender: vote_throughput (path.ts) measures the whole path.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import type { InboundEvent } from '../../src/model.js';
import { openDatabase } from '../../src/storage/db.js';
import { nowMs, percentile, result, type Bench } from './lib.js';

export const votes: Bench = async ({ quick }) => {
  const n = quick ? 2_000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-votes-'));

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
  bot.process(event('admin', '/poll "Which day?" "Tuesday" "Thursday"'));
  const latencies: number[] = [];
  t0 = nowMs();
  for (let i = 0; i < n; i++) {
    const s = nowMs();
    const outcome = bot.process(event(`voter${i}`, `/vote 1 ${1 + (i % 2)}`));
    latencies.push(nowMs() - s);
    if (outcome !== 'handled') throw new Error(`vote ${i} was ${outcome}`);
  }
  const votesPerSec = n / ((nowMs() - t0) / 1000);
  const ballots = db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number };
  db.close();
  // The poll grows as votes come in: the rate over the first and the last fifth of them.
  const fifth = Math.floor(n / 5);
  const rate = (xs: number[]) => xs.length / (xs.reduce((a, b) => a + b, 0) / 1000);
  const early = rate(latencies.slice(0, fifth));
  const late = rate(latencies.slice(-fifth));
  latencies.sort((a, b) => a - b);
  return [
    result({
      bench: 'vote_core_throughput',
      value: votesPerSec,
      unit: 'votes/s',
      baseline: baselinePerSec,
      goal: 'ratio >= 0.25',
      met: votesPerSec / baselinePerSec >= 0.25,
      limits:
        'besides its ballot, each vote writes the reply and the refreshed live view to the outbox and updates the running tallies, ' +
        'all in one durable commit; a busy machine slows that more than the one-row baseline',
      note: `${n} voters in one poll; first ${fifth}: ${Math.round(early)} votes/s (ratio ${(early / baselinePerSec).toFixed(2)}), last ${fifth}: ${Math.round(late)} votes/s (ratio ${(late / baselinePerSec).toFixed(2)}); baseline: single-row INSERT transactions/s, same disk, WAL, synchronous=FULL; ${ballots.n} outbox rows (reply and refreshed view)`,
    }),
    result({ bench: 'command_latency_p50', value: percentile(latencies, 50), unit: 'ms', note: '/vote through the whole core, same run' }),
    result({ bench: 'command_latency_p99', value: percentile(latencies, 99), unit: 'ms', note: '/vote through the whole core, same run' }),
  ];
};

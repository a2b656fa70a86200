// vote_throughput: /vote lines through the whole real path, as `npm start`
// runs it with piped input: the console adapter reads each line, the core
// commits the vote and its reply to the outbox, the sender delivers the reply
// through the console adapter and records the delivery. A file database with
// the production pragmas (WAL, synchronous=FULL). The baseline, single-row
// INSERT transactions on the same disk and settings, is measured interleaved
// with it (baseline, ours, baseline, ours...), since these disks vary several
// times over between runs; the figure is the median of the pairs' ratios.
// Also db_bytes_per_vote: how much the database file grows per 100,000 votes.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { ConsoleAdapter } from '../../adapters/console/index.js';
import { allCommands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/storage/db.js';
import { median, nowMs, result, seeded, type Bench } from './lib.js';

/** Single-row INSERT transactions per second on a fresh file database in `dir`. */
export function insertRate(dir: string, n: number, tag: string): number {
  const db = openDatabase(join(dir, `baseline-${tag}.sqlite`));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, voter TEXT NOT NULL, choice INTEGER NOT NULL)');
  const ins = db.prepare('INSERT INTO t (voter, choice) VALUES (?, ?)');
  const one = db.transaction((i: number) => ins.run(`v${i}`, i % 2));
  const t0 = nowMs();
  for (let i = 0; i < n; i++) one(i);
  const rate = n / ((nowMs() - t0) / 1000);
  db.close();
  return rate;
}

/**
 * Bytes of the database once its write-ahead log is folded in: the file, and
 * the pages in use (the file less its free pages, which SQLite fills before it
 * grows the file again).
 */
function dbBytes(db: ReturnType<typeof openDatabase>, path: string): { file: number; used: number } {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = (db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number);
  return { file: statSync(path).size, used: pages * (db.pragma('page_size', { simple: true }) as number) };
}

interface Round {
  votesPerSec: number;
  bytesPerVote: number;
  fileBytesPerVote: number;
  replies: number;
  outboxRows: number;
}

/** One bot on a fresh database: a poll, then `votes` /vote lines from `people` people, piped in. */
async function round(dir: string, tag: string, votes: number, people: number, random: () => number): Promise<Round> {
  const path = join(dir, `bot-${tag}.sqlite`);
  const db = openDatabase(path);
  const bot = new Bot({ db, config: loadConfig({ COLLABOT_ADMINS: 'console:admin' }), clock: systemClock, log: silentLogger, commands: allCommands });
  const input = new PassThrough();
  let lines = 0;
  let waitFor = 0;
  let reached: (() => void) | undefined;
  const output = new Writable({
    write(chunk, _enc, cb) {
      lines += String(chunk).split('\n').length - 1;
      if (reached && lines >= waitFor) reached();
      cb();
    },
  });
  const ended = new Promise<void>((resolve) => {
    bot.use(new ConsoleAdapter({ input, output, onEnd: () => void bot.drain(120_000).then(resolve) }));
  });
  await bot.start();
  const untilLines = (n: number) =>
    new Promise<void>((resolve) => {
      waitFor = n;
      reached = resolve;
      if (lines >= n) resolve();
    });
  // Set-up, not timed: a collab and a poll.
  input.write(':as admin\n/collab create Bench Forum\n/poll "Which day?" "Tuesday" "Thursday" "Saturday"\n');
  await untilLines(2);
  const before = dbBytes(db, path);
  const script: string[] = [];
  for (let i = 0; i < votes; i++) script.push(`:as voter${Math.floor(random() * people)}`, `/vote 1 ${1 + Math.floor(random() * 3)}`);
  const replies0 = lines;
  const t0 = nowMs();
  input.end(script.join('\n') + '\n');
  await ended;
  const ms = nowMs() - t0;
  const replies = lines - replies0;
  const outboxRows = (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
  await bot.stop();
  const after = dbBytes(db, path);
  db.close();
  if (replies < votes) throw new Error(`only ${replies} of ${votes} votes were answered`);
  return { votesPerSec: votes / (ms / 1000), bytesPerVote: (after.used - before.used) / votes, fileBytesPerVote: (after.file - before.file) / votes, replies, outboxRows };
}

export const path: Bench = async ({ quick }) => {
  const rounds = process.env.ROUNDS ? Number(process.env.ROUNDS) : quick ? 3 : 5;
  const votes = quick ? 1_000 : 2_000;
  const people = votes / 2;
  const dir = mkdtempSync(join(tmpdir(), 'bench-path-'));
  const random = seeded(20);
  const base: number[] = [];
  const ours: Round[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < rounds; i++) {
    base.push(insertRate(dir, votes, String(i)));
    ours.push(await round(dir, String(i), votes, people, random));
    ratios.push(ours[i]!.votesPerSec / base[i]!);
  }
  const ratio = median(ratios);
  const perVote = median(ours.map((r) => r.bytesPerVote));
  const mbPer100k = (perVote * 100_000) / 1e6;
  const size = `${rounds} rounds of ${votes} /vote lines from ${people} people (new votes and changed ones) piped into a fresh bot`;
  return [
    result({
      bench: 'vote_throughput',
      value: median(ours.map((r) => r.votesPerSec)),
      unit: 'votes/s',
      baseline: median(base),
      ratio,
      goal: 'ratio >= 0.5',
      met: ratio >= 0.5,
      limits:
        'lines read together share one durable commit (synchronous=FULL), up to 128 votes each in a savepoint of its own, and deliveries are recorded in groups; ' +
        'what is left is processor time: each vote is parsed, checked, counted and answered, and its reply printed. ' +
        'One vote typed alone still costs a commit of its own (vote_core_throughput)',
      note: `${size}; the whole path: console adapter in, core, outbox, sender, console adapter out, until every reply is printed and recorded; ratios per round ${ratios.map((r) => r.toFixed(2)).join(', ')} (median); baseline: single-row INSERT transactions/s, same disk, WAL, synchronous=FULL, measured between the rounds; ${ours[0]!.outboxRows} outbox rows in the first round`,
    }),
    result({
      bench: 'db_bytes_per_vote',
      value: mbPer100k,
      unit: 'MB per 100,000 votes',
      goal: '<= 30 MB',
      met: mbPer100k <= 30,
      limits:
        'a delivered reply is deleted, so its pages are used again; what stays is each vote\'s event record (for dedupe, with an index by time for pruning, both pruned after COLLABOT_RETENTION), ' +
        'its ballot, and for a new voter the person, their account and their membership',
      note: `${Math.round(perVote)} bytes per vote in pages in use, median over the same rounds, after a checkpoint, before and after the votes; the file itself grew ${Math.round(median(ours.map((r) => r.fileBytesPerVote)))} bytes per vote (its free pages are filled before it grows again)`,
    }),
  ];
};

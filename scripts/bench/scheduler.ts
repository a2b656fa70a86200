// scheduler_100k: start-up time and memory for 100,000 pending reminders, against
// one node-cron task per reminder (each side in its own child process); and the
// p99 lateness of 1,000 reminders falling due in the same second.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { openDatabase } from '../../src/storage/db.js';
import { percentile, result, type Bench } from './lib.js';

function child(args: string[]) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'scripts/bench/scheduler-child.ts', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scheduler child failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { loadMs: number; rssGrowth: number; pending: number };
}

export const scheduler: Bench = async ({ quick }) => {
  const n = quick ? 20_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-sched-'));
  const dbPath = join(dir, 's.sqlite');
  const db = openDatabase(dbPath);
  const now = Date.now();
  const insert = db.prepare(`INSERT INTO jobs (kind, key, due_at, payload, created_at) VALUES ('reminder', ?, ?, ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(`reminder:${i}`, now + 3600e3 + i * 60e3, JSON.stringify({ reminderId: i }), now);
  })();
  db.close();

  const ours = child(['collabot', String(n), dbPath]);
  const cron = child(['node-cron', String(n)]);

  // Lateness: 1,000 reminders due in the same second, on the real clock.
  const ldb = openDatabase(join(dir, 'l.sqlite'));
  const outbox = new Outbox(ldb, systemClock);
  const sched = new Scheduler(ldb, systemClock, silentLogger, outbox);
  const late: number[] = [];
  const count = 1000;
  const done = new Promise<void>((resolve) => {
    sched.register('reminder', (job) => {
      late.push(Date.now() - job.dueAt);
      outbox.enqueue({ platform: 'bench', chatId: 'c' + job.id }, { text: 'Reminder' });
      if (late.length === count) resolve();
    });
  });
  sched.start();
  const due = Date.now() + 300;
  ldb.transaction(() => {
    for (let i = 0; i < count; i++) sched.schedule('reminder', due, { i });
  })();
  const keepAlive = setInterval(() => undefined, 1000); // the scheduler's own timer does not hold the process open
  await done;
  clearInterval(keepAlive);
  sched.stop();
  ldb.close();
  late.sort((a, b) => a - b);

  return [
    result({ bench: 'scheduler_100k_load', value: ours.loadMs, unit: 'ms', baseline: cron.loadMs, note: `${n} pending; baseline: creating one node-cron task each`, goal: 'well under 1 s', met: ours.loadMs < 1000 }),
    result({
      bench: 'scheduler_100k_memory',
      value: ours.rssGrowth / 1e6,
      unit: 'MB RSS growth',
      baseline: cron.rssGrowth / 1e6,
      goal: 'ratio <= 0.1 (10x less memory)',
      met: ours.rssGrowth <= cron.rssGrowth * 0.1,
      note: `${n} pending reminders; baseline: one node-cron task per reminder`,
    }),
    result({ bench: 'scheduler_lateness_p99', value: percentile(late, 99), unit: 'ms', note: `${count} reminders due in the same second (each writes an outbox row)` }),
  ];
};

// scheduler_100k: start-up time and memory for 100,000 pending reminders, against
// one node-cron task per reminder (each side in its own child process); and the
// p99 lateness of 1,000 reminders falling due in the same second.
// reminders_*: the same, for reminders made the way users make them (/remind:
// a reminders row plus its job), with a whole Bot starting over them, the
// latency of the /remind command, and lateness through the reminder handler.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import type { InboundEvent } from '../../src/model.js';
import { readWhen } from '../../src/reminders/when.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { openDatabase } from '../../src/storage/db.js';
import { nowMs, percentile, result, type Bench } from './lib.js';

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

  const made = await remindersAsUsersMakeThem(n, join(dir, 'r.sqlite'));
  const loaded = child(['reminders', String(n), join(dir, 'r.sqlite')]);
  if (loaded.pending < n) throw new Error(`only ${loaded.pending} of ${n} reminders pending after start-up`);
  const handlerLate = await reminderLateness(join(dir, 'rl.sqlite'), 1000);

  // Start-up and memory against the same node-cron baseline.
  const load = (bench: string, ms: number, note: string) =>
    result({
      bench, value: ms, unit: 'ms', baseline: cron.loadMs, note, goal: 'well under 1 s', met: ms < 1000,
      limits: 'start-up reads only the soonest due job (an index by due time) and sets one timer; the reminders stay in the database',
    });
  const memory = (bench: string, growth: number, note: string) =>
    result({
      bench, value: growth / 1e6, unit: 'MB RSS growth', baseline: cron.rssGrowth / 1e6, goal: 'ratio <= 0.1 (10x less memory)', met: growth <= cron.rssGrowth * 0.1, note,
      limits: "what memory grows by is SQLite's page cache and the bot's own modules, not the reminders, which stay in the database",
    });

  return [
    load('scheduler_100k_load', ours.loadMs, `${n} pending; baseline: creating one node-cron task each`),
    memory('scheduler_100k_memory', ours.rssGrowth, `${n} pending reminders; baseline: one node-cron task per reminder`),
    result({ bench: 'scheduler_lateness_p99', value: percentile(late, 99), unit: 'ms', note: `${count} reminders due in the same second (each writes an outbox row)` }),
    load('reminders_100k_load', loaded.loadMs, `a whole Bot starting over ${n} reminders made with /remind's service; baseline: one node-cron task each`),
    memory('reminders_100k_memory', loaded.rssGrowth, `a whole Bot over ${n} pending reminders; baseline: one node-cron task per reminder`),
    result({ bench: 'remind_command_p50', value: made.p50, unit: 'ms', note: `/remind through the whole core on a file database (${made.sampled} commands)` }),
    result({ bench: 'remind_command_p99', value: made.p99, unit: 'ms', note: `/remind through the whole core on a file database (${made.sampled} commands)` }),
    result({ bench: 'reminders_lateness_p99', value: handlerLate, unit: 'ms', note: '1,000 reminders due in the same second, half of them repeating, through the reminder handler (outbox row, next time, bookkeeping)' }),
  ];
};

/**
 * N reminders in a file database, made as users make them: a sample typed as
 * /remind commands (timed), the rest through the same parser and service call
 * in one transaction (a million fsyncs would only measure the disk).
 */
async function remindersAsUsersMakeThem(n: number, file: string) {
  const db = openDatabase(file);
  const bot = new Bot({ db, config: loadConfig({ COLLABOT_ADMINS: 'bench:admin' }), clock: systemClock, log: silentLogger, commands: allCommands });
  const forms = (i: number) =>
    [`every day at ${i % 24}:${String(i % 60).padStart(2, '0')}`, `every weekday at 8:30`, `every monday at 10:00`, `in ${1 + (i % 5000)} minutes`, `every month on the ${1 + (i % 28)}th at 9:00`][i % 5]!;
  let seq = 0;
  const event = (chat: string, text: string): InboundEvent => ({
    kind: 'message',
    platform: 'bench',
    eventId: `r${++seq}`,
    chat: { id: chat, name: chat, isDirect: false },
    author: { id: 'admin', displayName: 'admin', isBot: false },
    text,
    time: new Date(),
  });
  // 100 reminders a chat at most, so 1,000 collabs for 100,000.
  const chats = Math.ceil(n / 100);
  for (let c = 0; c < chats; c++) bot.process(event(`chat${c}`, `/collab create Collab ${c}`));
  const sampled = Math.min(1000, n);
  const latencies: number[] = [];
  for (let i = 0; i < sampled; i++) {
    const t = nowMs();
    const outcome = bot.process(event(`chat${i % chats}`, `/remind ${forms(i)} Reminder number ${i}`));
    latencies.push(nowMs() - t);
    if (outcome !== 'handled') throw new Error(`/remind ${i} was ${outcome}`);
  }
  const { reminders, collabs, people } = bot.services;
  const admin = people.ensure('bench', 'admin', 'admin');
  // Reading a repeat costs about a millisecond (cron-parser); read each distinct <when> once.
  const read = new Map<string, ReturnType<typeof readWhen>>();
  db.transaction(() => {
    for (let i = sampled; i < n; i++) {
      const chat = collabs.ensureChat('bench', `chat${i % chats}`, `chat${i % chats}`, false);
      const form = forms(i);
      if (!read.has(form)) read.set(form, readWhen(`${form} Reminder`, { now: Date.now(), tz: 'Europe/London' }));
      const when = read.get(form)!;
      reminders.create({ chat, personId: null, createdBy: admin, text: `Reminder number ${i}`, whenText: when.whenText, schedule: when.schedule, tz: 'Europe/London' });
    }
  })();
  db.close();
  latencies.sort((a, b) => a - b);
  return { sampled, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

/**
 * p99 lateness of `count` reminders due at once, through the real handler: the
 * time from their due time until 99% of them are written to the outbox (looked
 * at every 5 ms); half of them repeat (so the handler also computes the next
 * time with cron-parser).
 */
async function reminderLateness(file: string, count: number): Promise<number> {
  const db = openDatabase(file);
  const bot = new Bot({ db, config: loadConfig({}), clock: systemClock, log: silentLogger, commands: allCommands });
  const { reminders, collabs, people } = bot.services;
  const someone = people.ensure('bench', 'someone', 'someone');
  await bot.start();
  const due = Date.now() + 300;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const chat = collabs.ensureChat('bench', `c${i % 20}`, `c${i % 20}`, false);
      const schedule = i % 2 ? ({ kind: 'once', at: due } as const) : ({ kind: 'repeat', cron: `0 ${i % 24} * * ${i % 7}`, first: due } as const);
      reminders.create({ chat, personId: null, createdBy: someone, text: `r${i}`, whenText: 'bench', schedule, tz: 'Europe/London' });
    }
  })();
  // Reminders due in the same minute for one chat go out as one message: count the items, not the messages.
  const written = db.prepare(`SELECT COUNT(*) FROM due_digest_items WHERE idem_key LIKE 'reminder:%'`).pluck();
  let p99: number | undefined;
  for (let n = 0; n < count; n = written.get() as number) {
    if (p99 === undefined && n >= count * 0.99) p99 = Date.now() - due;
    await new Promise((r) => setTimeout(r, 5));
  }
  p99 ??= Date.now() - due;
  await bot.stop();
  db.close();
  return p99;
}

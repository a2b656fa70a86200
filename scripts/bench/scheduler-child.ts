// Run in a child process by scheduler.ts so each side's memory is measured alone.
//   collabot N DB  : start the scheduler over N pending reminders already in DB
//   reminders N DB : start a whole Bot (every service and job kind) over N reminders made with /remind's service
//   node-cron N    : one node-cron task per reminder (the baseline)
import { systemClock } from '../../src/clock.js';
import { silentLogger } from '../../src/logger.js';
import { Outbox } from '../../src/outbox/outbox.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { openDatabase } from '../../src/storage/db.js';

const [mode, nArg, dbPath] = process.argv.slice(2);
const n = Number(nArg);

function rss() {
  global.gc?.();
  return process.memoryUsage().rss;
}

async function main() {
  const before = rss();
  const t0 = performance.now();
  if (mode === 'collabot') {
    const db = openDatabase(dbPath!);
    const outbox = new Outbox(db, systemClock);
    const scheduler = new Scheduler(db, systemClock, silentLogger, outbox);
    scheduler.register('reminder', () => undefined);
    scheduler.start();
    const pending = scheduler.pendingCount();
    const loadMs = performance.now() - t0;
    const after = rss();
    process.stdout.write(JSON.stringify({ loadMs, rssGrowth: after - before, pending }) + '\n');
    scheduler.stop();
  } else if (mode === 'reminders') {
    const [{ allCommands }, { loadConfig }, { Bot }] = await Promise.all([
      import('../../commands/index.js'),
      import('../../src/config.js'),
      import('../../src/core/bot.js'),
    ]);
    const before2 = rss();
    const t1 = performance.now();
    const db = openDatabase(dbPath!);
    const bot = new Bot({ db, config: loadConfig({}), clock: systemClock, log: silentLogger, commands: allCommands });
    await bot.start();
    const pending = bot.services.scheduler.pendingCount();
    const loadMs = performance.now() - t1;
    const after = rss();
    process.stdout.write(JSON.stringify({ loadMs, rssGrowth: after - before2, pending }) + '\n');
    await bot.stop();
  } else {
    const cron = await import('node-cron');
    const tasks = [];
    for (let i = 0; i < n; i++) tasks.push(cron.schedule(`${i % 60} ${9 + (i % 8)} * * *`, () => undefined, { timezone: 'Europe/London' }));
    const loadMs = performance.now() - t0;
    const after = rss();
    process.stdout.write(JSON.stringify({ loadMs, rssGrowth: after - before, pending: tasks.length }) + '\n');
    for (const t of tasks) t.stop();
  }
  process.exit(0);
}

main();

// db_growth_year: how much the database grows in a year for a collective of
// 2,000 organisations, by driving a year of typical use through the whole core
// on a fake clock (the daily retention job runs as in production). The model
// (per week): 10 polls with 120 votes each, 20 notes of ~700 characters with an
// action, 6 grant requests with 2 approvals each; 500 weekly reminders; 3,000
// people in 60 collabs. Delivered messages are marked sent each week, so
// retention prunes them after COLLABOT_RETENTION (90 days) as it would live.
// Baseline: the bytes people typed (the command lines), same run.
// Also backup_seconds: an online, checked backup of the grown database;
// baseline: a plain file copy of the same database (checkpointed), same run.
import { copyFileSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allCommands } from '../../commands/index.js';
import { FakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import { takeBackup } from '../../src/ops/backup.js';
import { openDatabase } from '../../src/storage/db.js';
import { nowMs, result, seeded, type Bench } from './lib.js';

const DAY = 86_400_000;
const NOTE = 'We met at the community hall. '.repeat(22);

export const growth: Bench = async ({ quick }) => {
  // A quick run covers a quarter: about one retention window, so the scaled figure stays close.
  const weeks = quick ? 13 : 52;
  const dir = mkdtempSync(join(tmpdir(), 'bench-growth-'));
  const file = join(dir, 'bot.sqlite');
  const db = openDatabase(file);
  // This measures bytes, not speed: skip the per-commit disk sync so a year fits in minutes. Sizes are the same.
  db.pragma('synchronous = OFF');
  const clock = new FakeClock(Date.parse('2026-01-05T08:00:00Z'));
  const bot = new Bot({ db, config: loadConfig({ COLLABOT_ADMINS: 'bench:ana' }), clock, log: silentLogger, commands: allCommands });
  bot.services.scheduler.start();
  bot.services.pruning.ensureScheduled();
  const random = seeded(21);
  let seq = 0;
  let typed = 0;
  const say = (who: string, chat: string, text: string) => {
    typed += Buffer.byteLength(text);
    return bot.process({
      kind: 'message',
      platform: 'bench',
      eventId: `g${++seq}`,
      messageId: `g${seq}`,
      chat: { id: chat, name: chat, isDirect: false },
      author: { id: who, displayName: who, isBot: false },
      text,
      time: new Date(clock.now()),
      mentions: [...text.matchAll(/@(\w+)/g)].map((m) => ({ token: m[0], id: m[1]!, displayName: m[1]! })),
    });
  };
  const member = () => `member${Math.floor(random() * 3000)}`;
  const collab = () => `chat${Math.floor(random() * 60)}`;

  for (let c = 0; c < 60; c++) say('ana', `chat${c}`, `/collab create Collab ${c}`);
  for (let l = 0; l < 5; l++) say('ana', 'chat0', `/role add @lead${l} lead`);
  say('ana', 'chat0', '/fund set discovery 10000000');
  for (let r = 0; r < 500; r++) say(member(), collab(), `/remind every monday at 9:00 Weekly check-in ${r}`);
  const start = db.pragma('page_count', { simple: true }) as number;
  const markSent = db.prepare(`UPDATE outbox SET status = 'sent', sent_at = ? WHERE status = 'pending'`);

  let polls = 0;
  let grants = 0;
  let votes = 0;
  for (let w = 0; w < weeks; w++) {
    for (let p = 0; p < 10; p++) {
      const chat = collab();
      if (say(member(), chat, `/poll "Which option for week ${w}, question ${p}?" "Option A" "Option B" "Option C"`) !== 'handled') throw new Error('poll refused');
      polls++;
      for (let v = 0; v < 120; v++) if (say(`member${(polls * 131 + v) % 3000}`, chat, `/vote ${polls} ${1 + (v % 3)}`) === 'handled') votes++;
    }
    for (let n = 0; n < 20; n++) say(member(), collab(), `/notes add Meeting ${w}-${n} -- ${NOTE}\nACTION @${member()} by friday: book the hall`);
    for (let g = 0; g < 6; g++) {
      if (say(member(), 'chat0', `/grant request discovery £500 Pay two community members to run a consultation, week ${w}`) !== 'handled') continue;
      grants++;
      say('lead0', 'chat0', `/grant approve ${grants}`);
      say('lead1', 'chat0', `/grant approve ${grants}`);
    }
    markSent.run(clock.now());
    clock.advance(7 * DAY); // reminders fire, daily retention runs
    markSent.run(clock.now());
  }
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const grown = ((db.pragma('page_count', { simple: true }) as number) - start) * pageSize;
  const perYear = (grown * 52) / weeks;
  const typedPerYear = (typed * 52) / weeks;

  // Backup of the grown database: online and checked, against a plain copy.
  db.pragma('wal_checkpoint(TRUNCATE)');
  let t0 = nowMs();
  copyFileSync(file, join(dir, 'plain-copy.sqlite'));
  const copyMs = nowMs() - t0;
  t0 = nowMs();
  const backup = await takeBackup(db, join(dir, 'backups'), clock.now());
  const backupMs = nowMs() - t0;
  if (!backup.ok) throw new Error(`backup failed: ${backup.detail}`);
  const size = statSync(file).size;
  db.close();
  return [
    result({
      bench: 'db_growth_year',
      value: perYear / 1024 / 1024,
      unit: 'MB/year',
      baseline: typedPerYear / 1024 / 1024,
      note: `${weeks} weeks simulated${quick ? ' (scaled to 52)' : ''}: ${polls} polls, ${votes} votes, ${weeks * 20} notes, ${grants} grants, 500 weekly reminders, 3000 people in 60 collabs, 90-day retention; baseline: the bytes of every command typed (MB/year)`,
    }),
    result({
      bench: 'backup_seconds',
      value: backupMs / 1000,
      unit: 's',
      baseline: copyMs / 1000,
      note: `online backup (SQLite backup API) plus integrity_check and SHA-256 of a ${(size / 1024 / 1024).toFixed(1)} MB database; baseline: a plain file copy of it`,
    }),
  ];
};

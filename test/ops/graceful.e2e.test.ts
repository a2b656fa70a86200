// The real bot as a child process: a graceful stop on SIGTERM mid-stream, and
// `npm run backup` / `npm run restore` against a running and a stopped bot.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDb } from '../helpers/console-process.js';

function startBot(db: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--console'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COLLABOT_LOG_LEVEL: 'warn', COLLABOT_DB: db, COLLABOT_ADMINS: 'console:ana' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdin.on('error', () => undefined); // lines typed after it exited
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const until = async (test: () => boolean, what: string, ms = 20_000) => {
    const end = Date.now() + ms;
    while (!test()) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}\nstdout:\n${stdout.slice(-2000)}\nstderr:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, exited, until, out: () => stdout, err: () => stderr };
}

function script(name: string, args: string[], db: string) {
  return spawnSync(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COLLABOT_DB: db },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

const rows = (db: string, sql: string) => {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare(sql).all();
  } finally {
    d.close();
  }
};

describe('graceful stop', () => {
  it('on SIGTERM mid-stream: takes no more events, delivers what it acknowledged, releases the lock and exits 0', async () => {
    const db = tempDb();
    const bot = startBot(db);
    bot.child.stdin.write(':as ana\n/collab create Forum\n');
    await bot.until(() => bot.out().includes('Done: this chat is now the collab'), 'the bot to answer');
    let typed = 0;
    const typing = setInterval(() => {
      for (let i = 0; i < 20; i++) bot.child.stdin.write(`/collabs\n`, () => undefined), typed++;
    }, 5);
    await bot.until(() => (bot.out().match(/\[main\] 1 collab:/g) ?? []).length >= 20, 'some answers');
    bot.child.kill('SIGTERM');
    const code = await bot.exited;
    clearInterval(typing);
    expect(code).toBe(0);
    const answered = (bot.out().match(/\[main\] 1 collab:/g) ?? []).length;
    expect(answered).toBeLessThan(typed); // it stopped mid-stream
    // Every event it took got its answer out before it exited; nothing is left waiting.
    expect(rows(db, 'SELECT COUNT(*) AS n FROM inbound_events')).toEqual([{ n: answered + 1 }]);
    expect(rows(db, `SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`)).toEqual([]); // all delivered (and deleted)
    expect(rows(db, 'SELECT * FROM instance_lock')).toEqual([]);
    expect(bot.err()).not.toMatch(/at .*\.ts:\d+/);
  }, 60_000);
});

describe('npm run backup and npm run restore', () => {
  it('backs up a running bot; restore refuses while it runs, then puts the backup in place and keeps the replaced file', async () => {
    const db = tempDb();
    const backups = mkdtempSync(join(tmpdir(), 'collabot-backups-'));
    const bot = startBot(db);
    bot.child.stdin.write(':as ana\n/collab create Forum\n');
    await bot.until(() => bot.out().includes('Done: this chat is now the collab'), 'the bot to answer');

    const backup = script('backup', ['--to', backups], db);
    expect(backup.stderr).toBe('');
    expect(backup.stdout).toMatch(/^Backup taken and checked clean: .+collabot-\d{8}-\d{6}Z\.sqlite \(\d+ KB\)\n$/);
    expect(backup.status).toBe(0);
    const file = join(backups, readdirSync(backups).find((f) => f.endsWith('.sqlite'))!);

    bot.child.stdin.write(':in other\n/collab create Later\n');
    await bot.until(() => bot.out().includes('"Later"'), 'the second collab');
    bot.child.stdin.write(':in main\n/status\n');
    await bot.until(() => bot.out().includes('checked clean'), '/status to show the backup');

    const refused = script('restore', [file], db);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/A Collabot is running on .+, so I will not replace it\. Stop the bot first/);

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    const restored = script('restore', [file], db);
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
    expect(restored.stdout).toMatch(/^Restored .+ The database it replaced is kept as .+\.replaced-\d{8}-\d{6}Z\./);
    expect(rows(db, 'SELECT name FROM collabs ORDER BY id')).toEqual([{ name: 'Forum' }]);
    const kept = readdirSync(join(db, '..')).find((f) => f.includes('.replaced-'))!;
    expect(rows(join(db, '..', kept), 'SELECT name FROM collabs ORDER BY id')).toEqual([{ name: 'Forum' }, { name: 'Later' }]);

    const none = script('restore', [], db);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^Say which backup to restore, e\.g\. npm run restore -- /);
  }, 60_000);
});

// Private files stay private, migrations wait for the instance lock, and a
// crashed holder does not block a restart (issue 15, item 5).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/db.js';
import { DatabaseInUseError, isZombie, lockInstance } from '../../src/storage/instance-lock.js';

const mode = (p: string) => statSync(p).mode & 0o777;

describe('private files', () => {
  it('creates the database folder 0700 and the database, its WAL and SHM 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'collabot-modes-'));
    try {
      const path = join(dir, 'data', 'collabot.sqlite');
      const db = openDatabase(path);
      db.prepare('INSERT INTO people (display_name, created_at) VALUES (?, ?)').run('ana', 1);
      expect(mode(join(dir, 'data'))).toBe(0o700);
      for (const f of [path, `${path}-wal`, `${path}-shm`]) expect([f.slice(dir.length), mode(f)]).toEqual([f.slice(dir.length), 0o600]);
      db.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('are ignored by git: data/, any *.sqlite*, the WhatsApp session and .env', () => {
    const lines = readFileSync('.gitignore', 'utf8').split('\n');
    for (const l of ['data/', '*.sqlite*', '.wwebjs_auth/', '.wwebjs_cache/', '.env']) expect(lines).toContain(l);
  });
});

describe('the instance lock and migrations', () => {
  it('is taken before migrating: a second, newer process never migrates a live database', () => {
    const dir = mkdtempSync(join(tmpdir(), 'collabot-lock-'));
    try {
      const path = join(dir, 'collabot.sqlite');
      const live = openDatabase(path);
      const lock = lockInstance(live, path, process.pid);
      // A migration this bot has not applied yet (as if a newer version brought it).
      live.prepare('DELETE FROM schema_migrations WHERE version = 151').run();
      live.exec('DROP TABLE grant_conflicts');
      const second = () => openDatabase(path, { beforeMigrate: (d) => void lockInstance(d, path, process.pid + 1) });
      expect(second).toThrow(DatabaseInUseError);
      expect(live.prepare('SELECT COUNT(*) AS n FROM schema_migrations WHERE version = 151').get()).toEqual({ n: 0 });
      lock.release();
      live.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts a holder that is a zombie (killed, not yet reaped) as gone, so a restart starts at once', async () => {
    // `sleep 0` exits at once; its parent (exec'd into `sleep 5`) never reaps it: a zombie.
    const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 5'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const zombie = await new Promise<number>((resolve) => parent.stdout!.once('data', (b: Buffer) => resolve(Number(String(b).trim()))));
    for (let i = 0; i < 50 && !isZombie(zombie); i++) await new Promise((r) => setTimeout(r, 20));
    try {
      expect(isZombie(zombie)).toBe(true);
      const db = openDatabase(':memory:');
      db.prepare('INSERT INTO instance_lock (id, pid, started_at, heartbeat_at) VALUES (1, ?, ?, ?)').run(zombie, Date.now(), Date.now());
      const lock = lockInstance(db, 'x.sqlite', process.pid);
      expect(db.prepare('SELECT pid FROM instance_lock').get()).toEqual({ pid: process.pid });
      lock.release();
      db.close();
    } finally {
      parent.kill('SIGKILL');
    }
    expect(existsSync('/proc')).toBe(true);
  });
});

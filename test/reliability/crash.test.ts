// Crash safety: the real bot as a child process on a file database, killed with
// SIGKILL at a random moment while commands stream in, then restarted. Every
// change whose reply was printed is in the database; nothing is applied twice.
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDb } from '../helpers/console-process.js';
import { size } from './size.js';

interface Run {
  stdout: string;
  killed: boolean;
}

/** Feed lines one by one; SIGKILL `killAfterMs` after the bot's first reply (or let it finish). */
function runBot(db: string, lines: string[], killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--console'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', COLLABOT_DB: db, COLLABOT_ADMINS: 'console:ana', COLLABOT_LOG_LEVEL: 'error' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (killAfterMs !== undefined && !timer) {
        timer = setTimeout(() => {
          killed = true;
          child.kill('SIGKILL');
        }, killAfterMs);
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve({ stdout, killed });
    });
    // Trickle the input so the kill lands mid-stream, not after everything.
    let i = 0;
    const feed = () => {
      if (child.stdin.destroyed) return;
      const chunk = lines.slice(i, i + 5);
      i += 5;
      if (!chunk.length) return child.stdin.end();
      child.stdin.write(chunk.join('\n') + '\n', () => setTimeout(feed, 3));
    };
    child.stdin.on('error', () => undefined);
    feed();
  });
}

describe('crash safety', () => {
  it('keeps every acknowledged change across SIGKILLs, and applies nothing twice', async () => {
    const db = tempDb();
    const line = (p: string) => `/role add @${p} lead`;
    const acked = new Set<string>();
    const everyone: string[] = [];
    const kills = size(3, 20);
    let killedRuns = 0;
    for (let k = 0; k <= kills; k++) {
      const lastRun = k === kills;
      // Each run brings new commands, plus the ones that got no answer (the user sends those again).
      const fresh = Array.from({ length: 150 }, (_, i) => `u${k * 150 + i}`);
      everyone.push(...fresh);
      const pending = everyone.filter((p) => !acked.has(p));
      const run = await runBot(db, [':as ana', ...pending.map(line)], lastRun ? undefined : 20 + Math.floor(Math.random() * 200));
      if (run.killed) killedRuns++;
      for (const m of run.stdout.matchAll(/\[main\] (?:Done: (u\d+) is now a lead\.|(u\d+) is already a lead\.)/g)) acked.add((m[1] ?? m[2])!);
      // Everything acknowledged so far must be on disk, even right after a kill.
      const check = new Database(db, { readonly: true });
      const leads = new Set(
        (check.prepare(`SELECT p.display_name AS name FROM roles r JOIN people p ON p.id = r.person_id WHERE r.role = 'lead'`).all() as { name: string }[]).map((r) => r.name),
      );
      const dupes = check.prepare(`SELECT person_id, COUNT(*) AS n FROM roles GROUP BY person_id, role, collab_id HAVING n > 1`).all();
      check.close();
      for (const p of acked) expect(leads.has(p), `${p} was acknowledged but is not in the database`).toBe(true);
      expect(dupes).toEqual([]);
    }
    expect(killedRuns).toBeGreaterThanOrEqual(Math.ceil(kills / 2));
    expect(everyone.filter((p) => !acked.has(p))).toEqual([]);
  }, 120_000);
});

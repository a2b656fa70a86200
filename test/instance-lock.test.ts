// One bot process per database: a second one refuses to start with a clear
// message; a lock left by a crashed process, or a silent one, is taken over.
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/storage/db.js';
import { DatabaseInUseError, lockInstance } from '../src/storage/instance-lock.js';
import { runConsole, startConsole, tempDb } from './helpers/console-process.js';

const DEAD_PID = 2 ** 22 + 12_345; // above Linux's pid_max default: no such process

describe('the instance lock', () => {
  it('refuses a second holder while the first is alive and beating, and takes over stale locks', () => {
    const db = openDatabase(':memory:');
    let t = 1_000_000;
    const now = () => t;
    const first = lockInstance(db, 'x.sqlite', process.pid, now);
    expect(() => lockInstance(db, 'x.sqlite', DEAD_PID, now)).toThrow(DatabaseInUseError);
    expect(() => lockInstance(db, 'x.sqlite', DEAD_PID, now)).toThrow(/Another Collabot \(process \d+\) is already running on x\.sqlite/);
    // Its heartbeat stopped long ago (the pid now belongs to some other program): taken over.
    t += 60_000;
    const second = lockInstance(db, 'x.sqlite', DEAD_PID, now);
    // The holder is a process that no longer exists: taken over at once.
    const third = lockInstance(db, 'x.sqlite', process.pid, now);
    second.release(); // not the holder any more: changes nothing
    expect(() => lockInstance(db, 'x.sqlite', DEAD_PID, now)).toThrow(DatabaseInUseError);
    third.release();
    lockInstance(db, 'x.sqlite', DEAD_PID, now).release();
    first.release();
    db.close();
  });

  it('tells a holder whose lock was taken over (it looked silent, or a new process has its pid), so it can stop', async () => {
    const db = openDatabase(':memory:');
    const t = 1_000_000;
    const beats = () => new Promise((r) => setTimeout(r, 60));
    const lost: (number | undefined)[] = [];
    const first = lockInstance(db, 'x.sqlite', process.pid, () => t, { heartbeatMs: 10, onLost: (pid) => lost.push(pid) });
    await beats();
    expect(lost).toEqual([]);
    // Its beats stopped reaching the database for a minute (a stalled event loop): another process takes over.
    const second = lockInstance(db, 'x.sqlite', DEAD_PID, () => t + 60_000);
    await beats();
    expect(lost).toEqual([DEAD_PID]); // told once, then no more beats
    second.release();

    // A restarted container often gets the same pid as the process it replaces: still another holder.
    const third = lockInstance(db, 'x.sqlite', process.pid, () => t, { heartbeatMs: 10, onLost: (pid) => lost.push(pid) });
    const fourth = lockInstance(db, 'x.sqlite', process.pid, () => t + 1);
    await beats();
    expect(lost).toEqual([DEAD_PID, process.pid]);
    third.release(); // not the holder any more: changes nothing
    expect(() => lockInstance(db, 'x.sqlite', DEAD_PID, () => t + 1)).toThrow(DatabaseInUseError);
    fourth.release();
    lockInstance(db, 'x.sqlite', DEAD_PID, () => t + 1).release();
    db.close();
  });

  it('stops a second console bot on the same database, and lets it start once the first has gone', async () => {
    const env = { COLLABOT_DB: tempDb(), COLLABOT_ADMINS: 'console:ana' };
    const first = startConsole(env);
    first.write(':as ana\n/collab create Forum');
    await first.waitFor(/Done: this chat is now the collab "Forum"/);
    const second = await runConsole('/collabs\n', env);
    expect(second.code).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toMatch(/Another Collabot \(process \d+\) is already running on .*test\.sqlite\. Stop it first/);
    expect((await first.end()).code).toBe(0);
    const third = await runConsole('/collabs\n', env);
    expect(third.code).toBe(0);
    expect(third.stdout).toContain('• Forum');
    // Three bot processes start one after another: on a loaded machine each takes several seconds.
  }, 60_000);
});

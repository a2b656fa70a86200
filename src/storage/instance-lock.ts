// One bot process per database file. Two would share one outbox and could each
// send the same message. The lock is a row in the database, taken in a write
// transaction (so two starting at once cannot both win) and kept fresh by a
// heartbeat. A holder whose process is gone (a crash, SIGKILL) or whose
// heartbeat stopped (its pid reused by another program) is taken over; the
// holder learns it at its next heartbeat and must stop.
import { readFileSync } from 'node:fs';
import type { DB } from './db.js';

const HEARTBEAT_MS = 10_000;
const STALE_MS = 3 * HEARTBEAT_MS;

export class DatabaseInUseError extends Error {}

interface LockRow {
  pid: number;
  heartbeat_at: number;
}

export interface InstanceLock {
  release(): void;
}

export interface LockOptions {
  /**
   * Another process took the lock over (this one looked dead or silent, e.g. its
   * event loop stalled for half a minute): called once, with that process's pid.
   * This process must stop at once, or two bots run on one database.
   */
  onLost?: (pid: number | undefined) => void;
  heartbeatMs?: number;
}

export function lockInstance(db: DB, path: string, pid = process.pid, now = Date.now, opts: LockOptions = {}): InstanceLock {
  const s = {
    get: db.prepare<[], LockRow>('SELECT pid, heartbeat_at FROM instance_lock WHERE id = 1'),
    take: db.prepare<[number, number, number]>(
      `INSERT INTO instance_lock (id, pid, started_at, heartbeat_at) VALUES (1, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET pid = excluded.pid, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at`,
    ),
    // The holder is this pid *and* start time: a later process with the same pid (a restarted container) is another holder.
    beat: db.prepare<[number, number, number]>('UPDATE instance_lock SET heartbeat_at = ? WHERE id = 1 AND pid = ? AND started_at = ?'),
    release: db.prepare<[number, number]>('DELETE FROM instance_lock WHERE id = 1 AND pid = ? AND started_at = ?'),
  };
  const startedAt = now();
  db.transaction(() => {
    const held = s.get.get();
    if (held && held.pid !== pid && isAlive(held.pid) && now() - held.heartbeat_at < STALE_MS) {
      throw new DatabaseInUseError(
        `Another Collabot (process ${held.pid}) is already running on ${path}. ` +
          'Stop it first, or give this one its own database with COLLABOT_DB=data/other.sqlite',
      );
    }
    s.take.run(pid, startedAt, startedAt);
  }).immediate();
  const timer = setInterval(() => {
    let held: boolean;
    try {
      held = s.beat.run(now(), pid, startedAt).changes > 0;
    } catch {
      return; // the database is busy: the next beat tries again
    }
    if (held) return;
    clearInterval(timer);
    opts.onLost?.(s.get.get()?.pid);
  }, opts.heartbeatMs ?? HEARTBEAT_MS);
  timer.unref();
  return {
    release() {
      clearInterval(timer);
      s.release.run(pid, startedAt);
    },
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, but not ours to signal
  }
  // A process killed (kill -9) but not yet reaped by its parent still answers
  // signal 0: a zombie. It will never beat again, so it counts as gone.
  return !isZombie(pid);
}

export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false; // no /proc (not Linux), or gone between the two checks
  }
}

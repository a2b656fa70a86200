// SQL for operations: backups taken, delivery failures, and the figures /status shows.
import { statSync } from 'node:fs';
import type { DB } from '../storage/db.js';

export interface BackupRow {
  file: string;
  started_at: number;
  finished_at: number;
  bytes: number | null;
  ok: number;
  detail: string | null;
}

export class OpsRepo {
  private s;
  constructor(private db: DB) {
    this.s = {
      addBackup: db.prepare<[string, number, number, number | null, number, string | null]>(
        'INSERT INTO backups (file, started_at, finished_at, bytes, ok, detail) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      lastBackup: db.prepare<[], BackupRow>('SELECT file, started_at, finished_at, bytes, ok, detail FROM backups ORDER BY started_at DESC, id DESC LIMIT 1'),
      addFailure: db.prepare<[string, string, number, string | null]>('INSERT INTO delivery_failures (platform, dest, failed_at, error) VALUES (?, ?, ?, ?)'),
      failuresTo: db.prepare<[string, string, number], { n: number; last_error: string | null }>(
        `SELECT COUNT(*) AS n, (SELECT error FROM delivery_failures d WHERE d.platform = f.platform AND d.dest = f.dest ORDER BY d.failed_at DESC, d.id DESC LIMIT 1) AS last_error
         FROM delivery_failures f WHERE f.platform = ? AND f.dest = ? AND f.failed_at >= ?`,
      ),
      failuresSince: db.prepare<[number], { platform: string; dest: string; n: number }>(
        'SELECT platform, dest, COUNT(*) AS n FROM delivery_failures WHERE failed_at >= ? GROUP BY platform, dest ORDER BY n DESC, platform, dest',
      ),
      sentSince: db.prepare<[string, string, number], { one: number }>(
        `SELECT 1 AS one FROM outbox_last_sent WHERE platform = ? AND dest = ? AND sent_at >= ?`,
      ),
      backlog: db.prepare<[], { platform: string; n: number; oldest: number }>(
        `SELECT platform, COUNT(*) AS n, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending' GROUP BY platform ORDER BY platform`,
      ),
      jobs: db.prepare<[], { kind: string; n: number; next: number }>(
        `SELECT kind, COUNT(*) AS n, MIN(due_at) AS next FROM jobs WHERE status = 'pending' GROUP BY kind ORDER BY kind`,
      ),
      chatName: db.prepare<[string, string], { name: string }>('SELECT name FROM chats WHERE platform = ? AND chat_id = ?'),
      outboxError: db.prepare<[number], { last_error: string | null }>('SELECT last_error FROM outbox WHERE id = ?'),
      pruneFailures: db.prepare<[number]>('DELETE FROM delivery_failures WHERE failed_at < ?'),
    };
  }

  addBackup(file: string, startedAt: number, finishedAt: number, bytes: number | null, ok: boolean, detail: string | null) {
    this.s.addBackup.run(file, startedAt, finishedAt, bytes, ok ? 1 : 0, detail);
  }
  lastBackup() {
    return this.s.lastBackup.get();
  }
  addFailure(platform: string, dest: string, at: number, error: string | null) {
    this.s.addFailure.run(platform, dest, at, error?.slice(0, 200) ?? null);
  }
  failuresTo(platform: string, dest: string, since: number) {
    return this.s.failuresTo.get(platform, dest, since)!;
  }
  failuresSince(since: number) {
    return this.s.failuresSince.all(since);
  }
  sentSince(platform: string, dest: string, since: number): boolean {
    return !!this.s.sentSince.get(platform, dest, since);
  }
  backlog() {
    return this.s.backlog.all();
  }
  pendingJobs() {
    return this.s.jobs.all();
  }
  chatName(platform: string, chatId: string) {
    return this.s.chatName.get(platform, chatId)?.name;
  }
  /** The error a message failed with (recorded just before the failure hooks run). */
  outboxError(id: number) {
    return this.s.outboxError.get(id)?.last_error ?? null;
  }
  pruneFailures(before: number) {
    return this.s.pruneFailures.run(before).changes;
  }
  /** The database's size on disk in bytes: its pages, plus the write-ahead log not yet folded in. */
  databaseBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    let wal = 0;
    try {
      if (!this.db.memory) wal = statSync(this.db.name + '-wal').size;
    } catch {
      // no WAL file right now
    }
    return pages * size + wal;
  }
}

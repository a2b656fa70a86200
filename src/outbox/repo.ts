import type { DB } from '../storage/db.js';

export interface OutboxRow {
  id: number;
  platform: string;
  dest: string;
  body: string;
  idem_key: string | null;
  origin: string | null;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  message_id: string | null;
}

export class OutboxRepo {
  private s;
  /** A delivery and the platform's id for later edits, in one commit: a crash between them would leave the message uneditable. */
  readonly recordSent: (row: Pick<OutboxRow, 'id' | 'platform' | 'dest'>, messageId: string | null, editKey: string | undefined, now: number) => void;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare<[string, string, string, string | null, string | null, number, number]>(
        `INSERT INTO outbox (platform, dest, body, idem_key, origin, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idem_key) DO NOTHING`,
      ),
      // The oldest pending message of each destination that is due: one chat's messages go out in order.
      heads: db.prepare<[string, number, number], OutboxRow>(
        `SELECT o.* FROM outbox o
         WHERE o.platform = ? AND o.status = 'pending' AND o.next_at <= ?
           AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.platform = o.platform AND p.status = 'pending' AND p.dest = o.dest)
         ORDER BY o.id LIMIT ?`,
      ),
      // When the next head of a queue falls due (later messages wait behind their chat's head).
      nextDue: db.prepare<[string], { t: number | null }>(
        `SELECT MIN(o.next_at) AS t FROM outbox o
         WHERE o.platform = ? AND o.status = 'pending'
           AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.platform = o.platform AND p.status = 'pending' AND p.dest = o.dest)`,
      ),
      pending: db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE platform = ? AND status = 'pending'`),
      sent: db.prepare<[number, string | null, number]>(`UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1 WHERE id = ? AND status = 'pending'`),
      retry: db.prepare<[number, number, string, number]>(`UPDATE outbox SET attempts = attempts + ?, next_at = ?, last_error = ? WHERE id = ? AND status = 'pending'`),
      failed: db.prepare<[string, number]>(`UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'pending'`),
      ref: db.prepare<[string, string, string], { message_id: string }>('SELECT message_id FROM message_refs WHERE platform = ? AND dest = ? AND edit_key = ?'),
      // saved_at: retention (src/maintenance/prune.ts) forgets refs not used for COLLABOT_RETENTION.
      saveRef: db.prepare<[string, string, string, string, number]>(
        `INSERT INTO message_refs (platform, dest, edit_key, message_id, saved_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (platform, dest, edit_key) DO UPDATE SET message_id = excluded.message_id, saved_at = excluded.saved_at`,
      ),
      byOrigin: db.prepare<[string], OutboxRow>('SELECT * FROM outbox WHERE origin = ? ORDER BY id'),
      laterEdit: db.prepare<[string, string, number, string], { one: number }>(
        `SELECT 1 AS one FROM outbox WHERE platform = ? AND status = 'pending' AND dest = ? AND id > ? AND json_extract(body, '$.editKey') = ? LIMIT 1`,
      ),
    };
    this.recordSent = db.transaction((row, messageId, editKey, now) => {
      this.markSent(row.id, messageId, now);
      if (editKey && messageId) this.saveRef(row.platform, row.dest, editKey, messageId, now);
    });
  }

  insert(platform: string, dest: string, body: string, idemKey: string | null, origin: string | null, nextAt: number, now: number): number | null {
    const r = this.s.insert.run(platform, dest, body, idemKey, origin, nextAt, now);
    return r.changes ? Number(r.lastInsertRowid) : null;
  }
  heads(platform: string, now: number, limit: number) {
    return this.s.heads.all(platform, now, limit);
  }
  nextDue(platform: string) {
    return this.s.nextDue.get(platform)!.t;
  }
  pendingCount(platform: string) {
    return this.s.pending.get(platform)!.n;
  }
  markSent(id: number, messageId: string | null, now: number) {
    this.s.sent.run(now, messageId, id);
  }
  markRetry(id: number, countsAsAttempt: boolean, nextAt: number, error: string) {
    this.s.retry.run(countsAsAttempt ? 1 : 0, nextAt, error.slice(0, 500), id);
  }
  markFailed(id: number, error: string) {
    this.s.failed.run(error.slice(0, 500), id);
  }
  ref(platform: string, dest: string, editKey: string) {
    return this.s.ref.get(platform, dest, editKey)?.message_id;
  }
  saveRef(platform: string, dest: string, editKey: string, messageId: string, now: number) {
    this.s.saveRef.run(platform, dest, editKey, messageId, now);
  }
  /** Is a newer message for the same editKey waiting for this row's chat? */
  hasLaterEdit(row: Pick<OutboxRow, 'platform' | 'dest' | 'id'>, editKey: string): boolean {
    return !!this.s.laterEdit.get(row.platform, row.dest, row.id, editKey);
  }
  byOrigin(origin: string) {
    return this.s.byOrigin.all(origin);
  }
}

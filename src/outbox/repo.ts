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

export interface QueueHead {
  id: number;
  dest: string;
}

/** A send that came back from the platform, waiting to be recorded. */
export interface SentRecord {
  row: Pick<OutboxRow, 'id' | 'platform' | 'dest' | 'origin' | 'idem_key' | 'created_at'>;
  messageId: string | null;
  editKey?: string;
}

export class OutboxRepo {
  private s;
  /**
   * Deliveries and the platform's ids for later edits, many in one commit (the
   * sender groups them): a crash between a delivery and its id would leave the message uneditable.
   */
  readonly recordSent: (rows: SentRecord[], now: number) => void;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare<[string, string, string, string | null, string | null, number, number]>(
        `INSERT INTO outbox (platform, dest, body, idem_key, origin, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (idem_key) DO NOTHING`,
      ),
      // The oldest pending message of each destination that is due (outbox_queues keeps
      // each chat's head, so this reads `limit` rows however long the queues are).
      heads: db.prepare<[string, number, number], QueueHead>(
        `SELECT head_id AS id, dest FROM outbox_queues INDEXED BY outbox_queues_order
         WHERE platform = ? AND next_at <= ? ORDER BY head_id LIMIT ?`,
      ),
      row: db.prepare<[number], OutboxRow>('SELECT * FROM outbox WHERE id = ?'),
      // The pending message after `id` in one chat (its head was sent and awaits recording).
      after: db.prepare<[string, string, number], OutboxRow>(
        `SELECT * FROM outbox WHERE platform = ? AND dest = ? AND status = 'pending' AND id > ? ORDER BY id LIMIT 1`,
      ),
      // When the next head of a queue falls due (later messages wait behind their chat's head).
      nextDue: db.prepare<[string], { t: number | null }>(`SELECT MIN(next_at) AS t FROM outbox_queues WHERE platform = ?`),
      anyPending: db.prepare<[string], { one: number }>(`SELECT 1 AS one FROM outbox_queues WHERE platform = ? LIMIT 1`),
      pending: db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM outbox WHERE platform = ? AND status = 'pending'`),
      // A delivered message with a key (dedupe) or an origin (failure reports) keeps
      // them and the platform's id; a plain reply is deleted (migration 202).
      // By id and creation time: a row deleted meanwhile (/forget) may have handed its id to a new one.
      sent: db.prepare<[number, string | null, number, number]>(
        `UPDATE outbox SET status = 'sent', sent_at = ?, message_id = ?, attempts = attempts + 1 WHERE id = ? AND created_at = ? AND status = 'pending'`,
      ),
      forget: db.prepare<[number, number]>(`DELETE FROM outbox WHERE id = ? AND created_at = ? AND status = 'pending'`),
      lastSent: db.prepare<[string, string, number]>(
        `INSERT INTO outbox_last_sent (platform, dest, sent_at) VALUES (?, ?, ?)
         ON CONFLICT (platform, dest) DO UPDATE SET sent_at = MAX(sent_at, excluded.sent_at)`,
      ),
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
    this.recordSent = db.transaction((rows: SentRecord[], now: number) => {
      const chats = new Set<string>();
      for (const { row, messageId, editKey } of rows) {
        const plain = row.origin === null && row.idem_key === null;
        const recorded = plain ? this.s.forget.run(row.id, row.created_at).changes : this.s.sent.run(now, messageId, row.id, row.created_at).changes;
        // Gone meanwhile (/forget erased it): remember nothing of it.
        if (!recorded) continue;
        if (editKey && messageId) this.saveRef(row.platform, row.dest, editKey, messageId, now);
        const chat = `${row.platform}\u0000${row.dest}`;
        if (!chats.has(chat)) {
          chats.add(chat);
          this.s.lastSent.run(row.platform, row.dest, now);
        }
      }
    });
  }

  insert(platform: string, dest: string, body: string, idemKey: string | null, origin: string | null, nextAt: number, now: number): number | null {
    const r = this.s.insert.run(platform, dest, body, idemKey, origin, nextAt, now);
    return r.changes ? Number(r.lastInsertRowid) : null;
  }
  /** The oldest pending message of each chat that is due, oldest first (ids only: the sender skips busy chats). */
  heads(platform: string, now: number, limit: number) {
    return this.s.heads.all(platform, now, limit);
  }
  row(id: number): OutboxRow | undefined {
    return this.s.row.get(id);
  }
  /** The next pending row of one chat after `id`. */
  after(platform: string, dest: string, id: number): OutboxRow | undefined {
    return this.s.after.get(platform, dest, id);
  }
  nextDue(platform: string) {
    return this.s.nextDue.get(platform)!.t;
  }
  hasPending(platform: string): boolean {
    return !!this.s.anyPending.get(platform);
  }
  pendingCount(platform: string) {
    return this.s.pending.get(platform)!.n;
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

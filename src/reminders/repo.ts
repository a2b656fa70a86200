import type { DB } from '../storage/db.js';

export type ReminderStatus = 'active' | 'paused' | 'done' | 'cancelled';

export interface ReminderRow {
  id: number;
  chat_id: number;
  collab_id: number | null;
  person_id: number | null;
  created_by: number;
  text: string;
  when_text: string;
  cron: string | null;
  tz: string;
  status: ReminderStatus;
  next_at: number | null;
  last_at: number | null;
  sent: number;
  created_at: number;
  updated_at: number;
}

export interface NewReminder {
  chatId: number;
  collabId: number | null;
  personId: number | null;
  createdBy: number;
  text: string;
  whenText: string;
  cron: string | null;
  tz: string;
  nextAt: number;
}

export class RemindersRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare<[number, number | null, number | null, number, string, string, string | null, string, number, number, number]>(
        `INSERT INTO reminders (chat_id, collab_id, person_id, created_by, text, when_text, cron, tz, next_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare<[number], ReminderRow>('SELECT * FROM reminders WHERE id = ?'),
      // A chat's own reminders (not the personal ones people set there).
      ofChat: db.prepare<[number, number], ReminderRow>(
        `SELECT * FROM reminders WHERE chat_id = ? AND person_id IS NULL AND status IN ('active', 'paused') ORDER BY next_at, id LIMIT ?`,
      ),
      ofPerson: db.prepare<[number, number], ReminderRow>(
        `SELECT * FROM reminders WHERE person_id = ? AND status IN ('active', 'paused') ORDER BY next_at, id LIMIT ?`,
      ),
      countChat: db.prepare<[number], { n: number }>(
        `SELECT COUNT(*) AS n FROM reminders WHERE chat_id = ? AND person_id IS NULL AND status IN ('active', 'paused')`,
      ),
      countPerson: db.prepare<[number], { n: number }>(`SELECT COUNT(*) AS n FROM reminders WHERE person_id = ? AND status IN ('active', 'paused')`),
      setStatus: db.prepare<[string, number | null, number, number]>('UPDATE reminders SET status = ?, next_at = ?, updated_at = ? WHERE id = ?'),
      occurred: db.prepare<[string, number | null, number, number, number, number]>(
        'UPDATE reminders SET status = ?, next_at = ?, last_at = ?, sent = sent + ?, updated_at = ? WHERE id = ?',
      ),
      mergeRecipient: db.prepare<[number, number]>('UPDATE reminders SET person_id = ? WHERE person_id = ?'),
      mergeCreator: db.prepare<[number, number]>('UPDATE reminders SET created_by = ? WHERE created_by = ?'),
    };
  }

  insert(r: NewReminder, now: number): number {
    return Number(
      this.s.insert.run(r.chatId, r.collabId, r.personId, r.createdBy, r.text, r.whenText, r.cron, r.tz, r.nextAt, now, now).lastInsertRowid,
    );
  }
  get(id: number) {
    return this.s.get.get(id);
  }
  ofChat(chatId: number, limit: number) {
    return this.s.ofChat.all(chatId, limit);
  }
  ofPerson(personId: number, limit: number) {
    return this.s.ofPerson.all(personId, limit);
  }
  countOfChat(chatId: number) {
    return this.s.countChat.get(chatId)!.n;
  }
  countOfPerson(personId: number) {
    return this.s.countPerson.get(personId)!.n;
  }
  setStatus(id: number, status: ReminderStatus, nextAt: number | null, now: number) {
    this.s.setStatus.run(status, nextAt, now, id);
  }
  /** An occurrence was handled (sent, or skipped after downtime); `nextAt` null ends it. */
  occurred(id: number, at: number, sent: boolean, nextAt: number | null, now: number) {
    this.s.occurred.run(nextAt === null ? 'done' : 'active', nextAt, at, sent ? 1 : 0, now, id);
  }
  mergePerson(from: number, to: number) {
    this.s.mergeRecipient.run(to, from);
    this.s.mergeCreator.run(to, from);
  }
}

// SQL for a chat's life: chat_life rows, leaving members, and the queued
// messages of a chat the bot is no longer in.
import type { OutboxRow } from '../outbox/repo.js';
import type { DB } from '../storage/db.js';

export interface ChatLifeRow {
  platform: string;
  chat_id: string;
  greeted_at: number | null;
  removed_at: number | null;
}

export class ChatLifeRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      get: db.prepare<[string, string], ChatLifeRow>('SELECT * FROM chat_life WHERE platform = ? AND chat_id = ?'),
      removed: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM chat_life WHERE platform = ? AND chat_id = ? AND removed_at IS NOT NULL'),
      setRemoved: db.prepare<[string, string, number]>(
        `INSERT INTO chat_life (platform, chat_id, removed_at) VALUES (?, ?, ?)
         ON CONFLICT (platform, chat_id) DO UPDATE SET removed_at = excluded.removed_at`,
      ),
      setActive: db.prepare<[string, string]>('UPDATE chat_life SET removed_at = NULL WHERE platform = ? AND chat_id = ? AND removed_at IS NOT NULL'),
      setGreeted: db.prepare<[string, string, number]>(
        `INSERT INTO chat_life (platform, chat_id, greeted_at) VALUES (?, ?, ?)
         ON CONFLICT (platform, chat_id) DO UPDATE SET greeted_at = excluded.greeted_at`,
      ),
      leaveCollab: db.prepare<[number, number]>('DELETE FROM members WHERE collab_id = ? AND person_id = ?'),
      pendingFor: db.prepare<[string, string], OutboxRow>(`SELECT * FROM outbox WHERE platform = ? AND dest = ? AND status = 'pending' ORDER BY id`),
    };
  }

  get(platform: string, chatId: string) {
    return this.s.get.get(platform, chatId);
  }
  isRemoved(platform: string, chatId: string): boolean {
    return !!this.s.removed.get(platform, chatId);
  }
  markRemoved(platform: string, chatId: string, now: number) {
    this.s.setRemoved.run(platform, chatId, now);
  }
  /** True if the chat was marked removed. */
  markActive(platform: string, chatId: string): boolean {
    return this.s.setActive.run(platform, chatId).changes > 0;
  }
  markGreeted(platform: string, chatId: string, now: number) {
    this.s.setGreeted.run(platform, chatId, now);
  }
  /** True if the person was a member. */
  leaveCollab(collabId: number, personId: number): boolean {
    return this.s.leaveCollab.run(collabId, personId).changes > 0;
  }
  pendingFor(platform: string, dest: string) {
    return this.s.pendingFor.all(platform, dest);
  }
}

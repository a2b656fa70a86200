import type { ChatRow } from '../collabs/repo.js';
import type { DB } from '../storage/db.js';

export interface MinutesRow {
  id: number;
  body: string;
  meeting: string;
  text: string;
  delegate_id: number;
  platform: string;
  chat_id: number;
  created_at: number;
}

export interface MinutesSummary extends MinutesRow {
  delegate: string;
  comments: number;
  relays: number;
}

export interface CommentRow {
  id: number;
  minutes_id: number;
  person_id: number;
  author: string;
  chat_id: number;
  chat_name: string;
  chat_platform: string;
  text: string;
  created_at: number;
}

export class MinutesRepo {
  private s;
  constructor(db: DB) {
    const summary = `SELECT m.*, p.display_name AS delegate,
        (SELECT COUNT(*) FROM minutes_comments c WHERE c.minutes_id = m.id) AS comments,
        (SELECT COUNT(*) FROM minutes_relays r WHERE r.minutes_id = m.id) AS relays
      FROM minutes m JOIN people p ON p.id = m.delegate_id`;
    this.s = {
      insert: db.prepare<[string, string, string, number, string, number, number]>(
        'INSERT INTO minutes (body, meeting, text, delegate_id, platform, chat_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      get: db.prepare<[number], MinutesSummary>(`${summary} WHERE m.id = ?`),
      recent: db.prepare<[number], MinutesSummary>(`${summary} ORDER BY m.id DESC LIMIT ?`),
      latestByBody: db.prepare<[], { body: string; id: number; created_at: number }>(
        'SELECT body, MAX(id) AS id, MAX(created_at) AS created_at FROM minutes GROUP BY body COLLATE NOCASE',
      ),
      addRelay: db.prepare<[number, number]>('INSERT OR IGNORE INTO minutes_relays (minutes_id, chat_id) VALUES (?, ?)'),
      relayedTo: db.prepare<[number, number], { one: number }>('SELECT 1 AS one FROM minutes_relays WHERE minutes_id = ? AND chat_id = ?'),
      relayChats: db.prepare<[number], ChatRow>('SELECT h.* FROM minutes_relays r JOIN chats h ON h.id = r.chat_id WHERE r.minutes_id = ? ORDER BY h.id'),
      addComment: db.prepare<[number, number, number, string, number]>(
        'INSERT INTO minutes_comments (minutes_id, person_id, chat_id, text, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      comments: db.prepare<[number], CommentRow>(
        `SELECT c.id, c.minutes_id, c.person_id, p.display_name AS author, c.chat_id, h.name AS chat_name, h.platform AS chat_platform, c.text, c.created_at
         FROM minutes_comments c JOIN people p ON p.id = c.person_id JOIN chats h ON h.id = c.chat_id
         WHERE c.minutes_id = ? ORDER BY c.id`,
      ),
      mergeMinutes: db.prepare<[number, number]>('UPDATE minutes SET delegate_id = ? WHERE delegate_id = ?'),
      mergeComments: db.prepare<[number, number]>('UPDATE minutes_comments SET person_id = ? WHERE person_id = ?'),
    };
  }

  insert(body: string, meeting: string, text: string, delegateId: number, platform: string, chatId: number, now: number): number {
    return Number(this.s.insert.run(body, meeting, text, delegateId, platform, chatId, now).lastInsertRowid);
  }
  get(id: number) {
    return this.s.get.get(id);
  }
  recent(limit: number) {
    return this.s.recent.all(limit);
  }
  /** The latest minutes of each partnership body. */
  latestByBody() {
    return this.s.latestByBody.all();
  }
  addRelay(minutesId: number, chatId: number) {
    this.s.addRelay.run(minutesId, chatId);
  }
  wasRelayedTo(minutesId: number, chatId: number) {
    return !!this.s.relayedTo.get(minutesId, chatId);
  }
  relayChats(minutesId: number) {
    return this.s.relayChats.all(minutesId);
  }
  addComment(minutesId: number, personId: number, chatId: number, text: string, now: number): number {
    return Number(this.s.addComment.run(minutesId, personId, chatId, text, now).lastInsertRowid);
  }
  comments(minutesId: number) {
    return this.s.comments.all(minutesId);
  }
  mergePerson(from: number, to: number) {
    this.s.mergeMinutes.run(to, from);
    this.s.mergeComments.run(to, from);
  }
}

import type { DB } from '../storage/db.js';

export interface CollabRow {
  id: number;
  name: string;
  tz: string | null;
  created_by: number | null;
  created_at: number;
}

export interface ChatRow {
  id: number;
  platform: string;
  chat_id: string;
  name: string;
  is_direct: number;
  collab_id: number | null;
  /** A direct chat's other person (their platform user id), once they have written in it. */
  direct_user_id: string | null;
}

export interface RoleRow {
  person_id: number;
  role: 'lead' | 'delegate' | 'facilitator';
  collab_id: number | null;
  detail: string | null;
}

export class CollabsRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      chat: db.prepare<[string, string], ChatRow>('SELECT * FROM chats WHERE platform = ? AND chat_id = ?'),
      chatById: db.prepare<[number], ChatRow>('SELECT * FROM chats WHERE id = ?'),
      insertChat: db.prepare<[string, string, string, number, string | null]>('INSERT INTO chats (platform, chat_id, name, is_direct, direct_user_id) VALUES (?, ?, ?, ?, ?)'),
      setDirectUser: db.prepare<[string, number]>('UPDATE chats SET direct_user_id = ? WHERE id = ?'),
      renameChat: db.prepare<[string, number]>('UPDATE chats SET name = ? WHERE id = ?'),
      attachChat: db.prepare<[number, number]>('UPDATE chats SET collab_id = ? WHERE id = ?'),
      chatsOf: db.prepare<[number], ChatRow>('SELECT * FROM chats WHERE collab_id = ? ORDER BY platform, name'),
      collab: db.prepare<[number], CollabRow>('SELECT * FROM collabs WHERE id = ?'),
      collabByName: db.prepare<[string], CollabRow>('SELECT * FROM collabs WHERE name = ? COLLATE NOCASE'),
      insertCollab: db.prepare<[string, number, number]>('INSERT INTO collabs (name, created_by, created_at) VALUES (?, ?, ?)'),
      setTz: db.prepare<[string, number]>('UPDATE collabs SET tz = ? WHERE id = ?'),
      collabs: db.prepare<[], CollabRow & { chats: number; members: number }>(
        `SELECT c.*, (SELECT COUNT(*) FROM chats h WHERE h.collab_id = c.id) AS chats,
                (SELECT COUNT(*) FROM members m WHERE m.collab_id = c.id) AS members
         FROM collabs c ORDER BY c.name`,
      ),
      addMember: db.prepare<[number, number, number]>('INSERT OR IGNORE INTO members (collab_id, person_id, first_seen) VALUES (?, ?, ?)'),
      isMember: db.prepare<[number, number], { one: number }>('SELECT 1 AS one FROM members WHERE collab_id = ? AND person_id = ?'),
      memberCount: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM members WHERE collab_id = ?'),
      collabsOfPerson: db.prepare<[number], { collab_id: number }>('SELECT collab_id FROM members WHERE person_id = ?'),
      mergeMembers: db.prepare<[number, number]>(
        'INSERT OR IGNORE INTO members (collab_id, person_id, first_seen) SELECT collab_id, ?, first_seen FROM members WHERE person_id = ?',
      ),
      deleteMembers: db.prepare<[number]>('DELETE FROM members WHERE person_id = ?'),

      roles: db.prepare<[number], RoleRow>('SELECT person_id, role, collab_id, detail FROM roles WHERE person_id = ?'),
      hasRole: db.prepare<[number, string, number], { one: number }>(
        'SELECT 1 AS one FROM roles WHERE person_id = ? AND role = ? AND IFNULL(collab_id, 0) = ?',
      ),
      grant: db.prepare<[number, string, number | null, string | null, number, number]>(
        'INSERT OR IGNORE INTO roles (person_id, role, collab_id, detail, granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      revoke: db.prepare<[number, string, number]>('DELETE FROM roles WHERE person_id = ? AND role = ? AND IFNULL(collab_id, 0) = ?'),
      allRoles: db.prepare<[], RoleRow & { name: string; collab_name: string | null }>(
        `SELECT r.person_id, r.role, r.collab_id, r.detail, p.display_name AS name, c.name AS collab_name
         FROM roles r JOIN people p ON p.id = r.person_id LEFT JOIN collabs c ON c.id = r.collab_id
         ORDER BY CASE r.role WHEN 'lead' THEN 1 WHEN 'delegate' THEN 2 ELSE 3 END, c.name, p.display_name`,
      ),
      holders: db.prepare<[string, number], { person_id: number }>(
        'SELECT person_id FROM roles WHERE role = ? AND IFNULL(collab_id, 0) = ? ORDER BY granted_at',
      ),
      mergeRoles: db.prepare<[number, number]>(
        `INSERT OR IGNORE INTO roles (person_id, role, collab_id, detail, granted_by, granted_at)
         SELECT ?, role, collab_id, detail, granted_by, granted_at FROM roles WHERE person_id = ?`,
      ),
      deleteRoles: db.prepare<[number]>('DELETE FROM roles WHERE person_id = ?'),

      subscribe: db.prepare<[number, string, number, number]>(
        'INSERT OR IGNORE INTO subscriptions (chat_id, topic, created_by, created_at) VALUES (?, ?, ?, ?)',
      ),
      unsubscribe: db.prepare<[number, string]>('DELETE FROM subscriptions WHERE chat_id = ? AND topic = ?'),
      subscribers: db.prepare<[string], ChatRow>(
        'SELECT h.* FROM subscriptions s JOIN chats h ON h.id = s.chat_id WHERE s.topic = ? ORDER BY h.id',
      ),
      topicsOf: db.prepare<[number], { topic: string }>('SELECT topic FROM subscriptions WHERE chat_id = ? ORDER BY topic'),
    };
  }

  chat(platform: string, chatId: string) {
    return this.s.chat.get(platform, chatId);
  }
  chatById(id: number) {
    return this.s.chatById.get(id);
  }
  insertChat(platform: string, chatId: string, name: string, isDirect: boolean, directUserId: string | null = null): number {
    return Number(this.s.insertChat.run(platform, chatId, name, isDirect ? 1 : 0, directUserId).lastInsertRowid);
  }
  setDirectUser(id: number, userId: string) {
    this.s.setDirectUser.run(userId, id);
  }
  renameChat(id: number, name: string) {
    this.s.renameChat.run(name, id);
  }
  attachChat(chatId: number, collabId: number) {
    this.s.attachChat.run(collabId, chatId);
  }
  chatsOf(collabId: number) {
    return this.s.chatsOf.all(collabId);
  }
  collab(id: number) {
    return this.s.collab.get(id);
  }
  collabByName(name: string) {
    return this.s.collabByName.get(name);
  }
  insertCollab(name: string, createdBy: number, now: number): number {
    return Number(this.s.insertCollab.run(name, createdBy, now).lastInsertRowid);
  }
  setTz(collabId: number, tz: string) {
    this.s.setTz.run(tz, collabId);
  }
  collabs() {
    return this.s.collabs.all();
  }
  addMember(collabId: number, personId: number, now: number) {
    this.s.addMember.run(collabId, personId, now);
  }
  isMember(collabId: number, personId: number) {
    return !!this.s.isMember.get(collabId, personId);
  }
  memberCount(collabId: number) {
    return this.s.memberCount.get(collabId)!.n;
  }
  collabIdsOf(personId: number) {
    return this.s.collabsOfPerson.all(personId).map((r) => r.collab_id);
  }
  rolesOf(personId: number) {
    return this.s.roles.all(personId);
  }
  hasRole(personId: number, role: string, collabId: number | null) {
    return !!this.s.hasRole.get(personId, role, collabId ?? 0);
  }
  grant(personId: number, role: string, collabId: number | null, detail: string | null, by: number, now: number) {
    return this.s.grant.run(personId, role, collabId, detail, by, now).changes > 0;
  }
  revoke(personId: number, role: string, collabId: number | null) {
    return this.s.revoke.run(personId, role, collabId ?? 0).changes > 0;
  }
  allRoles() {
    return this.s.allRoles.all();
  }
  holders(role: string, collabId: number | null) {
    return this.s.holders.all(role, collabId ?? 0).map((r) => r.person_id);
  }
  mergePerson(from: number, to: number) {
    this.s.mergeMembers.run(to, from);
    this.s.deleteMembers.run(from);
    this.s.mergeRoles.run(to, from);
    this.s.deleteRoles.run(from);
  }
  subscribe(chatId: number, topic: string, by: number, now: number) {
    return this.s.subscribe.run(chatId, topic, by, now).changes > 0;
  }
  unsubscribe(chatId: number, topic: string) {
    return this.s.unsubscribe.run(chatId, topic).changes > 0;
  }
  subscribers(topic: string) {
    return this.s.subscribers.all(topic);
  }
  topicsOf(chatId: number) {
    return this.s.topicsOf.all(chatId).map((r) => r.topic);
  }
}

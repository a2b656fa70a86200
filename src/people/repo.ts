import type { DB } from '../storage/db.js';

export interface PersonRow {
  id: number;
  display_name: string;
}

export interface IdentityRow {
  platform: string;
  user_id: string;
  person_id: number;
  display_name: string;
}

export class PeopleRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      identity: db.prepare<[string, string], IdentityRow>('SELECT platform, user_id, person_id, display_name FROM identities WHERE platform = ? AND user_id = ?'),
      insertPerson: db.prepare<[string, number]>('INSERT INTO people (display_name, created_at) VALUES (?, ?)'),
      insertIdentity: db.prepare<[string, string, number, string, number]>(
        'INSERT INTO identities (platform, user_id, person_id, display_name, updated_at) VALUES (?, ?, ?, ?, ?)',
      ),
      renameIdentity: db.prepare<[string, number, string, string]>('UPDATE identities SET display_name = ?, updated_at = ? WHERE platform = ? AND user_id = ?'),
      renamePerson: db.prepare<[string, number]>('UPDATE people SET display_name = ? WHERE id = ?'),
      person: db.prepare<[number], PersonRow>('SELECT id, display_name FROM people WHERE id = ?'),
      byName: db.prepare<[string, string], { person_id: number }>(
        'SELECT DISTINCT person_id FROM identities WHERE platform = ? AND display_name = ? COLLATE NOCASE',
      ),
      identitiesOf: db.prepare<[number], IdentityRow>('SELECT platform, user_id, person_id, display_name FROM identities WHERE person_id = ? ORDER BY platform'),
      moveIdentities: db.prepare<[number, number]>('UPDATE identities SET person_id = ? WHERE person_id = ?'),
      markMerged: db.prepare<[number, number]>('UPDATE people SET merged_into = ? WHERE id = ?'),
      insertCode: db.prepare<[string, number, number]>('INSERT INTO link_codes (code, person_id, expires_at) VALUES (?, ?, ?)'),
      code: db.prepare<[string], { person_id: number; expires_at: number }>('SELECT person_id, expires_at FROM link_codes WHERE code = ?'),
      deleteCode: db.prepare<[string]>('DELETE FROM link_codes WHERE code = ?'),
      deleteExpiredCodes: db.prepare<[number]>('DELETE FROM link_codes WHERE expires_at < ?'),
      deleteCodesOf: db.prepare<[number]>('DELETE FROM link_codes WHERE person_id = ?'),
    };
  }

  identity(platform: string, userId: string) {
    return this.s.identity.get(platform, userId);
  }
  createPerson(displayName: string, now: number): number {
    return Number(this.s.insertPerson.run(displayName, now).lastInsertRowid);
  }
  addIdentity(platform: string, userId: string, personId: number, displayName: string, now: number) {
    this.s.insertIdentity.run(platform, userId, personId, displayName, now);
  }
  renameIdentity(platform: string, userId: string, displayName: string, now: number) {
    this.s.renameIdentity.run(displayName, now, platform, userId);
  }
  renamePerson(personId: number, displayName: string) {
    this.s.renamePerson.run(displayName, personId);
  }
  person(id: number) {
    return this.s.person.get(id);
  }
  personIdsByName(platform: string, name: string): number[] {
    return this.s.byName.all(platform, name).map((r) => r.person_id);
  }
  identitiesOf(personId: number) {
    return this.s.identitiesOf.all(personId);
  }
  moveIdentities(from: number, to: number) {
    this.s.moveIdentities.run(to, from);
    this.s.markMerged.run(to, from);
  }
  saveCode(code: string, personId: number, expiresAt: number, now: number) {
    this.s.deleteExpiredCodes.run(now);
    this.s.deleteCodesOf.run(personId);
    this.s.insertCode.run(code, personId, expiresAt);
  }
  takeCode(code: string) {
    const row = this.s.code.get(code);
    if (row) this.s.deleteCode.run(code);
    return row;
  }
}

// SQL for /link's confirmation, wrong-code budget and undo (migration 152).
import type { DB } from '../storage/db.js';

export type RoleTuple = [role: string, collabId: number | null, detail: string | null];

export interface LinkRow {
  id: number;
  into_person: number;
  from_person: number;
  identities: string;
  into_roles: string;
  from_roles: string;
  linked_at: number;
}

export class LinksRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      code: db.prepare<[string], { code: string; person_id: number; expires_at: number; claimed_by: number | null }>('SELECT * FROM link_codes WHERE code = ?'),
      claimedOf: db.prepare<[number, number], { code: string; person_id: number; expires_at: number; claimed_by: number }>(
        'SELECT * FROM link_codes WHERE person_id = ? AND claimed_by IS NOT NULL AND expires_at >= ? ORDER BY expires_at DESC LIMIT 1',
      ),
      claim: db.prepare<[number, string]>('UPDATE link_codes SET claimed_by = ? WHERE code = ? AND claimed_by IS NULL'),
      deleteCode: db.prepare<[string]>('DELETE FROM link_codes WHERE code = ?'),
      deleteAllCodes: db.prepare('DELETE FROM link_codes'),
      addWrong: db.prepare<[number]>('INSERT INTO link_wrong_tries (at) VALUES (?)'),
      wrongSince: db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM link_wrong_tries WHERE at >= ?'),
      clearWrong: db.prepare('DELETE FROM link_wrong_tries'),
      roles: db.prepare<[number], { role: string; collab_id: number | null; detail: string | null }>('SELECT role, collab_id, detail FROM roles WHERE person_id = ? ORDER BY id'),
      dropRole: db.prepare<[number, string, number | null]>('DELETE FROM roles WHERE person_id = ? AND role = ? AND IFNULL(collab_id, 0) = IFNULL(?, 0)'),
      addRole: db.prepare<[number, string, number | null, string | null, number]>(
        'INSERT OR IGNORE INTO roles (person_id, role, collab_id, detail, granted_by, granted_at) VALUES (?, ?, ?, ?, NULL, ?)',
      ),
      insertLink: db.prepare<[number, number, string, string, string, number]>(
        'INSERT INTO person_links (into_person, from_person, identities, into_roles, from_roles, linked_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      latestLink: db.prepare<[number, number], LinkRow>(
        'SELECT * FROM person_links WHERE into_person = ? AND undone_at IS NULL AND linked_at >= ? ORDER BY linked_at DESC, id DESC LIMIT 1',
      ),
      undoLink: db.prepare<[number, number | null, number]>('UPDATE person_links SET undone_at = ?, undone_by = ? WHERE id = ?'),
      moveIdentity: db.prepare<[number, string, string]>('UPDATE identities SET person_id = ? WHERE platform = ? AND user_id = ?'),
      unmerge: db.prepare<[number]>('UPDATE people SET merged_into = NULL WHERE id = ?'),
    };
  }
  code(code: string) {
    return this.s.code.get(code);
  }
  claimedCodeOf(personId: number, now: number) {
    return this.s.claimedOf.get(personId, now);
  }
  claim(code: string, by: number) {
    return this.s.claim.run(by, code).changes === 1;
  }
  deleteCode(code: string) {
    this.s.deleteCode.run(code);
  }
  /** Count a wrong try; returns how many there were since `since`, this one included. */
  wrongTry(now: number, since: number): number {
    this.s.addWrong.run(now);
    return this.s.wrongSince.get(since)!.n;
  }
  /** Too many wrong tries: every live code dies, and the count starts again. */
  killAllCodes() {
    this.s.deleteAllCodes.run();
    this.s.clearWrong.run();
  }
  roles(personId: number): RoleTuple[] {
    return this.s.roles.all(personId).map((r) => [r.role, r.collab_id, r.detail]);
  }
  dropRole(personId: number, [role, collabId]: RoleTuple) {
    this.s.dropRole.run(personId, role, collabId);
  }
  addRole(personId: number, [role, collabId, detail]: RoleTuple, now: number) {
    this.s.addRole.run(personId, role, collabId, detail, now);
  }
  recordLink(into: number, from: number, identities: [string, string][], intoRoles: RoleTuple[], fromRoles: RoleTuple[], now: number) {
    this.s.insertLink.run(into, from, JSON.stringify(identities), JSON.stringify(intoRoles), JSON.stringify(fromRoles), now);
  }
  latestLink(personId: number, since: number) {
    return this.s.latestLink.get(personId, since);
  }
  markUndone(id: number, now: number, by: number | null) {
    this.s.undoLink.run(now, by, id);
  }
  moveIdentity(to: number, platform: string, userId: string) {
    this.s.moveIdentity.run(to, platform, userId);
  }
  unmerge(personId: number) {
    this.s.unmerge.run(personId);
  }
}

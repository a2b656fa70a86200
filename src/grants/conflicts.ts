// Conflicts of interest recorded when a grant is requested (migration 151).
import type { DB } from '../storage/db.js';

export type ConflictReason = 'requester' | 'facilitator';

export class GrantConflictsRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      add: db.prepare<[number, number, ConflictReason]>('INSERT OR IGNORE INTO grant_conflicts (grant_id, person_id, reason) VALUES (?, ?, ?)'),
      of: db.prepare<[number, number], { reason: ConflictReason }>('SELECT reason FROM grant_conflicts WHERE grant_id = ? AND person_id = ?'),
      // Two accounts become one person: the person keeps every conflict of both.
      copy: db.prepare<[number, number]>('INSERT OR IGNORE INTO grant_conflicts (grant_id, person_id, reason) SELECT grant_id, ?, reason FROM grant_conflicts WHERE person_id = ?'),
      drop: db.prepare<[number]>('DELETE FROM grant_conflicts WHERE person_id = ?'),
    };
  }
  add(grantId: number, personId: number, reason: ConflictReason) {
    this.s.add.run(grantId, personId, reason);
  }
  reason(grantId: number, personId: number): ConflictReason | undefined {
    return this.s.of.get(grantId, personId)?.reason;
  }
  mergePerson(from: number, to: number) {
    this.s.copy.run(to, from);
    this.s.drop.run(from);
  }
}

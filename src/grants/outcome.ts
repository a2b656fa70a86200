// A grant's outcome tag (/grant outcome N tag): one of the outcome tags stories
// and measures use, so the site can show grants per outcome before any report.
import type { DB } from '../storage/db.js';
import type { OutcomeRow } from '../stories/repo.js';

export class GrantOutcomes {
  private s;
  constructor(deps: { db: DB }) {
    this.s = {
      set: deps.db.prepare<[string, number]>('UPDATE grants SET outcome = ? WHERE id = ?'),
      get: deps.db.prepare<[number], { outcome: string | null }>('SELECT outcome FROM grants WHERE id = ?'),
    };
  }

  /** Returns false when the grant already had this outcome. */
  set(grantId: number, outcome: OutcomeRow): boolean {
    if (this.s.get.get(grantId)?.outcome === outcome.slug) return false;
    this.s.set.run(outcome.slug, grantId);
    return true;
  }
}

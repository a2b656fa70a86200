// `/actions done`: a collab's finished action items, most recently finished first.
import type { DB } from '../storage/db.js';
import { ACTION_VIEW, type ActionView } from './repo.js';

export const DONE_SHOWN = 30;

export class DoneActionsRepo {
  private doneOfCollab;
  constructor(db: DB) {
    this.doneOfCollab = db.prepare<[number, number], ActionView>(`${ACTION_VIEW} WHERE x.collab_id = ? AND x.status = 'done' ORDER BY x.closed_at DESC, x.id DESC LIMIT ?`);
  }

  /** The latest finished actions of a collab (at most `limit`). */
  ofCollab(collabId: number, limit = DONE_SHOWN): ActionView[] {
    return this.doneOfCollab.all(collabId, limit);
  }
}

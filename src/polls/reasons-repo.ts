// SQL for reasons given with votes and for editing and deleting polls:
// prepared statements only. Reasons are keyed by ballot token, never by person.
import type { DB } from '../storage/db.js';

export interface ReasonRow {
  option_idx: number;
  reason: string;
  /** The voter's name (named polls only). */
  name: string | null;
}

export class PollExtrasRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      insertReason: db.prepare<[number, string, number, string]>('INSERT OR REPLACE INTO poll_reasons (poll_id, ballot, option_idx, reason) VALUES (?, ?, ?, ?)'),
      // Named polls: the voter's current display name beside each reason, oldest vote first.
      namedReasons: db.prepare<[number], ReasonRow>(
        `SELECT r.option_idx, r.reason, p.display_name AS name FROM poll_reasons r
         JOIN poll_voters v ON v.poll_id = r.poll_id AND v.ballot = r.ballot
         JOIN people p ON p.id = v.person_id
         WHERE r.poll_id = ? ORDER BY v.voted_at, p.display_name`,
      ),
      // Anonymous polls: no names, in the order of the random ballot tokens (says nothing about who or when).
      anonymousReasons: db.prepare<[number], ReasonRow>('SELECT option_idx, reason, NULL AS name FROM poll_reasons WHERE poll_id = ? ORDER BY ballot'),
      setQuestion: db.prepare<[string, number]>('UPDATE polls SET question = ? WHERE id = ?'),
      deleteOptions: db.prepare<[number]>('DELETE FROM poll_options WHERE poll_id = ?'),
      insertOption: db.prepare<[number, number, string]>('INSERT INTO poll_options (poll_id, idx, label) VALUES (?, ?, ?)'),
      markDeleted: db.prepare<[number, number, number]>(`UPDATE polls SET status = 'closed', deleted_at = ?, closed_at = ? WHERE id = ?`),
      markCancelled: db.prepare<[{ at: number; by: number | null; id: number }]>(
        `UPDATE polls SET status = 'closed', cancelled_at = @at, cancelled_by = @by, closed_at = @at, closed_by = @by WHERE id = @id`,
      ),
      voterIds: db.prepare<[number], { person_id: number }>('SELECT person_id FROM poll_voters WHERE poll_id = ? ORDER BY person_id'),
    };
  }

  addReason(pollId: number, ballot: string, optionIdx: number, reason: string) {
    this.s.insertReason.run(pollId, ballot, optionIdx, reason);
  }

  reasons(pollId: number, anonymous: boolean): ReasonRow[] {
    return (anonymous ? this.s.anonymousReasons : this.s.namedReasons).all(pollId);
  }

  replaceQuestion(pollId: number, question: string, options: string[]) {
    this.s.setQuestion.run(question, pollId);
    this.s.deleteOptions.run(pollId);
    options.forEach((label, i) => this.s.insertOption.run(pollId, i + 1, label));
  }

  markDeleted(pollId: number, at: number) {
    this.s.markDeleted.run(at, at, pollId);
  }

  markCancelled(pollId: number, at: number, by: number | null) {
    this.s.markCancelled.run({ at, by, id: pollId });
  }

  voterIds(pollId: number): number[] {
    return this.s.voterIds.all(pollId).map((r) => r.person_id);
  }
}

// SQL for the seats and seed of stv polls (migration 180). The ballots of an
// stv poll are read like any ranked poll's, through PollsRepo.rankings.
import type { DB } from '../storage/db.js';

export interface StvPollRow {
  poll_id: number;
  seats: number;
  seed: string;
}

export class StvPollsRepo {
  private s;
  constructor(db: DB) {
    this.s = {
      insert: db.prepare<[number, number, string]>('INSERT INTO poll_stv (poll_id, seats, seed) VALUES (?, ?, ?)'),
      get: db.prepare<[number], StvPollRow>('SELECT * FROM poll_stv WHERE poll_id = ?'),
    };
  }
  insert(pollId: number, seats: number, seed: string) {
    this.s.insert.run(pollId, seats, seed);
  }
  get(pollId: number): StvPollRow | undefined {
    return this.s.get.get(pollId);
  }
}

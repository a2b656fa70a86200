// Anonymous ballots (migration 150): one row per poll, its ballots a JSON list
// in random order. Each new ballot goes in at a random place and the whole row
// is rewritten, so the position of a ballot says nothing about when it was cast;
// with secure_delete on, the old row's bytes are zeroed, and `scrubAfterCommit`
// truncates the WAL so no earlier image of the row survives the command.
// Counts are computed here when shown or closed (no running tallies, whose
// per-vote updates would date each ballot in the WAL).
import { randomInt } from 'node:crypto';
import type { DB } from '../storage/db.js';
import type { BallotEntry } from './ballot.js';
import type { ReasonRow } from './reasons-repo.js';
import type { OptionCount } from './tally.js';

type Stored = [idx: number, value: number][];
/** A reason given with an anonymous vote, and the option it explains (migration 172). */
type StoredReason = [option: number, reason: string];

export class AnonymousBallots {
  private s;
  private scrubPending = false;

  constructor(private db: DB) {
    this.s = {
      get: db.prepare<[number], { ballots: string; reasons: string }>('SELECT ballots, reasons FROM poll_anonymous_ballots WHERE poll_id = ?'),
      put: db.prepare<[number, string, string]>(
        `INSERT INTO poll_anonymous_ballots (poll_id, ballots, reasons) VALUES (?, ?, ?)
         ON CONFLICT (poll_id) DO UPDATE SET ballots = excluded.ballots, reasons = excluded.reasons`,
      ),
    };
  }

  private stored(pollId: number): { ballots: Stored[]; reasons: StoredReason[] } {
    const row = this.s.get.get(pollId);
    return row ? { ballots: JSON.parse(row.ballots) as Stored[], reasons: JSON.parse(row.reasons) as StoredReason[] } : { ballots: [], reasons: [] };
  }

  private read(pollId: number): Stored[] {
    return this.stored(pollId).ballots;
  }

  /**
   * Add one ballot at a random place among the others, and its reason, if any,
   * at a random place in the list of reasons (shuffled apart from the ballots).
   */
  add(pollId: number, entries: BallotEntry[], why?: { option: number; reason: string }) {
    const { ballots, reasons } = this.stored(pollId);
    ballots.splice(randomInt(ballots.length + 1), 0, entries.map((e) => [e.idx, e.value]));
    if (why) reasons.splice(randomInt(reasons.length + 1), 0, [why.option, why.reason]);
    this.s.put.run(pollId, JSON.stringify(ballots), JSON.stringify(reasons));
    this.scrubPending = true;
  }

  /** Every ballot, in the stored (random) order. */
  all(pollId: number): BallotEntry[][] {
    return this.read(pollId).map((b) => b.map(([idx, value]) => ({ idx, value })));
  }

  /** Ballots (or scores) per option and the mean value, as the running tallies give them for named polls. */
  counts(pollId: number): OptionCount[] {
    const by = new Map<number, { n: number; total: number }>();
    for (const b of this.read(pollId)) {
      for (const [idx, value] of b) {
        const c = by.get(idx) ?? { n: 0, total: 0 };
        c.n++;
        c.total += value;
        by.set(idx, c);
      }
    }
    return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([idx, c]) => ({ idx, n: c.n, mean: c.total / c.n }));
  }

  firstPreferences(pollId: number): OptionCount[] {
    const by = new Map<number, number>();
    for (const b of this.read(pollId)) for (const [idx, value] of b) if (value === 1) by.set(idx, (by.get(idx) ?? 0) + 1);
    return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([idx, n]) => ({ idx, n }));
  }

  /** The reasons given, in the list's random order, with no name. */
  reasons(pollId: number): ReasonRow[] {
    return this.stored(pollId).reasons.map(([option_idx, reason]) => ({ option_idx, reason, name: null }));
  }

  /** Every ranking, favourite first. */
  rankings(pollId: number): number[][] {
    return this.read(pollId).map((b) => [...b].sort((x, y) => x[1] - y[1]).map(([idx]) => idx));
  }

  /**
   * After the command's transaction has committed: fold the WAL into the main
   * file and truncate it, so the images of the ballots row written by this vote
   * (which show the new ballot's place) do not stay in the WAL.
   */
  scrubAfterCommit() {
    if (!this.scrubPending || this.db.inTransaction) return;
    // A reader (the site's read-only connection, a backup) can keep the WAL from being truncated: then try again after the next command.
    const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    this.scrubPending = !!result?.busy;
  }
}

// Storing ballots: a named ballot (one per person, changed by voting again, or
// withdrawn), or an anonymous one (final; kept in the poll's shuffled list, see
// anonymous-ballots.ts, with only the fact of voting in poll_voters).
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import type { AnonymousBallots } from './anonymous-ballots.js';
import { describeBallot, sameBallot, type BallotEntry, type Option } from './ballot.js';
import type { PollRow, PollsRepo } from './repo.js';

/** What casting did (the service adds the poll's state for the reply). */
export type Cast =
  | { kind: 'new' | 'same'; ballot: string }
  | { kind: 'changed'; ballot: string; previous: string }
  | { kind: 'anonymous' };

export class BallotBox {
  constructor(
    private repo: PollsRepo,
    private anonymous: AnonymousBallots,
  ) {}

  cast(poll: PollRow, personId: number, entries: BallotEntry[], options: Option[], now: number): Cast {
    const existing = this.repo.voter(poll.id, personId);
    if (poll.anonymous) {
      if (existing) {
        throw new UserError(
          `You have already voted in poll #${poll.id}. It is anonymous, so your vote is final: nobody, not even me, can find your ballot to change it.`,
        );
      }
      this.repo.addVoter(poll.id, personId, null, null);
      this.anonymous.add(poll.id, entries);
      return { kind: 'anonymous' };
    }
    const shape = { type: poll.type, options };
    const described = describeBallot(shape, entries);
    if (existing?.ballot) {
      const before = this.repo.ballot(poll.id, existing.ballot);
      if (sameBallot(before, entries)) return { kind: 'same', ballot: described };
      this.repo.deleteBallot(poll.id, existing.ballot);
      const ballot = newBallotId();
      this.repo.insertBallot(poll.id, ballot, entries);
      this.repo.updateVoter(poll.id, personId, ballot, now);
      return { kind: 'changed', ballot: described, previous: describeBallot(shape, before) };
    }
    const ballot = newBallotId();
    this.repo.addVoter(poll.id, personId, ballot, now);
    this.repo.insertBallot(poll.id, ballot, entries);
    return { kind: 'new', ballot: described };
  }

  /** Take a named vote back. Anonymous votes are final. */
  withdraw(poll: PollRow, personId: number) {
    const existing = this.repo.voter(poll.id, personId);
    if (poll.anonymous) {
      throw new UserError(
        existing
          ? `Poll #${poll.id} is anonymous, so your vote is final: nobody, not even me, can find your ballot to take it back.`
          : `You haven't voted in poll #${poll.id}, so there is nothing to take back.`,
      );
    }
    if (!existing) throw new UserError(`You haven't voted in poll #${poll.id}, so there is nothing to take back. To vote: /vote ${poll.id} 1`);
    if (existing.ballot) this.repo.deleteBallot(poll.id, existing.ballot);
    this.repo.deleteVoter(poll.id, personId);
  }

  /** After the command's transaction has committed: no trace in the WAL of where an anonymous ballot went. */
  scrubAfterCommit() {
    this.anonymous.scrubAfterCommit();
  }
}

/** A random ballot id: names no one, and sorts ballots in no meaningful order. */
function newBallotId(): string {
  return randomBytes(12).toString('base64url');
}

// Storing ballots: a named ballot (one per person, changed by voting again, or
// withdrawn), or an anonymous one (final; kept in the poll's shuffled list, see
// anonymous-ballots.ts, with only the fact of voting in poll_voters), each with
// the reason given with it. A block needs a reason; changing a vote replaces it.
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import type { AnonymousBallots } from './anonymous-ballots.js';
import { describeBallot, sameBallot, type BallotEntry, type Option } from './ballot.js';
import { checkReason, keepReason, reasonOption } from './reasons.js';
import type { PollExtrasRepo } from './reasons-repo.js';
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
    private extras: PollExtrasRepo,
  ) {}

  cast(poll: PollRow, personId: number, entries: BallotEntry[], options: Option[], reason: string | undefined, now: number): Cast {
    const existing = this.repo.voter(poll.id, personId);
    const before = existing?.ballot ? this.repo.ballot(poll.id, existing.ballot) : undefined;
    const keepsReason = !!before && sameBallot(before, entries);
    checkReason(poll, options, entries, reason, keepsReason);
    const keep = (ballot: string) => keepReason(this.extras, poll.id, ballot, poll.type, entries, reason);
    if (poll.anonymous) {
      if (existing) {
        throw new UserError(
          `You have already voted in poll #${poll.id}. It is anonymous, so your vote is final: nobody, not even me, can find your ballot to change it.`,
        );
      }
      this.repo.addVoter(poll.id, personId, null, null);
      this.anonymous.add(poll.id, entries, reason ? { option: reasonOption(poll.type, entries), reason } : undefined);
      return { kind: 'anonymous' };
    }
    const shape = { type: poll.type, options };
    const described = describeBallot(shape, entries);
    if (existing?.ballot && before) {
      if (keepsReason) {
        keep(existing.ballot);
        return { kind: 'same', ballot: described };
      }
      this.repo.deleteBallot(poll.id, existing.ballot); // its reason goes with it
      const ballot = newBallotId();
      this.repo.insertBallot(poll.id, ballot, entries);
      keep(ballot);
      this.repo.updateVoter(poll.id, personId, ballot, now);
      return { kind: 'changed', ballot: described, previous: describeBallot(shape, before) };
    }
    const ballot = newBallotId();
    this.repo.addVoter(poll.id, personId, ballot, now);
    this.repo.insertBallot(poll.id, ballot, entries);
    keep(ballot);
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
  // Random bytes drawn 4 KB at a time: one call each cost more than the rest of casting a vote.
  if (poolAt + 12 > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  const id = pool.toString('base64url', poolAt, poolAt + 12);
  pool.fill(0, poolAt, poolAt + 12); // not left in memory once used
  poolAt += 12;
  return id;
}
let pool = Buffer.alloc(0);
let poolAt = 0;

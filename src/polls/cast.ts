// Writing a ballot: a first vote, a changed vote, the same vote again, or an
// anonymous vote (final, linked to nobody), with the reason given with it.
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import { describeBallot, sameBallot, type BallotEntry, type Option } from './ballot.js';
import { checkReason, keepReason } from './reasons.js';
import type { PollExtrasRepo } from './reasons-repo.js';
import type { PollRow, PollsRepo } from './repo.js';

export type Cast =
  | { kind: 'new' | 'same'; ballot: string }
  | { kind: 'changed'; ballot: string; previous: string }
  | { kind: 'anonymous' };

/** Record `entries` as this person's vote; a block needs a reason, and changing the vote replaces the reason. */
export function castBallot(
  repos: { repo: PollsRepo; extras: PollExtrasRepo },
  poll: PollRow,
  personId: number,
  options: Option[],
  entries: BallotEntry[],
  reason: string | undefined,
  now: number,
): Cast {
  const { repo, extras } = repos;
  const shape = { type: poll.type, options };
  const existing = repo.voter(poll.id, personId);
  const before = existing?.ballot ? repo.ballot(poll.id, existing.ballot) : undefined;
  const keepsReason = !!before && sameBallot(before, entries);
  checkReason(poll, options, entries, reason, keepsReason);
  const keep = (ballot: string) => keepReason(extras, poll.id, ballot, poll.type, entries, reason);

  if (poll.anonymous) {
    if (existing) {
      throw new UserError(
        `You have already voted in poll #${poll.id}. It is anonymous, so your vote is final: nobody, not even me, can find your ballot to change it.`,
      );
    }
    repo.addVoter(poll.id, personId, null, null);
    const ballot = newBallotId();
    repo.insertBallot(poll.id, ballot, entries);
    keep(ballot);
    return { kind: 'anonymous' };
  }

  const described = describeBallot(shape, entries);
  if (existing?.ballot && before) {
    if (keepsReason) {
      keep(existing.ballot);
      return { kind: 'same', ballot: described };
    }
    repo.deleteBallot(poll.id, existing.ballot); // its reason goes with it
    const ballot = newBallotId();
    repo.insertBallot(poll.id, ballot, entries);
    keep(ballot);
    repo.updateVoter(poll.id, personId, ballot, now);
    return { kind: 'changed', ballot: described, previous: describeBallot(shape, before) };
  }
  const ballot = newBallotId();
  repo.addVoter(poll.id, personId, ballot, now);
  repo.insertBallot(poll.id, ballot, entries);
  keep(ballot);
  return { kind: 'new', ballot: described };
}

/** A random ballot id: names no one, and sorts ballots in no meaningful order. */
function newBallotId(): string {
  return randomBytes(12).toString('base64url');
}

// Two accounts became one person (/link). In open named polls where both voted,
// the later ballot stands (as if they had voted again). Anonymous ballots cannot
// be told apart, and closed polls are not recounted: there both ballots stay,
// and the results note it.
import type { PollsRepo } from './repo.js';

/** Moves `from`'s votes to `to`; returns the polls whose counts changed. */
export function mergeVoters(repo: PollsRepo, from: number, to: number): Set<number> {
  const touched = new Set<number>();
  for (const row of repo.bothVoted(from, to)) {
    const poll = repo.poll(row.poll_id)!;
    touched.add(poll.id);
    if (row.anonymous || poll.status === 'closed') {
      repo.deleteVoter(poll.id, from);
      repo.countLinkedDouble(poll.id);
    } else if ((row.from_at ?? 0) > (row.to_at ?? 0)) {
      if (row.to_ballot) repo.deleteBallot(poll.id, row.to_ballot);
      repo.deleteVoter(poll.id, to);
    } else {
      if (row.from_ballot) repo.deleteBallot(poll.id, row.from_ballot);
      repo.deleteVoter(poll.id, from);
    }
  }
  repo.movePerson(from, to);
  return touched;
}

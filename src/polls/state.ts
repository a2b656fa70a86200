// A poll's result and what its message shows, read from the repository.
import type { PollState } from './render.js';
import type { PollRow, PollsRepo } from './repo.js';
import { buildResult, type PollResult } from './tally.js';
import type { Option } from './ballot.js';
import type { StvPollRow } from './stv-repo.js';

/** The result now. Full instant-runoff only when asked (it reads every ranking). */
export function pollResult(
  repo: PollsRepo,
  poll: PollRow,
  opts: { runoff?: boolean; stv?: StvPollRow } = {},
  options: Option[] = repo.options(poll.id),
): PollResult {
  const ranked = poll.type === 'ranked';
  // Each different ranking once, with how many ballots have it.
  const rankings = ranked && opts.runoff ? repo.rankings(poll.id) : undefined;
  return buildResult({
    type: poll.type,
    options,
    counts: ranked ? repo.firstPreferences(poll.id) : repo.counts(poll.id),
    voters: repo.voterCount(poll.id),
    quorum: poll.quorum,
    rankings: rankings?.rankings,
    rankingWeights: rankings?.weights,
    stv: ranked ? opts.stv : undefined,
  });
}

/** Everything the poll's message shows; counts only where they may be seen. */
/** `opts.stv`: the seats and seed of an stv poll. */
export function pollState(repo: PollsRepo, poll: PollRow, tz: string, opts: { runoff?: boolean; stv?: StvPollRow } = {}): PollState {
  const closed = poll.status === 'closed';
  const countsVisible = closed || (!poll.hidden && !poll.anonymous);
  const options = repo.options(poll.id);
  const result = pollResult(repo, poll, opts, options);
  return {
    poll,
    options,
    result,
    countsVisible,
    // Named only where there is a block to show (this runs after every vote).
    blockers: result.proposal?.block && !poll.anonymous && countsVisible ? repo.blockers(poll.id) : undefined,
    tz,
    stv: opts.stv,
  };
}

// A poll's result and what its message shows, read from the repository (and,
// for anonymous polls, from their ballots list).
import type { AnonymousBallots } from './anonymous-ballots.js';
import type { PollState } from './render.js';
import type { PollRow, PollsRepo } from './repo.js';
import { buildResult, type PollResult } from './tally.js';
import type { Option } from './ballot.js';
import type { StvPollRow } from './stv-repo.js';

/** Where a poll's ballots and rules are read from. */
export interface PollSources {
  repo: PollsRepo;
  /** Ballots of anonymous polls (kept apart: see anonymous-ballots.ts). */
  anonymous: AnonymousBallots;
  /** How many must vote: a feature's rule (e.g. half the leads), else the poll's --quorum. */
  quorum: (poll: PollRow) => number | null;
  /** Lines a feature adds under the options, e.g. the rule that decides a grant. */
  notes: (poll: PollRow) => string[];
}

/** The result now. Full instant-runoff only when asked (it reads every ranking). */
export function pollResult(
  src: PollSources,
  poll: PollRow,
  opts: { runoff?: boolean; stv?: StvPollRow; uncounted?: boolean } = {},
  options: Option[] = src.repo.options(poll.id),
): PollResult {
  const ranked = poll.type === 'ranked';
  // Anonymous polls are counted from their ballots list, and not after each vote (no counts are shown then).
  const secret = !!opts.uncounted;
  const ballots = poll.anonymous ? src.anonymous : src.repo;
  // Named polls: each different ranking once, with how many ballots have it; anonymous polls: every ballot's.
  const runoff = ranked && opts.runoff && !secret;
  const rankings = !runoff ? undefined : poll.anonymous ? { rankings: src.anonymous.rankings(poll.id), weights: undefined } : src.repo.rankings(poll.id);
  return buildResult({
    type: poll.type,
    options,
    counts: secret ? [] : ranked ? ballots.firstPreferences(poll.id) : ballots.counts(poll.id),
    voters: src.repo.voterCount(poll.id),
    quorum: src.quorum(poll),
    rankings: rankings?.rankings,
    rankingWeights: rankings?.weights,
    stv: ranked ? opts.stv : undefined,
  });
}

/** Everything the poll's message shows; counts only where they may be seen. */
/** `opts.stv`: the seats and seed of an stv poll. */
export function pollState(src: PollSources, poll: PollRow, tz: string, opts: { runoff?: boolean; stv?: StvPollRow } = {}): PollState {
  const closed = poll.status === 'closed';
  const countsVisible = closed || (!poll.hidden && !poll.anonymous);
  const options = src.repo.options(poll.id);
  const result = pollResult(src, poll, { ...opts, uncounted: !!poll.anonymous && !countsVisible }, options);
  return {
    poll,
    options,
    result,
    countsVisible,
    // Named only where there is a block to show (this runs after every vote).
    blockers: result.proposal?.block && !poll.anonymous && countsVisible ? src.repo.blockers(poll.id) : undefined,
    tz,
    stv: opts.stv,
    notes: src.notes(poll),
  };
}

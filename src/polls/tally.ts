// Counting rules, as pure functions over what the repository reads: counts per
// option (computed in SQL) for choice, proposal and score polls, and the ballots
// themselves for ranked polls (instant-runoff needs every ranking).
import { countStv, type StvResult } from './stv.js';

/** Counts per option, as SQL returns them. `mean` only for score polls. */
export interface OptionCount {
  idx: number;
  n: number;
  mean?: number | null;
}

export interface ProposalCounts {
  agree: number;
  abstain: number;
  disagree: number;
  block: number;
  /** See `proposalPasses`. */
  passed: boolean;
}

/** Proposal options, in order; their indexes are 1..4. */
export const PROPOSAL_OPTIONS = ['Agree', 'Abstain', 'Disagree', 'Block'] as const;

/**
 * A proposal passes when nobody blocks it, more people agree than disagree, and
 * (if the poll has a quorum) at least that many people voted. Abstentions count
 * towards the quorum but neither for nor against.
 */
export function proposalPasses(c: Omit<ProposalCounts, 'passed'>, voters: number, quorum: number | null): boolean {
  return c.block === 0 && c.agree > c.disagree && (quorum === null || voters >= quorum);
}

export function proposalCounts(counts: OptionCount[], voters: number, quorum: number | null): ProposalCounts {
  const at = (i: number) => counts.find((c) => c.idx === i)?.n ?? 0;
  const c = { agree: at(1), abstain: at(2), disagree: at(3), block: at(4) };
  return { ...c, passed: proposalPasses(c, voters, quorum) };
}

/** The options with the highest value (several on a tie); none when there is nothing to compare. */
export function leaders(values: { idx: number; value: number }[]): number[] {
  if (!values.length) return [];
  const best = Math.max(...values.map((v) => v.value));
  return values.filter((v) => v.value === best).map((v) => v.idx);
}

// ---------------------------------------------------------------------------
// Instant-runoff.
//
// Rules (stated in docs/guide/polls.md too):
// - Each round, every ballot counts for its highest-ranked option still in the
//   race. A ballot that ranks no option still in the race is exhausted and no
//   longer counts; majorities are of the ballots still counting.
// - An option with more than half of the ballots counting in a round wins.
// - Otherwise the option with the fewest votes is out. Options so far behind
//   that together they have fewer votes than the next option all go out at once
//   (none of them could win, so this changes no result, only skips rounds).
// - A tie for fewest votes is broken by the previous rounds: the tied option
//   with fewer votes in the latest round where they differed goes out; if they
//   tied in every round, the one listed later in the poll goes out.
// - If every option still in the race has the same number of votes (including
//   the last two), the poll is a tie between them: no winner.

export interface RunoffRound {
  /** Votes per option still in the race this round, in option order. */
  counts: { idx: number; votes: number }[];
  /** Ballots still counting this round. */
  active: number;
  /** Ballots with no option left in the race (cumulative). */
  exhausted: number;
  /** Options that went out at the end of this round. */
  eliminated: number[];
  /** How the elimination was decided, when it was a tie. */
  tieBreak?: 'earlier-rounds' | 'poll-order';
}

export interface RunoffResult {
  rounds: RunoffRound[];
  /** The option that won, if any. */
  winner?: number;
  /** Options tied at the end (no winner), if it ended in a tie. */
  tie?: number[];
  ballots: number;
}

/**
 * @param ballots each an ordering of option indexes, favourite first
 * @param options the poll's option indexes, in poll order
 * @param weights how many ballots each ranking stands for (default 1 each):
 *   identical rankings counted once with their number, as the repository stores them
 */
export function instantRunoff(ballots: number[][], options: number[], weights?: number[]): RunoffResult {
  const max = Math.max(...options);
  const live = new Uint8Array(max + 1);
  for (const i of options) live[i] = 1;
  const known = (i: number) => i >= 0 && i <= max && live[i] === 1;
  // Rankings of options the poll does not have are ignored.
  const counting: number[][] = [];
  const weight: number[] = [];
  ballots.forEach((b, k) => {
    const kept = b.every(known) ? b : b.filter(known);
    if (kept.length) counting.push(kept), weight.push(weights?.[k] ?? 1);
  });
  const total = weight.reduce((a, w) => a + w, 0);
  const rounds: RunoffRound[] = [];
  const result: RunoffResult = { rounds, ballots: total };
  if (!counting.length) return result;

  const inRace = new Set(options);
  // Where each ballot currently stands, so each round is one pass over the ballots.
  const pos = new Uint16Array(counting.length);
  for (;;) {
    const tally = new Float64Array(max + 1);
    let active = 0;
    for (let b = 0; b < counting.length; b++) {
      const ballot = counting[b]!;
      let p = pos[b]!;
      while (p < ballot.length && !live[ballot[p]!]) p++;
      pos[b] = p;
      if (p >= ballot.length) continue;
      tally[ballot[p]!]! += weight[b]!;
      active += weight[b]!;
    }
    const votes = new Map<number, number>([...inRace].map((i) => [i, tally[i]!]));
    const counts = options.filter((i) => inRace.has(i)).map((idx) => ({ idx, votes: votes.get(idx)! }));
    const round: RunoffRound = { counts, active, exhausted: total - active, eliminated: [] };
    rounds.push(round);

    const top = counts.reduce((a, c) => (c.votes > a.votes ? c : a));
    if (top.votes * 2 > active) {
      result.winner = top.idx;
      return result;
    }
    if (counts.every((c) => c.votes === counts[0]!.votes)) {
      result.tie = counts.map((c) => c.idx);
      return result;
    }
    const bulk = bulkExclusion(counts);
    if (bulk) round.eliminated = bulk;
    else {
      const { idx, how } = breakTie(counts, rounds, options);
      round.eliminated = [idx];
      round.tieBreak = how;
    }
    const out = round.eliminated;
    for (const i of out) {
      inRace.delete(i);
      live[i] = 0;
    }
  }
}

/** The largest group of lowest options whose combined votes are below the next option's. */
function bulkExclusion(counts: { idx: number; votes: number }[]): number[] | undefined {
  const sorted = [...counts].sort((a, b) => a.votes - b.votes);
  let sum = 0;
  let best = 0;
  for (let k = 1; k < sorted.length; k++) {
    sum += sorted[k - 1]!.votes;
    if (sum < sorted[k]!.votes) best = k;
  }
  // best === 1 is an ordinary single elimination with no tie; tied lowest options give best 0.
  return best >= 1 ? sorted.slice(0, best).map((c) => c.idx) : undefined;
}

/** Lowest options are tied: decide which goes out (see the rules above). */
function breakTie(counts: { idx: number; votes: number }[], rounds: RunoffRound[], options: number[]): { idx: number; how: 'earlier-rounds' | 'poll-order' } {
  const lowest = Math.min(...counts.map((c) => c.votes));
  let tied = counts.filter((c) => c.votes === lowest).map((c) => c.idx);
  // Look back, latest earlier round first.
  for (let r = rounds.length - 2; r >= 0 && tied.length > 1; r--) {
    const votesIn = (i: number) => rounds[r]!.counts.find((c) => c.idx === i)?.votes ?? 0;
    const min = Math.min(...tied.map(votesIn));
    tied = tied.filter((i) => votesIn(i) === min);
  }
  if (tied.length === 1) return { idx: tied[0]!, how: 'earlier-rounds' };
  // Tied in every round: the one listed later in the poll.
  return { idx: tied.sort((a, b) => options.indexOf(b) - options.indexOf(a))[0]!, how: 'poll-order' };
}

// ---------------------------------------------------------------------------
// The result of a poll, from the SQL aggregates (and, for ranked polls, the rankings).

export interface PollResult {
  type: 'choice' | 'proposal' | 'ranked' | 'score';
  voters: number;
  quorum: number | null;
  /** null when the poll has no quorum. */
  quorumReached: boolean | null;
  /** Per option: votes (choice, proposal), first preferences (ranked), number of scores and their mean (score). */
  options: { idx: number; label: string; count: number; mean?: number }[];
  /** Most votes (choice), highest mean (score), instant-runoff winner (ranked); several on a tie; none for proposals. */
  winners: number[];
  runoff?: RunoffResult;
  /** Stv polls (ranked polls with seats): the count by the Scottish rules. */
  stv?: StvResult;
  proposal?: ProposalCounts;
}

export function buildResult(input: {
  type: PollResult['type'];
  options: { idx: number; label: string }[];
  counts: OptionCount[];
  voters: number;
  quorum: number | null;
  /** Ranked polls: every ranking, to run instant-runoff (without it, only first preferences are shown). */
  rankings?: number[][];
  /** Stv polls: the seats to fill and the seed of any draw by lot. */
  stv?: { seats: number; seed: string };
  /** How many ballots each ranking stands for (default 1 each). */
  rankingWeights?: number[];
}): PollResult {
  const { type, voters, quorum } = input;
  const options: PollResult['options'] = input.options.map((o) => {
    const c = input.counts.find((x) => x.idx === o.idx);
    const count = c?.n ?? 0;
    return type === 'score' ? { ...o, count, mean: count ? Number(c!.mean) : 0 } : { ...o, count };
  });
  const result: PollResult = { type, voters, quorum, quorumReached: quorum === null ? null : voters >= quorum, options, winners: [] };
  if (type === 'proposal') result.proposal = proposalCounts(input.counts, voters, quorum);
  else if (type === 'score') result.winners = leaders(options.filter((o) => o.count > 0).map((o) => ({ idx: o.idx, value: o.mean! })));
  else if (type === 'ranked' && input.rankings && input.stv) {
    // The stv count is per ballot: each counted ranking stands for `weight` identical ballots.
    result.stv = countStv(expandRankings(input.rankings, input.rankingWeights), input.options.map((o) => o.idx), input.stv.seats, input.stv.seed);
    result.winners = result.stv.elected;
  } else if (type === 'ranked' && input.rankings) {
    result.runoff = instantRunoff(input.rankings, input.options.map((o) => o.idx), input.rankingWeights);
    result.winners = result.runoff.winner !== undefined ? [result.runoff.winner] : result.runoff.tie ?? [];
  } else if (type !== 'ranked') result.winners = leaders(options.filter((o) => o.count > 0).map((o) => ({ idx: o.idx, value: o.count })));
  return result;
}

/**
 * Counted rankings back to one per ballot (the same array shared by identical
 * ballots), for counts that go ballot by ballot (stv). Without weights, as given.
 */
export function expandRankings(rankings: number[][], weights?: number[]): number[][] {
  if (!weights) return rankings;
  const out: number[][] = [];
  rankings.forEach((r, k) => {
    for (let n = weights[k] ?? 1; n > 0; n--) out.push(r);
  });
  return out;
}

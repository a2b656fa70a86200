// Counting rules. Instant-runoff is checked against published worked examples
// (the expected answers are the published ones, not computed here), then
// against the stated rules for ties and exhausted ballots, then as a property.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildResult, instantRunoff, proposalCounts, type RunoffResult } from '../../src/polls/tally.js';

/** `[[count, [1, 2, 3]], ...]` → that many copies of each ranking. */
function profile(groups: [number, number[]][]): number[][] {
  return groups.flatMap(([n, ranking]) => Array.from({ length: n }, () => ranking));
}

const votesIn = (r: RunoffResult, round: number) => Object.fromEntries(r.rounds[round - 1]!.counts.map((c) => [c.idx, c.votes]));

describe('instant-runoff on published worked examples', () => {
  it('the Tennessee capital example: Chattanooga out, then Nashville, Knoxville wins with 58%', () => {
    // Wikipedia, "Instant-runoff voting" (Tennessee example); also electowiki,
    // "Effects of different voting systems under similar circumstances".
    const [M, N, C, K] = [1, 2, 3, 4];
    const r = instantRunoff(
      profile([
        [42, [M, N, C, K]],
        [26, [N, C, K, M]],
        [15, [C, K, N, M]],
        [17, [K, C, N, M]],
      ]),
      [M, N, C, K],
    );
    // "In the first round, Chattanooga, having the smallest vote, is eliminated ... transferred to Knoxville."
    expect(r.rounds[0]!.eliminated).toEqual([C]);
    // "Now, Nashville has the smallest vote, so it is eliminated ... transfer to their third choice, Knoxville."
    expect(r.rounds[1]!.eliminated).toEqual([N]);
    // "Knoxville now has 58% of the vote, which is a simple majority, making it the winner."
    expect(r.winner).toBe(K);
    expect(r.rounds).toHaveLength(3);
    expect(votesIn(r, 3)).toEqual({ [M]: 42, [K]: 58 });
  });

  it('the advertising slogans example: B out, then A (3 to C, 2 to D), D wins', () => {
    // https://mathatgrace.github.io/qw/sec-democracy-voting.html (Instant Runoff Method).
    const [A, B, C, D] = [1, 2, 3, 4];
    const r = instantRunoff(
      profile([
        [5, [D, A, C, B]],
        [3, [A, C, B, D]],
        [6, [C, B, A, D]],
        [4, [B, D, A, C]],
        [2, [A, D, C, B]],
      ]),
      [A, B, C, D],
    );
    // "the slogan with the least first-choice votes ... is B ... transfer those 4 votes to D, which now has 9."
    expect(r.rounds[0]!.eliminated).toEqual([B]);
    expect(votesIn(r, 2)[D]).toBe(9);
    // "Now A has the least number of votes with 5 ... three of those votes will be transferred to C and 2 ... to D."
    expect(votesIn(r, 2)[A]).toBe(5);
    expect(r.rounds[1]!.eliminated).toEqual([A]);
    expect(votesIn(r, 3)).toEqual({ [C]: 6 + 3, [D]: 9 + 2 });
    // "D is the winner of the instant runoff method."
    expect(r.winner).toBe(D);
  });

  it('the library example: F out, then L 79 beats C 71', () => {
    // https://thoughtfulexaminations.com/voting-theory-instant-runoff
    const [L, F, C] = [1, 2, 3];
    const r = instantRunoff(
      profile([
        [41, [L, F, C]],
        [25, [L, C, F]],
        [13, [F, L, C]],
        [26, [F, C, L]],
        [30, [C, F, L]],
        [15, [C, L, F]],
      ]),
      [L, F, C],
    );
    expect(votesIn(r, 1)).toEqual({ [L]: 66, [F]: 39, [C]: 45 });
    expect(r.rounds[0]!.eliminated).toEqual([F]);
    expect(votesIn(r, 2)).toEqual({ [L]: 79, [C]: 71 });
    expect(r.winner).toBe(L);
  });

  it('a real election with exhausted ballots: Pierce County Executive 2008, McCarthy wins with 50.75% of ballots still counting', () => {
    // Official round-by-round results as published at http://noirvnc.blogspot.com/2008/12
    // (ranked-choice, up to three choices). The ballots below are built from the
    // published transfers; the round totals checked are the published ones.
    const [LON, MCC, GOI, BUN, WRI] = [1, 2, 3, 4, 5];
    const ballots = profile([
      [458, [WRI]],
      [12_973, [LON, MCC]],
      [8_375, [LON, GOI]],
      [13_633, [LON, BUN]],
      [10_807 - 458, [LON]],
      [79_235, [MCC]],
      [105_057, [BUN]],
      [44_138, [GOI, MCC]],
      [13_602, [GOI, BUN]],
      [19_687 - 8_375, [GOI]],
    ]);
    const r = instantRunoff(ballots, [LON, MCC, GOI, BUN, WRI]);
    expect(votesIn(r, 1)).toEqual({ [LON]: 45_330, [MCC]: 79_235, [GOI]: 69_052, [BUN]: 105_057, [WRI]: 458 });
    expect(r.rounds[0]!.active).toBe(299_132);
    // "they dropped out the Mike Lonergan and the Write-In votes" together.
    expect(r.rounds[0]!.eliminated.sort()).toEqual([LON, WRI].sort());
    expect(votesIn(r, 2)).toEqual({ [MCC]: 92_208, [GOI]: 77_427, [BUN]: 118_690 });
    expect(r.rounds[1]!.active).toBe(288_325); // "10,807 fewer votes ... than in the first"
    expect(r.rounds[1]!.exhausted).toBe(10_807);
    expect(r.rounds[1]!.eliminated).toEqual([GOI]);
    expect(votesIn(r, 3)).toEqual({ [MCC]: 136_346, [BUN]: 132_292 });
    expect(r.rounds[2]!.active).toBe(268_638);
    // McCarthy has 50.75% of the ballots still counting, though only 45.58% of round one's.
    expect(r.winner).toBe(MCC);
    expect(r.rounds).toHaveLength(3);
  });
});

describe('instant-runoff rules for ties and exhausted ballots', () => {
  const [A, B, C, D] = [1, 2, 3, 4];

  it('breaks a tie for fewest votes by the earlier rounds', () => {
    // Round 1: A5 B3 C2 D1 → D out (its ballot moves to C). Round 2: A5 B3 C3:
    // B and C tie; C had fewer in round 1, so C goes.
    const r = instantRunoff(profile([[5, [A]], [3, [B]], [2, [C, B]], [1, [D, C]]]), [A, B, C, D]);
    expect(r.rounds[0]!.eliminated).toEqual([D]);
    expect(votesIn(r, 2)).toEqual({ [A]: 5, [B]: 3, [C]: 3 });
    expect(r.rounds[1]!.eliminated).toEqual([C]);
    expect(r.rounds[1]!.tieBreak).toBe('earlier-rounds');
    // Round 3: C's two ballots go to B; D's ballot (D, C) is exhausted. A5 B5: a final tie.
    expect(votesIn(r, 3)).toEqual({ [A]: 5, [B]: 5 });
    expect(r.rounds[2]!.exhausted).toBe(1);
    expect(r.winner).toBeUndefined();
    expect(r.tie).toEqual([A, B]);
  });

  it('when tied in every round, the option listed later in the poll goes out', () => {
    const r = instantRunoff(profile([[3, [A]], [2, [B, A]], [2, [C, A]]]), [A, B, C]);
    expect(r.rounds[0]!.eliminated).toEqual([C]);
    expect(r.rounds[0]!.tieBreak).toBe('poll-order');
    expect(r.winner).toBe(A);
    expect(votesIn(r, 2)).toEqual({ [A]: 5, [B]: 2 });
  });

  it('is a tie when every option still in the race has the same votes', () => {
    const two = instantRunoff(profile([[2, [A, B]], [2, [B, A]]]), [A, B]);
    expect(two.tie).toEqual([A, B]);
    expect(two.winner).toBeUndefined();
    const three = instantRunoff(profile([[1, [A]], [1, [B]], [1, [C]]]), [A, B, C]);
    expect(three.tie).toEqual([A, B, C]);
    expect(three.rounds).toHaveLength(1);
  });

  it('counts a majority of the ballots still counting: exhausted ballots drop out', () => {
    // A3 B2 C2: no majority of 7. B and C tie, C (listed later) goes; its two
    // ballots rank nothing else and are exhausted. A has 3 of the 5 left.
    const r = instantRunoff(profile([[3, [A]], [2, [B]], [2, [C]]]), [A, B, C]);
    expect(r.rounds[1]).toMatchObject({ active: 5, exhausted: 2 });
    expect(r.winner).toBe(A);
  });

  it('drops options so far behind that together they trail the next one, in one round', () => {
    const r = instantRunoff(profile([[4, [A]], [3, [B, A]], [1, [C, B]]]), [A, B, C, D]);
    // D 0 and C 1 together (1) trail B (3): both go at once.
    expect(r.rounds[0]!.eliminated.sort()).toEqual([C, D]);
    expect(votesIn(r, 2)).toEqual({ [A]: 4, [B]: 4 });
    expect(r.tie).toEqual([A, B]);
  });

  it('has no rounds and no winner without ballots, and ignores empty or unknown rankings', () => {
    expect(instantRunoff([], [A, B])).toEqual({ rounds: [], ballots: 0 });
    expect(instantRunoff([[], [9]], [A, B])).toEqual({ rounds: [], ballots: 0 });
  });

  it('always ends with a majority winner or an exact tie (property)', () => {
    const options = [1, 2, 3, 4, 5];
    const ranking = fc.shuffledSubarray(options, { minLength: 1 });
    fc.assert(
      fc.property(fc.array(ranking, { minLength: 1, maxLength: 60 }), (ballots) => {
        const r = instantRunoff(ballots, options);
        const last = r.rounds[r.rounds.length - 1]!;
        for (const round of r.rounds) {
          expect(round.active + round.exhausted).toBe(ballots.length);
          expect(round.counts.reduce((s, c) => s + c.votes, 0)).toBe(round.active);
        }
        for (let i = 1; i < r.rounds.length; i++) {
          const before = new Set(r.rounds[i - 1]!.counts.map((c) => c.idx));
          for (const c of r.rounds[i]!.counts) expect(before.has(c.idx) && !r.rounds[i - 1]!.eliminated.includes(c.idx)).toBe(true);
        }
        if (r.winner !== undefined) expect(last.counts.find((c) => c.idx === r.winner)!.votes * 2).toBeGreaterThan(last.active);
        else expect(new Set(last.counts.map((c) => c.votes)).size).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('proposals and other results', () => {
  const counts = (agree: number, abstain: number, disagree: number, block: number) =>
    [agree, abstain, disagree, block].map((n, i) => ({ idx: i + 1, n }));

  it('passes with no block and more agree than disagree; abstentions count only towards quorum', () => {
    expect(proposalCounts(counts(3, 5, 2, 0), 10, null).passed).toBe(true);
    expect(proposalCounts(counts(9, 0, 0, 1), 10, null).passed).toBe(false); // a block stops it
    expect(proposalCounts(counts(2, 1, 2, 0), 5, null).passed).toBe(false); // a tie is not more
    expect(proposalCounts(counts(0, 3, 0, 0), 3, null).passed).toBe(false); // only abstentions
    expect(proposalCounts(counts(2, 2, 0, 0), 4, 4).passed).toBe(true); // abstainers make the quorum
    expect(proposalCounts(counts(2, 1, 0, 0), 3, 4).passed).toBe(false);
  });

  it('names every leader on a tie, the best mean for scores, and the runoff winner for ranked polls', () => {
    const options = [{ idx: 1, label: 'A' }, { idx: 2, label: 'B' }, { idx: 3, label: 'C' }];
    expect(buildResult({ type: 'choice', options, counts: [{ idx: 1, n: 2 }, { idx: 2, n: 2 }], voters: 4, quorum: null }).winners).toEqual([1, 2]);
    const score = buildResult({ type: 'score', options, counts: [{ idx: 1, n: 2, mean: 3.5 }, { idx: 3, n: 1, mean: 4 }], voters: 2, quorum: 3 });
    expect(score.winners).toEqual([3]);
    expect(score.options[1]).toEqual({ idx: 2, label: 'B', count: 0, mean: 0 });
    expect(score.quorumReached).toBe(false);
    const ranked = buildResult({ type: 'ranked', options, counts: [], voters: 3, quorum: null, rankings: [[3, 1], [3], [1, 3]] });
    expect(ranked.winners).toEqual([3]);
  });
});

// The STV count (Scottish rules, WIGM). Each hand-worked example states the
// stage table worked out by hand from the rules; then properties on random ballots.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countStv, showVotes, UNIT, type StvResult } from '../../src/polls/stv.js';
import { instantRunoff } from '../../src/polls/tally.js';

function profile(groups: [number, number[]][]): number[][] {
  return groups.flatMap(([n, ranking]) => Array.from({ length: n }, () => ranking));
}

/** A stage as a table row: each candidate's votes to 5 places, then non-transferable and lost (cumulative). */
function table(r: StvResult, names: string[]): string[] {
  return r.stages.map((s) => {
    const cells = r.candidates.map((c, i) => `${names[i]} ${showVotes(s.votes[i]!, 5)}`);
    return `${s.number}: ${cells.join(' | ')} | NT ${showVotes(s.totalNonTransferable, 5)} | lost ${showVotes(s.totalLost, 5)}`;
  });
}

const [A, B, C, D] = [1, 2, 3, 4];

describe('STV by hand-worked examples', () => {
  it('a surplus transfer with truncation, an exclusion, ballots becoming non-transferable, the last seat filled', () => {
    // 22 valid ballots, 2 seats: quota = floor(22 / 3) + 1 = 8.
    const r = countStv(
      profile([
        [6, [A, B]],
        [4, [A, C]],
        [1, [A]],
        [2, [B, D]],
        [4, [C]],
        [5, [D]],
      ]),
      [A, B, C, D],
      2,
      'seed',
    );
    expect(r.quota).toBe(8);
    expect(r.valid).toBe(22);
    // Stage 1: A 11 reaches the quota. Stage 2: A's surplus 3 moves at 3/11 = 0.272727… truncated to 0.27272:
    // B gets 6 × 0.27272 = 1.63632, C gets 4 × 0.27272 = 1.09088, the [A] ballot is non-transferable (0.27272),
    // and 3 - 11 × 0.27272 = 0.00008 is lost to rounding.
    // Stage 3: B (3.63632) is excluded: [B, D] ×2 give D 2; the six [A, B] ballots have no one left (1.63632 NT).
    // Stage 4: C (5.09088) is excluded: all 5.09088 non-transferable. D is the only continuing candidate for
    // the one seat left, so D is elected without reaching the quota.
    expect(table(r, ['A', 'B', 'C', 'D'])).toEqual([
      '1: A 11.00000 | B 2.00000 | C 4.00000 | D 5.00000 | NT 0.00000 | lost 0.00000',
      '2: A 8.00000 | B 3.63632 | C 5.09088 | D 5.00000 | NT 0.27272 | lost 0.00008',
      '3: A 8.00000 | B 0.00000 | C 5.09088 | D 7.00000 | NT 1.90904 | lost 0.00008',
      '4: A 8.00000 | B 0.00000 | C 0.00000 | D 7.00000 | NT 6.99992 | lost 0.00008',
    ]);
    expect(r.stages.map((s) => [s.kind, s.from])).toEqual([['first', undefined], ['surplus', A], ['exclusion', B], ['exclusion', C]]);
    expect(r.stages[1]!.transferValue).toBe(27_272);
    expect(r.stages[1]!.moved).toEqual([{ to: B, votes: 163_632 }, { to: C, votes: 109_088 }]);
    expect(r.stages[3]!.lastSeats).toBe(true);
    expect(r.elected).toEqual([A, D]);
    expect(r.draws).toBe(0);
  });

  it('a tie for fewest votes broken by the most recent earlier stage where they differed', () => {
    // 14 ballots, 1 seat: quota 8. Stage 1: A 6, B 4, C 3, D 1. D out; their ballot goes to C.
    // Stage 2: A 6, B 4, C 4: B and C tie for fewest; at stage 1 C had fewer (3 < 4), so C goes out.
    // Stage 3: C's four ballots go to B: B 8 reaches the quota.
    const r = countStv(
      profile([
        [6, [A]],
        [4, [B]],
        [3, [C, B]],
        [1, [D, C, B]],
      ]),
      [A, B, C, D],
      1,
      'seed',
    );
    expect(table(r, ['A', 'B', 'C', 'D'])).toEqual([
      '1: A 6.00000 | B 4.00000 | C 3.00000 | D 1.00000 | NT 0.00000 | lost 0.00000',
      '2: A 6.00000 | B 4.00000 | C 4.00000 | D 0.00000 | NT 0.00000 | lost 0.00000',
      '3: A 6.00000 | B 8.00000 | C 0.00000 | D 0.00000 | NT 0.00000 | lost 0.00000',
    ]);
    expect(r.stages[2]).toMatchObject({ from: C, tieBreak: 'earlier-stage', elected: [B] });
    expect(r.elected).toEqual([B]);
  });

  it('a tie broken by lot: the stored seed decides, and a recount with it gives the same result', () => {
    // 7 ballots, 1 seat: quota 4. Stage 1: A 2, B 2, C 3. A and B tie for fewest at the first stage: a draw.
    const ballots = profile([
      [2, [A, B]],
      [2, [B, A]],
      [3, [C]],
    ]);
    const winners = new Map<string, number>();
    for (const seed of ['0a1b2c3d', '5e6f7081', 'ffff0000', '12345678', 'c0ffee00', 'deadbeef']) {
      const r = countStv(ballots, [A, B, C], 1, seed);
      expect(r.stages[1]).toMatchObject({ kind: 'exclusion', tieBreak: 'lot' });
      expect(r.draws).toBe(1);
      // Whoever is drawn out, their two ballots give the other 4 votes: the quota.
      const out = r.stages[1]!.from!;
      expect(r.elected).toEqual([out === A ? B : A]);
      expect(countStv(ballots, [A, B, C], 1, seed)).toEqual(r);
      winners.set(seed, r.elected[0]!);
    }
    // The draw is a draw: over a few seeds both outcomes happen.
    expect(new Set(winners.values()).size).toBe(2);
    // Written down once, so a change to the generator (which would change stored results) shows here.
    expect(Object.fromEntries(winners)).toEqual({ '0a1b2c3d': B, '5e6f7081': A, ffff0000: B, '12345678': B, c0ffee00: A, deadbeef: A });
  });

  it('surpluses move largest first, and the last seats go to the continuing candidates when they equal the seats left', () => {
    // 20 ballots, 3 seats: quota = floor(20 / 4) + 1 = 6. A 8 and B 7 are elected at stage 1.
    // Stage 2: A's surplus (2, the larger) moves at 2/8 = 0.25: C +1.00 (4 ballots), D +1.00 (4 ballots).
    // Stage 3: B's surplus 1 moves at 1/7 = 0.14285: 7 × 0.14285 = 0.99995 to D; 0.00005 lost.
    // Stage 4: C 3.00 is out; C's 3 own ballots are non-transferable, A's four [A, C] go nowhere: 4.00 NT.
    //   D is then the only continuing candidate for the last seat.
    const r = countStv(
      profile([
        [4, [A, C]],
        [4, [A, D]],
        [7, [B, D]],
        [2, [C]],
        [3, [D]],
      ]),
      [A, B, C, D],
      3,
      'x',
    );
    expect(r.quota).toBe(6);
    expect(table(r, ['A', 'B', 'C', 'D'])).toEqual([
      '1: A 8.00000 | B 7.00000 | C 2.00000 | D 3.00000 | NT 0.00000 | lost 0.00000',
      '2: A 6.00000 | B 7.00000 | C 3.00000 | D 4.00000 | NT 0.00000 | lost 0.00000',
      '3: A 6.00000 | B 6.00000 | C 3.00000 | D 4.99995 | NT 0.00000 | lost 0.00005',
      '4: A 6.00000 | B 6.00000 | C 0.00000 | D 4.99995 | NT 3.00000 | lost 0.00005',
    ]);
    expect(r.elected).toEqual([A, B, D]);
    expect(r.stages[0]!.elected).toEqual([A, B]);
    expect(r.stages[3]!.lastSeats).toBe(true);
  });

  it('ballots with no valid preference are not valid and do not count towards the quota', () => {
    const r = countStv([[A], [B], [A], [], [9]], [A, B], 1, 's');
    expect(r.valid).toBe(3);
    expect(r.invalid).toBe(2);
    expect(r.quota).toBe(2);
    expect(r.elected).toEqual([A]);
  });

  it('shows votes truncated to 2 decimal places', () => {
    expect(showVotes(163_632)).toBe('1.63');
    expect(showVotes(99_999)).toBe('0.99');
    expect(showVotes(8 * UNIT)).toBe('8.00');
  });
});

// Random elections: 2–7 candidates, up to 60 ballots ranking some of them.
const election = fc
  .integer({ min: 2, max: 7 })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      seats: fc.integer({ min: 1, max: n }),
      ballots: fc.array(fc.shuffledSubarray(Array.from({ length: n }, (_, i) => i + 1), { minLength: 1 }), { minLength: 1, maxLength: 60 }),
      seed: fc.integer({ min: 0, max: 0xffffffff }).map((x) => x.toString(16).padStart(8, '0')),
    }),
  );

describe('STV properties on random ballots', () => {
  it('at every stage, votes + non-transferable + lost to rounding = the valid ballots', () => {
    fc.assert(
      fc.property(election, ({ n, seats, ballots, seed }) => {
        const r = countStv(ballots, Array.from({ length: n }, (_, i) => i + 1), seats, seed);
        for (const s of r.stages) {
          const sum = s.votes.reduce((a, b) => a + b, 0) + s.totalNonTransferable + s.totalLost;
          expect(sum).toBe(r.valid * UNIT);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('fills every seat, and every elected candidate reached the quota or was elected at the end', () => {
    fc.assert(
      fc.property(election, ({ n, seats, ballots, seed }) => {
        const candidates = Array.from({ length: n }, (_, i) => i + 1);
        const r = countStv(ballots, candidates, seats, seed);
        expect(r.elected).toHaveLength(seats);
        expect(new Set(r.elected).size).toBe(seats);
        for (const s of r.stages) {
          for (const c of s.elected) {
            const i = candidates.indexOf(c);
            // Stage votes are after the stage; a surplus moved later leaves exactly the quota.
            if (!s.lastSeats) expect(s.votes[i]!).toBeGreaterThanOrEqual(r.quota * UNIT);
          }
        }
        const lastSeats = r.stages.filter((s) => s.lastSeats);
        expect(lastSeats.length).toBeLessThanOrEqual(1);
        if (lastSeats.length) expect(lastSeats[0]).toBe(r.stages.at(-1));
      }),
      { numRuns: 400 },
    );
  });

  it('a surplus transfer leaves the elected candidate exactly the quota, loses less than a vote to rounding, and an excluded candidate nothing', () => {
    fc.assert(
      fc.property(election, ({ n, seats, ballots, seed }) => {
        const candidates = Array.from({ length: n }, (_, i) => i + 1);
        const r = countStv(ballots, candidates, seats, seed);
        for (const s of r.stages) {
          if (s.kind === 'first') continue;
          const i = candidates.indexOf(s.from!);
          if (s.kind === 'surplus') {
            expect(s.votes[i]).toBe(r.quota * UNIT);
            expect(s.lost).toBeGreaterThanOrEqual(0);
            expect(s.lost).toBeLessThan(r.valid); // under one unit (1/100,000 of a vote) per ballot moved
            expect(s.transferValue!).toBeLessThanOrEqual(UNIT);
          } else {
            expect(s.votes[i]).toBe(0);
            expect(s.lost).toBe(0);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('with one seat, elects the instant-runoff winner wherever no tie is involved', () => {
    let compared = 0;
    fc.assert(
      fc.property(election, ({ n, ballots, seed }) => {
        const candidates = Array.from({ length: n }, (_, i) => i + 1);
        const irv = instantRunoff(ballots, candidates);
        const stv = countStv(ballots, candidates, 1, seed);
        const tied = irv.winner === undefined || irv.rounds.some((r) => r.tieBreak) || stv.stages.some((s) => s.tieBreak || s.electionTieBreak);
        if (tied) return;
        compared++;
        expect(stv.elected).toEqual([irv.winner]);
      }),
      { numRuns: 600 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});

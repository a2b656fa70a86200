// Ranked ballots are also kept packed, one row each (poll_rankings, by
// triggers), and counted per different ranking, so instant-runoff reads a few
// thousand counted rankings rather than 350,000 per-option rows. Whatever
// people do (vote, change, take back, through /vote), the packed rankings are
// exactly the per-option rows read the old way.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { DB } from '../../src/storage/db.js';
import { PollsRepo } from '../../src/polls/repo.js';
import { countStv } from '../../src/polls/stv.js';
import { expandRankings, instantRunoff } from '../../src/polls/tally.js';
import { createHarness, type Harness } from '../helpers/harness.js';

/** Every ranking, favourite first, read from the per-option rows (the old way), sorted for comparison. */
function fromRows(db: DB, pollId: number): number[][] {
  const rows = db.prepare('SELECT ballot, option_idx AS idx FROM poll_ballots WHERE poll_id = ? ORDER BY ballot, value').all(pollId) as { ballot: string; idx: number }[];
  const out = new Map<string, number[]>();
  for (const r of rows) out.set(r.ballot, [...(out.get(r.ballot) ?? []), r.idx]);
  return [...out.values()].sort(cmp);
}
const cmp = (a: number[], b: number[]) => a.join(',').localeCompare(b.join(','));

let h: Harness;
afterEach(async () => h?.close());

describe('packed rankings', () => {
  it('match the per-option rows after any sequence of votes, changes and withdrawals', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Fund first?" "Minibus" "Food hub" "Youth club" "Garden" --type ranked', { as: 'ana' });
    await h.say('/poll "Day?" "Mon" "Tue"', { as: 'ana' }); // not ranked: never packed
    expect(h.db.prepare('SELECT id, type FROM polls ORDER BY id').all()).toEqual([{ id: 1, type: 'ranked' }, { id: 2, type: 'choice' }]);
    const step = fc.record({
      who: fc.integer({ min: 0, max: 5 }),
      ranks: fc.uniqueArray(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        for (const s of steps) {
          const line = s.ranks.length ? `/vote 1 ${s.ranks.join(' ')}` : '/unvote 1';
          h.bot.process({
            kind: 'message', platform: 'console', eventId: `e${Math.random()}`, chat: { id: 'main', name: 'main', isDirect: false },
            author: { id: `p${s.who}`, displayName: `p${s.who}`, isBot: false }, time: new Date(), text: line,
          });
          h.bot.process({
            kind: 'message', platform: 'console', eventId: `e${Math.random()}`, chat: { id: 'main', name: 'main', isDirect: false },
            author: { id: `p${s.who}`, displayName: `p${s.who}`, isBot: false }, time: new Date(), text: '/vote 2 1',
          });
        }
        const repo = new PollsRepo(h.db); // the service keeps its repository private
        const { rankings, weights } = repo.rankings(1);
        const expanded = rankings.flatMap((r, k) => Array.from({ length: weights[k]! }, () => r));
        expect(expanded.sort(cmp)).toEqual(fromRows(h.db, 1));
        expect(new Set(rankings.map(String)).size).toBe(rankings.length); // each different ranking once
        expect(repo.rankings(2)).toEqual({ rankings: [], weights: [] });
      }),
      { numRuns: 40 },
    );
    // Some ballots were cast: the comparison was not between two empty lists.
    expect(fromRows(h.db, 1).length).toBeGreaterThan(0);
  });
});

describe('weighted instant-runoff', () => {
  it('gives the same rounds as counting every ballot one by one', () => {
    const ranking = fc.uniqueArray(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(fc.record({ ranking, n: fc.integer({ min: 1, max: 4 }) }), { maxLength: 15 }), (groups) => {
        const options = [1, 2, 3, 4, 5];
        const expanded = groups.flatMap((g) => Array.from({ length: g.n }, () => g.ranking));
        expect(instantRunoff(groups.map((g) => g.ranking), options, groups.map((g) => g.n))).toEqual(instantRunoff(expanded, options));
      }),
    );
  });
});

describe('stv from counted rankings', () => {
  it('gives the same count as every ballot one by one, in any order', () => {
    const ranking = fc.uniqueArray(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(
        fc.array(fc.record({ ranking, n: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer(),
        (groups, seats, salt) => {
          const candidates = [1, 2, 3, 4, 5, 6];
          const ballots = groups.flatMap((g) => Array.from({ length: g.n }, () => g.ranking));
          // Ballots as a poll's rows would give them, in no particular order.
          const shuffled = ballots.map((b, k) => ({ b, key: (k * 2654435761 + salt) >>> 0 })).sort((x, y) => x.key - y.key).map((x) => x.b);
          const counted = expandRankings(groups.map((g) => g.ranking), groups.map((g) => g.n));
          expect(counted).toHaveLength(ballots.length);
          expect(countStv(counted, candidates, seats, 'seed')).toEqual(countStv(shuffled, candidates, seats, 'seed'));
        },
      ),
    );
  });

  it('an stv poll counts the packed rankings as one ballot each', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Delegates" "Ana" "Ben" "Cara" "Dev" --type stv --seats 2', { as: 'ana' });
    const votes = [...Array(5).fill('1 2'), ...Array(3).fill('3 2'), ...Array(2).fill('4 3'), '2 4'];
    for (const [i, v] of votes.entries()) await h.say(`/vote 1 ${v}`, { as: `p${i}` });
    const repo = new PollsRepo(h.db);
    const packed = repo.rankings(1);
    expect(packed.rankings.length).toBe(4); // four different rankings
    const result = h.services.polls.result(h.services.polls.require(1), { runoff: true });
    expect(result.stv!.valid).toBe(votes.length);
    expect(result.stv).toEqual(countStv(fromRows(h.db, 1), [1, 2, 3, 4], 2, result.stv!.seed));
  });
});

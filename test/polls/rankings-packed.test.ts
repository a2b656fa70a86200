// Ranked ballots are also kept packed, one row each (poll_rankings, by
// triggers), so instant-runoff reads 100,000 rows rather than 350,000. Whatever
// people do (vote, change, take back, through /vote), the packed rankings are
// exactly the per-option rows read the old way.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { DB } from '../../src/storage/db.js';
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
        expect([...h.services.polls.repo.rankings(1)].sort(cmp)).toEqual(fromRows(h.db, 1));
        expect(h.services.polls.repo.rankings(2)).toEqual([]);
      }),
      { numRuns: 40 },
    );
    // Some ballots were cast: the comparison was not between two empty lists.
    expect(fromRows(h.db, 1).length).toBeGreaterThan(0);
  });
});

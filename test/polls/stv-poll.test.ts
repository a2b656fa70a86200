// `/poll ... --type stv --seats N` through the console bot.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('stv polls', () => {
  it('elects N by the single transferable vote, shows the stages, and exports the full table', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    const made = await h.say('/poll "Delegates to the Community Planning Partnership" "Ana" "Ben" "Cara" "Dee" --type stv --seats 2', { as: 'ana' });
    expect(made[0]).toContain('Poll #1 (single transferable vote, 2 seats): Delegates to the Community Planning Partnership');
    // 22 voters: the first hand-worked example of test/polls/stv.test.ts (Ana = A ... Dee = D).
    const groups: [number, string][] = [[6, '1 2'], [4, '1 3'], [1, '1'], [2, '2 4'], [4, '3'], [5, '4']];
    let v = 0;
    for (const [n, ranking] of groups) for (let i = 0; i < n; i++) await h.say(`/vote 1 ${ranking}`, { as: `voter${++v}` });
    const closed = await h.say('/poll close 1', { as: 'ana' });
    const text = closed.join('\n');
    expect(text).toContain('[main] Poll #1 is closed.\nElected: Ana, Dee\nResults of poll #1 (single transferable vote, 2 seats)');
    expect(text).toContain('2 seats; 22 valid ballots; quota 8 (22 ÷ 3, plus 1, ignoring fractions).');
    expect(text).toContain('Stage 1, first preferences. Ana 11.00, Dee 5.00, Cara 4.00, Ben 2.00. Elected: Ana.');
    expect(text).toContain(
      "Stage 2, Ana's surplus of 3.00 moves at 0.27272 a ballot: Ben +1.63, Cara +1.09, non-transferable 0.27, lost to rounding 0.00008. Ana 8.00, Cara 5.09, Dee 5.00, Ben 3.63. (So far: non-transferable 0.27; lost to rounding 0.00008.)",
    );
    expect(text).toContain('Stage 4, Cara is excluded with the fewest votes; their ballots move: non-transferable 5.09. Ana 8.00, Dee 7.00. (So far: non-transferable 6.99; lost to rounding 0.00008.) Elected: Dee (as many candidates left as seats).');
    const seed = (h.db.prepare('SELECT seed FROM poll_stv WHERE poll_id = 1').get() as { seed: string }).seed;
    expect(text).toContain(`Seed for any draw by lot: ${seed} (none was needed).`);

    const exported = (await h.say('/poll export 1', { as: 'ana' })).join('\n');
    expect(exported).toContain('candidate,stage 1: first preferences,stage 2: surplus of Ana,stage 2 total,stage 3: exclusion of Ben,stage 3 total,stage 4: exclusion of Cara,stage 4 total');
    expect(exported).toContain('Ben,2.00000,+1.63632,3.63632,-3.63632,0.00000,+0.00000,0.00000');
    expect(exported).toContain('lost to rounding,0.00000,+0.00008,0.00008,+0.00000,0.00008,+0.00000,0.00008');
    expect(exported).toContain('"elected, in order",Ana; Dee');
  });

  it('breaks a tie by lot with the seed stored with the poll, so every recount says the same', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Chair?" "Ana" "Ben" "Cara" --type stv --seats 1', { as: 'ana' });
    // Ana 2, Ben 2, Cara 3: Ana and Ben tie for fewest at the first stage; whoever is drawn out gives the other 4 (the quota).
    const groups: [number, string][] = [[2, '1 2'], [2, '2 1'], [3, '3']];
    let v = 0;
    for (const [n, ranking] of groups) for (let i = 0; i < n; i++) await h.say(`/vote 1 ${ranking}`, { as: `voter${++v}` });
    const text = (await h.say('/poll close 1', { as: 'ana' })).join('\n');
    const seed = (h.db.prepare('SELECT seed FROM poll_stv WHERE poll_id = 1').get() as { seed: string }).seed;
    expect(text).toMatch(/Stage 2, (Ana|Ben) is excluded \(tied: drawn by lot\) with the fewest votes; their ballots move: (Ben|Ana) \+2\.00\./);
    expect(text).toContain(`1 tie was broken by lot, drawn with this poll's stored seed ${seed}: a recount gives the same result.`);
    const out = /Stage 2, (\w+) is excluded/.exec(text)![1];
    expect(text).toContain(`Elected: ${out === 'Ana' ? 'Ben' : 'Ana'}\n`);
    const recount = (await h.say('/poll results 1', { as: 'ana' }))[0]!;
    expect((await h.say('/poll results 1', { as: 'ana' }))[0]).toBe(recount);
    expect(recount).toContain(`Elected: ${out === 'Ana' ? 'Ben' : 'Ana'}\n`);
  });

  it('refuses seats that make no sense, saying what to type', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    expect((await h.say('/poll "Board?" "Ana" "Ben" --type stv --seats 2', { as: 'ana' }))[0]).toContain('--seats must be at least 1 and fewer than the 2 candidates');
    expect((await h.say('/poll "Board?" "Ana" "Ben" --seats 2', { as: 'ana' }))[0]).toContain('--seats is for stv polls');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM polls').get()).toEqual({ n: 0 });
  });
});

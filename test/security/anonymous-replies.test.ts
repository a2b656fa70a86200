// Replies about an anonymous vote wait in the outbox, addressed to the voter, until
// delivered: they must not say what the voter chose, or whether they gave a reason.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

describe('replies about an anonymous vote', () => {
  it('are the same with or without a reason, and a refused block does not say block', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Shall we move the forum to Tuesdays?" --type proposal --anonymous', { as: 'ana' });
    const refused = (await h.say('/vote 1 block', { as: 'bo' })).join('\n');
    expect(refused).toContain('That choice needs a reason after it. Your vote is not counted yet.');
    expect(refused.toLowerCase()).not.toContain('block');
    const withReason = (await h.say('/vote 1 block -- it leaves out the under-18s', { as: 'bo' })).join('\n');
    const without = (await h.say('/vote 1 agree', { as: 'cy' })).join('\n');
    expect(withReason.replace('[main] ', '')).toBe(without.replace('[main] ', ''));
  });
});

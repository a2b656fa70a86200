// An anonymous poll cannot be counted ballot by ballot through close and reopen;
// reopening keeps the original closing time and says when an outcome was cleared
// (issue 15, item 2).
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const DAY = 86_400_000;

describe('reopening a poll', () => {
  it('is refused for an anonymous poll, saying why and what to do instead', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Remove the chair?" "Yes" "No" --anonymous', { as: 'ana' });
    await h.say('/vote 1 yes', { as: 'ben' });
    expect((await h.say('/poll close 1', { as: 'ana' })).join('\n')).toContain('Yes: 1 vote');
    expect(await h.say('/poll reopen 1', { as: 'ana' })).toEqual([
      "[main] Poll #1 is anonymous, so it can't be reopened: a second count after a few more votes would show how those people voted.\n" +
        'To ask again, start a new poll, e.g. /poll "Remove the chair?" "Yes" "No" --anonymous',
    ]);
    expect(h.services.polls.get(1)!.status).toBe('closed');
    expect((await h.say('/vote 1 no', { as: 'cara' }))[0]).toContain('no longer takes votes');
  });

  it('keeps the original closing time if it is still ahead, and says when a recorded outcome was cleared', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Which day?" "Tue" "Thu" --closes 3d', { as: 'ana' });
    const closesAt = h.services.polls.get(1)!.closes_at!;
    await h.say('/vote 1 thu', { as: 'ben' });
    await h.say('/poll close 1', { as: 'ana' });
    await h.say('/poll outcome 1 We meet on Thursdays.', { as: 'ana' });
    const reply = (await h.say('/poll reopen 1', { as: 'ana' })).find((l) => l.startsWith('[main] Done'))!;
    expect(reply).toMatch(/^\[main\] Done: poll #1 is open again until .+\. Votes cast before it closed still count\.\n/);
    expect(reply).toContain('Its recorded outcome ("We meet on Thursdays.") no longer stands and was cleared. Record it again once it closes: /poll outcome 1 <what was decided>');
    expect(h.services.polls.get(1)!).toMatchObject({ status: 'open', closes_at: closesAt, outcome: null });
    // It still closes on time.
    const later = await h.advance(3 * DAY);
    expect(later.join('\n')).toContain('Poll #1 is closed.');
  });
});

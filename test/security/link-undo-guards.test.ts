// What a review found after the merge: /link undo must not let a lead decide a
// grant twice, nor bring back a role taken away while linked; /forget removes
// the records of links; a leads' poll on a grant cannot be reworded.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const onSlack = (as: string) => ({ platform: 'slack', as, in: 'general' });

async function link(asker: { as: string; platform?: string; in?: string }, other: { as: string; platform?: string; in?: string }) {
  const lines = await h.say('/link', asker);
  const code = /link code is (\d{6})/.exec(lines.join('\n'))![1]!;
  await h.say(`/link ${code}`, other);
  await h.say('/link confirm', asker);
}

describe('/link undo', () => {
  it('is refused while a grant the person decided is still being decided, so nobody approves twice', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/fund set discovery 5000', { as: 'ana' });
    await h.say('/role add @lia lead', { as: 'ana' });
    await h.say('/grant request discovery 300 hall hire for the forum', { as: 'ben' });
    expect((await h.say('/grant approve 1', { as: 'lia' })).join('\n')).toContain('grant #1');
    // The lead's account joins a second one with no roles, then tries to split them again.
    await link(onSlack('lia2'), { as: 'lia' });
    expect(h.services.people.find('console', 'lia')).toBe(h.services.people.find('slack', 'lia2'));
    const undo = await h.say('/link undo', onSlack('lia2'));
    expect(undo.join('\n')).toContain("You can't undo this link while grant #1 is being decided");
    expect(h.services.people.find('console', 'lia')).toBe(h.services.people.find('slack', 'lia2'));
    // Once it is decided, the undo works.
    await h.say('/role add @lee lead', { as: 'ana' });
    await h.say('/grant approve 1', { as: 'lee' });
    expect((await h.say('/link undo', onSlack('lia2')))[0]).toContain('Done: the link is undone.');
  });

  it('gives back only the roles still held: one taken away while linked stays taken away', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/role add @lia lead', { as: 'ana' });
    await link(onSlack('lia2'), { as: 'lia' });
    await h.say('/role remove @lia lead', { as: 'ana' });
    expect((await h.say('/link undo', onSlack('lia2')))[0]).toContain('Done: the link is undone.');
    const lia = h.services.people.find('console', 'lia')!;
    expect(h.services.roles.has(lia, 'lead', null)).toBe(false);
  });
});

describe('/forget', () => {
  it('removes the records of links made, which hold both accounts\' platform ids', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await link(onSlack('mo2'), { as: 'mo' });
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM person_links').get()).toEqual({ n: 1 });
    await h.say('/forget @mo --confirm', { as: 'ana' });
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM person_links').get()).toEqual({ n: 0 });
  });
});

describe('/poll edit', () => {
  it("cannot reword the leads' poll that decides a grant", async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/fund set invest 100000', { as: 'ana' });
    await h.say('/role add @lia lead', { as: 'ana' });
    await h.say('/role add @lee lead', { as: 'ana' });
    await h.say('/grant request invest 9000 a youth worker for a year', { as: 'lia' });
    const poll = h.db.prepare("SELECT id, question FROM polls WHERE origin = 'grant:1'").get() as { id: number; question: string };
    const edit = await h.say(`/poll edit ${poll.id} "Approve a small thank-you?" "Yes" "No"`, { as: 'lia' });
    expect(edit.join('\n')).toMatch(/can't be changed|conflict of interest|Only/);
    expect(h.db.prepare('SELECT question FROM polls WHERE id = ?').get(poll.id)).toEqual({ question: poll.question });
  });
});

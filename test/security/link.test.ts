// Linking accounts never hands over power (issue 15, item 4): both accounts
// confirm, never two on one platform, codes die after 5 wrong tries from
// anyone, /link undo splits a link, and an admin is admin only from the listed account.
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';

let h: Harness;
afterEach(async () => h?.close());

const onSlack = (as: string) => ({ platform: 'slack', as, in: 'general' });

/** Ask for a code as `who` (on the platform given) and read it from their direct message. */
async function codeFor(who: string, opts: { platform?: string; in?: string } = {}): Promise<string> {
  const lines = await h.say('/link', { as: who, ...opts });
  return /link code is (\d{6})/.exec(lines.join('\n'))![1]!;
}

describe('/link', () => {
  it("does not let a member who tricks an admin into typing their code act as admin", async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    await h.say('/collab create Forum', { as: 'ana' });
    const code = await codeFor('mo', { platform: 'slack', in: 'general' });
    // The admin types it ("to see the new feature"): nothing is joined yet.
    const typed = await h.say(`/link ${code}`, { as: 'ana' });
    expect(typed).toContain(
      '[main] Almost done. Nothing is joined yet: go to your other account (mo) and type /link confirm there within 15 minutes.\n' +
        "Only do this with your own accounts: once linked, each account acts with the other's roles.",
    );
    expect(h.services.people.find('console', 'ana')).not.toBe(h.services.people.find('slack', 'mo'));
    // The member confirms: the accounts are joined, but the member's account is not admin.
    const confirmed = await h.say('/link confirm', onSlack('mo'));
    expect(confirmed[0]).toMatch(/^\[general\] Done: your accounts are now one person/);
    expect(await h.say('/fund set discovery 9000', onSlack('mo'))).toEqual([
      '[general] Only an admin can use /fund set. Type /roles to see who can help.',
    ]);
    // The admin's own account still is; and the admin can split the link.
    expect((await h.say('/fund set discovery 500', { as: 'ana' }))[0]).toContain('Done: the Discovery budget is now £500.00');
    expect((await h.say('/link undo', { as: 'ana' }))[0]).toContain('Done: the link is undone.');
    expect(h.services.people.find('console', 'ana')).not.toBe(h.services.people.find('slack', 'mo'));
  });

  it('refuses to link two accounts on the same platform', async () => {
    h = await createHarness({ platforms: ['console', 'slack'] });
    const code = await codeFor('ben');
    expect(await h.say(`/link ${code}`, { as: 'ben2' })).toEqual([
      '[main] Both accounts are on console. /link joins your accounts on different platforms (say your Slack and your WhatsApp), never two on the same one.\n' +
        'Type /link on your account on another platform to get a code, then type it here, e.g. /link 123456',
    ]);
  });

  it('kills every code after 5 wrong tries in total, from any accounts', async () => {
    h = await createHarness({ platforms: ['console', 'slack'] });
    const code = await codeFor('ben');
    const wrong = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < 5; i++) expect((await h.say(`/link ${wrong}`, onSlack(`guesser${i}`)))[0]).toContain('not valid or has expired');
    expect((await h.say(`/link ${code}`, onSlack('ben-s')))[0]).toContain('not valid or has expired');
  });

  it('needs the account that asked for the code to confirm, and splits with /link undo restoring each side\'s roles', async () => {
    h = await createHarness({ admins: 'console:ana,slack:ana', platforms: ['console', 'slack'] });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/role add @lee lead', { as: 'ana' });
    await h.say('/role add @sam delegate', { as: 'ana', platform: 'slack', in: 'general' });
    expect(await h.say('/link confirm', { as: 'lee' })).toEqual([
      '[main] There is nothing to confirm. First type /link here to get a code, type it on your other account (e.g. /link 123456), then come back and type /link confirm',
    ]);
    const code = await codeFor('lee');
    await h.say(`/link ${code}`, onSlack('sam'));
    // Only the account that asked confirms: typing confirm on the other does nothing.
    expect((await h.say('/link confirm', onSlack('sam')))[0]).toContain('There is nothing to confirm');
    await h.say('/link confirm', { as: 'lee' });
    const lee = h.services.people.find('console', 'lee')!;
    expect(h.services.people.find('slack', 'sam')).toBe(lee);
    expect(h.services.roles.has(lee, 'delegate', null)).toBe(true);
    expect((await h.say('/link undo', onSlack('sam')))[0]).toBe('[general] Done: the link is undone. slack (sam) is a separate account again, with its own roles.');
    const sam = h.services.people.find('slack', 'sam')!;
    expect(sam).not.toBe(lee);
    expect([h.services.roles.has(lee, 'lead', null), h.services.roles.has(lee, 'delegate', null)]).toEqual([true, false]);
    expect([h.services.roles.has(sam, 'lead', null), h.services.roles.has(sam, 'delegate', null)]).toEqual([false, true]);
    expect((await h.say('/link undo', { as: 'lee' }))[0]).toContain('There is no link made in the last 30 days to undo');
  });

  it('can be undone only within 30 days, and by an admin for anyone', async () => {
    h = await createHarness({ admins: 'console:ana', platforms: ['console', 'slack'] });
    const first = await codeFor('ben');
    await h.say(`/link ${first}`, onSlack('ben-s'));
    await h.say('/link confirm', { as: 'ben' });
    expect((await h.say('/link undo @ben', { as: 'cara' }))[0]).toContain("Only an admin can split someone else's link.");
    expect((await h.say('/link undo @ben', { as: 'ana' }))[0]).toContain('Done: the link is undone.');
    const again = await codeFor('ben');
    await h.say(`/link ${again}`, onSlack('ben-s'));
    await h.say('/link confirm', { as: 'ben' });
    h.clock.advance(31 * 86_400_000);
    expect((await h.say('/link undo', { as: 'ben' }))[0]).toContain('There is no link made in the last 30 days to undo');
  });
});

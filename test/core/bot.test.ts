import { afterEach, describe, expect, it } from 'vitest';
import { messageEvent, testCommand } from '../helpers/core-events.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import type { InboundEvent } from '../../src/model.js';

let h: Harness;
afterEach(async () => h?.close());

const boom = testCommand('boom', (ctx) => {
  ctx.services.collabs.create('Half Done', ctx.chat, ctx.actor.personId); // a change that must be rolled back
  throw new Error('database exploded at /secret/path');
}, 'Always fails (test only)');

/** A message from ana in the chat main, with this event id. */
const event = (text: string, eventId: string, over: Partial<InboundEvent> = {}) => messageEvent(text, { eventId, ...over });

describe('the core', () => {
  it('handles a re-delivered event once', async () => {
    h = await createHarness();
    const e = event('/collab create Food Network', 'slack-evt-1');
    expect(h.bot.process(e)).toBe('handled');
    expect(h.bot.process(e)).toBe('duplicate');
    expect(h.bot.process({ ...e })).toBe('duplicate');
    await h.flush();
    expect(h.take()).toHaveLength(1);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM collabs').get()).toEqual({ n: 1 });
  });

  it('answers a crashing command with a reference code, rolls it back, and keeps working', async () => {
    const logged: string[] = [];
    const { pino } = await import('pino');
    const log = pino({ level: 'error' }, { write: (s: string) => logged.push(s) });
    h = await createHarness({ commands: [boom], log });
    const [reply] = await h.say('/boom');
    expect(reply).toMatch(/^\[main\] Sorry, something went wrong on my side and nothing was changed\..*code: (E[0-9A-F]{6})$/s);
    expect(reply).not.toContain('/secret/path');
    const code = /code: (E[0-9A-F]{6})/.exec(reply!)![1]!;
    expect(logged.join('')).toContain(code);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM collabs').get()).toEqual({ n: 0 });
    const next = await h.say('/collab create Food Network');
    expect(next[0]).toContain('Done: this chat is now the collab "Food Network"');
  });

  it('refuses with a clear reason and changes nothing when a role is missing', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Food Network', { as: 'ana' });
    expect(await h.say('/collab tz Europe/Paris', { as: 'ben' })).toEqual([
      '[main] Only a facilitator of this collab or an admin can use /collab tz. Type /roles to see who can help.',
    ]);
    expect(await h.say('/role add @cara lead', { as: 'ben' })).toEqual([
      '[main] Only a lead, a facilitator of this collab or an admin can use /role add. Type /roles to see who can help.',
    ]);
    // A facilitator may not make leads.
    await h.say('/role add @fay facilitator', { as: 'ana' });
    const [r] = await h.say('/role add @cara lead', { as: 'fay' });
    expect(r).toContain('Only an admin can give or take away the lead role');
    expect(h.services.roles.list().map((x) => `${x.name}:${x.role}`)).toEqual(['ana:admin', 'ana:facilitator', 'fay:facilitator']);
  });

  it('follows who may grant what', async () => {
    h = await createHarness({ admins: 'console:ana' });
    await h.say('/collab create Forum', { as: 'ana' });
    expect(await h.say('/role add @lee lead', { as: 'ana' })).toEqual(['[main] Done: lee is now a lead.']);
    expect(await h.say('/role add @dee delegate', { as: 'lee' })).toEqual(['[main] Done: dee is now a delegate.']);
    // Only admins make leads (a lead could otherwise make a second account of their own a lead).
    expect((await h.say('/role add @lou lead', { as: 'lee' }))[0]).toContain('Only an admin can give or take away the lead role');
    expect(await h.say('/role add @lou lead', { as: 'ana' })).toEqual(['[main] Done: lou is now a lead.']);
    // A lead is not a facilitator of this collab.
    expect((await h.say('/role add @fay facilitator', { as: 'lee' }))[0]).toContain('Only a facilitator of this collab or an admin');
    expect(await h.say('/role add @fay facilitator', { as: 'ana' })).toEqual(['[main] Done: fay is now a facilitator of Forum.']);
    expect(await h.say('/role add @gus facilitator', { as: 'fay' })).toEqual(['[main] Done: gus is now a facilitator of Forum.']);
    expect((await h.say('/role remove @lou lead', { as: 'lee' }))[0]).toContain('Only an admin can give or take away the lead role');
    expect(await h.say('/role remove @lou lead', { as: 'ana' })).toEqual(['[main] Done: lou is no longer a lead.']);
    expect(await h.say('/role remove @lou lead', { as: 'ana' })).toEqual(['[main] lou was not a lead, so nothing changed.']);
  });

  it('suggests the closest command for a typo', async () => {
    h = await createHarness();
    expect((await h.say('/colabs'))[0]).toContain('Did you mean /collabs?');
    expect((await h.say('/hepl'))[0]).toContain('Did you mean /help?');
    expect((await h.say('/zzzzzz'))[0]).toBe("[main] I don't know /zzzzzz. Type /help to see every command.");
    expect((await h.say('/collab creat Forum'))[0]).toContain('Did you mean /collab create?');
  });

  it('generates /help and /help <command> from the declarations', async () => {
    h = await createHarness();
    // /help is one line per topic; /help <topic> lists every command of the topic with its summary.
    const [all] = await h.say('/help');
    const topics = [...all!.matchAll(/— \/help (\S+)/g)].map((m) => m[1]!);
    let listed = '';
    for (const t of topics) listed += (await h.say(`/help ${t}`))[0]! + '\n';
    for (const spec of h.bot.registry.all()) if (spec.name !== 'help') expect(listed).toContain(`/${spec.name}`);
    const [one] = await h.say('/help collab create');
    expect(one).toContain('/collab create <name>');
    expect(one).toContain('Example: /collab create Food Network');
    expect((await h.say('/help nothing'))[0]).toContain('There is no /nothing command');
  });

  it('survives bad input: empty, huge, control characters, unterminated quotes, unknown options', async () => {
    h = await createHarness();
    expect(await h.say('')).toEqual([]);
    expect(await h.say('   ')).toEqual([]);
    expect(await h.say('just chatting, not a command')).toEqual([]);
    const [huge] = await h.say('/collab create ' + 'x'.repeat(100_000));
    expect(huge).toContain('That message is too long for me');
    expect(await h.say('/\u0000\u0007collabs\u001b')).toEqual(['[main] There are no collabs yet. Start one in a group chat with /collab create <name>, e.g. /collab create Food Network']);
    expect((await h.say('/'))[0]).toContain('Type a command after the /');
    expect((await h.say('/"quoted'))[0]).toContain('Type a command after the /');
    expect((await h.say('/role add "@ben lead', { as: 'ana' }))[0]).toContain('A quote is opened before "@ben lead" but never closed');
    expect((await h.say('/collabs --frobnicate'))[0]).toContain("I don't know the option --frobnicate");
    // Names every object has (its prototype's) are no options either.
    expect((await h.say('/collabs --constructor'))[0]).toContain("I don't know the option --constructor");
    expect((await h.say('/role add @ben emperor', { as: 'ana' }))[0]).toContain('The role must be one of: lead, delegate, facilitator');
    expect((await h.say('/role add', { as: 'ana' }))[0]).toMatch(/Something is missing: person\.\nType it like this: \/role add @name/);
    expect((await h.say('/role add @ben lead extra', { as: 'ana' }))[0]).toContain('I didn\'t expect "extra" there');
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM roles').get()).toEqual({ n: 0 });
  });

  it('answers plain text in a direct message with a hint, and ignores bots', async () => {
    h = await createHarness();
    expect(await h.say('hello?', { direct: true, in: 'dm-ana' })).toEqual(['[dm-ana] Hello! I understand commands that start with /. Type /help to see them.']);
    expect(h.bot.process(event('/collabs', 'b1', { author: { id: 'bot', displayName: 'Collabot', isBot: true } }))).toBe('ignored');
  });

  it('links two identities into one person with a one-time code sent by direct message, once the first confirms', async () => {
    h = await createHarness({ platforms: ['console', 'slack'], admins: 'slack:U1' });
    const [dm, note] = await h.say('/link', { as: 'ana' });
    expect(note).toBe("[main] ana, I've sent you a code in a direct message.");
    const code = /code is (\d{6})/.exec(dm!)![1]!;
    expect(dm).toMatch(/^\[@ana\] /);
    expect((await h.say('/link 000000', { platform: 'slack', as: 'U1' }))[0]).toContain('not valid or has expired');
    const typed = await h.say(`/link ${code}`, { platform: 'slack', as: 'U1' });
    expect(typed).toContain('[@ana] U1 on slack typed your link code. If that account is yours too, type /link confirm to join them. If it is not yours, do nothing: nothing is joined, and the code expires in 15 minutes.');
    const [done] = await h.say('/link confirm', { as: 'ana' });
    expect(done).toContain('Done: your accounts are now one person');
    // ana on the console is not an admin through her linked Slack identity: only from the listed account.
    const [r] = await h.say('/collab create Forum', { as: 'ana' });
    expect(r).toContain('Done');
    expect((await h.say('/fund set discovery 100', { as: 'ana' }))[0]).toContain('Only an admin can use /fund set');
    expect((await h.say('/fund set discovery 100', { platform: 'slack', as: 'U1' }))[0]).toContain('Done');
    // A direct message goes out on the platform the person typed on, else on another of theirs.
    await h.say('/link', { platform: 'slack', as: 'U1' });
    expect(h.adapter('slack').sent.filter((s) => s.to.userId).map((s) => s.line)).toEqual([expect.stringMatching(/^\[@U1\] Your link code is \d{6}\./)]);
    const ana = h.services.people.find('console', 'ana')!;
    expect(h.services.people.directTo(ana, 'discord')).toEqual({ platform: 'console', userId: 'ana' });
    expect(h.services.people.directTo(ana, 'slack')).toEqual({ platform: 'slack', userId: 'U1' });
    // Codes are single use and expire.
    expect((await h.say(`/link ${code}`, { platform: 'slack', as: 'U2' }))[0]).toContain('not valid or has expired');
    const [dm2] = await h.say('/link', { as: 'cara' });
    const code2 = /code is (\d{6})/.exec(dm2!)![1]!;
    h.clock.advance(16 * 60_000);
    expect((await h.say(`/link ${code2}`, { platform: 'slack', as: 'U3' }))[0]).toContain('not valid or has expired');
  });

  it('joins a second chat to a collab and lists collabs', async () => {
    h = await createHarness({ platforms: ['console', 'slack'] });
    await h.say('/collab create Food Network', { as: 'ana' });
    expect((await h.say('/collab link Food Network', { platform: 'slack', as: 'U9', in: 'C1' }))[0]).toContain('Only a facilitator of Food Network');
    expect((await h.say('/collab link Nope', { as: 'ana', in: 'other' }))[0]).toContain('There is no collab called "Nope"');
    expect((await h.say('/collab link food network', { as: 'ana', in: 'other' }))[0]).toContain('Done: this chat is now part of Food Network. It has 2 chats');
    expect((await h.say('/collabs'))[0]).toContain('• Food Network — 2 members, 2 chats');
    expect((await h.say('/collab create Again', { as: 'ana', in: 'other' }))[0]).toContain('already the collab "Food Network"');
    // A name in quotes, as phones type them, is the name without the quotes.
    expect((await h.say('/collab create \u201cYouth Forum\u201d', { as: 'ana', in: 'youth' }))[0]).toContain('Done: this chat is now the collab "Youth Forum"');
    expect((await h.say('/collab info "youth forum"'))[0]).toMatch(/^\[main\] Youth Forum\n[^]*\nTime zone: Europe\/London$/m);
    await h.say('/collab tz Europe/Dublin', { as: 'ana', in: 'youth' });
    expect((await h.say('/collab info', { in: 'youth' }))[0]).toContain('\nTime zone: Europe/Dublin');
    expect(h.services.collabs.timeZone(h.services.collabs.byName('Youth Forum')!.id)).toBe('Europe/Dublin');
    expect(h.services.collabs.timeZone(null)).toBe('Europe/London');
    expect((await h.say('/collab link \u201cYouth Forum\u201d', { as: 'ana', in: 'youth-2' }))[0]).toContain('Done: this chat is now part of Youth Forum');
  });
});

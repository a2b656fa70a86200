// The Discord adapter with real discord.js against a fake Discord (REST API and
// gateway on loopback): interactions in, what the bot sent to Discord out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildDiscordCommands } from '../../adapters/discord/commands.js';
import { DiscordAdapter } from '../../adapters/discord/index.js';
import { readFileSync } from 'node:fs';
import { inviteUrl, registerCommands } from '../../adapters/discord/register.js';
import { allCommands } from '../../commands/index.js';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { defineCommand, type CommandSpec } from '../../src/core/registry.js';
import { silentLogger } from '../../src/logger.js';
import { PermanentSendError, RateLimitedError, type PollView } from '../../src/model.js';
import { openDatabase } from '../../src/storage/db.js';
import { ANA, BEN, FakeDiscord, type Recorded } from './fake-discord.js';

// Test-only poll commands (the poll feature lives on its own branch): one posts
// a PollView with editKey poll:N, `vote` and `unvote` record what arrived and
// enqueue the updateOnly refresh, as the poll contract says.
const poll = { id: 0, labels: [] as string[], counts: [] as number[], multi: 1, native: false, closed: false };
const votes: string[] = [];
function view(): PollView {
  return {
    pollId: poll.id,
    question: 'Where shall we meet?',
    type: 'choice',
    options: poll.labels.map((label, i) => ({ index: i + 1, label, count: poll.counts[i] })),
    multi: poll.multi,
    anonymous: false,
    hidden: false,
    closed: poll.closed,
    voters: poll.counts.reduce((a, b) => a + b, 0),
    native: poll.native,
  };
}
const plain = () => `Poll ${poll.id}: Where shall we meet?\n${poll.labels.map((l, i) => `${i + 1}. ${l}`).join('\n')}\nVote with /vote ${poll.id} <number>`;
const testCommands: CommandSpec[] = [
  defineCommand({
    name: 'testpoll',
    summary: 'Start a test poll',
    usage: '/testpoll <options...> [--multi N] [--native]',
    examples: ['/testpoll Park Hall'],
    args: z.object({ options: z.array(z.string()).min(1), multi: z.coerce.number().int().min(1).optional(), native: z.boolean().optional() }),
    positional: ['options...'],
    handler(ctx, a) {
      Object.assign(poll, { id: poll.id + 1, labels: a.options, counts: a.options.map(() => 0), multi: a.multi ?? 1, native: !!a.native, closed: false });
      ctx.reply({ text: plain(), poll: view(), editKey: `poll:${poll.id}` });
    },
  }),
  defineCommand({
    name: 'testpoll close',
    summary: 'Close the test poll',
    usage: '/testpoll close',
    examples: ['/testpoll close'],
    args: z.object({}),
    handler(ctx) {
      poll.closed = true;
      ctx.send({ platform: ctx.event.platform, chatId: ctx.event.chat.id }, { text: plain(), poll: view(), editKey: `poll:${poll.id}`, updateOnly: true });
      ctx.reply('Closed.');
    },
  }),
  defineCommand({
    name: 'vote',
    summary: 'Vote in a poll',
    usage: '/vote <poll> <choices...>',
    examples: ['/vote 1 2'],
    args: z.object({ poll: z.string(), choices: z.array(z.string()) }),
    positional: ['poll', 'choices...'],
    handler(ctx, a) {
      votes.push(ctx.event.text);
      for (const c of a.choices) poll.counts[Number(c) - 1]! += 1;
      ctx.reply(`Vote counted: ${a.choices.join(', ')}`);
      ctx.send({ platform: ctx.event.platform, chatId: ctx.event.chat.id }, { text: plain(), poll: view(), editKey: `poll:${poll.id}`, updateOnly: true });
    },
  }),
  defineCommand({
    name: 'unvote',
    summary: 'Take your vote back',
    usage: '/unvote <poll>',
    examples: ['/unvote 1'],
    args: z.object({ poll: z.string() }),
    positional: ['poll'],
    handler(ctx) {
      votes.push(ctx.event.text);
      ctx.reply('Your vote is taken back.');
    },
  }),
  defineCommand({
    name: 'slow',
    summary: 'Take 5 seconds (a slow command)',
    usage: '/slow',
    examples: ['/slow'],
    args: z.object({}),
    handler(ctx) {
      fake.skewMs += 5000; // the fake Discord's clock moves on as if this took 5 s
      ctx.reply('Finally done.');
    },
  }),
  defineCommand({
    name: 'testnote',
    summary: 'Add a test note',
    usage: '/testnote <text>',
    examples: ['/testnote Book the hall'],
    args: z.object({ text: z.string() }),
    positional: ['text*'],
    handler: (ctx, a) => ctx.reply(`Noted: ${a.text}`),
  }),
  defineCommand({ name: 'testnote list', summary: 'List test notes', usage: '/testnote list', examples: ['/testnote list'], args: z.object({}), handler: (ctx) => ctx.reply('No notes.') }),
  defineCommand({ name: 'crash', summary: 'Fail', usage: '/crash', examples: ['/crash'], args: z.object({}), handler: () => { throw new Error('boom'); } }),
  defineCommand({ name: 'quiet', summary: 'Answer nothing', usage: '/quiet', examples: ['/quiet'], args: z.object({}), handler: () => undefined }),
];
// When the real poll commands land, these stand in for them here.
const commands = [...allCommands.filter((c) => !['vote', 'unvote'].includes(c.name)), ...testCommands];

let fake: FakeDiscord;
let bot: Bot;
let adapter: DiscordAdapter;
let now = Date.now();
/** Each test talks in its own channel, so Discord's 5-per-5-seconds channel limit doesn't slow the suite. */
let ch = '';

async function startBot(f: FakeDiscord, env: Record<string, string> = {}) {
  const config = loadConfig({ DISCORD_TOKEN: 'fake-token-abc', DISCORD_API_URL: f.api, COLLABOT_ADMINS: `discord:${ANA.id}`, ...env });
  const b = new Bot({ db: openDatabase(':memory:'), config, clock: systemClock, log: silentLogger, commands, sender: { baseBackoffMs: 10, maxBackoffMs: 50 } });
  const a = new DiscordAdapter({ config, log: silentLogger, commands, now: () => now });
  b.use(a);
  await b.start();
  return { bot: b, adapter: a };
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  ({ bot, adapter } = await startBot(fake));
});
afterAll(async () => {
  await bot?.stop();
  bot?.services.db.close();
  await fake?.close();
});

const original = (token: string) => (r: Recorded) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`);
const callback = (id: string) => (r: Recorded) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`);

describe('Discord adapter', () => {
  beforeEach(() => {
    ch = fake.newChannel();
  });

  it('connects with only the intents it needs', () => {
    expect(fake.identify?.token).toBe('fake-token-abc');
    const intents = fake.identify!.intents;
    const GUILDS = 1, GUILD_MESSAGES = 1 << 9, DIRECT_MESSAGES = 1 << 12, MESSAGE_CONTENT = 1 << 15;
    expect(intents & GUILDS).toBeTruthy();
    expect(intents & DIRECT_MESSAGES).toBeTruthy();
    expect(intents & (GUILD_MESSAGES | MESSAGE_CONTENT)).toBe(0);
  });

  it('defers a slash command, then edits the deferred response with the reply', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('collab', [{ name: 'create', type: 1, options: [{ name: 'name', type: 3, value: 'Food Network' }] }], { channel: ch });
    const edit = await fake.waitFor(original(i.token), from);
    const ack = fake.requests.slice(from).find(callback(i.id))!;
    expect(ack.body).toEqual({ type: 5 });
    expect(fake.requests.indexOf(ack)).toBeLessThan(fake.requests.indexOf(edit));
    expect(edit.body.content).toContain('Done: this chat is now the collab "Food Network", and Ana is its facilitator.');
    expect(edit.body.allowed_mentions).toEqual({ parse: [] });
  });

  it('turns a user option into a mention the core resolves', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput(
      'role',
      [{ name: 'add', type: 1, options: [{ name: 'person', type: 6, value: BEN.id }, { name: 'role', type: 3, value: 'lead' }] }],
      { channel: ch, resolved: { users: { [BEN.id]: { id: BEN.id, username: 'ben', discriminator: '0', global_name: 'Ben', avatar: null } } } },
    );
    const edit = await fake.waitFor(original(i.token), from);
    expect(edit.body.content).toBe('Done: Ben is now a lead.');
  });

  it('answers a command slower than 3 seconds, because it deferred first', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('slow', [], { channel: ch });
    const edit = await fake.waitFor(original(i.token), from);
    expect(edit.body.content).toBe('Finally done.');
    expect(edit.status).toBe(200);
    const ack = fake.requests.slice(from).find(callback(i.id))!;
    expect(ack.body).toEqual({ type: 5 });
    expect(ack.status).toBe(204);

    // The fake holds Discord's 3-second window: answering only after the work is refused.
    const late = fake.chatInput('help', [], { channel: ch, silent: true });
    fake.skewMs += 5000;
    const res = await fetch(`${fake.api}/v10/interactions/${late.id}/${late.token}/callback`, { method: 'POST', body: '{"type":4,"data":{"content":"x"}}' });
    expect(res.status).toBe(404);
    expect((await res.json()).code).toBe(10062);
  });

  it('still answers the interaction when the command crashes', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('crash', [], { channel: ch });
    const edit = await fake.waitFor(original(i.token), from);
    expect(edit.body.content).toMatch(/^Sorry, something went wrong on my side and nothing was changed\..*E[0-9A-F]{6}$/s);
  });

  it('quotes a first word that would name another command; a stale command is answered by the core', async () => {
    const from = fake.requests.length;
    // `/testpoll start options:close` would read as /testpoll close: the first word is quoted instead.
    const i = fake.chatInput('testpoll', [{ name: 'start', type: 1, options: [{ name: 'options', type: 3, value: 'close Hall' }] }], { channel: ch });
    const edit = await fake.waitFor(original(i.token), from);
    expect(edit.body.embeds[0].description).toContain('**1.** close');
    // A stale command Discord still offers is answered by the core.
    const stale = fake.chatInput('gone', [], { channel: ch });
    expect((await fake.waitFor(original(stale.token), from)).body.content).toMatch(/^I don't know \/gone/);
  });

  it('answers, privately, an option the core would read as another command', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('testnote', [{ name: 'add', type: 1, options: [{ name: 'text', type: 3, value: 'list of jobs' }] }], { channel: ch });
    const edit = await fake.waitFor(original(i.token), from);
    expect(fake.requests.slice(from).find(callback(i.id))!.body).toEqual({ type: 5, data: { flags: 64 } });
    expect(edit.body.content).toBe('text can\'t start with "list": that would be the command /testnote list. Please start it with another word.');
    const ok = fake.chatInput('testnote', [{ name: 'add', type: 1, options: [{ name: 'text', type: 3, value: 'Book the hall' }] }], { channel: ch });
    expect((await fake.waitFor(original(ok.token), from)).body.content).toBe('Noted: Book the hall');
    expect(fake.requests.slice(from).some((r) => r.body?.content === 'No notes.')).toBe(false);
  });

  it('posts a poll with buttons and an embed; a button vote answers privately and edits the poll in place', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('testpoll', [{ name: 'start', type: 1, options: [{ name: 'options', type: 3, value: 'Park "Town hall" Library' }] }], { channel: ch });
    const posted = await fake.waitFor(original(i.token), from);
    const [embed] = posted.body.embeds;
    expect(embed.title).toBe('Where shall we meet?');
    expect(embed.description).toContain('**2.** Town hall');
    expect(posted.body.components).toEqual([
      {
        type: 1,
        components: [1, 2, 3].map((n) => ({ type: 2, style: 1, label: `${n}. ${['Park', 'Town hall', 'Library'][n - 1]}`, custom_id: `vote:${poll.id}:${n}` })),
      },
    ]);
    const pollMessage = [...fake.messages.values()].find((m) => m.channel_id === ch && m.components.length)!;

    const press = fake.button(`vote:${poll.id}:2`, pollMessage.id, { user: BEN });
    const ack = await fake.waitFor(callback(press.id), from);
    expect(ack.body).toEqual({ type: 5, data: { flags: 64 } }); // private to Ben
    const answer = await fake.waitFor(original(press.token), from);
    expect(answer.body.content).toBe('Vote counted: 2');
    const refresh = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/channels/${ch}/messages/${pollMessage.id}`, from);
    expect(refresh.body.embeds[0].description).toContain('**2.** Town hall\n▰▰▰▰▰▰▰▰▰▰ 1 (100%)');
    expect(refresh.body.embeds[0].footer.text).toContain('1 voted');
    expect(votes.at(-1)).toBe(`/vote ${poll.id} 2`);

    // Closing removes the buttons.
    const close = fake.chatInput('testpoll', [{ name: 'close', type: 1 }], { channel: ch });
    await fake.waitFor(original(close.token), from);
    const closed = await fake.waitFor((r) => r.method === 'PATCH' && r.path.endsWith(`/messages/${pollMessage.id}`) && r.body.components?.length === 0, from);
    expect(closed.body.embeds[0].description).toContain('This poll is closed.');
  });

  it('shows a select menu for several choices per voter', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('testpoll', [{ name: 'start', type: 1, options: [{ name: 'options', type: 3, value: 'Tea Coffee Juice' }, { name: 'multi', type: 4, value: 2 }] }], { channel: ch });
    const posted = await fake.waitFor(original(i.token), from);
    const menu = posted.body.components[0].components[0];
    expect(menu).toMatchObject({ type: 3, custom_id: `vote:${poll.id}:menu:1`, min_values: 1, max_values: 2 });
    expect(menu.options.map((o: { value: string }) => o.value)).toEqual(['1', '2', '3']);
    const message = [...fake.messages.values()].find((m) => m.channel_id === ch && m.components?.[0]?.components?.[0]?.custom_id === `vote:${poll.id}:menu:1`)!;
    const pick = fake.select(`vote:${poll.id}:menu:1`, ['1', '3'], message.id);
    expect((await fake.waitFor(original(pick.token), from)).body.content).toBe('Vote counted: 1, 3');
    expect(votes.at(-1)).toBe(`/vote ${poll.id} 1 3`);
  });

  it('posts a native poll with --native and reads its votes back', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('testpoll', [{ name: 'start', type: 1, options: [{ name: 'options', type: 3, value: 'Park Hall' }, { name: 'native', type: 5, value: true }] }], { channel: ch });
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages` && r.body.poll, from);
    expect(post.body.poll).toMatchObject({ question: { text: 'Where shall we meet?' }, answers: [{ poll_media: { text: '1. Park' } }, { poll_media: { text: '2. Hall' } }], allow_multiselect: false });
    // A poll cannot be put into a deferred response, so the "thinking…" is removed.
    await fake.waitFor((r) => r.method === 'DELETE' && r.path.endsWith(`/${i.token}/messages/@original`), from);
    const message = [...fake.messages.values()].find((m) => m.poll && m.channel_id === ch)!;

    fake.pollVote(true, message.id, 2, BEN);
    await until(() => votes.at(-1) === `/vote ${poll.id} 2`);
    fake.pollVote(false, message.id, 2, BEN);
    await until(() => votes.at(-1) === `/unvote ${poll.id}`);

    // After a restart the adapter reads the poll back from Discord.
    (adapter as unknown as { nativePolls: Map<string, unknown> }).nativePolls.clear();
    fake.pollVote(true, message.id, 1, ANA);
    await until(() => votes.at(-1) === `/vote ${poll.id} 1`);
    expect(fake.requests.slice(from).some((r) => r.method === 'GET' && r.path === `/channels/${ch}/messages/${message.id}`)).toBe(true);
    // The native poll shows voters their vote: nothing is posted in the channel for it.
    expect(fake.requests.slice(from).filter((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages`)).toHaveLength(1);
  });

  it('ends a native poll that is closed early', async () => {
    const from = fake.requests.length;
    fake.chatInput('testpoll', [{ name: 'start', type: 1, options: [{ name: 'options', type: 3, value: 'Yes No' }, { name: 'native', type: 5, value: true }] }], { channel: ch });
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages` && r.body.poll, from);
    expect(post.body.poll.duration).toBe(768); // no closing time: as long as Discord allows
    const message = [...fake.messages.values()].find((m) => m.poll && m.channel_id === ch)!;
    fake.chatInput('testpoll', [{ name: 'close', type: 1 }], { channel: ch });
    await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/polls/${message.id}/expire`, from);
  });

  it('sends direct messages through a DM channel', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('link', [], { channel: ch });
    expect((await fake.waitFor(original(i.token), from)).body.content).toBe("Ana, I've sent you a code in a direct message.");
    await fake.waitFor((r) => r.method === 'POST' && r.path === '/users/@me/channels' && r.body.recipient_id === ANA.id, from);
    const dm = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/dm-${ANA.id}/messages`, from);
    expect(dm.body.content).toMatch(/^Your link code is \d{6}\./);
  });

  it("answers /link in the bot's DM with the code itself", async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('link', [], { dm: true, user: BEN });
    expect((await fake.waitFor(original(i.token), from)).body.content).toMatch(/^Your link code is \d{6}\./);
  });

  it('removes a deferral nobody answered before its token runs out', async () => {
    const from = fake.requests.length;
    const i = fake.chatInput('quiet', [], { channel: ch });
    await fake.waitFor(callback(i.id), from);
    await adapter.sweep();
    expect(fake.requests.slice(from).some((r) => r.method === 'DELETE')).toBe(false);
    now += 14 * 60_000;
    await adapter.sweep();
    expect(fake.requests.slice(from).some((r) => r.method === 'DELETE' && r.path.endsWith(`/${i.token}/messages/@original`))).toBe(true);
  });

  it('maps rate limits and refusals to what the outbox understands', async () => {
    fake.failNext('POST', /^\/channels\/C429\/messages$/, 429, { message: 'You are being rate limited.', retry_after: 2.5, global: false }, { 'retry-after': '2.5', 'x-ratelimit-scope': 'user' });
    const limited = await adapter.send({ platform: 'discord', chatId: 'C429' }, { text: 'hello' }).catch((e) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(2500);

    fake.failNext('POST', /^\/channels\/C404\/messages$/, 404, { message: 'Unknown Channel', code: 10003 });
    expect(await adapter.send({ platform: 'discord', chatId: 'C404' }, { text: 'hello' }).catch((e) => e)).toBeInstanceOf(PermanentSendError);
    fake.failNext('POST', /^\/channels\/C403\/messages$/, 403, { message: 'Missing Access', code: 50001 });
    expect(await adapter.send({ platform: 'discord', chatId: 'C403' }, { text: 'hello' }).catch((e) => e)).toBeInstanceOf(PermanentSendError);
    // Discord failing on its side is worth trying again later (after discord.js's own retries).
    for (let n = 0; n < 4; n++) fake.failNext('POST', /^\/channels\/C500\/messages$/, 502, { message: 'Bad Gateway' });
    const other = await adapter.send({ platform: 'discord', chatId: 'C500' }, { text: 'hello' }).catch((e) => e);
    expect(other).toBeInstanceOf(Error);
    expect(other).not.toBeInstanceOf(PermanentSendError);
    expect(other).not.toBeInstanceOf(RateLimitedError);
  });

  it('splits a reply longer than 2000 characters', async () => {
    const long = Array.from({ length: 60 }, (_, n) => `line ${n} `.padEnd(50, '.')).join('\n');
    await adapter.send({ platform: 'discord', chatId: 'C-long' }, { text: long });
    const parts = fake.requests.filter((r) => r.path === '/channels/C-long/messages').map((r) => r.body.content as string);
    expect(parts.length).toBe(2);
    expect(parts.every((p) => p.length <= 2000)).toBe(true);
    expect(parts.join('\n')).toBe(long);
  });

  it('registers the generated commands with one idempotent PUT', async () => {
    const from = fake.requests.length;
    const expected = buildDiscordCommands(allCommands).commands;
    for (let n = 0; n < 2; n++) await registerCommands({ token: 'fake-token-abc', api: fake.api, guildId: fake.guildId, specs: allCommands });
    const puts = fake.requests.slice(from).filter((r) => r.method === 'PUT');
    expect(puts.map((r) => r.path)).toEqual([`/applications/${fake.appId}/guilds/${fake.guildId}/commands`, `/applications/${fake.appId}/guilds/${fake.guildId}/commands`]);
    expect(puts[0]!.body).toEqual(expected);
    expect(puts[1]!.body).toEqual(puts[0]!.body);
    expect(puts[0]!.auth).toBe('Bot fake-token-abc');

    await registerCommands({ token: 'fake-token-abc', appId: fake.appId, api: fake.api, specs: allCommands });
    expect(fake.requests.at(-1)!.path).toBe(`/applications/${fake.appId}/commands`);
  });

  it('the README gives the invite link with the permissions the bot needs', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(inviteUrl('YOUR_APP_ID'));
  });
});

describe('Discord adapter with DISCORD_TEXT_COMMANDS=true', () => {
  it('asks for the Message Content intent and runs typed /commands, with mentions', async () => {
    const f = await FakeDiscord.start();
    const { bot: b } = await startBot(f, { DISCORD_TEXT_COMMANDS: 'true' });
    try {
      const MESSAGE_CONTENT = 1 << 15, GUILD_MESSAGES = 1 << 9;
      expect(f.identify!.intents & (MESSAGE_CONTENT | GUILD_MESSAGES)).toBe(MESSAGE_CONTENT | GUILD_MESSAGES);
      f.message('/collab create Youth Club');
      const created = await f.waitFor((r) => r.method === 'POST' && r.path === `/channels/${f.channelId}/messages`);
      expect(created.body.content).toContain('"Youth Club"');
      expect(created.body.message_reference).toMatchObject({ fail_if_not_exists: false });
      f.message(`/role add <@${BEN.id}> facilitator`, { mentions: [BEN] });
      const granted = await f.waitFor((r) => r.method === 'POST' && r.body?.content?.startsWith('Done: Ben is now a facilitator'));
      expect(granted.body.content).toBe('Done: Ben is now a facilitator of Youth Club.');
      // Chat that is not a command is left alone.
      const before = f.requests.length;
      f.message('hello everyone');
      await new Promise((r) => setTimeout(r, 100));
      expect(f.requests.length).toBe(before);
    } finally {
      await b.stop();
      b.services.db.close();
      await f.close();
    }
  });
});

async function until(check: () => boolean, timeoutMs = 3000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

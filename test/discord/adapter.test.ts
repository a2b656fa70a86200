// The Discord adapter with real discord.js against a fake Discord (REST API and
// gateway on loopback): interactions in, what the bot sent to Discord out.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildDiscordCommands } from '../../adapters/discord/commands.js';
import { DiscordAdapter } from '../../adapters/discord/index.js';
import { readFileSync } from 'node:fs';
import { inviteUrl, registerCommands } from '../../adapters/discord/register.js';
import { allCommands } from '../../commands/index.js';
import { FakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { defineCommand, type CommandSpec } from '../../src/core/registry.js';
import { createLogger } from '../../src/logger.js';
import { PermanentSendError, RateLimitedError } from '../../src/model.js';
import { BoundedMap } from '../../src/platform/bounded-map.js';
import { openDatabase } from '../../src/storage/db.js';
import { ANA, BEN, FakeDiscord, type Recorded } from './fake-discord.js';

// Test-only commands for what the real ones cannot show: a slow command, a
// verbatim-text option whose first word names another command, a crash, silence.
const testCommands: CommandSpec[] = [
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
const commands = [...allCommands, ...testCommands];

let fake: FakeDiscord;
let bot: Bot;
let adapter: DiscordAdapter;
let stopBot: () => Promise<void>;
let now = Date.now();
/** What the bot and the adapter logged (warnings and errors). */
const logLines: string[] = [];
const log = createLogger('warn', [], { write: (line: string) => void logLines.push(line) });
/** Each test talks in its own channel, so Discord's 5-per-5-seconds channel limit doesn't slow the suite. */
let ch = '';

async function startBot(f: FakeDiscord, env: Record<string, string> = {}) {
  const config = loadConfig({ DISCORD_TOKEN: 'fake-token-abc', DISCORD_API_URL: f.api, COLLABOT_ADMINS: `discord:${ANA.id}`, ...env });
  // The bot's clock runs 20 times faster than real time, so the outbox's pacing
  // (5 messages per 5 seconds in a channel) plays out in a quarter of a second.
  const clock = new FakeClock(Date.now());
  const ticker = setInterval(() => clock.advance(100), 5);
  const b = new Bot({ db: openDatabase(':memory:'), config, clock, log, commands, sender: { baseBackoffMs: 10, maxBackoffMs: 50 } });
  const a = new DiscordAdapter({ config, log, commands, now: () => now });
  b.use(a);
  await b.start();
  const stop = async () => {
    clearInterval(ticker);
    await b.stop();
    b.services.db.close();
  };
  return { bot: b, adapter: a, stop };
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  ({ bot, adapter, stop: stopBot } = await startBot(fake));
});
afterAll(async () => {
  await stopBot?.();
  await fake?.close();
});

/** Makes this test's channel a collab, so polls can be asked in it. */
async function collab() {
  const from = fake.requests.length;
  const i = fake.chatInput('collab', [{ name: 'create', type: 1, options: [{ name: 'name', type: 3, value: `Room ${ch.slice(-6)}` }] }], { channel: ch });
  await fake.waitFor(original(i.token), from);
}

/** `/poll ask question:… options:…` in this test's channel, with more options if given. */
function ask([question, options]: [string, string], more: object[] = []) {
  const given = [{ name: 'question', type: 3, value: question }, { name: 'options', type: 3, value: options }, ...more];
  return fake.chatInput('poll', [{ name: 'ask', type: 1, options: given }], { channel: ch });
}

/** The message in this test's channel with a button or menu of this custom id. */
function messageWith(customId: string) {
  return [...fake.messages.values()].find((m) => m.channel_id === ch && m.components?.some((row: any) => row.components.some((c: any) => c.custom_id === customId)))!;
}

/** The newest poll's number. */
const lastPoll = () => (bot.services.db.prepare('SELECT MAX(id) AS id FROM polls').get() as { id: number }).id;

/** Votes per option of poll `id`, as the bot counts them. */
function counts(id: number) {
  const { polls } = bot.services;
  return polls.result(polls.get(id)!).options.map((o) => o.count);
}

/** `/poll close poll:<id>` in this test's channel. */
const closePoll = (id: number) => fake.chatInput('poll', [{ name: 'close', type: 1, options: [{ name: 'poll', type: 3, value: String(id) }] }], { channel: ch });
/** An edit of one of the bot's messages in this test's channel. */
const editOf = (messageId: string) => (r: Recorded) => r.method === 'PATCH' && r.path === `/channels/${ch}/messages/${messageId}`;
const original = (token: string) => (r: Recorded) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`);
const callback = (id: string) => (r: Recorded) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`);

describe('Discord adapter', () => {
  beforeEach(async () => {
    ch = fake.newChannel();
    // discord.js keeps to Discord's 50 requests a second by itself: start each test with room to spare.
    const { rest } = adapter.client;
    if (rest.globalRemaining < 30 && rest.globalReset > Date.now()) await new Promise((r) => setTimeout(r, rest.globalReset - Date.now() + 5));
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
    await collab();
    // `/poll ask question:close` would read as /poll close: the first word is quoted instead.
    const i = ask(['close', 'Park Hall']);
    const edit = await fake.waitFor(original(i.token), from);
    expect(edit.body.embeds[0].title).toBe('close');
    expect(edit.body.embeds[0].description).toContain('**1.** Park');
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

  // The outbox keeps to Discord's 5 messages per 5 seconds in a channel (a vote's
  // private confirmation is not one): each channel below gets at most 5.

  it('posts /poll with buttons and an embed; a button vote is confirmed privately and edits the poll; closing removes the buttons', async () => {
    const from = fake.requests.length;
    await collab();
    const i = ask(['Where shall we meet?', 'Park "Town hall" Library']);
    const posted = await fake.waitFor(original(i.token), from);
    const id = lastPoll();
    const [embed] = posted.body.embeds;
    expect(embed.title).toBe('Where shall we meet?');
    expect(embed.description).toContain('**2.** Town hall\n▱▱▱▱▱▱▱▱▱▱ 0 (0%)');
    expect(embed.footer.text).toBe(`Poll ${id} · 0 voted · tap to vote, or type /vote ${id} <number>`);
    expect(posted.body.components).toEqual([
      { type: 1, components: ['Park', 'Town hall', 'Library'].map((label, n) => ({ type: 2, style: 1, label: `${n + 1}. ${label}`, custom_id: `vote:${id}:${n + 1}` })) },
    ]);
    const pollMessage = messageWith(`vote:${id}:1`);

    const press = fake.button(`vote:${id}:2`, pollMessage.id, { user: BEN });
    const ack = await fake.waitFor(callback(press.id), from);
    expect(ack.body).toEqual({ type: 5, data: { flags: 64 } }); // private to Ben
    const answer = await fake.waitFor(original(press.token), from);
    expect(answer.body.content).toBe(`Thanks Ben: your vote in poll #${id} is counted: Town hall.\nNow: Park 0 · Town hall 1 · Library 0`);
    const refresh = await fake.waitFor(editOf(pollMessage.id), from);
    expect(refresh.body.embeds[0].description).toContain('**2.** Town hall\n▰▰▰▰▰▰▰▰▰▰ 1 (100%)');
    expect(refresh.body.embeds[0].footer.text).toContain('1 voted');
    expect(counts(id)).toEqual([0, 1, 0]);

    // Closing turns the live view into the final count, without buttons, and answers with the results.
    const close = closePoll(id);
    const results = await fake.waitFor(original(close.token), from);
    expect(results.body.content).toMatch(new RegExp(`^Poll #${id} is closed\\.\\nResults of poll #${id}: Where shall we meet\\? \\(closed\\)\\nTown hall: 1 vote \\(100%\\)`));
    const closed = await fake.waitFor((r) => editOf(pollMessage.id)(r) && r.body.components?.length === 0, from);
    expect(closed.body.embeds[0].description).toContain('**2.** Town hall\n▰▰▰▰▰▰▰▰▰▰ 1 (100%)');
    expect(closed.body.embeds[0].description).toContain('This poll is closed.');
    expect(closed.body.embeds[0].footer.text).toBe(`Poll ${id} · 1 voted`);
    // Nothing about the vote was posted in the channel itself.
    expect(fake.requests.slice(from).filter((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages`)).toEqual([]);
  });

  it('gives a multi-choice poll a select menu allowing up to K, and a ranked poll no buttons', async () => {
    const from = fake.requests.length;
    await collab();
    const i = ask(['Drinks?', 'Tea Coffee Juice'], [{ name: 'multi', type: 3, value: '2' }]);
    const posted = await fake.waitFor(original(i.token), from);
    const id = lastPoll();
    const menu = posted.body.components[0].components[0];
    expect(menu).toMatchObject({ type: 3, custom_id: `vote:${id}:menu:1`, min_values: 1, max_values: 2, placeholder: 'Vote: choose up to 2' });
    expect(menu.options.map((o: { value: string }) => o.value)).toEqual(['1', '2', '3']);
    expect(posted.body.embeds[0].description).toContain('Choose up to 2.');
    const message = messageWith(`vote:${id}:menu:1`);
    const pick = fake.select(`vote:${id}:menu:1`, ['1', '3'], message.id);
    expect((await fake.waitFor(original(pick.token), from)).body.content).toBe(`Thanks Ana: your vote in poll #${id} is counted: Tea and Juice.\nNow: Tea 1 · Coffee 0 · Juice 1`);
    const refresh = await fake.waitFor(editOf(message.id), from);
    expect(refresh.body.embeds[0].description).toContain('**3.** Juice\n▰▰▰▰▰▱▱▱▱▱ 1 (50%)');
    expect(counts(id)).toEqual([1, 0, 1]);

    const ranked = ask(['Rank them', 'Yes No'], [{ name: 'type', type: 3, value: 'ranked' }]);
    const rankedPost = await fake.waitFor(original(ranked.token), from);
    expect(rankedPost.body.components ?? []).toEqual([]);
    expect(rankedPost.body.content).toContain(`To vote, rank the options, favourite first: type /vote ${lastPoll()}`);
  });

  it('shows a hidden poll’s counts only once it closes', async () => {
    const from = fake.requests.length;
    await collab();
    const i = ask(['Later?', 'Yes No'], [{ name: 'hidden', type: 5, value: true }]);
    const posted = await fake.waitFor(original(i.token), from);
    const id = lastPoll();
    expect(posted.body.embeds[0].description).toBe('**1.** Yes\n**2.** No\n\nResults are hidden until it closes.');
    const message = messageWith(`vote:${id}:1`);
    fake.button(`vote:${id}:1`, message.id, { user: BEN });
    const refresh = await fake.waitFor(editOf(message.id), from);
    expect(refresh.body.embeds[0].description).toBe('**1.** Yes\n**2.** No\n\nResults are hidden until it closes.');
    expect(refresh.body.embeds[0].footer.text).toContain('1 voted');
    closePoll(id);
    const closed = await fake.waitFor((r) => editOf(message.id)(r) && r.body.components?.length === 0, from);
    expect(closed.body.embeds[0].description).toBe('**1.** Yes\n▰▰▰▰▰▰▰▰▰▰ 1 (100%)\n**2.** No\n▱▱▱▱▱▱▱▱▱▱ 0 (0%)\n\nThis poll is closed.');
  });

  it('shows an anonymous poll without live counts, and refuses a second vote privately', async () => {
    const from = fake.requests.length;
    await collab();
    const i = ask(['Secret?', 'Yes No'], [{ name: 'anonymous', type: 5, value: true }]);
    const posted = await fake.waitFor(original(i.token), from);
    const id = lastPoll();
    expect(posted.body.embeds[0].description).toBe('**1.** Yes\n**2.** No\n\nAnonymous: nobody sees who voted for what.');
    const message = messageWith(`vote:${id}:1`);
    const first = fake.button(`vote:${id}:1`, message.id, { user: BEN });
    expect((await fake.waitFor(original(first.token), from)).body.content).toMatch(/^Thanks: your anonymous vote in poll #\d+ is counted, with any reason you gave \(shown without your name\)\./);
    const refresh = await fake.waitFor(editOf(message.id), from);
    expect(refresh.body.embeds[0].description).not.toMatch(/[▰▱]/);
    expect(refresh.body.embeds[0].footer.text).toContain('1 voted');
    const again = fake.button(`vote:${id}:2`, message.id, { user: BEN });
    expect((await fake.waitFor(callback(again.id), from)).body).toEqual({ type: 5, data: { flags: 64 } });
    expect((await fake.waitFor(original(again.token), from)).body.content).toBe(
      `You have already voted in poll #${id}. It is anonymous, so your vote is final: nobody, not even me, can find your ballot to change it.`,
    );
    expect(counts(id)).toEqual([1, 0]); // the first vote stands
  });

  it('posts /poll --native as a Discord poll and counts its votes without a word in the channel', async () => {
    const from = fake.requests.length;
    await collab();
    const i = ask(['Where shall we meet?', 'Park Hall'], [{ name: 'native', type: 5, value: true }]);
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages` && r.body.poll, from);
    const id = lastPoll();
    expect(post.body.content).toBe(`Poll ${id} · you can also type /vote ${id} <number>`);
    expect(post.body.poll).toMatchObject({ question: { text: 'Where shall we meet?' }, answers: [{ poll_media: { text: '1. Park' } }, { poll_media: { text: '2. Hall' } }], allow_multiselect: false, duration: 768 });
    // A poll cannot be put into a deferred response, so the "thinking…" is removed.
    await fake.waitFor((r) => r.method === 'DELETE' && r.path.endsWith(`/${i.token}/messages/@original`), from);
    const message = [...fake.messages.values()].find((m) => m.poll && m.channel_id === ch)!;

    fake.pollVote(true, message.id, 2, BEN);
    await until(() => counts(id)[1] === 1);
    fake.pollVote(false, message.id, 2, BEN);
    await until(() => counts(id)[1] === 0);
    // After a restart the adapter reads the poll back from Discord.
    (adapter as unknown as { nativePolls: Map<string, unknown> }).nativePolls.clear();
    fake.pollVote(true, message.id, 1, ANA);
    await until(() => counts(id)[0] === 1);
    expect(fake.requests.slice(from).some((r) => r.method === 'GET' && r.path === `/channels/${ch}/messages/${message.id}`)).toBe(true);
    await bot.drain(2000);
    // The native poll shows voters their vote and keeps its own count: nothing is posted, edited or sent by DM for it.
    expect(fake.requests.slice(from).filter((r) => r.method !== 'GET' && (r.path.startsWith(`/channels/${ch}/`) || r.path.startsWith('/channels/dm-')))).toEqual([post]);
  });

  it('keeps the earlier ticks of a multi-choice native poll when a voter ticks another after a restart', async () => {
    const from = fake.requests.length;
    await collab();
    ask(['Which days?', 'Mon Tue Wed'], [{ name: 'multi', type: 4, value: 3 }, { name: 'native', type: 5, value: true }]);
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages` && r.body.poll, from);
    expect(post.body.poll.allow_multiselect).toBe(true);
    const id = lastPoll();
    const message = [...fake.messages.values()].find((m) => m.poll && m.channel_id === ch)!;
    fake.pollVote(true, message.id, 1, BEN);
    fake.pollVote(true, message.id, 2, BEN);
    await until(() => counts(id).join() === '1,1,0');
    // After a restart the adapter has forgotten everything, Ben's ticks too; Discord still shows them.
    for (const remembered of Object.values(adapter)) if (remembered instanceof BoundedMap) remembered.clear();
    fake.pollVote(true, message.id, 3, BEN);
    await until(() => counts(id)[2] === 1);
    expect(counts(id)).toEqual([1, 1, 1]);
    fake.pollVote(false, message.id, 1, BEN);
    await until(() => counts(id)[0] === 0);
    expect(counts(id)).toEqual([0, 1, 1]);
  });

  it('counts a native poll vote once when Discord delivers it again (a resumed session replays events)', async () => {
    const from = fake.requests.length;
    await collab();
    ask(['Tea or coffee?', 'Tea Coffee'], [{ name: 'native', type: 5, value: true }]);
    await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages` && r.body.poll, from);
    const id = lastPoll();
    const message = [...fake.messages.values()].find((m) => m.poll && m.channel_id === ch)!;
    fake.pollVote(true, message.id, 1, BEN);
    await until(() => counts(id)[0] === 1);
    const removal = fake.pollVote(false, message.id, 1, BEN);
    await until(() => counts(id)[0] === 0);
    fake.replay(removal);
    // Votes are handled in order: once this one counts, the replayed removal has been handled too.
    fake.pollVote(true, message.id, 2, BEN);
    await until(() => counts(id)[1] === 1);
    await bot.drain(2000);
    // Taken as a second removal, it would have been refused to Ben by DM ("You haven't voted...").
    expect(fake.requests.slice(from).filter((r) => r.path === `/channels/dm-${BEN.id}/messages`)).toEqual([]);
  });

  it('ends a native poll when it is closed, and refuses a late vote to the voter by DM', async () => {
    const from = fake.requests.length;
    await collab();
    ask(['Pizza?', 'Yes No'], [{ name: 'closes', type: 3, value: '2d' }, { name: 'native', type: 5, value: true }]);
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages` && r.body.poll, from);
    const id = lastPoll();
    expect(post.body.poll.duration).toBeGreaterThanOrEqual(48); // hours until it closes (the test's adapter clock lags a little)
    expect(post.body.poll.duration).toBeLessThanOrEqual(49);
    const message = [...fake.messages.values()].find((m) => m.poll && m.channel_id === ch)!;
    const close = closePoll(id);
    await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/polls/${message.id}/expire`, from);
    expect((await fake.waitFor(original(close.token), from)).body.content).toMatch(new RegExp(`^Poll #${id} is closed\\.\\nResults of poll #${id}: Pizza\\? \\(closed\\)\\nNobody has voted yet\\.`));
    // A vote that reaches the bot after that (Discord ends the poll a moment later) is refused, to the voter alone.
    fake.pollVote(true, message.id, 2, BEN);
    const dm = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/dm-${BEN.id}/messages`, from);
    expect(dm.body.content).toMatch(new RegExp(`^Poll #${id} closed on .+, so it no longer takes votes\\.`));
    expect(dm.body.message_reference).toBeUndefined();
    expect(counts(id)).toEqual([0, 0]);

    // Reopened, it is posted as a new Discord poll (an ended one cannot start again), and votes in it count.
    const before = fake.requests.length;
    bot.services.polls.reopen(id, bot.services.people.find('discord', ANA.id)!, null);
    bot.services.outbox.notify();
    const again = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${ch}/messages` && r.body.poll, before);
    expect(again.body.poll.answers).toEqual(post.body.poll.answers);
    const reopened = [...fake.messages.values()].filter((m) => m.poll && m.channel_id === ch).at(-1)!;
    expect(reopened.id).not.toBe(message.id);
    fake.pollVote(true, reopened.id, 1, BEN);
    await until(() => counts(id)[0] === 1);
  });

  it('refuses --native where the poll type does not allow it, and gives buttons where Discord’s poll cannot show it', async () => {
    const from = fake.requests.length;
    await collab();
    const i = ask(['Secret?', 'Yes No'], [{ name: 'anonymous', type: 5, value: true }, { name: 'native', type: 5, value: true }]);
    expect((await fake.waitFor(original(i.token), from)).body.content).toBe(
      'A native poll shows everyone\'s votes as they come in, so it can\'t be --anonymous. Leave out --native for a secret vote, e.g. /poll "Lunch?" "Soup" "Salad" --anonymous',
    );
    // More options than a Discord poll takes: the poll gets buttons instead.
    const many = ask(['Which month?', 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov'], [{ name: 'native', type: 5, value: true }]);
    const posted = await fake.waitFor(original(many.token), from);
    expect(posted.body.poll).toBeUndefined();
    expect(posted.body.components.flatMap((r: { components: unknown[] }) => r.components)).toHaveLength(11);
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

  it('logs a failed interaction without its token (good for 15 minutes to answer as the bot)', async () => {
    const from = logLines.length;
    fake.failNext('POST', /^\/interactions\/\d+\/[^/]+\/callback$/, 400, { message: 'Interaction has already been acknowledged.', code: 40060 });
    const i = fake.chatInput('help', [], { channel: ch });
    await fake.waitFor(callback(i.id));
    await until(() => logLines.slice(from).some((l) => l.includes('could not acknowledge the interaction')));
    const logged = logLines.slice(from).join('\n');
    expect(logged).toContain(`/interactions/${i.id}/:token/callback`);
    expect(logged).not.toContain(i.token);
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

  it('shows a message once when its send is tried again (Discord drops a repeated nonce)', async () => {
    const to = { platform: 'discord', chatId: 'C-again' };
    const first = await adapter.send(to, { text: 'The forum is at 6 tonight.', deliveryId: '991' });
    // The outbox tries again with the same delivery id when it cannot know the first try got through.
    const again = await adapter.send(to, { text: 'The forum is at 6 tonight.', deliveryId: '991' });
    expect(again.messageId).toBe(first.messageId);
    const other = await adapter.send(to, { text: 'Bring a friend.', deliveryId: '992' });
    expect(other.messageId).not.toBe(first.messageId);
    expect([...fake.messages.values()].filter((m) => m.channel_id === 'C-again').map((m) => m.content)).toEqual(['The forum is at 6 tonight.', 'Bring a friend.']);
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

  it('the Discord docs page gives the invite link with the permissions the bot needs', () => {
    const readme = readFileSync(new URL('../../docs/operate/discord.md', import.meta.url), 'utf8');
    expect(readme).toContain(inviteUrl('YOUR_APP_ID'));
  });
});

describe('Discord adapter stopping', () => {
  it('handles a native poll vote that came in just before it stopped', async () => {
    const f = await FakeDiscord.start();
    const { bot: b, adapter: a, stop } = await startBot(f);
    try {
      const create = f.chatInput('collab', [{ name: 'create', type: 1, options: [{ name: 'name', type: 3, value: 'Food Network' }] }]);
      await f.waitFor(original(create.token));
      f.chatInput('poll', [{ name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: 'Pizza?' }, { name: 'options', type: 3, value: 'Yes No' }, { name: 'native', type: 5, value: true }] }]);
      await f.waitFor((r) => r.method === 'POST' && r.body?.poll);
      const message = [...f.messages.values()].find((m) => m.poll)!;
      // The voter's name is looked up while the bot is told to stop.
      f.delayNext('GET', new RegExp(`^/users/${BEN.id}$`), 200);
      f.pollVote(true, message.id, 1, BEN);
      await f.waitFor((r) => r.method === 'GET' && r.path === `/users/${BEN.id}`);
      await a.stop();
      const poll = b.services.polls.get(1)!;
      expect(b.services.polls.result(poll).options.map((o) => o.count)).toEqual([1, 0]);
    } finally {
      await stop();
      await f.close();
    }
  });
});

describe('Discord adapter with DISCORD_TEXT_COMMANDS=true', () => {
  it('asks for the Message Content intent and runs typed /commands, with mentions', async () => {
    const f = await FakeDiscord.start();
    const { stop } = await startBot(f, { DISCORD_TEXT_COMMANDS: 'true' });
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
      await stop();
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

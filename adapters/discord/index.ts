// The Discord adapter: discord.js for the gateway (interactions, DMs, typed
// commands, native poll votes) and its REST client for everything we send.
// Loaded only when DISCORD_TOKEN is set (adapters/index.ts).
//
// Interactions: Discord shows "This interaction failed" unless it hears back
// within 3 seconds, so every interaction is deferred before the core sees it;
// the core's reply (whose replyTo is the interaction id) then edits the
// deferred response. Pending interactions are kept for 13 minutes (their token
// lasts 15) and a deferral nobody answered is removed then.
import { createHash } from 'node:crypto';
import { Client, DiscordAPIError, Events, GatewayIntentBits, Partials, RateLimitError, Routes, type Interaction, type Message } from 'discord.js';
import { stdSerializers } from 'pino';
import type { Config } from '../../src/config.js';
import type { CommandSpec } from '../../src/core/registry.js';
import type { Logger } from '../../src/logger.js';
import {
  PermanentSendError,
  RateLimitedError,
  type Adapter,
  type Capabilities,
  type Destination,
  type InboundEvent,
  type InboundSink,
  type Mention,
  type OutMessage,
  type SentRef,
} from '../../src/model.js';
import { BoundedMap } from '../../src/platform/bounded-map.js';
import { Mentions } from '../../src/platform/mentions.js';
import { picksSeveral } from '../../src/platform/poll-view.js';
import { SerialQueues } from '../../src/platform/serial.js';
import { nativeVoteId, routeVoteAnswer } from '../../src/platform/vote-answers.js';
import { buildDiscordCommands, DiscordInputError, type DiscordCommandSet, type ResolvedUsers } from './commands.js';
import { componentText, isNativePoll, readNativePoll, renderEdit, renderMessage, type MessageBody } from './render.js';

export interface DiscordAdapterOptions {
  config: Config;
  log: Logger;
  /** The same command declarations the bot runs, to read interactions back as command lines. */
  commands: readonly CommandSpec[];
  /** Injected time, for tests of pending-interaction expiry. */
  now?: () => number;
}

const EPHEMERAL = 64;
const SORRY = 'Sorry, something went wrong on my side. Please try again.';
const DEFERRED_REPLY = 5;
/** An interaction token lasts 15 minutes; answer or tidy up before then. */
const PENDING_MS = 13 * 60_000;
/** How many DM channels and native polls (with their voters' picks) are remembered. */
const REMEMBERED = 10_000;
/** Discord error codes that mean a send can never succeed. */
const PERMANENT_CODES = new Set([
  10003, // unknown channel
  10008, // unknown message
  10013, // unknown user
  50001, // missing access
  50007, // cannot send messages to this user
  50013, // missing permissions
  50035, // invalid form body
]);

interface Pending {
  id: string;
  token: string;
  applicationId: string;
  /** Button and menu presses are answered privately to the person who pressed. */
  ephemeral: boolean;
  /** Set when the interaction happened in the bot's DM with this user. */
  dmUserId?: string;
  /** Resolves to whether Discord accepted the deferral. */
  deferred: Promise<boolean>;
  answered: boolean;
  expiresAt: number;
}

interface NativePoll {
  pollId: number;
  /** Discord answer id -> the poll's option number. */
  options: Map<number, number>;
  multiselect: boolean;
  /**
   * Multi-select polls: what each voter has ticked, as Discord sends one event per
   * answer and the core takes a whole ballot. Empty for a poll just posted; read
   * from Discord for a poll read back (after a restart), else earlier ticks are lost.
   */
  picks?: Map<string, Set<number>>;
}

/** A gateway dispatch, as discord.js passes it on (`Events.Raw`). */
interface GatewayDispatch {
  t?: string;
  /** The event's sequence number in its session: the same when a resumed session replays it. */
  s?: number;
  d?: any;
}

interface PollVote {
  user_id: string;
  channel_id: string;
  message_id: string;
  guild_id?: string;
  answer_id: number;
}

export class DiscordAdapter implements Adapter {
  readonly platform = 'discord';
  readonly capabilities: Capabilities = {
    buttons: true,
    nativePolls: true,
    threads: false,
    edit: true,
    maxMessageLength: 2000,
    markdown: 'markdown',
    // Discord: 5 messages per 5 s per channel, 50 requests per second overall.
    rate: { perChat: { count: 5, intervalMs: 5000 }, global: { count: 50, intervalMs: 1000 } },
  };
  readonly client: Client;
  private readonly commandSet: DiscordCommandSet;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly pending = new Map<string, Pending>();
  private readonly dmChannels = new BoundedMap<string, string>(REMEMBERED);
  private readonly nativePolls = new BoundedMap<string, NativePoll>(REMEMBERED);
  /** Native poll votes, in order per poll message, so a voter's add and remove stay in order. */
  private readonly votes = new SerialQueues((err, message) => this.log.error({ err, message }, 'poll vote not handled'));
  /** Each shard's gateway session: with a sequence number, it names an event however often it is delivered. */
  private readonly sessions = new Map<number, string>();
  private sweeper?: NodeJS.Timeout;

  constructor(private opts: DiscordAdapterOptions) {
    const { config } = opts;
    if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
    this.log = opts.log.child({ platform: 'discord' }, { serializers: { err: withoutTokens } });
    this.now = opts.now ?? Date.now;
    this.commandSet = buildDiscordCommands(opts.commands);
    const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessagePolls, GatewayIntentBits.DirectMessagePolls];
    // Reading typed commands in server channels needs the privileged Message Content intent.
    if (config.DISCORD_TEXT_COMMANDS) intents.push(GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent);
    this.client = new Client({
      intents,
      partials: [Partials.Channel], // DMs arrive in channels discord.js has not cached
      allowedMentions: { parse: [] },
      rest: {
        ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL.replace(/\/+$/, '') } : {}),
        // The outbox waits and retries on its own; interaction callbacks must not wait.
        rejectOnRateLimit: (limit) => !limit.route.startsWith('/interactions'),
      },
    });
    // Sends can start (from the outbox) before the gateway is up.
    this.client.rest.setToken(config.DISCORD_TOKEN);
  }

  async start(sink: InboundSink) {
    const { client } = this;
    client.on(Events.InteractionCreate, (i) => void this.onInteraction(i, sink).catch((err) => this.log.error({ err }, 'interaction not handled')));
    client.on(Events.MessageCreate, (m) => void this.onMessage(m, sink).catch((err) => this.log.error({ err }, 'message not handled')));
    // Poll votes carry no id of their own: the raw dispatch's session and sequence number name them.
    client.on(Events.Raw as never, (p: GatewayDispatch, shard: number) => {
      if (p.t === 'READY') this.sessions.set(shard, p.d?.session_id);
      else if (p.t === 'MESSAGE_POLL_VOTE_ADD' || p.t === 'MESSAGE_POLL_VOTE_REMOVE') {
        const vote = p.d as PollVote;
        this.votes.run(vote.message_id, () => this.onPollVote(vote, p.t === 'MESSAGE_POLL_VOTE_ADD', `${this.sessions.get(shard)}:${p.s}`, sink));
      }
    });
    client.on(Events.Error, (err) => this.log.error({ err }, 'discord client error'));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(this.opts.config.DISCORD_TOKEN);
    await ready;
    this.sweeper = setInterval(() => void this.sweep(), 60_000);
    this.sweeper.unref();
    this.log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'connected to Discord');
  }

  async stop() {
    if (this.sweeper) clearInterval(this.sweeper);
    // Votes already in reach the core before the database closes.
    await this.votes.idle();
    await this.client.destroy();
  }

  // --- Inbound ---------------------------------------------------------------

  private async onInteraction(i: Interaction, sink: InboundSink) {
    if (!i.isChatInputCommand() && !i.isButton() && !i.isStringSelectMenu()) return;
    let text: string | undefined;
    let mentions: Mention[] = [];
    // Presses on buttons and menus are answered privately to whoever pressed.
    let ephemeral = !i.isChatInputCommand();
    let refusal: string | undefined;
    try {
      if (i.isChatInputCommand()) ({ text, mentions } = this.commandSet.toText({ name: i.commandName, options: i.options.data }, usersOf(i.options.data)));
      else if ((text = componentText(i.customId, i.isStringSelectMenu() ? i.values : [])) === undefined) return;
    } catch (err) {
      if (!(err instanceof DiscordInputError)) this.log.error({ err, interaction: i.id }, 'could not read the interaction');
      refusal = err instanceof DiscordInputError ? err.message : SORRY;
      ephemeral = true;
    }

    // Acknowledge first: however long the command takes, Discord has its answer in time.
    // If Discord would not take the acknowledgement, it has told the person the
    // interaction failed, so the command is not run either.
    const pending = this.defer(i, ephemeral);
    if (!(await pending.deferred)) return;
    if (refusal) return void (await this.answer(pending, { content: refusal, allowed_mentions: { parse: [] } }));
    const member = i.member && 'displayName' in i.member ? i.member.displayName : undefined;
    const event: InboundEvent = {
      kind: i.isChatInputCommand() ? 'message' : 'action',
      platform: this.platform,
      eventId: `interaction:${i.id}`,
      chat: { id: i.channelId!, name: chatName(i.channel, i.guild?.name, i.user.username), isDirect: !i.inGuild() },
      author: { id: i.user.id, displayName: member ?? i.user.displayName, isBot: i.user.bot },
      time: i.createdAt,
      mentions,
      messageId: i.id,
      text: text!,
    };
    try {
      await sink(event);
    } catch (err) {
      this.log.error({ err, interaction: i.id }, 'interaction failed');
      await this.answer(pending, { content: SORRY, allowed_mentions: { parse: [] } });
    }
  }

  private defer(i: Interaction & { token: string }, ephemeral: boolean): Pending {
    const body = { type: DEFERRED_REPLY, ...(ephemeral ? { data: { flags: EPHEMERAL } } : {}) };
    const deferred = this.client.rest.post(Routes.interactionCallback(i.id, i.token), { body, auth: false }).then(
      () => true,
      (err) => {
        this.log.warn({ err, interaction: i.id }, 'could not acknowledge the interaction in time');
        return false;
      },
    );
    const pending: Pending = {
      id: i.id,
      token: i.token,
      applicationId: i.applicationId,
      ephemeral,
      dmUserId: i.inGuild() ? undefined : i.user.id,
      deferred,
      answered: false,
      expiresAt: this.now() + PENDING_MS,
    };
    this.pending.set(i.id, pending);
    return pending;
  }

  private async onMessage(m: Message, sink: InboundSink) {
    if (m.author.bot || m.webhookId || m.system) return;
    const isDirect = !m.inGuild();
    // Without DISCORD_TEXT_COMMANDS only DMs arrive; in servers only commands matter.
    if (!isDirect && (!this.opts.config.DISCORD_TEXT_COMMANDS || !m.content.trim().startsWith('/'))) return;
    const mentions = new Mentions();
    for (const user of m.mentions.users.values()) {
      mentions.add(user.id, m.mentions.members?.get(user.id)?.displayName ?? user.displayName, user.username);
    }
    // <@123> in the text becomes @username, the way the core reads mentions.
    const text = m.content.replace(/<@!?(\d+)>/g, (all, id: string) => mentions.tokenOf(id) ?? all);
    await sink({
      kind: 'message',
      platform: this.platform,
      eventId: `message:${m.id}`,
      chat: { id: m.channelId, name: chatName(m.channel, m.guild?.name, m.author.username), isDirect },
      author: { id: m.author.id, displayName: m.member?.displayName ?? m.author.displayName, isBot: false },
      time: m.createdAt,
      mentions: mentions.list,
      messageId: m.id,
      text,
    });
  }

  private async onPollVote(d: PollVote, added: boolean, eventKey: string, sink: InboundSink) {
    if (d.user_id === this.client.user?.id) return;
    const poll = await this.nativePoll(d.channel_id, d.message_id);
    const option = poll?.options.get(Number(d.answer_id));
    if (!poll || option === undefined) return;
    let text: string;
    if (poll.multiselect) {
      poll.picks ??= await this.readPicks(d.channel_id, d.message_id, poll);
      const picked = poll.picks?.get(d.user_id) ?? new Set<number>();
      if (added) picked.add(option);
      else picked.delete(option);
      poll.picks?.set(d.user_id, picked);
      text = picked.size ? `/vote ${poll.pollId} ${[...picked].sort((a, b) => a - b).join(' ')}` : `/unvote ${poll.pollId}`;
    } else {
      text = added ? `/vote ${poll.pollId} ${option}` : `/unvote ${poll.pollId}`;
    }
    const user = await this.client.users.fetch(d.user_id).catch(() => undefined);
    const channel = this.client.channels.cache.get(d.channel_id);
    const guild = d.guild_id ? this.client.guilds.cache.get(d.guild_id) : undefined;
    const member = guild?.members.cache.get(d.user_id);
    await sink({
      kind: 'action',
      platform: this.platform,
      eventId: `pollvote:${eventKey}`,
      messageId: nativeVoteId(d.user_id, d.message_id),
      chat: { id: d.channel_id, name: chatName(channel, guild?.name, user?.username ?? d.user_id), isDirect: !d.guild_id },
      author: { id: d.user_id, displayName: member?.displayName ?? user?.displayName ?? d.user_id, isBot: !!user?.bot },
      time: new Date(this.now()),
      text,
    });
  }

  /** The poll behind a native poll message: remembered when we posted it, or read back from Discord. */
  private async nativePoll(channelId: string, messageId: string): Promise<NativePoll | undefined> {
    const known = this.nativePolls.get(messageId);
    if (known) return known;
    const message = (await this.client.rest.get(Routes.channelMessage(channelId, messageId)).catch(() => undefined)) as Parameters<typeof readNativePoll>[0] | undefined;
    const poll = message && readNativePoll(message);
    if (poll) this.nativePolls.set(messageId, poll);
    return poll;
  }

  /** Who has ticked what in a multi-select poll, as Discord has it; undefined if Discord can't say now (read again next vote). */
  private async readPicks(channelId: string, messageId: string, poll: NativePoll): Promise<Map<string, Set<number>> | undefined> {
    const picks = new Map<string, Set<number>>();
    try {
      for (const [answerId, option] of poll.options) {
        for (let after = ''; ; ) {
          const query = new URLSearchParams({ limit: '100', ...(after ? { after } : {}) });
          const { users } = (await this.client.rest.get(Routes.pollAnswerVoters(channelId, messageId, answerId), { query })) as { users: { id: string }[] };
          for (const { id } of users) picks.set(id, (picks.get(id) ?? new Set()).add(option));
          if (users.length < 100) break;
          after = users.at(-1)!.id;
        }
      }
      return picks;
    } catch (err) {
      this.log.warn({ err, message: messageId }, 'could not read who ticked what in a native poll');
      return undefined;
    }
  }

  // --- Outbound --------------------------------------------------------------

  async send(to: Destination, message: OutMessage): Promise<SentRef> {
    // Answers to native poll votes: nothing for a confirmation, a DM to the voter for a refusal.
    const routed = routeVoteAnswer(to, message);
    if (!routed) return {};
    ({ to, message } = routed);
    try {
      const channelId = to.chatId ?? (await this.dmChannel(to.userId));
      const bodies = renderMessage(message, this.now());
      // A refusal to a native-poll vote is a DM of its own, never the answer to some other interaction.
      const pending = routed.voter === undefined ? this.pendingFor(to, message) : undefined;
      if (pending && (await pending.deferred)) {
        const ref = await this.sendToInteraction(pending, channelId, bodies, message);
        if (ref) return ref;
      }
      // A vote's confirmation is private or nothing: never a message in the channel.
      if (message.ack) return {};
      let first: string | undefined;
      for (const [n, body] of bodies.entries()) {
        const reply = n === 0 && message.replyTo && !this.pending.has(message.replyTo) ? { message_reference: { message_id: message.replyTo, fail_if_not_exists: false } } : {};
        const sent = await this.post(channelId, { ...body, ...reply }, message.deliveryId, n);
        first ??= sent.id;
        this.remember(sent.id, message);
      }
      return { messageId: first };
    } catch (err) {
      throw this.failure(err);
    }
  }

  async edit(to: Destination, messageId: string, message: OutMessage): Promise<SentRef> {
    try {
      const channelId = to.chatId ?? (await this.dmChannel(to.userId));
      const view = message.poll;
      if (view && isNativePoll(view)) {
        // Discord keeps a native poll's counts itself; closing it early is the only edit.
        if (view.closed) await this.client.rest.post(Routes.expirePoll(channelId, messageId)).catch((err) => ignoreIf(err, 520001));
        // Reopened: a Discord poll that has ended cannot start again, so a new one is posted.
        else if (!message.updateOnly) return await this.send(to, message);
        return { messageId };
      }
      await this.client.rest.patch(Routes.channelMessage(channelId, messageId), { body: renderEdit(message) });
      return { messageId };
    } catch (err) {
      throw this.failure(err);
    }
  }

  /** The pending interaction this message answers, if any. */
  private pendingFor(to: Destination, message: OutMessage): Pending | undefined {
    let p = message.replyTo ? this.pending.get(message.replyTo) : undefined;
    // A command typed in the bot's DM that answers by DM (e.g. /link) answers the interaction.
    if (!p && to.userId !== undefined) p = [...this.pending.values()].find((x) => x.dmUserId === to.userId && !x.answered);
    if (!p || p.expiresAt <= this.now()) return undefined;
    // A private answer cannot be edited in place later: messages meant to be updated go to the channel.
    if (p.ephemeral && (message.editKey || message.poll)) return undefined;
    return p;
  }

  /** Answer through the interaction; undefined when its token no longer works (then post normally). */
  private async sendToInteraction(p: Pending, channelId: string, bodies: MessageBody[], message: OutMessage): Promise<SentRef | undefined> {
    try {
      if (bodies[0]!.poll) {
        // A native poll cannot be added to a deferred response: post it, and remove the "thinking…".
        const sent = await this.post(channelId, bodies[0]!, message.deliveryId);
        this.remember(sent.id, message);
        if (!p.answered) await this.client.rest.delete(Routes.webhookMessage(p.applicationId, p.token, '@original'), { auth: false }).catch(() => undefined);
        p.answered = true;
        return { messageId: sent.id };
      }
      let first: string | undefined;
      for (const body of bodies) {
        const sent = await this.answer(p, body);
        first ??= sent.id;
        this.remember(sent.id, message);
      }
      return { messageId: first };
    } catch (err) {
      if (err instanceof DiscordAPIError && (err.status === 404 || err.code === 10015 || err.code === 10062)) {
        this.pending.delete(p.id);
        return undefined;
      }
      throw err;
    }
  }

  /** The first answer edits the deferred response; later ones follow up. */
  private async answer(p: Pending, body: MessageBody): Promise<{ id: string }> {
    if (!p.answered) {
      const sent = (await this.client.rest.patch(Routes.webhookMessage(p.applicationId, p.token, '@original'), { body, auth: false })) as { id: string };
      p.answered = true;
      return sent;
    }
    const follow = { ...body, ...(p.ephemeral ? { flags: EPHEMERAL } : {}) };
    return (await this.client.rest.post(Routes.webhook(p.applicationId, p.token), { body: follow, query: new URLSearchParams({ wait: 'true' }), auth: false })) as { id: string };
  }

  /**
   * Post to a channel. With the outbox's delivery id in its nonce (and enforce_nonce),
   * Discord shows a message tried again (after a crash, or a timeout that hid its
   * success) only once. The nonce also covers the part, channel and text, so that
   * ids starting again in a new database never drop a different message.
   */
  private async post(channelId: string, body: MessageBody & { message_reference?: object }, deliveryId?: string, part = 0): Promise<{ id: string }> {
    const once =
      deliveryId === undefined
        ? {}
        : { nonce: createHash('sha256').update(`${deliveryId}\n${part}\n${channelId}\n${body.content ?? ''}`).digest('base64url').slice(0, 25), enforce_nonce: true };
    return (await this.client.rest.post(Routes.channelMessages(channelId), { body: { ...body, ...once } })) as { id: string };
  }

  /** Note a native poll we posted, so its votes map back without asking Discord. */
  private remember(messageId: string, message: OutMessage) {
    const view = message.poll;
    if (!view || !isNativePoll(view)) return;
    this.nativePolls.set(messageId, {
      pollId: view.pollId,
      options: new Map(view.options.map((o, k) => [k + 1, o.index])),
      multiselect: picksSeveral(view),
      // Just posted: nobody has ticked anything yet.
      ...(picksSeveral(view) ? { picks: new Map() } : {}),
    });
  }

  private async dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const channel = (await this.client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    this.dmChannels.set(userId, channel.id);
    return channel.id;
  }

  private failure(err: unknown): unknown {
    if (err instanceof DiscordAPIError && err.status === 401) {
      this.log.error('Discord does not accept the bot token (401). Check DISCORD_TOKEN and restart Collabot.');
    }
    return sendError(err);
  }

  /** Forget interactions whose token is about to run out; remove a "thinking…" nobody answered. */
  async sweep() {
    const now = this.now();
    for (const p of [...this.pending.values()]) {
      if (p.expiresAt > now) continue;
      this.pending.delete(p.id);
      if (!p.answered && (await p.deferred)) {
        await this.client.rest.delete(Routes.webhookMessage(p.applicationId, p.token, '@original'), { auth: false }).catch(() => undefined);
      }
    }
  }
}

/** Users picked in user options, with the name to show for each. */
function usersOf(options: readonly { user?: { id: string; username: string; displayName: string } | null; member?: unknown; options?: readonly any[] }[]): ResolvedUsers {
  const out: ResolvedUsers = {};
  for (const o of options) {
    if (o.user) {
      const member = o.member as { displayName?: string; nick?: string | null } | undefined;
      out[o.user.id] = { username: o.user.username, displayName: member?.displayName ?? member?.nick ?? o.user.displayName };
    }
    if (o.options) Object.assign(out, usersOf(o.options));
  }
  return out;
}

function chatName(channel: unknown, guild: string | undefined, user: string): string {
  const name = channel && typeof channel === 'object' && 'name' in channel && typeof channel.name === 'string' ? channel.name : undefined;
  if (!guild) return `DM with ${user}`;
  return name ? `${guild} #${name}` : guild;
}

/**
 * An error as logged. discord.js's REST errors carry the request's URL, and the
 * URL of an interaction callback or answer holds the interaction's token, which
 * lets anyone answer as the bot for 15 minutes: it is left out.
 */
function withoutTokens(err: Error) {
  const out = stdSerializers.err(err);
  if (typeof out.url === 'string') out.url = out.url.replace(/\/(interactions|webhooks)\/(\d+)\/[^/?]+/, '/$1/$2/:token');
  return out;
}

function ignoreIf(err: unknown, code: number) {
  if (err instanceof DiscordAPIError && err.code === code) return;
  throw err;
}

/** Discord's errors in the outbox's terms: slow down, never, or try again later. */
export function sendError(err: unknown): unknown {
  if (err instanceof RateLimitError) {
    // A global limit covers every channel: pause the whole platform, not just this chat.
    return new RateLimitedError(Math.max(err.retryAfter, err.timeToReset, 0), `Discord rate limit on ${err.route}`, err.global ? 'platform' : 'chat');
  }
  if (err instanceof DiscordAPIError) {
    if (PERMANENT_CODES.has(Number(err.code)) || [400, 403, 404].includes(err.status)) return new PermanentSendError(`Discord refused: ${err.message} (${err.code})`);
  }
  return err;
}

// The Discord adapter: discord.js for the gateway (interactions, DMs, typed
// commands, native poll votes) and its REST client for everything we send.
// Loaded only when DISCORD_TOKEN is set (adapters/index.ts). Interactions and
// their pending tokens are in interactions.ts, native polls in native-polls.ts.
import { createHash } from 'node:crypto';
import { Client, DiscordAPIError, Events, GatewayIntentBits, Partials, RateLimitError, Routes, type Message } from 'discord.js';
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
  type InboundSink,
  type OutMessage,
  type SentRef,
} from '../../src/model.js';
import { BoundedMap } from '../../src/platform/bounded-map.js';
import { Mentions } from '../../src/platform/mentions.js';
import { SerialQueues } from '../../src/platform/serial.js';
import { routeVoteAnswer } from '../../src/platform/vote-answers.js';
import { chatName } from './chat-name.js';
import { buildDiscordCommands } from './commands.js';
import { DiscordHealth } from './health.js';
import { Interactions } from './interactions.js';
import { NativePolls, type PollVote } from './native-polls.js';
import { isNativePoll, renderEdit, renderMessage, type MessageBody } from './render.js';

export interface DiscordAdapterOptions {
  config: Config;
  log: Logger;
  /** The same command declarations the bot runs, to read interactions back as command lines. */
  commands: readonly CommandSpec[];
  /** Injected time, for tests of pending-interaction expiry. */
  now?: () => number;
}

/** How many DM channels are remembered. */
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

/** A gateway dispatch, as discord.js passes it on (`Events.Raw`). */
interface GatewayDispatch {
  t?: string;
  /** The event's sequence number in its session: the same when a resumed session replays it. */
  s?: number;
  d?: any;
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
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly interactions: Interactions;
  private readonly dmChannels = new BoundedMap<string, string>(REMEMBERED);
  private readonly nativePolls: NativePolls;
  /** Native poll votes, in order per poll message, so a voter's add and remove stay in order. */
  private readonly votes = new SerialQueues((err, message) => this.log.error({ err, message }, 'poll vote not handled'));
  /** Each shard's gateway session: with a sequence number, it names an event however often it is delivered. */
  private readonly sessions = new Map<number, string>();
  private sweeper?: NodeJS.Timeout;
  private readonly connection = new DiscordHealth();

  constructor(private opts: DiscordAdapterOptions) {
    const { config } = opts;
    if (!config.DISCORD_TOKEN) throw new Error('DISCORD_TOKEN is not set');
    this.log = opts.log.child({ platform: 'discord' }, { serializers: { err: withoutTokens } });
    this.now = opts.now ?? Date.now;
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
    this.connection.watch(this.client);
    // Sends can start (from the outbox) before the gateway is up.
    this.client.rest.setToken(config.DISCORD_TOKEN);
    this.interactions = new Interactions({ rest: this.client.rest, commandSet: buildDiscordCommands(opts.commands), log: this.log, now: this.now });
    this.nativePolls = new NativePolls({ client: this.client, log: this.log, now: this.now });
  }

  async start(sink: InboundSink) {
    const { client } = this;
    client.on(Events.InteractionCreate, (i) => void this.interactions.handle(i, sink).catch((err) => this.log.error({ err }, 'interaction not handled')));
    client.on(Events.MessageCreate, (m) => void this.onMessage(m, sink).catch((err) => this.log.error({ err }, 'message not handled')));
    // Poll votes carry no id of their own: the raw dispatch's session and sequence number name them.
    client.on(Events.Raw as never, (p: GatewayDispatch, shard: number) => {
      if (p.t === 'READY') this.sessions.set(shard, p.d?.session_id);
      else if (p.t === 'MESSAGE_POLL_VOTE_ADD' || p.t === 'MESSAGE_POLL_VOTE_REMOVE') {
        const vote = p.d as PollVote;
        this.votes.run(vote.message_id, () => this.nativePolls.vote(vote, p.t === 'MESSAGE_POLL_VOTE_ADD', `${this.sessions.get(shard)}:${p.s}`, sink));
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

  /** The gateway connection, for /status and the admins' alerts. */
  health() {
    return this.connection.current();
  }

  async stop() {
    if (this.sweeper) clearInterval(this.sweeper);
    // Votes already in reach the core before the database closes.
    await this.votes.idle();
    await this.client.destroy();
  }

  // --- Inbound ---------------------------------------------------------------

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
      const pending = routed.voter === undefined ? this.interactions.pendingFor(to, message) : undefined;
      if (pending && (await pending.deferred)) {
        const ref = await this.interactions.send(pending, channelId, bodies, message, this.outward);
        if (ref) return ref;
      }
      // A vote's confirmation is private or nothing: never a message in the channel.
      if (message.ack) return {};
      let first: string | undefined;
      for (const [n, body] of bodies.entries()) {
        const reply = n === 0 && message.replyTo && !this.interactions.has(message.replyTo) ? { message_reference: { message_id: message.replyTo, fail_if_not_exists: false } } : {};
        const sent = await this.post(channelId, { ...body, ...reply }, message.deliveryId, n);
        first ??= sent.id;
        this.nativePolls.remember(sent.id, message);
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

  private async dmChannel(userId: string): Promise<string> {
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const channel = (await this.client.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    this.dmChannels.set(userId, channel.id);
    return channel.id;
  }

  /** For answers through an interaction that post a native poll. */
  private readonly outward = {
    post: (channelId: string, body: MessageBody, deliveryId?: string) => this.post(channelId, body, deliveryId),
    remember: (messageId: string, message: OutMessage) => this.nativePolls.remember(messageId, message),
  };

  /** Forget interactions whose token is about to run out; remove a "thinking…" nobody answered. */
  async sweep() {
    await this.interactions.sweep();
  }

  private failure(err: unknown): unknown {
    if (err instanceof DiscordAPIError && err.status === 401) {
      this.log.error('Discord does not accept the bot token (401). Check DISCORD_TOKEN and restart Collabot.');
    }
    return sendError(err);
  }

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

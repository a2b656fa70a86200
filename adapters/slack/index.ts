// The Slack adapter: thin wiring of @slack/bolt to the core. Bolt receives
// (Socket Mode, or HTTP with signature checks), this file acknowledges at once,
// looks up names, and hands the translated event (mapping.ts) to the core.
// Sending goes through the Web API, with Slack's errors turned into the
// outbox's retry / slow-down / give-up signals.
import type { AddressInfo, Server } from 'node:net';
import { App, HTTPReceiver, SocketModeReceiver, webApi, type Logger as BoltLogger } from '@slack/bolt';
import type { Config } from '../../src/config.js';
import type { Registry } from '../../src/core/registry.js';
import { ConfigError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { limitBodies } from './body-limit.js';
import type { Adapter, Capabilities, Destination, InboundEvent, InboundSink, OutMessage, SentRef } from '../../src/model.js';
import { SerialQueues } from '../../src/platform/serial.js';
import { splitText } from '../../src/text/split.js';
import { boltLogger } from './bolt-logger.js';
import { SlackDirectory } from './directory.js';
import { SlackHealth } from './health.js';
import {
  actionCommandLine,
  afterBotMention,
  asCommandLine,
  collabSubcommands,
  decodeText,
  directMessageLine,
  ephemeralReplyId,
  GONE,
  MAX_TEXT,
  messageRef,
  parseMessageRef,
  renderMessage,
  replyTarget,
  slackErrorCode,
  slashCommandLine,
  toSendError,
  userIdsIn,
  VOTE_ACTION,
  type BlockAction,
} from './mapping.js';

export interface SlackAdapterOptions {
  botToken: string;
  /** COLLABOT_SDK_DEBUG: pass Bolt's debug output on (it shows message contents). Off: Bolt logs at info and above only. */
  sdkDebug?: boolean;
  /** Socket Mode: an app-level token (xapp-...). Takes precedence over the signing secret. */
  appToken?: string;
  /** HTTP mode: requests to /slack/events are checked against this secret. */
  signingSecret?: string;
  /** Web API base URL, e.g. a proxy or a local fake (default Slack's). */
  apiUrl?: string;
  /** HTTP mode's port (0: any free port, see `port` after start). */
  port?: number;
  /** The commands, for direct messages and the `/collab` catch-all. */
  registry: Registry;
  log: Logger;
  /** Socket Mode keep-alive timeout, which is also the wait before reconnecting (tests shorten it). */
  socketPingTimeoutMs?: number;
}

type WebClient = InstanceType<typeof webApi.WebClient>;

/** A channel message or DM as Slack delivered it, before names are looked up. */
interface MessageEventParts {
  eventId: string;
  channelId: string;
  userId: string;
  /** Sent by a bot (ours or another): the core ignores it. */
  fromBot: boolean;
  /** The text, with the bot's @mention already taken off. */
  raw: string;
  /** How the decoded text becomes a command line (`poll ...` → `/poll ...` in DMs). */
  toLine: (text: string) => string;
  ts: string;
  /** The thread to answer in, if any. */
  replyTo: string | undefined;
}

export class SlackAdapter implements Adapter {
  readonly platform = 'slack';
  readonly capabilities: Capabilities = {
    buttons: true,
    nativePolls: false,
    threads: true,
    edit: true,
    maxMessageLength: MAX_TEXT,
    markdown: 'mrkdwn',
    // Slack allows about one message per second per channel; it answers bursts with Retry-After.
    rate: { perChat: { count: 1, intervalMs: 1000 } },
  };
  /** HTTP mode: the port listened on, once started. */
  port?: number;

  private readonly log: Logger;
  private readonly boltLog: BoltLogger;
  private readonly client: WebClient;
  private readonly directory: SlackDirectory;
  private readonly families: Set<string>;
  private readonly collabSubs: Set<string>;
  private app?: App;
  private botUserId = '';
  private sink?: InboundSink;
  private connection = new SlackHealth();
  /** One channel's events reach the core in the order Slack sent them, even while names are looked up. */
  private readonly inbound = new SerialQueues((err) => this.log.error({ err }, 'could not handle a Slack event'));

  constructor(private readonly opts: SlackAdapterOptions) {
    if (!opts.appToken && !opts.signingSecret) throw new ConfigError(NEEDS_MODE);
    this.log = opts.log.child({ platform: 'slack' });
    this.boltLog = boltLogger(this.log, !!opts.sdkDebug);
    this.client = new webApi.WebClient(opts.botToken, this.clientOptions());
    this.directory = new SlackDirectory(this.client, (what, err) =>
      this.log.warn({ error: slackErrorCode(err) ?? String(err) }, `Slack lookup failed: ${what}`),
    );
    this.families = new Set(opts.registry.families());
    this.collabSubs = collabSubcommands(opts.registry.all().map((s) => s.name));
  }

  get mode(): 'socket' | 'http' {
    return this.opts.appToken ? 'socket' : 'http';
  }

  /** Outbox sends retry on their own schedule, so the Web API client must not retry or wait by itself. */
  private clientOptions() {
    return {
      slackApiUrl: this.opts.apiUrl,
      logger: this.boltLog,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 30_000,
    };
  }

  async start(sink: InboundSink) {
    this.sink = sink;
    const auth = await this.client.auth.test().catch((err: unknown) => {
      throw new Error(
        `Slack did not accept SLACK_BOT_TOKEN (${slackErrorCode(err) ?? (err as Error).message}). ` +
          `Copy the Bot User OAuth Token (xoxb-...) from your app's OAuth & Permissions page.`,
      );
    });
    this.botUserId = auth.user_id ?? '';

    const receiver = this.opts.appToken
      ? new SocketModeReceiver({
          appToken: this.opts.appToken,
          logger: this.boltLog,
          clientPingTimeout: this.opts.socketPingTimeoutMs,
          installerOptions: { clientOptions: { slackApiUrl: this.opts.apiUrl } },
        })
      : limitBodies(new HTTPReceiver({ signingSecret: this.opts.signingSecret!, logger: this.boltLog, endpoints: '/slack/events' }));
    const app = new App({
      token: this.opts.botToken,
      botId: auth.bot_id,
      botUserId: auth.user_id,
      receiver,
      logger: this.boltLog,
      clientOptions: this.clientOptions(),
      convoStore: false,
    });
    if (receiver instanceof SocketModeReceiver) this.connection.watch(receiver.client);
    this.listen(app);
    this.app = app;
    try {
      const started = await app.start(this.opts.port ?? 3000);
      if (this.mode === 'http') this.port = ((started as unknown as Server).address() as AddressInfo).port;
    } catch (err) {
      const code = slackErrorCode(err);
      throw new Error(
        this.mode === 'socket'
          ? `Slack Socket Mode did not connect (${code ?? (err as Error).message}). Check SLACK_APP_TOKEN: an app-level token (xapp-...) with connections:write.`
          : `Could not listen for Slack on port ${this.opts.port ?? 3000} (${(err as Error).message}). Set PORT to a free port.`,
      );
    }
    this.log.info({ mode: this.mode, port: this.port, bot: auth.user_id, team: auth.team }, 'Slack connected');
  }

  /** Socket Mode's connection (/status, the admins' alerts); over HTTP always connected. */
  health() {
    return this.connection.current();
  }

  async stop() {
    const app = this.app;
    this.app = undefined;
    await app?.stop().catch(() => undefined);
    await this.inbound.idle();
  }

  private listen(app: App) {
    // Slash commands: acknowledged at once (Slack allows 3 seconds), answered through the outbox.
    app.command(/.*/, async ({ command, ack, respond }) => {
      await ack();
      this.enqueue(command.channel_id, async () => {
        const [author, channel, users] = await Promise.all([
          this.directory.user(command.user_id, command.user_name),
          this.directory.channel(command.channel_id, command.channel_name),
          this.directory.usersById(userIdsIn(command.text)),
        ]);
        const { reachable, ...chat } = channel;
        if (!reachable) {
          // Slack lets people type our commands where we cannot answer: say so privately, change nothing.
          // Not awaited: the response_url's client has no timeout, and the channel's next events must not wait on it.
          // Not `{ err }`: the HTTP client's error carries the response_url, which lets anyone post here.
          void respond({ response_type: 'ephemeral', text: NOT_INVITED }).catch((err: Error) =>
            this.log.warn({ error: err.message }, 'could not answer through response_url'),
          );
          return undefined;
        }
        const { text, mentions } = decodeText(command.text, users);
        return {
          kind: 'message',
          platform: this.platform,
          eventId: `cmd:${command.trigger_id}`,
          chat,
          author: { id: author.id, displayName: author.name, isBot: false },
          time: new Date(),
          text: slashCommandLine(command.command, text, this.collabSubs),
          mentions,
        };
      });
    });

    // `@Collabot poll ...` in a channel; replies go to the message's thread.
    app.event('app_mention', async ({ event, body }) => {
      const rest = afterBotMention(event.text, this.botUserId);
      if (rest === undefined || !event.user) return; // mentioned in passing, not addressed
      this.enqueue(event.channel, () =>
        this.messageEvent({
          eventId: body.event_id,
          channelId: event.channel,
          userId: event.user!,
          fromBot: !!event.bot_id,
          raw: rest,
          toLine: asCommandLine,
          ts: event.ts,
          replyTo: event.thread_ts ?? event.ts,
        }),
      );
    });

    // Direct messages to the bot: no mention needed, `poll ...` is `/poll ...`.
    app.message(async ({ message, body }) => {
      if (message.channel_type !== 'im') return;
      if (message.subtype !== undefined && message.subtype !== 'thread_broadcast' && message.subtype !== 'file_share') return;
      if (!('user' in message) || !message.user || ('bot_id' in message && message.bot_id)) return;
      const raw = message.text ?? '';
      this.enqueue(message.channel, () =>
        this.messageEvent({
          eventId: body.event_id,
          channelId: message.channel,
          userId: message.user!,
          fromBot: false,
          raw: afterBotMention(raw, this.botUserId) ?? raw,
          toLine: (t) => directMessageLine(t, this.families),
          ts: message.ts,
          replyTo: 'thread_ts' in message ? message.thread_ts : undefined,
        }),
      );
    });

    // Vote buttons and menus: answered to the voter alone, the poll itself is updated in place.
    app.action(VOTE_ACTION, async ({ ack, body, action }) => {
      await ack();
      if (body.type !== 'block_actions' || !body.channel?.id) return;
      const line = actionCommandLine(action as BlockAction);
      if (!line) return;
      const channelId = body.channel.id;
      const threadTs = (body.container as { thread_ts?: string } | undefined)?.thread_ts ?? body.message?.thread_ts;
      const eventId = body.trigger_id ? `act:${body.trigger_id}` : `act:${body.container?.message_ts}:${(action as { action_ts?: string }).action_ts}`;
      this.enqueue(channelId, async () => {
        const [author, { reachable: _, ...chat }] = await Promise.all([
          this.directory.user(body.user.id, body.user.name),
          this.directory.channel(channelId, body.channel?.name),
        ]);
        return {
          kind: 'action',
          platform: this.platform,
          eventId,
          chat,
          author: { id: author.id, displayName: author.name, isBot: false },
          time: new Date(),
          text: line,
          messageId: ephemeralReplyId(body.user.id, threadTs),
        };
      });
    });

    app.error(async (err) => {
      this.log.error({ err }, 'Slack event handling failed');
    });
  }

  private async messageEvent({ eventId, channelId, userId, fromBot, raw, toLine, ts, replyTo }: MessageEventParts): Promise<InboundEvent> {
    const [author, { reachable: _, ...chat }, users] = await Promise.all([
      this.directory.user(userId),
      this.directory.channel(channelId),
      this.directory.usersById(userIdsIn(raw)),
    ]);
    const { text, mentions } = decodeText(raw, users);
    return {
      kind: 'message',
      platform: this.platform,
      eventId: `ev:${eventId}`,
      chat,
      author: { id: author.id, displayName: author.name, isBot: fromBot || author.isBot },
      time: new Date(Number(ts) * 1000 || Date.now()),
      text: toLine(text),
      mentions,
      messageId: replyTo,
    };
  }

  private enqueue(channel: string, build: () => Promise<InboundEvent | undefined>) {
    this.inbound.run(channel, async () => {
      const event = await build();
      if (event && this.sink) await this.sink(event);
    });
  }

  async send(to: Destination, message: OutMessage): Promise<SentRef> {
    try {
      const channel = to.chatId ?? (await this.directory.dmChannel(to.userId!));
      const { text, blocks } = renderMessage(message);
      const target = replyTarget(message);
      if (target.ephemeralTo) {
        await this.client.chat.postEphemeral({ channel, user: target.ephemeralTo, text, blocks, thread_ts: target.thread } as never);
        return {};
      }
      let first: string | undefined;
      for (const part of blocks ? [text.slice(0, MAX_TEXT)] : splitText(text, MAX_TEXT)) {
        const res = await this.client.chat.postMessage({
          channel,
          text: part,
          blocks,
          thread_ts: target.thread,
          unfurl_links: false,
          unfurl_media: false,
        } as never);
        first ??= messageRef(res.channel ?? channel, res.ts!);
      }
      return { messageId: first };
    } catch (err) {
      throw toSendError(err);
    }
  }

  async edit(to: Destination, messageId: string, message: OutMessage): Promise<SentRef> {
    const { channel, ts } = parseMessageRef(messageId);
    const { text, blocks } = renderMessage(message);
    try {
      await this.client.chat.update({ channel, ts, text: text.slice(0, MAX_TEXT), blocks: blocks ?? [] } as never);
      return { messageId };
    } catch (err) {
      const code = slackErrorCode(err);
      if (code && GONE.has(code)) {
        // The message was deleted or can no longer be edited: a live count has nothing to update;
        // anything else is posted afresh.
        if (message.updateOnly) return { messageId };
        return this.send(to, message);
      }
      throw toSendError(err);
    }
  }
}

const NOT_INVITED =
  "I can't post in this conversation, so nothing was changed. Add me to the channel first (type /invite @Collabot there), or send me the command in a direct message.";

const NEEDS_MODE =
  'Slack needs SLACK_APP_TOKEN (Socket Mode: no public address needed) or SLACK_SIGNING_SECRET (HTTP mode) as well as SLACK_BOT_TOKEN. See docs/operate/slack.md.';

/** The adapter as configured by the environment (SLACK_* and PORT). */
export function createSlackAdapter(config: Config, log: Logger, registry: Registry): SlackAdapter {
  const botToken = config.SLACK_BOT_TOKEN;
  if (!botToken?.startsWith('xoxb-')) {
    throw new ConfigError('SLACK_BOT_TOKEN must be the Bot User OAuth Token, which starts with xoxb-. See docs/operate/slack.md.');
  }
  if (config.SLACK_APP_TOKEN && !config.SLACK_APP_TOKEN.startsWith('xapp-')) {
    throw new ConfigError('SLACK_APP_TOKEN must be an app-level token, which starts with xapp-. See docs/operate/slack.md.');
  }
  if (!config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) throw new ConfigError(NEEDS_MODE);
  return new SlackAdapter({
    botToken,
    appToken: config.SLACK_APP_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    apiUrl: config.SLACK_API_URL,
    port: config.PORT,
    registry,
    log,
    sdkDebug: config.COLLABOT_SDK_DEBUG,
  });
}

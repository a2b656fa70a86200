// The WhatsApp adapter: keeps one whatsapp-web.js client connected (logging in
// by QR code or pairing code, reconnecting with backoff), turns typed commands
// and native-poll votes into core events, and sends the core's messages.
// While it is not connected, sends throw NotConnectedError, so the durable
// outbox keeps every message queued until WhatsApp is back.
import { systemClock, type Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import {
  NotConnectedError,
  PermanentSendError,
  type Adapter,
  type Capabilities,
  type Destination,
  type InboundSink,
  type OutMessage,
  type SentRef,
} from '../../src/model.js';
import { SerialQueues } from '../../src/platform/serial.js';
import { routeVoteAnswer } from '../../src/platform/vote-answers.js';
import { splitText } from '../../src/text/split.js';
import type { WaClient, WaClientFactory, WaMessage, WaPollVote, WaSendOptions } from './client.js';
import { Directory } from './directory.js';
import { chatKind, chatOf, idOf, isCommand, messageToEvent, MAX_TEXT, nativePollOf, PLATFORM, renderText, senderOf, voteCommand, voteToEvent } from './mapping.js';

/** How the login QR code or pairing code reaches the person setting the bot up. */
export interface LoginDisplay {
  qr(qr: string): void;
  code(code: string, phoneNumber: string): void;
}

export interface WhatsAppOptions {
  createClient: WaClientFactory;
  log: Logger;
  login: LoginDisplay;
  /** Minimum gap between two messages to one chat (WHATSAPP_SEND_INTERVAL). */
  sendIntervalMs: number;
  /** Log in with a pairing code for this number (digits with country code) instead of a QR code. */
  pairingNumber?: string;
  clock?: Clock;
  /** Give up on an attempt that has shown neither a login code nor the chats after this long. */
  connectTimeoutMs?: number;
  reconnect?: { baseMs: number; maxMs: number };
  random?: () => number;
}

/** While disconnected, the outbox asks again this often (without using up attempts). */
export const NOT_CONNECTED_RETRY_MS = 5_000;
const DEFAULT_CONNECT_TIMEOUT_MS = 180_000;
const DEFAULT_RECONNECT = { baseMs: 5_000, maxMs: 300_000 };
/** Connection states in which WhatsApp Web is still trying by itself; others end in `disconnected`. */
const PASSING_STATES = new Set(['OPENING', 'PAIRING', 'TIMEOUT']);

export class WhatsAppAdapter implements Adapter {
  readonly platform = PLATFORM;
  readonly capabilities: Capabilities;
  private clock: Clock;
  private log: Logger;
  private directory: Directory;
  private sink?: InboundSink;
  private client?: WaClient;
  /** Bumped for every new client, so events of an abandoned client are ignored. */
  private generation = 0;
  private loggedIn = false;
  private connected = false;
  private failures = 0;
  private stopped = true;
  private connectTimer: unknown;
  private reconnectTimer: unknown;
  private closing: Promise<void> = Promise.resolve();
  private lastCode?: string;
  /** Keeps the process running while the adapter waits to reconnect (the clock's timers don't). */
  private keepAlive?: NodeJS.Timeout;
  /** A chat's inbound events are handled in the order WhatsApp gave them. */
  private inbound: SerialQueues;

  constructor(private opts: WhatsAppOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log;
    this.directory = new Directory(() => this.client, this.clock, this.log);
    this.inbound = new SerialQueues((err) => this.log.error({ err }, 'WhatsApp: could not handle an incoming event'));
    const gap = Math.max(0, opts.sendIntervalMs);
    this.capabilities = {
      buttons: false,
      nativePolls: true,
      threads: false,
      // WhatsApp cannot edit polls, so live counts (updateOnly) are dropped, not re-sent.
      edit: false,
      maxMessageLength: 65_536,
      markdown: 'whatsapp',
      // WhatsApp bans numbers that send like a machine: a gap per chat, a smaller
      // one across chats, and a random extra delay on every message.
      rate: {
        perChat: { count: 1, intervalMs: gap },
        global: { count: 1, intervalMs: Math.round(gap / 2) },
        jitterMs: Math.round(gap / 2),
      },
    };
  }

  /** True once logged in and while the connection is up. */
  get isConnected() {
    return this.connected;
  }

  async start(sink: InboundSink) {
    this.sink = sink;
    this.stopped = false;
    this.keepAlive ??= setInterval(() => undefined, 2 ** 30);
    this.log.info('WhatsApp: opening WhatsApp Web in Chromium…');
    void this.connect();
  }

  async stop() {
    this.stopped = true;
    this.generation++;
    this.clearTimers();
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.connected = false;
    const client = this.client;
    this.client = undefined;
    if (client) this.closing = this.close(client);
    await this.closing;
    // Events already in reach the core before the database closes.
    await this.inbound.idle();
  }

  async send(to: Destination, message: OutMessage): Promise<SentRef> {
    // Confirmations only ever answer votes in a native poll, which shows them itself.
    const routed = message.ack ? undefined : routeVoteAnswer(to, message);
    if (!routed) return {};
    ({ to, message } = routed);
    const client = this.client;
    if (!client || !this.connected) throw new NotConnectedError(NOT_CONNECTED_RETRY_MS, 'WhatsApp is not connected');
    const chatId: string = to.chatId ?? to.userId!;
    if (chatKind(chatId) === 'other') throw new PermanentSendError(`"${chatId}" is not a WhatsApp chat`);
    const quote: WaSendOptions | undefined = message.replyTo ? { quotedMessageId: message.replyTo } : undefined;
    const gen = this.generation;
    try {
      const poll = message.poll ? nativePollOf(message.poll) : null;
      if (poll) {
        try {
          const sent = await client.sendMessage(chatId, poll, quote);
          if (sent) return { messageId: sent.id._serialized };
        } catch (err) {
          if (isConnectionError(err)) throw err;
          this.log.warn({ err, chatId, pollId: message.poll!.pollId }, 'WhatsApp: the native poll could not be sent; sending it as text instead');
        }
      }
      let last: SentRef = {};
      for (const [i, part] of splitText(renderText(message.text), MAX_TEXT).entries()) {
        const sent = await client.sendMessage(chatId, part, i === 0 ? quote : undefined);
        if (!sent) throw new PermanentSendError(`WhatsApp has no chat ${chatId} (or the bot is no longer in it)`);
        last = { messageId: sent.id._serialized };
      }
      return last;
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.lost(gen, `WhatsApp: lost the connection to WhatsApp Web while sending (${describe(err)}).`);
      throw new NotConnectedError(NOT_CONNECTED_RETRY_MS, 'WhatsApp connection lost');
    }
  }

  // --- Connection ---------------------------------------------------------

  private async connect() {
    await this.closing;
    if (this.stopped) return;
    const gen = ++this.generation;
    this.loggedIn = false;
    this.connected = false;
    this.lastCode = undefined;
    let client: WaClient;
    try {
      client = await this.opts.createClient();
    } catch (err) {
      return this.lost(gen, `WhatsApp: could not start the client: ${explain(err)}`);
    }
    if (gen !== this.generation) return void this.close(client);
    this.client = client;
    this.wire(client, gen);
    const timeoutMs = this.opts.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.connectTimer = this.clock.setTimeout(() => {
      this.connectTimer = undefined;
      this.lost(gen, `WhatsApp: WhatsApp Web did not load within ${Math.round(timeoutMs / 1000)} s.`);
    }, timeoutMs);
    try {
      await client.initialize();
    } catch (err) {
      this.lost(gen, `WhatsApp: could not open WhatsApp Web: ${explain(err)}`);
    }
  }

  private wire(client: WaClient, gen: number) {
    const current = () => gen === this.generation && !this.stopped;
    client.on('qr', (qr) => {
      if (!current()) return;
      this.loginShown();
      if (this.opts.pairingNumber) return; // the pairing code comes as a `code` event
      this.log.info('WhatsApp: waiting for someone to scan the login QR code (printed on standard output)');
      this.opts.login.qr(qr);
    });
    client.on('code', (code) => {
      if (!current() || code === this.lastCode) return;
      this.loginShown();
      this.lastCode = code;
      this.log.info('WhatsApp: waiting for the pairing code (printed on standard output) to be entered on the phone');
      this.opts.login.code(code, this.opts.pairingNumber ?? '');
    });
    client.on('ready', () => {
      if (!current()) return;
      this.clearConnectTimer();
      this.loggedIn = this.connected = true;
      this.failures = 0;
      this.log.info('WhatsApp: connected and ready; sending any queued messages');
    });
    client.on('change_state', (state) => {
      if (!current()) return;
      if (state === 'CONNECTED') {
        if (this.loggedIn && !this.connected) this.log.info('WhatsApp: connection is back');
        this.connected = this.loggedIn;
      } else if (PASSING_STATES.has(state)) {
        if (this.connected) this.log.warn({ state }, 'WhatsApp: connection interrupted; WhatsApp Web is reconnecting, messages wait in the queue');
        this.connected = false;
      } else {
        this.log.warn({ state }, 'WhatsApp: connection state changed');
      }
    });
    client.on('disconnected', (reason) => {
      if (!current()) return;
      this.lost(gen, `WhatsApp: ${DISCONNECT_REASONS[reason] ?? `disconnected (${reason}).`}`);
    });
    client.on('auth_failure', (message) => {
      if (!current()) return;
      this.lost(gen, `WhatsApp: the saved login was refused (${message}). A new login code will be shown.`);
    });
    client.on('message', (msg) => {
      if (current()) this.inbound.run(chatOf(msg), () => this.onMessage(msg));
    });
    client.on('vote_update', (vote) => {
      if (current()) this.inbound.run(idOf(vote.parentMessage?.id.remote), () => this.onVote(vote));
    });
  }

  /** A login code is up: the page has loaded, now a person has to act, however long that takes. */
  private loginShown() {
    this.clearConnectTimer();
  }

  /** This client is finished: close it and try again after a backoff. Messages stay queued meanwhile. */
  private lost(gen: number, why: string) {
    if (gen !== this.generation || this.stopped) return;
    this.generation++;
    this.clearConnectTimer();
    this.loggedIn = this.connected = false;
    const client = this.client;
    this.client = undefined;
    if (client) this.closing = this.close(client);
    const { baseMs, maxMs } = this.opts.reconnect ?? DEFAULT_RECONNECT;
    const failures = ++this.failures;
    const random = this.opts.random ?? Math.random;
    const delay = Math.round(Math.min(maxMs, baseMs * 2 ** (failures - 1)) * (0.8 + 0.4 * random()));
    this.log.warn({ attempt: failures, retryInMs: delay }, `${why} Trying again in ${Math.round(delay / 1000)} s; messages wait in the queue until then.`);
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }

  private async close(client: WaClient) {
    try {
      await client.destroy();
    } catch (err) {
      this.log.debug({ err }, 'WhatsApp: closing the client failed');
    }
  }

  private clearConnectTimer() {
    if (this.connectTimer !== undefined) this.clock.clearTimeout(this.connectTimer);
    this.connectTimer = undefined;
  }

  private clearTimers() {
    this.clearConnectTimer();
    if (this.reconnectTimer !== undefined) this.clock.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  // --- Inbound ------------------------------------------------------------

  private async onMessage(msg: WaMessage) {
    if (!isCommand(msg) || !this.sink) return;
    const chatId = chatOf(msg);
    const sender = senderOf(msg);
    const people = await this.directory.people([sender, ...(msg.mentionedIds ?? []).map(idOf)]);
    const chatName = chatKind(chatId) === 'group' ? await this.directory.chatName(chatId, chatId) : (people.get(sender)?.displayName ?? chatId);
    await this.sink(messageToEvent(msg, chatName, people));
  }

  private async onVote(vote: WaPollVote) {
    if (!this.sink || !vote.parentMessage) return;
    if (!voteCommand(vote)) {
      this.log.debug('WhatsApp: ignoring a vote on a poll the bot did not send'); // its question is message text: not logged
      return;
    }
    const chatId = idOf(vote.parentMessage.id.remote);
    const voter = idOf(vote.voter);
    const people = await this.directory.people([voter]);
    const chatName = chatKind(chatId) === 'group' ? await this.directory.chatName(chatId, chatId) : (people.get(voter)?.displayName ?? chatId);
    const event = voteToEvent(vote, chatName, people);
    if (event) await this.sink(event);
  }
}

/** What the library's disconnect reasons mean, for the person reading the log. */
const DISCONNECT_REASONS: Record<string, string> = {
  LOGOUT: 'the bot was logged out (the session expired or the linked device was removed on the phone). A new login code will be shown.',
  UNPAIRED: 'the bot is no longer linked to the phone. A new login code will be shown.',
  UNPAIRED_IDLE: 'the bot is no longer linked to the phone. A new login code will be shown.',
  CONFLICT: "disconnected because WhatsApp Web was opened somewhere else with the bot's number.",
  TOS_BLOCK: "disconnected: WhatsApp has blocked the bot's number (see the ban risk in docs/operate/whatsapp.md).",
  SMB_TOS_BLOCK: "disconnected: WhatsApp has blocked the bot's number (see the ban risk in docs/operate/whatsapp.md).",
  DEPRECATED_VERSION: 'disconnected: WhatsApp no longer accepts this version of WhatsApp Web; update whatsapp-web.js.',
  PROXYBLOCK: 'disconnected: WhatsApp refused the connection from this network.',
  BROWSER_CLOSED: 'Chromium closed unexpectedly.',
};

/** Errors that mean the browser or page is gone, rather than this one message failing. */
function isConnectionError(err: unknown): boolean {
  return /Session closed|Target closed|Protocol error|Execution context was destroyed|detached Frame|Connection closed|browser has disconnected/i.test(describe(err));
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error, with a hint for the causes people actually meet. */
function explain(err: unknown): string {
  const text = describe(err);
  if (/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_|ERR_CONNECTION_|ERR_PROXY_|ERR_ADDRESS_UNREACHABLE|ERR_TIMED_OUT/.test(text)) {
    return `${text}. Is this machine online, and can it reach web.whatsapp.com?`;
  }
  if (/Failed to launch the browser process|ENOENT|spawn/i.test(text)) return `${text}. Chromium did not start; check CHROMIUM_PATH.`;
  if (/auth timeout|ready timeout/.test(text)) return `${text}: WhatsApp Web did not finish loading.`;
  return text;
}

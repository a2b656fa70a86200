// The WhatsApp adapter: keeps one whatsapp-web.js client connected (logging in
// by QR code or pairing code, restarting it on the schedule in recovery.ts),
// turns typed commands, native-poll votes and group changes into core events,
// and sends the core's messages. While it is not connected, sends throw
// NotConnectedError, so the durable outbox keeps every message queued until
// WhatsApp is back.
import { systemClock, type Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import {
  NotConnectedError,
  PermanentSendError,
  type Adapter,
  type AdapterHealth,
  type AdapterHooks,
  type Capabilities,
  type Destination,
  type InboundSink,
  type OutMessage,
  type SentRef,
} from '../../src/model.js';
import { SerialQueues } from '../../src/platform/serial.js';
import { routeVoteAnswer } from '../../src/platform/vote-answers.js';
import { splitText } from '../../src/text/split.js';
import type { WaClient, WaClientFactory, WaGroupNotification, WaMessage, WaPollVote, WaSendOptions } from './client.js';
import { Directory } from './directory.js';
import { groupChange } from './groups.js';
import { chatKind, chatOf, idOf, isCommand, messageToEvent, MAX_TEXT, nativePollOf, PLATFORM, renderText, senderOf, voteCommand, voteToEvent } from './mapping.js';
import { describe, DISCONNECT_REASONS, explain, isConnectionError } from './failures.js';
import { human, Recovery } from './recovery.js';

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
  /** WHATSAPP_READY_TIMEOUT: restart a start that is neither ready nor showing a login code after this long. */
  readyTimeoutMs?: number;
  /** Waits before each restart (default: 30 s, 2 min, 10 min, then every 30 min). */
  retrySchedule?: number[];
  /** Delete WhatsApp Web's cached page (done once per outage, on the second failure in a row). */
  clearVersionCache?: () => Promise<void>;
  /** Delete the saved login, so the next start shows a new login code. */
  clearSession?: () => Promise<void>;
}

/** While disconnected, the outbox asks again this often (without using up attempts). */
export const NOT_CONNECTED_RETRY_MS = 5_000;
export const DEFAULT_READY_TIMEOUT_MS = 180_000;
/** Connection states in which WhatsApp Web is still trying by itself; others end in `disconnected`. */
const PASSING_STATES = new Set(['OPENING', 'PAIRING', 'TIMEOUT']);
/** Disconnect reasons that mean the login is gone: a person has to log the bot in again. */
const LOGGED_OUT = new Set(['LOGOUT', 'UNPAIRED', 'UNPAIRED_IDLE']);

export class WhatsAppAdapter implements Adapter {
  readonly platform = PLATFORM;
  readonly capabilities: Capabilities;
  private clock: Clock;
  private log: Logger;
  private directory: Directory;
  private recovery: Recovery;
  private sink?: InboundSink;
  private hooks?: AdapterHooks;
  private client?: WaClient;
  /** Bumped for every new client, so events of an abandoned client are ignored. */
  private generation = 0;
  private loggedIn = false;
  private connected = false;
  private stopped = true;
  /** Logins refused in a row without a login code shown in between (a loop to break). */
  private loginRefusals = 0;
  private state: { since: number; detail: string };
  private readyTimer: unknown;
  private retryTimer: unknown;
  private closing: Promise<void> = Promise.resolve();
  private lastCode?: string;
  /** Keeps the process running while the adapter waits to reconnect (the clock's timers don't). */
  private keepAlive?: NodeJS.Timeout;
  /** A chat's inbound events are handled in the order WhatsApp gave them. */
  private inbound: SerialQueues;

  constructor(private opts: WhatsAppOptions) {
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log;
    this.state = { since: this.clock.now(), detail: 'not started' };
    this.directory = new Directory(() => this.client, this.clock, this.log);
    this.recovery = new Recovery({ clock: this.clock, log: this.log, hooks: () => this.hooks, schedule: opts.retrySchedule });
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

  health(): AdapterHealth {
    return { connected: this.connected, since: this.state.since, detail: this.state.detail };
  }

  async start(sink: InboundSink, hooks?: AdapterHooks) {
    this.sink = sink;
    this.hooks = hooks;
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
    this.setConnected(false, 'stopped');
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
      this.lost(gen, `lost the connection to WhatsApp Web while sending (${describe(err)}).`);
      throw new NotConnectedError(NOT_CONNECTED_RETRY_MS, 'WhatsApp connection lost');
    }
  }

  // --- Connection ---------------------------------------------------------

  private async connect() {
    await this.closing;
    if (this.stopped) return;
    const gen = ++this.generation;
    this.loggedIn = false;
    this.setConnected(false, 'opening WhatsApp Web');
    this.lastCode = undefined;
    let client: WaClient;
    try {
      client = await this.opts.createClient();
    } catch (err) {
      return this.lost(gen, `could not start the client: ${explain(err)}`);
    }
    if (gen !== this.generation) return void this.close(client);
    this.client = client;
    this.wire(client, gen);
    this.armReadyTimer(gen);
    try {
      await client.initialize();
    } catch (err) {
      this.lost(gen, `could not open WhatsApp Web: ${explain(err)}`);
    }
  }

  /** A start must end in `ready` (or a login code, which waits for a person) within WHATSAPP_READY_TIMEOUT. */
  private armReadyTimer(gen: number) {
    this.clearReadyTimer();
    const timeoutMs = this.opts.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    this.readyTimer = this.clock.setTimeout(() => {
      this.readyTimer = undefined;
      this.lost(gen, `WhatsApp Web did not load within ${human(timeoutMs)}.`);
    }, timeoutMs);
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
    client.on('authenticated', () => {
      // Logged in: the chats load next, and that too must finish in time.
      if (current()) this.armReadyTimer(gen);
    });
    client.on('ready', () => {
      if (!current()) return;
      this.clearReadyTimer();
      this.loggedIn = true;
      this.loginRefusals = 0;
      this.setConnected(true, 'connected');
      this.recovery.ready();
      this.log.info('WhatsApp: connected and ready; sending any queued messages');
    });
    client.on('change_state', (state) => {
      if (!current()) return;
      if (state === 'CONNECTED') {
        if (this.loggedIn && !this.connected) this.log.info('WhatsApp: connection is back');
        if (this.loggedIn) this.setConnected(true, 'connected');
      } else if (PASSING_STATES.has(state)) {
        if (this.connected) this.log.warn({ state }, 'WhatsApp: connection interrupted; WhatsApp Web is reconnecting, messages wait in the queue');
        this.setConnected(false, 'WhatsApp Web is reconnecting by itself');
      } else {
        this.log.warn({ state }, 'WhatsApp: connection state changed');
      }
    });
    client.on('disconnected', (reason) => {
      if (!current()) return;
      const why = DISCONNECT_REASONS[reason] ?? `disconnected (${reason}).`;
      if (LOGGED_OUT.has(reason)) this.loginLost(gen, why);
      else this.lost(gen, why);
    });
    client.on('auth_failure', (message) => {
      if (current()) this.loginLost(gen, `the saved login was refused (${message}).`);
    });
    client.on('message', (msg) => {
      if (current()) this.inbound.run(chatOf(msg), () => this.onMessage(msg));
    });
    client.on('vote_update', (vote) => {
      if (current()) this.inbound.run(idOf(vote.parentMessage?.id.remote), () => this.onVote(vote));
    });
    for (const event of ['group_join', 'group_leave', 'group_update'] as const) {
      client.on(event, (n) => {
        if (current()) this.inbound.run(idOf(n.chatId), () => this.onGroup(event, n));
      });
    }
  }

  /** A login code is up: the page has loaded, now a person has to act, however long that takes. */
  private loginShown() {
    this.clearReadyTimer();
    this.loginRefusals = 0;
    this.setConnected(false, 'waiting for someone to log the bot in (QR code or pairing code)');
    this.recovery.loginNeeded('WhatsApp Web is showing a login code.');
  }

  /** Drop this client; whatever it was doing is abandoned. */
  private abandon(gen: number): boolean {
    if (gen !== this.generation || this.stopped) return false;
    this.generation++;
    this.clearTimers();
    this.loggedIn = false;
    const client = this.client;
    this.client = undefined;
    if (client) this.closing = this.close(client);
    return true;
  }

  /** This client is finished: close it and try again on the schedule. Messages stay queued meanwhile. */
  private lost(gen: number, why: string) {
    if (!this.abandon(gen)) return;
    const plan = this.recovery.failed(why);
    const clear = this.opts.clearVersionCache;
    if (plan.clearCache && clear) {
      this.closing = this.closing.then(async () => {
        try {
          await clear();
          this.log.warn('WhatsApp: cleared the cached WhatsApp Web page, so the next start fetches it afresh');
        } catch (err) {
          this.log.warn({ err }, 'WhatsApp: could not clear the cached WhatsApp Web page');
        }
      });
    }
    const wait = human(plan.delayMs);
    this.setConnected(false, `restarting in ${wait}: ${why}`);
    this.log.warn({ attempt: this.recovery.failuresInRow, retryInMs: plan.delayMs }, `WhatsApp: ${why} Trying again in ${wait}; messages wait in the queue until then.`);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.connect();
    }, plan.delayMs);
  }

  /** The login is gone (logged out on the phone, or refused): no more retries, just a fresh start that shows a new login code. */
  private loginLost(gen: number, why: string) {
    if (!this.abandon(gen)) return;
    this.recovery.loginNeeded(why);
    if (++this.loginRefusals > 1) {
      this.setConnected(false, 'stopped: the login keeps being refused');
      this.log.error(`WhatsApp: ${why} It was refused again, so WhatsApp stays off. Stop Collabot, delete the session folder (.wwebjs_auth next to the database) and start it again to get a new login code.`);
      return;
    }
    const clear = this.opts.clearSession;
    if (clear) this.closing = this.closing.then(() => clear().catch((err) => this.log.warn({ err }, 'WhatsApp: could not delete the saved login')));
    this.setConnected(false, 'logged out: a new login code will be shown');
    this.log.warn(`WhatsApp: ${why} Opening WhatsApp Web again to show a new login code; messages wait in the queue until someone logs in.`);
    void this.connect();
  }

  private setConnected(connected: boolean, detail: string) {
    if (connected !== this.connected) this.state.since = this.clock.now();
    this.connected = connected;
    this.state.detail = detail;
  }

  private async close(client: WaClient) {
    try {
      await client.destroy();
    } catch (err) {
      this.log.debug({ err }, 'WhatsApp: closing the client failed');
    }
  }

  private clearReadyTimer() {
    if (this.readyTimer !== undefined) this.clock.clearTimeout(this.readyTimer);
    this.readyTimer = undefined;
  }

  private clearTimers() {
    this.clearReadyTimer();
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
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

  private async onGroup(event: 'group_join' | 'group_leave' | 'group_update', n: WaGroupNotification) {
    const change = await groupChange(event, n, this.client?.ownId(), this.directory);
    if (change) this.hooks?.chatChanged?.(change);
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

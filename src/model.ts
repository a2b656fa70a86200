// The platform-neutral model. Adapters translate platform events into these
// types and render OutMessages back; nothing here knows about any SDK.

/** A platform name, e.g. 'console', 'slack', 'discord', 'whatsapp'. */
export type Platform = string;

export interface ChatRef {
  id: string;
  name: string;
  isDirect: boolean;
}

export interface UserRef {
  id: string;
  displayName: string;
  isBot: boolean;
}

/** A mention the adapter found in the text: `@token` in the text refers to user `id`. */
export interface Mention {
  token: string;
  id: string;
  displayName: string;
}

interface EventBase {
  platform: Platform;
  /** Unique per platform; re-deliveries of the same event carry the same id. */
  eventId: string;
  chat: ChatRef;
  author: UserRef;
  time: Date;
  mentions?: Mention[];
  /** Platform message id of the inbound message, so replies can quote or thread it. */
  messageId?: string;
  raw?: unknown;
}

/** A chat message, or a slash command rendered as text (`/poll ...`). */
export interface MessageEvent extends EventBase {
  kind: 'message';
  text: string;
}

/** A button press or native-poll vote, already turned into a command line by the adapter. */
export interface ActionEvent extends EventBase {
  kind: 'action';
  /** e.g. `/vote 3 2`; handled exactly like a typed command. */
  text: string;
}

export type InboundEvent = MessageEvent | ActionEvent;

/**
 * Platform-neutral description of a poll, for adapters that render polls natively.
 *
 * The contract between the poll service and adapters:
 * - A poll is posted as an OutMessage whose `text` is the full plain rendering
 *   (with `/vote` instructions) and whose `poll` is this view, with
 *   `editKey: 'poll:<pollId>'`. After each vote the service enqueues the
 *   refreshed view with the same editKey and `updateOnly: true`, so adapters
 *   that can edit update the message in place and the others stay quiet.
 * - Votes come back as ActionEvents whose text is a typed command:
 *   a button for option k of a single-choice or proposal poll: `/vote <pollId> <k>`;
 *   a multi-select or native poll selection of several options: `/vote <pollId> <i> <j> ...`;
 *   a native-poll deselection of everything: `/unvote <pollId>`.
 *   Ranked and score polls are voted by typing `/vote`; adapters show no buttons for them.
 *   The reply to such an action is marked `ack` when it only confirms the vote;
 *   a refusal (closed poll, too many options ticked) is not, and must reach the voter.
 * - `count` is present only when the counts may be shown now (not for hidden
 *   polls before they close, nor live for anonymous polls).
 */
export interface PollView {
  pollId: number;
  question: string;
  type: 'choice' | 'proposal' | 'ranked' | 'score';
  options: { index: number; label: string; count?: number }[];
  /** Up to K choices per voter (choice polls). */
  multi: number;
  anonymous: boolean;
  /** Counts withheld until the poll closes. */
  hidden: boolean;
  closed: boolean;
  closesAt?: string;
  voters: number;
  /**
   * What else the plain text says that the rest of the view does not (a block
   * on a proposal, the quorum, who may vote, a sector-wide poll): adapters that
   * draw the poll from the view show these lines too, a block prominently.
   */
  notes?: string[];
  /**
   * Asked for as the platform's own poll (`--native`). Adapters that have one use
   * it where its limits allow (Discord: up to 10 options, not anonymous, counts
   * not hidden) and otherwise render the poll as usual.
   */
  native?: boolean;
}

/** What the core asks an adapter to send. `text` is always a complete plain rendering. */
export interface OutMessage {
  text: string;
  /** A poll the adapter may render natively (buttons, native poll). */
  poll?: PollView;
  /**
   * Messages with the same key in the same chat are one message: adapters that can
   * edit update the earlier one in place; others send a new message.
   */
  editKey?: string;
  /**
   * Only worth sending as an in-place edit of the message with the same editKey
   * (a live vote count): dropped by adapters that cannot edit, to avoid spam.
   */
  updateOnly?: boolean;
  /** Inbound platform message this answers (adapters may quote or thread it). */
  replyTo?: string;
  /**
   * Confirms an action the platform already shows (a vote by button or native
   * poll): adapters may show it privately or drop it. Refusals never carry it,
   * so they always reach the person who acted.
   */
  ack?: true;
  /**
   * Set by the outbox sender: the same on every attempt to deliver this message.
   * Adapters whose platform can drop a repeated send (Discord's `nonce` with
   * `enforce_nonce`) pass it on, so a send retried after a crash is not shown twice.
   */
  deliveryId?: string;
}

/** Where a message goes: a chat, or a direct message to one user on a platform. */
export type Destination =
  | { platform: Platform; chatId: string; userId?: undefined }
  | { platform: Platform; userId: string; chatId?: undefined };

export interface Capabilities {
  buttons: boolean;
  nativePolls: boolean;
  threads: boolean;
  edit: boolean;
  maxMessageLength: number;
  markdown: 'plain' | 'mrkdwn' | 'markdown' | 'whatsapp';
  /** Sending limits the outbox sender must respect. */
  rate?: {
    perChat?: { count: number; intervalMs: number };
    global?: { count: number; intervalMs: number };
    /**
     * Random extra delay, up to this many ms, added after the limit allows the next
     * send (WhatsApp): gaps are never shorter than the limit.
     */
    jitterMs?: number;
  };
}

/** Result of a successful send: the platform's id for the message, for later edits. */
export interface SentRef {
  messageId?: string;
}

/**
 * Thrown by adapters when the platform asks us to slow down. `scope: 'platform'`
 * (Discord's global limit, any WhatsApp limit) pauses every send on the platform;
 * `'chat'` only the messages to that chat.
 */
export class RateLimitedError extends Error {
  constructor(
    public retryAfterMs: number,
    message = 'rate limited',
    public scope: 'chat' | 'platform' = 'chat',
  ) {
    super(message);
  }
}

/**
 * Thrown by adapters while they are not connected (reconnecting, waiting for a
 * new login): the outbox tries again after `retryAfterMs` without using up an attempt.
 */
export class NotConnectedError extends RateLimitedError {
  constructor(retryAfterMs: number, message = 'not connected') {
    // Nothing can go out while the platform is unreachable: pause every chat, not just this one.
    super(retryAfterMs, message, 'platform');
  }
}

/** Thrown by adapters when a send can never succeed (unknown chat, no permission). */
export class PermanentSendError extends Error {}

export interface InboundSink {
  (event: InboundEvent): Promise<void>;
}

/** What an adapter says about its connection, for /status and the admins' alerts. */
export interface AdapterHealth {
  connected: boolean;
  /** When it last connected or lost its connection (ms since the epoch). */
  since: number;
  /** A short plain-language reason, such as "waiting for a new QR code". */
  detail?: string;
}

/**
 * Something the host should hear about (a lost connection, a login that needs a person),
 * reported once when it starts and once when it is over (`resolved`), under a stable key.
 */
export interface Incident {
  key: string;
  platform: Platform;
  text: string;
  resolved?: boolean;
}

/**
 * A change in a group chat's life the adapter saw outside any command: the bot
 * added to it or removed from it (or the chat deleted), the chat renamed, members gone or back.
 */
export type ChatChange =
  | { kind: 'bot_added'; platform: Platform; chat: ChatRef }
  | { kind: 'bot_removed'; platform: Platform; chatId: string }
  | { kind: 'renamed'; platform: Platform; chatId: string; name: string }
  | { kind: 'members_left' | 'members_joined'; platform: Platform; chatId: string; userIds: string[] };

/** What the core hands an adapter at start, besides the inbound sink. */
export interface AdapterHooks {
  incident(report: Incident): void;
  /** Record a chat's life-cycle change (and send what it calls for through the outbox). */
  chatChanged?(change: ChatChange): void;
}

export interface Adapter {
  readonly platform: Platform;
  readonly capabilities: Capabilities;
  start(sink: InboundSink, hooks?: AdapterHooks): Promise<void>;
  /** The connection as the adapter sees it now; adapters that are always connected may leave it out. */
  health?(): AdapterHealth;
  stop(): Promise<void>;
  send(to: Destination, message: OutMessage): Promise<SentRef>;
  /** Replace an earlier message in place (when capabilities.edit). */
  edit?(to: Destination, messageId: string, message: OutMessage): Promise<SentRef>;
}

// The few parts of whatsapp-web.js the adapter uses, as a thin interface of its
// own: the real implementation (real-client.ts) wraps the library's Client, and
// tests drive a fake that emits the same shapes. Field names are the library's,
// checked against its type definitions (a type-only import: nothing is loaded).
import type WAWebJS from 'whatsapp-web.js';

/**
 * An id. The type definitions say string, but some arrive from the page as
 * the id object itself (`{ server, user, _serialized }`): mentioned ids, a
 * vote's voter, the chat of a vote's poll message.
 */
export type WaId = string | { _serialized: string };

/** A received message, as the library's `Message`. */
export type WaMessage = Pick<WAWebJS.Message, 'body' | 'type' | 'from' | 'to' | 'author' | 'fromMe' | 'timestamp' | 'isStatus' | 'broadcast'> & {
  id: Omit<WAWebJS.MessageId, 'remote'> & { remote: WaId };
  mentionedIds: WaId[];
  /** Poll creation messages only. */
  pollName?: string;
  /** Strings in the library's type definitions, `{ name, localId }` at run time. */
  pollOptions?: Array<string | { name: string; localId: number }>;
};

/**
 * A selected option of a poll vote. The type definitions call the option's
 * number `id`; the library actually sets `localId`. Both are accepted.
 */
export interface WaSelectedOption {
  name?: string;
  id?: number;
  localId?: number;
}

/** A `vote_update`, as the library's `PollVote`. */
export type WaPollVote = Pick<WAWebJS.PollVote, 'interractedAtTs'> & {
  voter: WaId;
  selectedOptions: WaSelectedOption[];
  /** The poll creation message voted on (may be missing for polls the page no longer has). */
  parentMessage?: WaMessage;
};

export type WaContact = Pick<WAWebJS.Contact, 'id' | 'number' | 'pushname' | 'name' | 'shortName' | 'isMe'>;
export type WaChat = Pick<WAWebJS.Chat, 'id' | 'name' | 'isGroup'>;
export type WaSendOptions = Pick<WAWebJS.MessageSendOptions, 'quotedMessageId'>;

/** A native poll to send; the real client turns it into the library's `Poll`. */
export interface WaPollContent {
  pollName: string;
  pollOptions: string[];
  allowMultipleAnswers: boolean;
}

/**
 * A change in a group (`group_join`, `group_leave`, `group_update`), as the
 * library's GroupNotification: `type` says what happened (`add`, `invite`,
 * `remove`, `leave`, `subject`, ...), `recipientIds` whom it happened to
 * (id objects at run time), `body` the new subject for a `subject` update.
 */
export type WaGroupNotification = Pick<WAWebJS.GroupNotification, 'chatId' | 'body' | 'type' | 'timestamp'> & {
  author?: WaId;
  recipientIds: WaId[];
};

export interface WaClientEvents {
  qr: (qr: string) => void;
  code: (code: string) => void;
  /** The login was accepted; `ready` follows once the chats have loaded. */
  authenticated: () => void;
  ready: () => void;
  group_join: (notification: WaGroupNotification) => void;
  group_leave: (notification: WaGroupNotification) => void;
  group_update: (notification: WaGroupNotification) => void;
  message: (message: WaMessage) => void;
  vote_update: (vote: WaPollVote) => void;
  disconnected: (reason: string) => void;
  auth_failure: (message: string) => void;
  change_state: (state: string) => void;
}

export interface WaClient {
  on<E extends keyof WaClientEvents>(event: E, listener: WaClientEvents[E]): unknown;
  /** Opens WhatsApp Web; resolves once the login QR code is up or the saved session is loading. */
  initialize(): Promise<void>;
  /** Closes the browser. */
  destroy(): Promise<void>;
  /** Resolves with the sent message, or undefined when the chat does not exist. */
  sendMessage(chatId: string, content: string | WaPollContent, options?: WaSendOptions): Promise<{ id: Pick<WAWebJS.MessageId, '_serialized'> } | undefined>;
  /** Phone-number ids (`pn`) for `@lid` ids. */
  getContactLidAndPhone(userIds: string[]): Promise<{ lid: string; pn: string }[]>;
  getContactById(contactId: string): Promise<WaContact>;
  getChatById(chatId: string): Promise<WaChat>;
  /** The bot's own id (`447700900000@c.us`) once logged in. */
  ownId(): string | undefined;
}

/** Builds a fresh client for each connection attempt. */
export type WaClientFactory = () => Promise<WaClient>;

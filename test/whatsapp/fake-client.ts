// A fake whatsapp-web.js client at the library boundary: it emits events shaped
// like the library's own Message, PollVote, GroupChat and Contact (field names
// checked against its type definitions by `satisfies`) and records what the
// adapter sends.
import { EventEmitter } from 'node:events';
import type WAWebJS from 'whatsapp-web.js';
import type { WaChat, WaClient, WaContact, WaGroupNotification, WaMessage, WaPollContent, WaPollVote, WaSendOptions } from '../../adapters/whatsapp/client.js';
import { idOf } from '../../adapters/whatsapp/mapping.js';
import type { Harness } from '../helpers/harness.js';
import { settle } from '../helpers/settle.js';

export const BOT = '447700900000@c.us';
/** The tests' group and its people (phone-number ids; Ben also by the newer "lid" kind of id). */
export const GROUP = '120363025246125486@g.us';
export const ANA = '447700900001@c.us';
export const BEN = '447700900002@c.us';
export const BEN_LID = '123456789012345@lid';
export const CY = '447700900003@c.us';

/** Let the adapter hand events to the core and the outbox deliver. */
export async function deliver(h: Harness) {
  await settle();
  await h.flush();
  await settle();
}

/** `from` types `line` in the group; returns the last thing the bot sent. */
export async function typeIn(h: Harness, wa: FakeWhatsApp, line: string, from = ANA) {
  wa.client.receive(waMessage({ chat: GROUP, author: from, body: line }));
  await deliver(h);
  return wa.sent().at(-1)!;
}
let seq = 0;

export function messageId(fromMe: boolean, remote: string, participant?: string): WAWebJS.MessageId {
  const id = `3EB0${(++seq).toString(16).toUpperCase().padStart(16, '0')}`;
  return { fromMe, remote, id, _serialized: `${fromMe}_${remote}_${id}${participant ? '_' + participant : ''}` };
}

/** A received text message, as whatsapp-web.js builds it. */
export function waMessage(o: { chat: string; author?: string; body: string; fromMe?: boolean; mentionedIds?: string[]; type?: string; timestamp?: number }): WaMessage {
  const group = o.chat.endsWith('@g.us');
  const fromMe = o.fromMe ?? false;
  const msg = {
    id: messageId(fromMe, o.chat, group ? o.author : undefined),
    ack: 1,
    hasMedia: false,
    body: o.body,
    type: (o.type ?? 'chat') as WAWebJS.MessageTypes,
    timestamp: o.timestamp ?? 1_795_000_000,
    from: fromMe ? BOT : o.chat,
    to: fromMe ? o.chat : BOT,
    author: group ? o.author : undefined,
    deviceType: 'android',
    isForwarded: false,
    forwardingScore: 0,
    isStatus: false,
    isStarred: false,
    broadcast: false,
    fromMe,
    hasQuotedMsg: false,
    hasReaction: false,
    isGif: false,
    isEphemeral: false,
    duration: '',
    mentionedIds: o.mentionedIds ?? [],
    groupMentions: [],
    links: [],
    vCards: [],
  } satisfies Partial<WAWebJS.Message>;
  return msg;
}

export function waGroup(id: string, name: string, participants: string[]): WaChat {
  return {
    id: { server: 'g.us', user: id.replace(/@.*/, ''), _serialized: id },
    name,
    isGroup: true,
    isReadOnly: false,
    archived: false,
    isMuted: false,
    muteExpiration: 0,
    timestamp: 1_795_000_000,
    unreadCount: 0,
    pinned: false,
    isLocked: false,
    participants: participants.map((p) => ({ id: { server: 'c.us', user: p.replace(/@.*/, ''), _serialized: p }, isAdmin: false, isSuperAdmin: false })),
  } satisfies Partial<WAWebJS.GroupChat> as WaChat;
}

export function waContact(id: string, pushname: string): WaContact {
  const [user, server] = id.split('@') as [string, string];
  return {
    id: { server, user, _serialized: id },
    number: server === 'c.us' ? user : '',
    pushname,
    name: undefined,
    shortName: undefined,
    isMe: id === BOT,
    isUser: true,
    isGroup: false,
    isWAContact: true,
    isMyContact: false,
    isBusiness: false,
    isEnterprise: false,
    isBlocked: false,
  } satisfies Partial<WAWebJS.Contact> as WaContact;
}

export interface Sent {
  chatId: string;
  content: string | WaPollContent;
  options?: WaSendOptions;
  message: WaMessage;
}

/** Shared between fake clients, like WhatsApp's servers: who is who. */
export class FakeWhatsApp {
  contacts = new Map<string, WaContact>();
  /** `@lid` → phone-number id. */
  lids = new Map<string, string>();
  chats = new Map<string, WaChat>();
  /** Every client the adapter created, newest last. */
  clients: FakeWaClient[] = [];

  person(phoneId: string, pushname: string, lid?: string) {
    this.contacts.set(phoneId, waContact(phoneId, pushname));
    if (lid) this.lids.set(lid, phoneId);
  }

  get client(): FakeWaClient {
    return this.clients[this.clients.length - 1]!;
  }

  /** The adapter's client factory. */
  factory = async () => {
    const c = new FakeWaClient(this);
    this.clients.push(c);
    return c;
  };

  sent(): Sent[] {
    return this.clients.flatMap((c) => c.sent);
  }
}

export class FakeWaClient extends EventEmitter implements WaClient {
  sent: Sent[] = [];
  initialized = false;
  destroyed = false;
  failInitialize?: Error | string;
  failPoll?: Error;

  constructor(private world: FakeWhatsApp) {
    super();
  }

  async initialize() {
    if (this.failInitialize) throw this.failInitialize;
    this.initialized = true;
  }

  async destroy() {
    this.destroyed = true;
  }

  async sendMessage(chatId: string, content: string | WaPollContent, options?: WaSendOptions) {
    if (this.destroyed) throw new Error('Protocol error (Runtime.callFunctionOn): Session closed. Most likely the page has been closed.');
    if (typeof content !== 'string' && this.failPoll) throw this.failPoll;
    const message: WaMessage = {
      ...waMessage({ chat: chatId, body: typeof content === 'string' ? content : content.pollName, fromMe: true, type: typeof content === 'string' ? 'chat' : 'poll_creation' }),
      ...(typeof content === 'string' ? {} : { pollName: content.pollName, pollOptions: content.pollOptions.map((name, localId) => ({ name, localId })) }),
    };
    this.sent.push({ chatId, content, options, message });
    return message;
  }

  async getContactLidAndPhone(userIds: string[]) {
    return userIds.map((id) => ({ lid: id, pn: this.world.lids.get(id) ?? '' }));
  }

  async getContactById(id: string) {
    return this.world.contacts.get(id) ?? waContact(id, '');
  }

  async getChatById(id: string) {
    const chat = this.world.chats.get(id);
    if (!chat) throw new Error(`no chat ${id}`);
    return chat;
  }

  ownId() {
    return this.initialized ? BOT : undefined;
  }

  /**
   * A group notification, as the library emits it: `group_join` for `add` and
   * `invite`, `group_leave` for `remove` and `leave`, `group_update` for the rest
   * (`subject` carries the new name in `body`). Recipients arrive as id objects.
   */
  group(chatId: string, type: 'add' | 'invite' | 'remove' | 'leave' | 'subject' | 'description', recipients: string[], o: { author?: string; body?: string } = {}) {
    const wid = (id: string) => ({ server: id.replace(/^.*@/, ''), user: id.replace(/@.*$/, ''), _serialized: id });
    const notification = {
      chatId,
      author: o.author ?? '',
      body: o.body ?? '',
      type: type as WAWebJS.GroupNotificationTypes,
      timestamp: 1_795_000_000,
      recipientIds: recipients.map(wid),
    } satisfies WaGroupNotification & Partial<Omit<WAWebJS.GroupNotification, 'recipientIds'>>;
    const event = type === 'add' || type === 'invite' ? 'group_join' : type === 'remove' || type === 'leave' ? 'group_leave' : 'group_update';
    this.emit(event, notification);
  }

  /** WhatsApp delivers a message to the bot. */
  receive(msg: WaMessage) {
    this.emit('message', msg);
  }

  /**
   * Someone ticks options (by position, 0-based) on a poll the bot sent. `typed`
   * follows the type definitions; `runtime` is what whatsapp-web.js 1.34 really
   * emits: `localId` for the option number, id objects for the voter and the chat.
   */
  vote(poll: WaMessage, voter: string, positions: number[], o: { at?: number; shape?: 'typed' | 'runtime' } = {}) {
    const names = (poll.pollOptions ?? []).map((x) => (typeof x === 'string' ? x : x.name));
    const at = o.at ?? Date.now();
    if (o.shape === 'runtime') {
      const wid = (id: string) => ({ server: id.replace(/^.*@/, ''), user: id.replace(/@.*$/, ''), _serialized: id });
      const vote: WaPollVote = {
        voter: wid(voter),
        selectedOptions: positions.map((p) => ({ name: names[p]!, localId: p })),
        interractedAtTs: at,
        parentMessage: { ...poll, id: { ...poll.id, remote: wid(idOf(poll.id.remote)) } },
      };
      this.emit('vote_update', vote);
      return;
    }
    const vote = {
      voter,
      selectedOptions: positions.map((p) => ({ id: p, name: names[p]! })),
      interractedAtTs: at,
      parentMessage: poll as WAWebJS.Message,
    } satisfies WAWebJS.PollVote;
    this.emit('vote_update', vote satisfies WaPollVote);
  }
}

// Collabs, the chats attached to them, their members and subscriptions.
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { Destination } from '../model.js';
import type { DB } from '../storage/db.js';
import { CollabsRepo, type ChatRow, type CollabRow } from './repo.js';

export const TOPICS = ['minutes', 'polls', 'elections'] as const;
export type Topic = (typeof TOPICS)[number];

export class CollabsService {
  private readonly repo: CollabsRepo;
  private readonly clock: Clock;
  /** COLLABOT_TZ: the time zone of collabs that set none, and of chats outside any collab. */
  private readonly defaultTz: string;

  constructor(d: { db: DB; clock: Clock; config: Pick<Config, 'COLLABOT_TZ'> }) {
    this.repo = new CollabsRepo(d.db);
    this.clock = d.clock;
    this.defaultTz = d.config.COLLABOT_TZ;
  }

  /** The chat row by its platform's id, if the bot has seen it. */
  chatOn(platform: string, chatId: string) {
    return this.repo.chat(platform, chatId);
  }

  /** Every role a person holds. */
  rolesOf(personId: number) {
    return this.repo.rolesOf(personId);
  }

  /** Two accounts became one person (/link): memberships, roles and subscriptions move. */
  mergePerson(from: number, to: number) {
    this.repo.mergePerson(from, to);
  }

  /**
   * The chat row for an inbound event, created on first sight; keeps its name fresh.
   * `directUserId`: in a direct chat, who wrote (whose chat it is, for /forget).
   */
  ensureChat(platform: string, chatId: string, name: string, isDirect: boolean, directUserId?: string): ChatRow {
    const found = this.repo.chat(platform, chatId);
    if (found) {
      if (name && found.name !== name) {
        this.repo.renameChat(found.id, name);
        found.name = name;
      }
      if (isDirect && directUserId && found.direct_user_id !== directUserId) {
        this.repo.setDirectUser(found.id, directUserId);
        found.direct_user_id = directUserId;
      }
      return found;
    }
    const id = this.repo.insertChat(platform, chatId, name || chatId, isDirect, isDirect ? (directUserId ?? null) : null);
    return this.repo.chatById(id)!;
  }

  chat(id: number) {
    return this.repo.chatById(id);
  }

  collab(id: number) {
    return this.repo.collab(id);
  }

  byName(name: string) {
    return this.repo.collabByName(name);
  }

  /** A collab by name, or a friendly error listing what exists. */
  require(name: string): CollabRow {
    const c = this.repo.collabByName(name.trim());
    if (c) return c;
    const names = this.repo.collabs().map((x) => x.name);
    throw new UserError(
      `There is no collab called "${name}".` + (names.length ? ` Collabs: ${names.slice(0, 10).join(', ')}.` : ' There are no collabs yet.') + '\nType /collabs to see them all.',
    );
  }

  create(name: string, chat: ChatRow, creator: number): CollabRow {
    if (chat.is_direct) throw new UserError('A collab lives in a group chat. Type this in the group, e.g. /collab create Food Network');
    if (chat.collab_id) {
      const existing = this.repo.collab(chat.collab_id)!;
      throw new UserError(`This chat is already the collab "${existing.name}". Type /collab info to see it.`);
    }
    if (this.repo.collabByName(name)) {
      throw new UserError(`There is already a collab called "${name}". Choose another name, or type /collab link ${name} to join this chat to it.`);
    }
    const now = this.clock.now();
    const id = this.repo.insertCollab(name, creator, now);
    this.repo.attachChat(chat.id, id);
    this.repo.addMember(id, creator, now);
    // The creator is the first facilitator; granted directly because nobody holds a role in a new collab yet.
    this.repo.grant(creator, 'facilitator', id, null, creator, now);
    return this.repo.collab(id)!;
  }

  link(collab: CollabRow, chat: ChatRow) {
    if (chat.is_direct) throw new UserError(`Type this in the group chat you want to join to ${collab.name}, e.g. /collab link ${collab.name}`);
    if (chat.collab_id === collab.id) throw new UserError(`This chat is already part of ${collab.name}.`);
    if (chat.collab_id) {
      const other = this.repo.collab(chat.collab_id)!;
      throw new UserError(`This chat already belongs to the collab "${other.name}". A chat can belong to one collab only.`);
    }
    this.repo.attachChat(chat.id, collab.id);
  }

  setTimeZone(collabId: number, tz: string) {
    this.repo.setTz(collabId, tz);
  }

  /** The time zone dates are read and shown in: the collab's own, or COLLABOT_TZ (also for no collab). */
  timeZone(collab: Pick<CollabRow, 'tz'> | number | null | undefined): string {
    const row = typeof collab === 'number' ? this.repo.collab(collab) : collab;
    return row?.tz ?? this.defaultTz;
  }

  chatsOf(collabId: number) {
    return this.repo.chatsOf(collabId);
  }

  list() {
    return this.repo.collabs();
  }

  noteMember(collabId: number, personId: number) {
    this.repo.addMember(collabId, personId, this.clock.now());
  }

  isMember(collabId: number, personId: number) {
    return this.repo.isMember(collabId, personId);
  }

  memberCount(collabId: number) {
    return this.repo.memberCount(collabId);
  }

  /** Collabs a person has been seen in. */
  collabIdsOf(personId: number) {
    return this.repo.collabIdsOf(personId);
  }

  subscribe(chat: ChatRow, topic: Topic, by: number) {
    return this.repo.subscribe(chat.id, topic, by, this.clock.now());
  }

  unsubscribe(chat: ChatRow, topic: Topic) {
    return this.repo.unsubscribe(chat.id, topic);
  }

  /** Every chat, on every platform, subscribed to a topic. */
  subscribers(topic: Topic): ChatRow[] {
    return this.repo.subscribers(topic);
  }

  topicsOf(chatId: number) {
    return this.repo.topicsOf(chatId);
  }
}

export function chatDestination(chat: Pick<ChatRow, 'platform' | 'chat_id'>): Destination {
  return { platform: chat.platform, chatId: chat.chat_id };
}

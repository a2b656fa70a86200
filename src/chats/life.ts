// A group chat's life, as the platform reports it: the bot added (hello, once),
// removed or the chat deleted (the chat goes quiet: nothing is queued for it,
// what was queued is dropped, and the collab's facilitators hear about it in
// another of its chats), the chat renamed, members leaving or coming back.
// Each change is applied by state, so a change reported twice does nothing more.
import type { Clock } from '../clock.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import type { RolesService } from '../collabs/roles.js';
import type { Logger } from '../logger.js';
import type { ChatChange, Destination } from '../model.js';
import { destKey, type Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { DB } from '../storage/db.js';
import { ChatLifeRepo } from './repo.js';

export interface ChatLifeDeps {
  db: DB;
  clock: Clock;
  log: Logger;
  outbox: Outbox;
  collabs: CollabsService;
  people: PeopleService;
  roles: RolesService;
}

/** Why queued messages of a chat the bot left were never sent (the outbox row's last error). */
export const DROPPED = 'dropped: the bot is no longer in this chat';

const PLATFORM_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', slack: 'Slack', discord: 'Discord', console: 'console' };

export class ChatLifeService {
  readonly repo: ChatLifeRepo;

  constructor(private d: ChatLifeDeps) {
    this.repo = new ChatLifeRepo(d.db);
    // Nothing is queued for a chat the bot is no longer in.
    d.outbox.refuse((to) => this.isRemoved(to));
  }

  /** Is this a chat the bot was removed from (or that was deleted)? */
  isRemoved(to: Destination): boolean {
    return to.chatId !== undefined && this.repo.isRemoved(to.platform, to.chatId);
  }

  /** A command came from this chat, so the bot is in it: a chat marked removed is active again. */
  seen(platform: string, chatId: string) {
    if (this.repo.markActive(platform, chatId)) this.d.log.info({ platform, chatId }, 'the bot is back in a chat it had left; its messages go there again');
  }

  /** Apply one change; call inside a transaction, and notify the outbox after commit. */
  apply(change: ChatChange) {
    switch (change.kind) {
      case 'bot_added':
        return this.botAdded(change.platform, change.chat.id, change.chat.name);
      case 'bot_removed':
        return this.botRemoved(change.platform, change.chatId);
      case 'renamed':
        return this.renamed(change.platform, change.chatId, change.name);
      case 'members_left':
        return this.membersLeft(change.platform, change.chatId, change.userIds);
      case 'members_joined':
        return this.membersJoined(change.platform, change.chatId, change.userIds);
    }
  }

  /** Hello once on being added, in two short lines; added back to a collab's chat, one line saying so. */
  private botAdded(platform: string, chatId: string, name: string) {
    const before = this.repo.get(platform, chatId);
    const chat = this.d.collabs.ensureChat(platform, chatId, name, false);
    const wasRemoved = this.repo.markActive(platform, chatId);
    if (before?.greeted_at && !wasRemoved) return; // the same addition, reported again
    this.repo.markGreeted(platform, chatId, this.d.clock.now());
    const collab = chat.collab_id ? this.d.collabs.collab(chat.collab_id) : undefined;
    const text = collab
      ? `Hello again! This chat is part of the collab "${collab.name}" once more. Type /help to see what I can do.`
      : "Hello, I'm Collabot: I run polls, notes, action items and reminders for groups like this one.\n" +
        'To start, type /collab create <name> to make this group a new collab, or /collab link <name> to join one that exists.';
    this.d.outbox.enqueue(chatDestination(chat), { text }, { origin: `chat-life:${chat.id}` });
    this.d.log.info({ platform, chatId, back: wasRemoved }, 'the bot was added to a chat');
  }

  private botRemoved(platform: string, chatId: string) {
    if (this.repo.isRemoved(platform, chatId)) return;
    this.repo.markRemoved(platform, chatId, this.d.clock.now());
    const to: Destination = { platform, chatId };
    const queued = this.repo.pendingFor(platform, destKey(to));
    // In this transaction (outbox.fail would wake the senders before it commits); the hooks still run,
    // so a delegate hears that their minutes did not reach this chat.
    for (const row of queued) this.d.outbox.failWithin(row, DROPPED);
    this.d.log.warn({ platform, chatId, dropped: queued.length }, 'the bot is no longer in a chat (removed, or the chat was deleted): its queued messages were dropped');
    const chat = this.d.collabs.chatOn(platform, chatId);
    if (chat?.collab_id) this.tellFacilitators(chat.collab_id, chat.id, chat.name, platform, queued.length);
  }

  /** In another of the collab's chats, addressed to its facilitators. */
  private tellFacilitators(collabId: number, chatRowId: number, chatName: string, platform: string, dropped: number) {
    const collab = this.d.collabs.collab(collabId)!;
    const other = this.d.collabs.chatsOf(collabId).find((c) => c.id !== chatRowId && !c.is_direct && !this.repo.isRemoved(c.platform, c.chat_id));
    if (!other) return;
    const names = this.d.roles.holders('facilitator', collabId).map((p) => this.d.people.name(p));
    const to = names.length ? `Facilitators of ${collab.name} (${names.join(', ')})` : `Facilitators of ${collab.name}`;
    const where = `the ${PLATFORM_NAMES[platform] ?? platform} chat "${chatName}"`;
    const lost = dropped ? ` ${dropped} message${dropped === 1 ? '' : 's'} waiting for it ${dropped === 1 ? 'was' : 'were'} dropped.` : '';
    this.d.outbox.enqueue(
      chatDestination(other),
      {
        text:
          `${to}: I was removed from ${where} (or it was deleted), so this collab's messages no longer go there.${lost}\n` +
          `To use another group, add me to it and type /collab link ${collab.name} there.`,
      },
      { origin: `chat-life:${chatRowId}` },
    );
  }

  private renamed(platform: string, chatId: string, name: string) {
    const clean = name.trim();
    if (clean) this.d.collabs.ensureChat(platform, chatId, clean, false);
  }

  /** People who left a collab's chat are no longer its members (so reminders stop counting them) until seen again. */
  private membersLeft(platform: string, chatId: string, userIds: string[]) {
    const chat = this.d.collabs.chatOn(platform, chatId);
    if (!chat?.collab_id) return;
    let left = 0;
    for (const userId of userIds) {
      const person = this.d.people.find(platform, userId);
      if (person !== undefined && this.repo.leaveCollab(chat.collab_id, person)) left++;
    }
    if (left) this.d.log.info({ platform, chatId, left }, 'members left a collab chat');
  }

  private membersJoined(platform: string, chatId: string, userIds: string[]) {
    const chat = this.d.collabs.chatOn(platform, chatId);
    if (!chat?.collab_id) return;
    for (const userId of userIds) {
      const person = this.d.people.find(platform, userId);
      if (person !== undefined) this.d.collabs.noteMember(chat.collab_id, person);
    }
  }
}

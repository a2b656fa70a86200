// Who is who on WhatsApp, from the library's contact look-ups, cached.
// A person can appear under their phone-number id (`447700900123@c.us`) or
// under WhatsApp's newer hidden id (`123456789012345@lid`); both are turned
// into the phone-number id when WhatsApp tells us it, so one person is one
// user to the core (and `COLLABOT_ADMINS=whatsapp:447700900123@c.us` works).
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { UserRef } from '../../src/model.js';
import { BoundedMap } from '../../src/platform/bounded-map.js';
import type { WaClient } from './client.js';
import type { People } from './mapping.js';

/** Names change rarely; look them up again after this long. */
const NAME_TTL_MS = 6 * 3600_000;
const MAX_ENTRIES = 20_000;

export class Directory {
  /** `@lid` → phone-number id (never changes once known). */
  private phoneIds = new BoundedMap<string, string>(MAX_ENTRIES);
  private names: BoundedMap<string, string>;
  private chats: BoundedMap<string, string>;

  constructor(
    private client: () => WaClient | undefined,
    clock: Clock,
    private log: Logger,
  ) {
    const names = { ttlMs: NAME_TTL_MS, now: () => clock.now() };
    this.names = new BoundedMap(MAX_ENTRIES, names);
    this.chats = new BoundedMap(MAX_ENTRIES, names);
  }

  /** Resolve every id (authors, voters, mentions) to a user with a display name. A failed look-up falls back to the id. */
  async people(rawIds: string[]): Promise<People> {
    const out = new Map<string, UserRef>();
    const unique = [...new Set(rawIds.filter(Boolean))];
    await this.learnPhoneIds(unique.filter((id) => id.endsWith('@lid') && !this.phoneIds.has(id)));
    for (const raw of unique) {
      const id = this.phoneIds.get(raw) ?? raw;
      out.set(raw, { id, displayName: await this.displayName(id), isBot: false });
    }
    return out;
  }

  async chatName(chatId: string, fallback: string): Promise<string> {
    const cached = this.chats.get(chatId);
    if (cached) return cached;
    try {
      const chat = await this.client()?.getChatById(chatId);
      const name = chat?.name?.trim() || fallback;
      this.chats.set(chatId, name);
      return name;
    } catch (err) {
      this.log.debug({ err, chatId }, 'WhatsApp chat look-up failed');
      return fallback;
    }
  }

  /** The chat's name changed (or the bot is back in it): look it up again next time. */
  forgetChat(chatId: string) {
    this.chats.delete(chatId);
  }

  private async learnPhoneIds(lids: string[]) {
    if (!lids.length) return;
    try {
      const found = (await this.client()?.getContactLidAndPhone(lids)) ?? [];
      for (const { lid, pn } of found) if (lid && pn) this.phoneIds.set(lid, pn);
    } catch (err) {
      this.log.debug({ err, lids }, 'WhatsApp @lid look-up failed; using the @lid ids');
    }
  }

  private async displayName(id: string): Promise<string> {
    const cached = this.names.get(id);
    if (cached) return cached;
    let name = '';
    try {
      const contact = await this.client()?.getContactById(id);
      name = (contact?.pushname || contact?.name || contact?.shortName || contact?.number || '').trim();
    } catch (err) {
      this.log.debug({ err, id }, 'WhatsApp contact look-up failed');
    }
    if (!name) return id.replace(/@.*$/, '');
    this.names.set(id, name);
    return name;
  }
}

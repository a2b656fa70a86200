// Who is who on WhatsApp, from the library's contact look-ups, cached.
// A person can appear under their phone-number id (`447700900123@c.us`) or
// under WhatsApp's newer hidden id (`123456789012345@lid`); both are turned
// into the phone-number id when WhatsApp tells us it, so one person is one
// user to the core (and `COLLABOT_ADMINS=whatsapp:447700900123@c.us` works).
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { UserRef } from '../../src/model.js';
import type { WaClient } from './client.js';
import type { People } from './mapping.js';

/** Names change rarely; look them up again after this long. */
const NAME_TTL_MS = 6 * 3600_000;
const MAX_ENTRIES = 20_000;

export class Directory {
  /** `@lid` → phone-number id (never changes once known). */
  private phoneIds = new Map<string, string>();
  private names = new Map<string, { name: string; at: number }>();
  private chats = new Map<string, { name: string; at: number }>();

  constructor(
    private client: () => WaClient | undefined,
    private clock: Clock,
    private log: Logger,
  ) {}

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
    const cached = this.fresh(this.chats.get(chatId));
    if (cached) return cached;
    try {
      const chat = await this.client()?.getChatById(chatId);
      const name = chat?.name?.trim() || fallback;
      remember(this.chats, chatId, { name, at: this.clock.now() });
      return name;
    } catch (err) {
      this.log.debug({ err, chatId }, 'WhatsApp chat look-up failed');
      return fallback;
    }
  }

  private async learnPhoneIds(lids: string[]) {
    if (!lids.length) return;
    try {
      const found = (await this.client()?.getContactLidAndPhone(lids)) ?? [];
      for (const { lid, pn } of found) if (lid && pn) remember(this.phoneIds, lid, pn);
    } catch (err) {
      this.log.debug({ err, lids }, 'WhatsApp @lid look-up failed; using the @lid ids');
    }
  }

  private async displayName(id: string): Promise<string> {
    const cached = this.fresh(this.names.get(id));
    if (cached) return cached;
    let name = '';
    try {
      const contact = await this.client()?.getContactById(id);
      name = (contact?.pushname || contact?.name || contact?.shortName || contact?.number || '').trim();
    } catch (err) {
      this.log.debug({ err, id }, 'WhatsApp contact look-up failed');
    }
    if (!name) return id.replace(/@.*$/, '');
    remember(this.names, id, { name, at: this.clock.now() });
    return name;
  }

  private fresh(entry: { name: string; at: number } | undefined): string | undefined {
    return entry && this.clock.now() - entry.at < NAME_TTL_MS ? entry.name : undefined;
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V) {
  if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value!);
  map.set(key, value);
}

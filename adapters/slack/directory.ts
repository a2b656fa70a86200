// Who and where, as people read it: display names (users.info), channel names
// (conversations.info) and direct-message channels (conversations.open), cached
// so a busy channel costs one lookup per person per hour, not one per message.
import type { ChatRef } from '../../src/model.js';
import { BoundedMap } from '../../src/platform/bounded-map.js';
import { displayNameOf, slackErrorCode, type SlackUser } from './mapping.js';

/** The few Web API methods the directory needs (the real WebClient has them). */
export interface DirectoryClient {
  users: { info(args: { user: string }): Promise<{ user?: any }> };
  conversations: {
    info(args: { channel: string }): Promise<{ channel?: any }>;
    open(args: { users: string }): Promise<{ channel?: { id?: string } }>;
  };
}

const TTL_MS = 60 * 60_000;
const MAX_ENTRIES = 5_000;

/** Look-ups in flight or done, shared by every message that needs them. */
class Cache<V> {
  private map: BoundedMap<string, Promise<V>>;
  constructor(now: () => number) {
    this.map = new BoundedMap(MAX_ENTRIES, { ttlMs: TTL_MS, now });
  }
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.map.get(key);
    if (hit) return hit;
    const value = load();
    this.map.set(key, value);
    // A failed lookup is not remembered: the next message tries again.
    value.catch(() => this.map.get(key) === value && this.map.delete(key));
    return value;
  }
}

/** A channel as the core sees it; `reachable` is false when Slack says the bot cannot see it (not invited). */
export type SlackChannel = ChatRef & { reachable: boolean };

export class SlackDirectory {
  private users: Cache<SlackUser>;
  private channels: Cache<SlackChannel>;
  private dms: Cache<string>;

  constructor(
    private client: DirectoryClient,
    private onError: (what: string, err: unknown) => void = () => {},
    now: () => number = Date.now,
  ) {
    this.users = new Cache(now);
    this.channels = new Cache(now);
    this.dms = new Cache(now);
  }

  /** A user's display name; if Slack cannot say, the name the payload carried, or the id. */
  async user(id: string, fallbackName?: string): Promise<SlackUser> {
    try {
      return await this.users.get(id, async () => {
        const { user } = await this.client.users.info({ user: id });
        if (!user) throw new Error('users.info returned no user');
        return { id, name: displayNameOf(user), isBot: !!user.is_bot };
      });
    } catch (err) {
      this.onError(`users.info ${id}`, err);
      return { id, name: fallbackName || id, isBot: false };
    }
  }

  async usersById(ids: string[]): Promise<Map<string, SlackUser>> {
    const found = await Promise.all(ids.map((id) => this.user(id)));
    return new Map(found.map((u) => [u.id, u]));
  }

  /** A channel's name and whether it is a direct message with the bot. */
  async channel(id: string, fallbackName?: string): Promise<SlackChannel> {
    try {
      return await this.channels.get(id, async () => {
        const { channel } = await this.client.conversations.info({ channel: id });
        if (!channel) throw new Error('conversations.info returned no channel');
        const isDirect = !!channel.is_im;
        return { id, name: isDirect ? 'direct message' : channel.name || fallbackName || id, isDirect, reachable: true };
      });
    } catch (err) {
      this.onError(`conversations.info ${id}`, err);
      const isDirect = id.startsWith('D') || fallbackName === 'directmessage';
      // A private channel or a conversation between other people that the bot was never added to.
      const reachable = slackErrorCode(err) !== 'channel_not_found';
      return { id, name: isDirect ? 'direct message' : fallbackName || id, isDirect, reachable };
    }
  }

  /** The direct-message channel with a user, opened if need be. Errors go to the caller (the outbox retries). */
  dmChannel(userId: string): Promise<string> {
    return this.dms.get(userId, async () => {
      const { channel } = await this.client.conversations.open({ users: userId });
      if (!channel?.id) throw new Error('conversations.open returned no channel');
      return channel.id;
    });
  }
}

// Discord's gateway connection as /status and the admins' alerts see it, from
// discord.js's shard events (one shard: a bot in one collective's servers).
// discord.js reconnects and resumes on its own; this only says when it is down.
import { Events, type Client } from 'discord.js';
import { ConnectionHealth } from '../connection-health.js';

export class DiscordHealth extends ConnectionHealth {
  constructor(now: () => number = Date.now) {
    super(now, { connected: false, detail: 'connecting to Discord' });
  }

  watch(client: Client) {
    client.on(Events.ShardReady, () => this.set(true));
    client.on(Events.ShardResume, () => this.set(true));
    client.on(Events.ShardDisconnect, () => this.set(false, 'disconnected from Discord'));
    client.on(Events.ShardReconnecting, () => this.set(false, 'reconnecting to Discord'));
    client.on(Events.Invalidated, () => this.set(false, 'Discord ended the session'));
  }
}

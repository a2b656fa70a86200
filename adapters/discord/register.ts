// Registers the application (slash) commands generated from the command
// registry. One bulk-overwrite PUT: Discord's set becomes exactly ours, so
// running it again changes nothing, and removed commands disappear.
import { PermissionFlagsBits as P, REST, Routes } from 'discord.js';
import type { CommandSpec } from '../../src/core/registry.js';
import { buildDiscordCommands } from './commands.js';

/**
 * What the bot needs in a channel: see it, post, embeds (poll results), reply to
 * and read back messages, and post native polls. Nothing else.
 */
export const BOT_PERMISSIONS = P.ViewChannel | P.SendMessages | P.EmbedLinks | P.ReadMessageHistory | P.SendPolls;

/** The link that adds the bot to a server with exactly those permissions. */
export function inviteUrl(appId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${appId}&scope=bot+applications.commands&permissions=${BOT_PERMISSIONS}`;
}

export interface RegisterOptions {
  token: string;
  /** The application id; looked up from the token when absent. */
  appId?: string;
  /** Register in one server (instant) instead of globally. */
  guildId?: string;
  /** REST API base URL, e.g. a local fake in tests. */
  api?: string;
  specs: readonly CommandSpec[];
}

export async function registerCommands(opts: RegisterOptions) {
  const rest = new REST(opts.api ? { api: opts.api.replace(/\/+$/, '') } : {}).setToken(opts.token);
  const appId = opts.appId ?? ((await rest.get(Routes.currentApplication())) as { id: string }).id;
  const { commands } = buildDiscordCommands(opts.specs);
  const route = opts.guildId ? Routes.applicationGuildCommands(appId, opts.guildId) : Routes.applicationCommands(appId);
  const saved = (await rest.put(route, { body: commands })) as { name: string }[];
  return { appId, guildId: opts.guildId, names: saved.map((c) => c.name) };
}

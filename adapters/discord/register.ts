// Registers the application (slash) commands generated from the command
// registry. One bulk-overwrite PUT: Discord's set becomes exactly ours, so
// running it again changes nothing, and removed commands disappear.
import { REST, Routes } from 'discord.js';
import type { CommandSpec } from '../../src/core/registry.js';
import { buildDiscordCommands } from './commands.js';

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

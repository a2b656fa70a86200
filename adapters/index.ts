// Which adapters exist and when each is switched on. Platform SDKs are loaded
// with a dynamic import only when their adapter is enabled, so they cost
// nothing otherwise. A new platform is a new folder plus one entry here.
import type { Config } from '../src/config.js';
import type { Logger } from '../src/logger.js';
import type { Adapter } from '../src/model.js';

export interface AdapterEntry {
  platform: string;
  enabled(config: Config): boolean;
  load(config: Config, log: Logger): Promise<Adapter>;
}

export const adapterEntries: AdapterEntry[] = [
  {
    platform: 'slack',
    enabled: (config) => !!config.SLACK_BOT_TOKEN,
    load: async (config, log) => (await import('./slack/index.js')).createSlackAdapter(config, log),
  },
  {
    platform: 'discord',
    enabled: (config) => !!config.DISCORD_TOKEN,
    async load(config, log) {
      const [{ DiscordAdapter }, { allCommands }] = await Promise.all([import('./discord/index.js'), import('../commands/index.js')]);
      return new DiscordAdapter({ config, log, commands: allCommands });
    },
  },
  {
    platform: 'whatsapp',
    enabled: (config) => config.WHATSAPP_ENABLED,
    load: async (config, log) => (await import('./whatsapp/index.js')).createWhatsAppAdapter(config, log),
  },
];

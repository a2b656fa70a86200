// Which adapters exist and when each is switched on. Platform SDKs are loaded
// with a dynamic import only when their adapter is enabled, so they cost
// nothing otherwise. A new platform is a new folder plus one entry here.
import type { Config } from '../src/config.js';
import type { Registry } from '../src/core/registry.js';
import type { Logger } from '../src/logger.js';
import type { Adapter } from '../src/model.js';

export interface AdapterEntry {
  platform: string;
  enabled(config: Config): boolean;
  /** `registry` is the bot's own (src/main.ts passes bot.registry): adapters never import the commands. */
  load(config: Config, log: Logger, registry: Registry): Promise<Adapter>;
}

export const adapterEntries: AdapterEntry[] = [
  {
    platform: 'slack',
    enabled: (config) => !!config.SLACK_BOT_TOKEN,
    load: async (config, log, registry) => (await import('./slack/index.js')).createSlackAdapter(config, log, registry),
  },
  {
    platform: 'discord',
    enabled: (config) => !!config.DISCORD_TOKEN,
    async load(config, log, registry) {
      const { DiscordAdapter } = await import('./discord/index.js');
      return new DiscordAdapter({ config, log, commands: registry.all() });
    },
  },
  {
    platform: 'whatsapp',
    enabled: (config) => config.WHATSAPP_ENABLED,
    load: async (config, log) => (await import('./whatsapp/index.js')).createWhatsAppAdapter(config, log),
  },
];

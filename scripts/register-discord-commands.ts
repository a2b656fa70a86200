// `npm run register-discord-commands`: make Discord offer the bot's commands
// (the same declarations /help lists). Safe to run again after any change.
import { existsSync } from 'node:fs';
import { inviteUrl, registerCommands } from '../adapters/discord/register.js';
import { allCommands } from '../commands/index.js';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

async function main() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  if (!config.DISCORD_TOKEN) throw new ConfigError('Set DISCORD_TOKEN (the bot token) first; see docs/operate/discord.md.');
  const result = await registerCommands({
    token: config.DISCORD_TOKEN,
    appId: config.DISCORD_APP_ID,
    guildId: config.DISCORD_GUILD_ID,
    api: config.DISCORD_API_URL,
    specs: allCommands,
  });
  const where = result.guildId ? `in server ${result.guildId} (available now)` : 'globally (may take up to an hour to appear)';
  process.stdout.write(`Registered ${result.names.length} commands ${where}: ${result.names.map((n) => '/' + n).join(' ')}\n`);
  process.stdout.write(`To add the bot to a server, open: ${inviteUrl(result.appId)}\n`);
  // Don't wait for the HTTP connection to Discord to time out.
  process.exit(0);
}

main().catch((err) => {
  process.stderr.write(`Could not register Discord commands: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

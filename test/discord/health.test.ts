// Discord's connection as /status and the admins' alerts see it: real
// discord.js against the fake Discord, whose gateway drops the bot and comes back.
import { afterEach, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/index.js';
import { allCommands } from '../../commands/index.js';
import { FakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { silentLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/storage/db.js';
import { ANA, FakeDiscord } from './fake-discord.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function until(ok: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

it('reports the gateway connection: connected, down while Discord drops it, connected again once the session resumes', async () => {
  const fake = await FakeDiscord.start();
  const config = loadConfig({ DISCORD_TOKEN: 'fake-token-abc', DISCORD_API_URL: fake.api, COLLABOT_ADMINS: `discord:${ANA.id}` });
  const bot = new Bot({ db: openDatabase(':memory:'), config, clock: new FakeClock(Date.now()), log: silentLogger, commands: allCommands });
  const adapter = new DiscordAdapter({ config, log: silentLogger, commands: allCommands });
  bot.use(adapter);
  cleanup = async () => {
    await bot.stop();
    await fake.close();
  };
  expect(adapter.health()).toMatchObject({ connected: false, detail: 'connecting to Discord' });
  await bot.start();
  const board = () => bot.services.ops.health.health('discord')!;
  expect(board()).toMatchObject({ connected: true });

  const before = board().since;
  fake.dropGateway();
  await until(() => !board().connected, 'the drop is seen');
  expect(board().detail).toMatch(/^(reconnecting to|disconnected from) Discord$/);
  expect(board().since).toBeGreaterThanOrEqual(before);

  fake.releaseGateway();
  await until(() => board().connected, 'the session resumes');
  expect(board().detail).toBeUndefined();
}, 30_000);

// The real bot with the real Slack adapter (bolt), on an in-memory database and a
// fake clock, logging into memory.
import { SlackAdapter } from '../../adapters/slack/index.js';
import { allCommands } from '../../commands/index.js';
import { FakeClock } from '../../src/clock.js';
import { loadConfig, secretsOf } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { Registry } from '../../src/core/registry.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/storage/db.js';
import { startFakeSlack } from './fake-slack.js';

export const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1234-5678-botSECRETtoken',
  SLACK_APP_TOKEN: 'xapp-1-A0COLLAB-99-appSECRETtoken',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
};

export const ADMIN = 'U0ANA';
export const GENERAL = 'C0GENERAL';

export interface SlackBotOptions {
  mode: 'http' | 'socket';
}

export async function startSlackBot(o: SlackBotOptions) {
  const fake = await startFakeSlack({ botToken: SECRETS.SLACK_BOT_TOKEN, appToken: SECRETS.SLACK_APP_TOKEN });
  fake.addUser(ADMIN, 'ana', 'Ana Silva');
  fake.addUser('U0BEN', 'Ben Okafor');
  fake.addChannel(GENERAL, 'general');

  const env = o.mode === 'socket' ? SECRETS : { SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET };
  const config = loadConfig({ ...env, SLACK_API_URL: fake.url, COLLABOT_ADMINS: `slack:${ADMIN}` });
  const logLines: string[] = [];
  const log = createLogger('trace', secretsOf(config), { write: (s: string) => void logLines.push(s) });
  const commands = allCommands;
  const clock = new FakeClock();
  const db = openDatabase(':memory:');
  const bot = new Bot({ db, config, clock, log, commands, sender: { random: () => 0.5, baseBackoffMs: 10, maxBackoffMs: 100 } });
  const adapter = new SlackAdapter({
    botToken: config.SLACK_BOT_TOKEN!,
    appToken: config.SLACK_APP_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    apiUrl: config.SLACK_API_URL,
    port: 0,
    registry: new Registry(commands),
    log,
    socketPingTimeoutMs: 300,
  });
  bot.use(adapter);
  await bot.start();

  // The fake clock stands still unless moved: move it while waiting, so the
  // outbox's one-message-per-second pacing and retries play out at once.
  const ticker = setInterval(() => clock.advance(1000), 5);

  return {
    fake,
    bot,
    adapter,
    db,
    clock,
    logLines,
    events: `http://127.0.0.1:${adapter.port}/slack/events`,
    async close() {
      clearInterval(ticker);
      await bot.stop();
      db.close();
      await fake.close();
    },
  };
}

export type SlackBot = Awaited<ReturnType<typeof startSlackBot>>;

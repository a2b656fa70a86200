// The real bot with the real Slack adapter (bolt), on an in-memory database and a
// fake clock, logging into memory; plus test-only poll commands that follow the
// poll contract (src/model.ts) until the poll feature is merged.
import { z } from 'zod';
import { SlackAdapter } from '../../adapters/slack/index.js';
import { allCommands } from '../../commands/index.js';
import { FakeClock } from '../../src/clock.js';
import { loadConfig, secretsOf } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { defineCommand, Registry, type CommandSpec } from '../../src/core/registry.js';
import { createLogger } from '../../src/logger.js';
import type { OutMessage, PollView } from '../../src/model.js';
import { openDatabase } from '../../src/storage/db.js';
import { startFakeSlack } from './fake-slack.js';

export const SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-1234-5678-botSECRETtoken',
  SLACK_APP_TOKEN: 'xapp-1-A0COLLAB-99-appSECRETtoken',
  SLACK_SIGNING_SECRET: '8f742231b10e8888abcd99yyyzzz85a5',
};

export const ADMIN = 'U0ANA';
export const GENERAL = 'C0GENERAL';

/** A two-option poll whose counts live in memory: enough to exercise the contract end to end. */
export function testPollCommands(): CommandSpec[] {
  const counts = [0, 0];
  const view = (): PollView => ({
    pollId: 1,
    question: 'Where shall we meet?',
    type: 'choice',
    options: [
      { index: 1, label: 'Library', count: counts[0] },
      { index: 2, label: 'Community café', count: counts[1] },
    ],
    multi: 1,
    anonymous: false,
    hidden: false,
    closed: false,
    voters: counts[0]! + counts[1]!,
  });
  const message = (): OutMessage => ({
    text: `Poll 1: Where shall we meet?\n1. Library (${counts[0]})\n2. Community café (${counts[1]})\nType /vote 1 <number> to vote.`,
    poll: view(),
    editKey: 'poll:1',
  });
  return [
    defineCommand({
      name: 'testpoll',
      summary: 'Post the test poll (test only)',
      usage: '/testpoll',
      examples: ['/testpoll'],
      args: z.object({}),
      handler(ctx) {
        ctx.reply(message());
      },
    }),
    defineCommand({
      name: 'vote',
      summary: 'Vote in the test poll (test only)',
      usage: '/vote <poll> <option>',
      examples: ['/vote 1 2'],
      args: z.object({ poll: z.coerce.number().int(), option: z.coerce.number().int().min(1).max(2) }),
      positional: ['poll', 'option'],
      handler(ctx, { option }) {
        counts[option - 1]!++;
        ctx.send({ platform: ctx.event.platform, chatId: ctx.event.chat.id }, { ...message(), updateOnly: true });
        ctx.reply(`Thanks ${ctx.actor.name}, your vote for option ${option} is counted.`);
      },
    }),
  ];
}

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
  // The real poll commands, once merged, give way to the test ones (same contract).
  const commands = [...allCommands.filter((c) => !/^(vote|testpoll)\b/.test(c.name)), ...testPollCommands()];
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

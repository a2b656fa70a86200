// `npm start` with Slack configured: the real src/main.ts as a child process, in
// HTTP mode, serving signed slash commands against the fake Slack Web API.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createSlackAdapter } from '../../adapters/slack/index.js';
import { Registry } from '../../src/core/registry.js';
import { silentLogger } from '../../src/logger.js';
import { ROOT, tempDb } from '../helpers/console-process.js';
import { ADMIN, GENERAL, SECRETS } from './bot.js';
import { deliver, slashCommand, startFakeSlack, type FakeSlack } from './fake-slack.js';

let child: ChildProcess | undefined;
let fake: FakeSlack | undefined;
afterEach(async () => {
  child?.kill('SIGKILL');
  await fake?.close();
});

/** A free loopback port for PORT (which must be set before the child starts). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('npm start with Slack', () => {
  it('serves signed slash commands end to end', async () => {
    fake = await startFakeSlack({ botToken: SECRETS.SLACK_BOT_TOKEN });
    fake.addUser(ADMIN, 'ana');
    fake.addChannel(GENERAL, 'general');
    const port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        COLLABOT_DB: tempDb(),
        COLLABOT_LOG_LEVEL: 'debug',
        COLLABOT_ADMINS: `slack:${ADMIN}`,
        SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN,
        SLACK_SIGNING_SECRET: SECRETS.SLACK_SIGNING_SECRET,
        SLACK_API_URL: fake.url,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout!.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the bot did not start:\n${stderr}`)), 15_000);
      child!.stderr!.on('data', (d) => {
        stderr += d;
        if (stderr.includes('Collabot started')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(stderr).toContain('"adapters":["slack"]');

    const url = `http://127.0.0.1:${port}/slack/events`;
    const res = await deliver(url, SECRETS.SLACK_SIGNING_SECRET, slashCommand({ command: '/collab', text: 'create Food Network', user: ADMIN, channel: GENERAL }));
    expect(res.status).toBe(200);
    const reply = await fake.waitFor('chat.postMessage', (a) => String(a.text).startsWith('Done: this chat is now the collab "Food Network"'));
    expect(reply.args.channel).toBe(GENERAL);
    expect(reply.token).toBe(SECRETS.SLACK_BOT_TOKEN);

    const forged = await deliver(url, 'wrong-secret', slashCommand({ command: '/help', text: '', user: ADMIN, channel: GENERAL }));
    expect(forged.status).toBe(401);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toBe(''); // no console bot alongside Slack
    for (const value of Object.values(SECRETS)) expect(stderr).not.toContain(value);
  });

  it('refuses to start without a way to receive events, saying what to set', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: SECRETS.SLACK_BOT_TOKEN });
    expect(() => createSlackAdapter(config, silentLogger, new Registry([]))).toThrow(/SLACK_APP_TOKEN \(Socket Mode.*or SLACK_SIGNING_SECRET \(HTTP mode\)/);
    const swapped = loadConfig({ SLACK_BOT_TOKEN: SECRETS.SLACK_APP_TOKEN, SLACK_APP_TOKEN: SECRETS.SLACK_APP_TOKEN });
    expect(() => createSlackAdapter(swapped, silentLogger, new Registry([]))).toThrow(/SLACK_BOT_TOKEN must be the Bot User OAuth Token, which starts with xoxb-/);
  });
});

// With COLLABOT_LOG_LEVEL=trace, neither discord.js nor our own logs carry link
// codes or what people typed (issue 15, item 5), on Discord as on Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordAdapter } from '../../adapters/discord/index.js';
import { allCommands } from '../../commands/index.js';
import { FakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import { createLogger } from '../../src/logger.js';
import { openDatabase } from '../../src/storage/db.js';
import { ANA, BEN, FakeDiscord, type Recorded } from '../discord/fake-discord.js';

let fake: FakeDiscord;
let bot: Bot;
let ticker: ReturnType<typeof setInterval>;
const logLines: string[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const config = loadConfig({ DISCORD_TOKEN: 'fake-token-abc', DISCORD_API_URL: fake.api, COLLABOT_ADMINS: `discord:${ANA.id}`, COLLABOT_LOG_LEVEL: 'trace' });
  const log = createLogger(config.COLLABOT_LOG_LEVEL, [], { write: (line: string) => void logLines.push(line) });
  const clock = new FakeClock(Date.now());
  ticker = setInterval(() => clock.advance(100), 5);
  bot = new Bot({ db: openDatabase(':memory:'), config, clock, log, commands: allCommands, sender: { baseBackoffMs: 10, maxBackoffMs: 50 } });
  bot.use(new DiscordAdapter({ config, log, commands: allCommands }));
  await bot.start();
});
afterAll(async () => {
  clearInterval(ticker);
  await bot?.stop();
  bot?.services.db.close();
  await fake?.close();
});

const original = (token: string) => (r: Recorded) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`);
const content = (r: Recorded) => String(r.body?.content ?? '');

describe('logs at trace (Discord)', () => {
  it('hold no link code and no message text', async () => {
    expect(logLines.length).toBeGreaterThan(0); // trace really is on
    const ch = fake.newChannel();
    // /link: the code goes by DM.
    const link = fake.chatInput('link', [], { channel: ch });
    await fake.waitFor(original(link.token));
    const dm = await fake.waitFor((r) => r.method === 'POST' && /\/channels\/[^/]+\/messages$/.test(r.path) && content(r).includes('link code is'));
    const code = /link code is (\d{6})/.exec(content(dm))![1]!;
    // A poll and a vote.
    const mk = fake.chatInput('collab', [{ name: 'create', type: 1, options: [{ name: 'name', type: 3, value: 'Room Logs' }] }], { channel: ch });
    await fake.waitFor(original(mk.token));
    const question = 'Secret question about the Tuesday rota';
    const ask = fake.chatInput('poll', [{ name: 'ask', type: 1, options: [{ name: 'question', type: 3, value: question }, { name: 'options', type: 3, value: 'Alpha, Bravo' }] }], { channel: ch });
    await fake.waitFor(original(ask.token));
    const id = (bot.services.db.prepare('SELECT MAX(id) AS id FROM polls').get() as { id: number }).id;
    const pollMessage = [...fake.messages.values()].find((m) => m.channel_id === ch && m.components?.length)!;
    const press = fake.button(`vote:${id}:2`, pollMessage.id, { user: BEN });
    await fake.waitFor(original(press.token));
    // A text command typed in a DM.
    const secret = 'Please keep this private: the hall key is under the mat';
    const from = fake.requests.length;
    fake.message(`/notes add ${secret}`, { dm: true, user: BEN });
    fake.message(secret, { dm: true, user: BEN });
    await fake.waitFor((r) => r.method === 'POST' && r.path.endsWith('/messages') && !content(r).includes('link code'), from);
    await new Promise((r) => setTimeout(r, 300));
    const logs = logLines.join('\n');
    expect(logs).not.toContain(code);
    expect(logs).not.toContain('link code');
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(question);
    expect(logs).not.toContain('Bravo');
  });
});

// `npm start` with DISCORD_TOKEN: the real src/main.ts as a child process,
// connected to the fake Discord, runs the flow end to end. And
// `npm run register-discord-commands` registers the generated commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDiscordCommands } from '../../adapters/discord/commands.js';
import { allCommands } from '../../commands/index.js';
import { ROOT, tempDb } from '../helpers/console-process.js';
import { ANA, BEN, FakeDiscord } from './fake-discord.js';

const TOKEN = 'MTEwMDAwMDAw.fake.discordSECRETtoken';
let fake: FakeDiscord;
let child: ChildProcess;
let stderr = '';

function run(script: string, env: Record<string, string>) {
  const p = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', COLLABOT_DB: tempDb(), DISCORD_TOKEN: TOKEN, DISCORD_API_URL: fake.api, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  p.stdout!.on('data', (d) => (out += d));
  p.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string }>((resolve) => p.on('close', (code) => resolve({ code, stdout: out })));
  return { p, done };
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await fake?.close();
});

describe('npm start with DISCORD_TOKEN', () => {
  it('registers the commands; the bot connects, answers slash commands, sends DMs, answers typed DMs, and stops cleanly', async () => {
    // Both at once: each child takes a second or two to start.
    const register = run('scripts/register-discord-commands.ts', { DISCORD_GUILD_ID: fake.guildId });
    ({ p: child } = run('src/main.ts', { COLLABOT_ADMINS: `discord:${ANA.id}`, COLLABOT_LOG_LEVEL: 'info' }));

    const { code, stdout } = await register.done;
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Registered \\d+ commands in server ${fake.guildId} \\(available now\\): /collab`));
    expect(stdout).toContain(`client_id=${fake.appId}&scope=bot+applications.commands&permissions=562949953506304`);
    const put = fake.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/applications/${fake.appId}/guilds/${fake.guildId}/commands`);
    expect(put.body).toEqual(buildDiscordCommands(allCommands).commands);

    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    for (let n = 0; !stderr.includes('Collabot started'); n++) {
      if (n > 500 || child.exitCode !== null) throw new Error(`the bot did not start:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(stderr).toContain('"adapters":["discord"]');
    expect(fake.identify?.token).toBe(TOKEN);

    const create = fake.chatInput('collab', [{ name: 'create', type: 1, options: [{ name: 'name', type: 3, value: 'Food Network' }] }]);
    await fake.waitFor((r) => r.path === `/interactions/${create.id}/${create.token}/callback` && r.status === 204);
    const created = await fake.waitFor((r) => r.method === 'PATCH' && r.path.endsWith(`/${create.token}/messages/@original`));
    expect(created.body.content).toContain('Done: this chat is now the collab "Food Network", and Ana is its facilitator.');

    const role = fake.chatInput('role', [{ name: 'add', type: 1, options: [{ name: 'person', type: 6, value: BEN.id }, { name: 'role', type: 3, value: 'delegate' }] }], {
      resolved: { users: { [BEN.id]: { id: BEN.id, username: 'ben', discriminator: '0', global_name: 'Ben', avatar: null } } },
    });
    expect((await fake.waitFor((r) => r.method === 'PATCH' && r.path.endsWith(`/${role.token}/messages/@original`))).body.content).toBe('Done: Ben is now a delegate.');

    fake.chatInput('link', [{ name: 'join', type: 1, options: [] }], { user: BEN }); // /link has subcommands now (confirm, undo)
    const dm = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/dm-${BEN.id}/messages`);
    expect(dm.body.content).toMatch(/^Your link code is \d{6}\./);

    fake.message('hello there', { dm: true, user: BEN });
    const hello = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/dm-${BEN.id}/messages` && r.body.content.startsWith('Hello!'));
    expect(hello.body.message_reference).toMatchObject({ fail_if_not_exists: false });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain(TOKEN);
  }, 60_000); // two child processes compile TypeScript at start: slow on a busy machine
});

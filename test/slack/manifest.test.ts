// The Slack app manifest is generated from the command registry; the committed
// slack-manifest.yml must be exactly what the generator prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BOT_EVENTS, BOT_SCOPES, manifestYaml, SLACK_BUILT_IN_COMMANDS, slackManifest, toYaml } from '../../adapters/slack/manifest.js';
import { allCommands } from '../../commands/index.js';
import { defineCommand, Registry } from '../../src/core/registry.js';
import { ROOT } from '../helpers/console-process.js';

const registry = new Registry(allCommands);
const extra = (name: string, usage: string) =>
  defineCommand({ name, summary: `${name} (test)`, usage, examples: [usage], args: z.object({}), handler() {} });

describe('the Slack app manifest', () => {
  it('is committed as slack-manifest.yml, exactly as generated (run `npm run slack-manifest -- --write` after adding commands)', () => {
    expect(readFileSync(join(ROOT, 'slack-manifest.yml'), 'utf8')).toBe(manifestYaml(registry));
  });

  it('has a slash command for every command family, with mentions escaped', () => {
    const m = slackManifest(registry);
    const commands = m.features.slash_commands.map((c) => c.command);
    for (const family of registry.families().filter((f) => !SLACK_BUILT_IN_COMMANDS.has(f))) expect(commands).toContain('/' + family);
    for (const c of m.features.slash_commands) {
      expect(c.command).toMatch(/^\/[a-z][a-z0-9_-]{0,30}$/);
      expect(c.should_escape).toBe(true);
      expect(c.description.length).toBeGreaterThan(5);
    }
  });

  it('follows the registry as features add commands, leaving Slack’s own names to the /collab catch-all', () => {
    // Fixed stand-ins for the real poll and remind families, so this expectation doesn't move with them.
    const others = allCommands.filter((c) => !['poll', 'remind'].includes(c.name.split(' ')[0]!));
    const grown = new Registry([...others, extra('poll', '/poll <question> <options...>'), extra('poll close', '/poll close <number>'), extra('remind', '/remind <when> <what>')]);
    const commands = slackManifest(grown).features.slash_commands;
    const poll = commands.find((c) => c.command === '/poll')!;
    expect(poll.description).toBe('poll (test) (also: /poll close)');
    expect(poll.usage_hint).toBe('<question> <options...> | close <number>');
    expect(commands.find((c) => c.command === '/remind')).toBeUndefined(); // Slack's built-in /remind
    expect(commands.find((c) => c.command === '/collab')!.description).toContain('Any Collabot command');
  });

  it('asks for the scopes and events the adapter uses, in Socket Mode by default or HTTP mode for a public address', () => {
    const socket = slackManifest(registry);
    expect(socket.oauth_config.scopes.bot).toEqual(Object.keys(BOT_SCOPES));
    expect(socket.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'app_mentions:read', 'users:read', 'im:write']));
    expect(socket.settings.event_subscriptions.bot_events).toEqual(BOT_EVENTS);
    expect(socket.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true } });
    expect(JSON.stringify(socket)).not.toContain('request_url');

    const http = slackManifest(registry, { publicUrl: 'https://collabot.example.org/' });
    expect(http.settings).toMatchObject({
      socket_mode_enabled: false,
      event_subscriptions: { request_url: 'https://collabot.example.org/slack/events' },
      interactivity: { request_url: 'https://collabot.example.org/slack/events' },
    });
    for (const c of http.features.slash_commands) expect(c.url).toBe('https://collabot.example.org/slack/events');
  });

  it('writes plain YAML, every string quoted', () => {
    const value = { a: 'x: "y"', list: [{ b: 1, c: [true, 'z'] }, 'w'], empty: [], nested: { d: false } };
    expect(toYaml(value)).toBe(['a: "x: \\"y\\""', 'list:', '  - b: 1', '    c:', '      - true', '      - "z"', '  - "w"', 'empty: []', 'nested:', '  d: false'].join('\n'));
  });
});

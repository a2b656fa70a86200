// The Slack app manifest, generated from the command registry: paste it into
// "Create New App → From a manifest" and every slash command, scope, event and
// setting the adapter needs is there. `npm run slack-manifest` prints it.
import type { CommandSpec, Registry } from '../../src/core/registry.js';
import { cutToFit } from '../../src/text/cut-to-fit.js';

/**
 * Slack's own commands: an app cannot take these names over, so these families
 * are reached through the catch-all instead (`/collab remind ...`).
 */
export const SLACK_BUILT_IN_COMMANDS = new Set([
  'active', 'apps', 'archive', 'away', 'call', 'collapse', 'dm', 'dnd', 'expand', 'feed', 'feedback', 'invite',
  'join', 'kick', 'leave', 'me', 'msg', 'mute', 'open', 'prefs', 'remind', 'remove', 'rename', 'search',
  'shortcuts', 'shrug', 'star', 'status', 'topic', 'who',
]);

/** Scopes the bot token needs, and why: docs/operate/slack.md explains the same list. */
export const BOT_SCOPES: Record<string, string> = {
  commands: 'receive the slash commands (/poll, /notes, ...)',
  'app_mentions:read': 'hear "@Collabot poll ..." messages in channels it is in',
  'chat:write': 'post replies, polls and reminders, and update a poll when people vote',
  'chat:write.public': 'answer slash commands in public channels it has not been invited to',
  'im:history': 'read the direct messages people send it',
  'im:write': 'open a direct message to send someone their link code or a personal reminder',
  'users:read': "show people's names instead of their Slack ids",
  'channels:read': 'know the names of public channels',
  'groups:read': 'know the names of private channels it is in',
  'im:read': 'tell a direct message from a channel',
  'mpim:read': 'know group direct messages it is in',
};

export const BOT_EVENTS = ['app_mention', 'message.im'];

/** Slack allows 50 slash commands per app. */
const MAX_COMMANDS = 50;

export interface ManifestOptions {
  /** HTTP mode: the public https address Slack posts to (e.g. https://collabot.example.org); Socket Mode if absent. */
  publicUrl?: string;
  name?: string;
}

export interface SlashCommandManifest {
  command: string;
  description: string;
  usage_hint?: string;
  should_escape: boolean;
  url?: string;
}

/** One slash command per command family (`/poll` covers `/poll close` too), plus the `/collab` catch-all. */
export function slashCommands(registry: Registry, requestUrl?: string): SlashCommandManifest[] {
  const out: SlashCommandManifest[] = [];
  const families = registry.families().filter((f) => !SLACK_BUILT_IN_COMMANDS.has(f));
  if (!families.includes('collab')) families.push('collab');
  for (const family of families) {
    const specs = registry.all().filter((s) => s.name === family || s.name.startsWith(family + ' '));
    const { description, usage } = family === 'collab' ? describeCollab(specs) : describeFamily(family, specs);
    out.push({
      command: '/' + family,
      description: cutToFit(description, 2000),
      ...(usage ? { usage_hint: cutToFit(usage, 1000) } : {}),
      // Mentions arrive as <@U123> user ids, not names that may be ambiguous.
      should_escape: true,
      ...(requestUrl ? { url: requestUrl } : {}),
    });
  }
  if (out.length > MAX_COMMANDS) throw new Error(`Slack allows ${MAX_COMMANDS} slash commands per app; the registry has ${out.length} command families.`);
  return out;
}

/** `/poll <question> ...` becomes `<question> ...`: Slack shows it after the command name. */
function usageAfter(family: string, spec: CommandSpec) {
  return spec.usage.replace(new RegExp(`^/${family}\\s*`), '');
}

function describeFamily(family: string, specs: CommandSpec[]) {
  const own = specs.find((s) => s.name === family);
  const subs = specs.filter((s) => s !== own);
  const description = own
    ? own.summary + (subs.length ? ` (also: ${subs.map((s) => `/${s.name}`).join(', ')})` : '')
    : specs.map((s) => `/${s.name}: ${s.summary}`).join('; ');
  const usage = specs.map((s) => usageAfter(family, s)).filter(Boolean).join(' | ');
  return { description, usage };
}

function describeCollab(specs: CommandSpec[]) {
  const subs = specs.filter((s) => s.name !== 'collab').map((s) => s.name.slice('collab '.length));
  return {
    description: `Any Collabot command, e.g. /collab help${subs.length ? `; and the collab's own: ${subs.join(', ')}` : ''}`,
    usage: [...specs.map((s) => usageAfter('collab', s)), 'help', '<any command>'].filter(Boolean).join(' | '),
  };
}

/** The whole manifest (Slack's manifest schema, version 1). */
export function slackManifest(registry: Registry, opts: ManifestOptions = {}) {
  const base = opts.publicUrl?.replace(/\/+$/, '');
  const requestUrl = base ? `${base}/slack/events` : undefined;
  const name = opts.name ?? 'Collabot';
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: 'Polls, notes, grants, minutes and reminders for your collab, right in Slack.',
      background_color: '#2c5f2d',
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: name, always_online: true },
      slash_commands: slashCommands(registry, requestUrl),
    },
    oauth_config: { scopes: { bot: Object.keys(BOT_SCOPES) } },
    settings: {
      event_subscriptions: { ...(requestUrl ? { request_url: requestUrl } : {}), bot_events: BOT_EVENTS },
      interactivity: { is_enabled: true, ...(requestUrl ? { request_url: requestUrl } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: !requestUrl,
      token_rotation_enabled: false,
    },
  };
}

/** A small YAML writer for the manifest's plain shape (objects, lists, strings, numbers, booleans). */
export function toYaml(value: unknown, indent = ''): string {
  const scalar = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : String(v));
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isObject(item)) {
        const [first, ...rest] = toYaml(item, indent + '  ').split('\n');
        lines.push(`${indent}- ${first!.trimStart()}`, ...rest);
      } else lines.push(`${indent}- ${scalar(item)}`);
    }
  } else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (Array.isArray(v) ? v.length : isObject(v)) lines.push(`${indent}${k}:`, toYaml(v, indent + '  '));
      else lines.push(`${indent}${k}: ${Array.isArray(v) ? '[]' : isObject(v) ? '{}' : scalar(v)}`);
    }
  }
  return lines.join('\n');
}

export function manifestYaml(registry: Registry, opts: ManifestOptions = {}): string {
  return (
    '# Slack app manifest for Collabot, generated by `npm run slack-manifest` from the command registry.\n' +
    '# Paste it at https://api.slack.com/apps → Create New App → From a manifest. See docs/operate/slack.md.\n' +
    toYaml(slackManifest(registry, opts)) +
    '\n'
  );
}

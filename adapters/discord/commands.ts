// Discord application commands generated from the command registry, and the way
// back: an interaction's options turned into the command line the core reads.
// Pure: no SDK here, only Discord's documented JSON shapes, so it is tested
// without a network and works for any command spec, present or future.
//
// Mapping:
// - A family with one command and no sub-words (`/vote`, `/help`) is one
//   top-level command with typed options.
// - A family with sub-words (`/collab create`, `/poll close`) is one command with
//   subcommands; a third word becomes a subcommand group. Discord forbids a
//   command with both options and subcommands, so the bare command of such a
//   family (`/poll <question> ...`) becomes a subcommand named after the first
//   verb of its summary ("Start a poll" -> `/poll start`), or `new` if that word
//   is taken or not usable.
// - Positional words and `--flags` become options: numbers become integer or
//   number options, booleans true/false options, enums a list of choices, an
//   `@mention` a user picker, anything else text.
import type { z } from 'zod';
import type { CommandSpec } from '../../src/core/registry.js';
import type { Mention } from '../../src/model.js';
import { argInfo, checkArgs } from '../../src/core/args.js';
import { flagName, inlineFlagValue, quoteWord, tokenize } from '../../src/text/tokenizer.js';
import { Mentions } from '../../src/platform/mentions.js';
import { cutToFit } from '../../src/text/cut-to-fit.js';

/** Discord's application command option types. */
export const OptionType = { Subcommand: 1, SubcommandGroup: 2, String: 3, Integer: 4, Boolean: 5, User: 6, Number: 10 } as const;

export interface CommandOptionJSON {
  type: number;
  name: string;
  description: string;
  required?: boolean;
  choices?: { name: string; value: string }[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  options?: CommandOptionJSON[];
}

/** The body of one entry of `PUT /applications/{app}/commands`. */
export interface ApplicationCommandJSON {
  type: 1;
  name: string;
  description: string;
  options?: CommandOptionJSON[];
  /** Guild channels and the bot's DMs. */
  contexts: number[];
  /** Installed in a server. */
  integration_types: number[];
}

/** An interaction's command data, as the gateway sends it and as discord.js exposes it. */
export interface InteractionOption {
  name: string;
  type: number;
  value?: string | number | boolean;
  options?: readonly InteractionOption[];
}
export interface InteractionData {
  name: string;
  options?: readonly InteractionOption[];
}

/** Users picked in user options, by id. */
export type ResolvedUsers = Record<string, { username: string; displayName: string }>;

/** An interaction that cannot be written as a command line the core would read the same way. */
export class DiscordInputError extends Error {
  constructor(
    readonly reason: 'gap' | 'command-word' | 'flag' | 'backslash',
    message: string,
  ) {
    super(message);
  }
}

// Discord's limits (https://discord.com/developers/docs/interactions/application-commands).
const MAX_COMMANDS = 100;
const MAX_OPTIONS = 25;
const MAX_CHOICES = 25;
const MAX_DESCRIPTION = 100;
const NAME_RE = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

type SlotKind = 'value' | 'list' | 'rest' | 'flag' | 'switch';
interface Slot {
  key: string;
  kind: SlotKind;
  option: CommandOptionJSON;
  /** A time phrase: always quoted, so the core never reads the next option's words into it. */
  quoted: boolean;
}
interface Route {
  spec: CommandSpec;
  /** Flags first, then positional slots in their order: the order of the command line. */
  slots: Slot[];
  /** Words that, typed right after this command's name, would name a longer command. */
  longerNames: Set<string>;
}

export interface DiscordCommandSet {
  /** The body of the registration PUT. */
  commands: ApplicationCommandJSON[];
  /** The command line for an interaction, plus the mentions its user options made. */
  toText(data: InteractionData, users?: ResolvedUsers): { text: string; mentions: Mention[] };
}

export function buildDiscordCommands(specs: readonly CommandSpec[]): DiscordCommandSet {
  const routes = new Map<string, Route>();
  const commands: ApplicationCommandJSON[] = [];
  const byFamily = new Map<string, CommandSpec[]>();
  for (const spec of specs) {
    const words = spec.name.split(' ');
    words.forEach(checkName);
    const list = byFamily.get(words[0]!) ?? [];
    list.push(spec);
    byFamily.set(words[0]!, list);
  }

  for (const [family, members] of byFamily) {
    const longer = (spec: CommandSpec) =>
      new Set(specs.filter((s) => s.name.startsWith(spec.name + ' ')).map((s) => s.name.slice(spec.name.length + 1).split(' ')[0]!));
    const route = (path: string, spec: CommandSpec, slots: Slot[]) => routes.set(path, { spec, slots, longerNames: longer(spec) });

    if (members.length === 1 && members[0]!.name === family) {
      const spec = members[0]!;
      const slots = slotsOf(spec);
      commands.push(command(family, spec.summary, optionList(spec, slots)));
      route(family, spec, slots);
      continue;
    }

    // Subcommands, with a group for a third word. A name that is both a
    // subcommand and a group (`grant story` and `grant story add`) moves into its group.
    const groups = new Set(members.map((s) => s.name.split(' ')).filter((w) => w.length >= 3).map((w) => w[1]!));
    const top: CommandOptionJSON[] = [];
    const inGroup = new Map<string, CommandOptionJSON[]>();
    const pending: { spec: CommandSpec; group?: string; sub?: string }[] = [];
    for (const spec of members) {
      const words = spec.name.split(' ');
      if (words.length === 1) pending.push({ spec });
      else if (words.length === 2 && !groups.has(words[1]!)) pending.push({ spec, sub: words[1]! });
      else if (words.length === 2) pending.push({ spec, group: words[1]! });
      else pending.push({ spec, group: words[1]!, sub: words.slice(2).join('-') });
    }
    const taken = (group?: string) =>
      new Set(pending.filter((p) => p.group === group && p.sub).map((p) => p.sub!).concat(group ? [] : [...groups]));
    for (const p of pending) {
      const sub = p.sub ?? bareName(p.spec, taken(p.group));
      p.sub = sub;
      const slots = slotsOf(p.spec);
      const json: CommandOptionJSON = { type: OptionType.Subcommand, name: sub, description: describe(p.spec.summary) };
      const options = optionList(p.spec, slots);
      if (options.length) json.options = options;
      if (p.group) {
        let list = inGroup.get(p.group);
        if (!list) {
          inGroup.set(p.group, (list = []));
          top.push({ type: OptionType.SubcommandGroup, name: p.group, description: '', options: list });
        }
        list.push(json);
      } else top.push(json);
      route([family, p.group, sub].filter(Boolean).join(' '), p.spec, slots);
    }
    for (const opt of top) {
      if (opt.type === OptionType.SubcommandGroup) opt.description = describe(`/${family} ${opt.name}: ${opt.options!.map((o) => o.name).join(', ')}`);
      if ((opt.options?.length ?? 0) > MAX_OPTIONS) throw new Error(`/${family} ${opt.name} has more than ${MAX_OPTIONS} subcommands, more than Discord allows`);
    }
    if (top.length > MAX_OPTIONS) throw new Error(`/${family} has more than ${MAX_OPTIONS} subcommands, more than Discord allows`);
    const bare = members.find((s) => s.name === family);
    commands.push(command(family, bare?.summary ?? `/${family}: ${top.map((o) => o.name).join(', ')}`, top));
  }
  if (commands.length > MAX_COMMANDS) throw new Error(`${commands.length} command families are more than the ${MAX_COMMANDS} Discord allows`);

  return {
    commands,
    toText(data, users = {}) {
      const { path, options } = flatten(data);
      const route = routes.get(path);
      // A command Discord still offers but the bot no longer has: the core answers "I don't know".
      if (!route) return { text: `/${path}`, mentions: [] };
      return commandLine(route, options, users);
    },
  };
}

function command(name: string, summary: string, options: CommandOptionJSON[]): ApplicationCommandJSON {
  const json: ApplicationCommandJSON = { type: 1, name, description: describe(summary), contexts: [0, 1], integration_types: [0] };
  if (options.length) json.options = options;
  return json;
}

function checkName(word: string) {
  if (word !== word.toLowerCase() || !NAME_RE.test(word)) throw new Error(`"${word}" cannot be a Discord command or option name`);
}

const NOT_VERBS = new Set(['a', 'an', 'the', 'this', 'that', 'your', 'my', 'our', 'all', 'every', 'each', 'who', 'what', 'how', 'when', 'one']);

/** The subcommand name for the bare command of a family: its summary's verb, else `new`. */
function bareName(spec: CommandSpec, taken: Set<string>): string {
  const verb = (spec.summary.trim().split(/\s+/)[0] ?? '').toLowerCase();
  for (const name of [verb, 'new', 'run', 'go']) {
    if (/^[a-z]{2,32}$/.test(name) && !NOT_VERBS.has(name) && !taken.has(name)) return name;
  }
  throw new Error(`no free Discord subcommand name for /${spec.name}`);
}

function describe(text: string): string {
  return cutToFit(text.trim().replace(/\s+/g, ' ') || 'No description', MAX_DESCRIPTION);
}

function stripSuffix(p: string) {
  return p.replace(/(\.\.\.|\*)$/, '');
}

/** The command line's slots: `--flags` first (any order works), then positional words in order. */
function slotsOf(spec: CommandSpec): Slot[] {
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const positional = spec.positional ?? [];
  const positionalKeys = new Set(positional.map(stripSuffix));
  checkArgs(spec.name, shape);
  const slots: Slot[] = [];
  const make = (key: string, kind: SlotKind): Slot => {
    const schema = shape[key];
    if (!schema) throw new Error(`/${spec.name}: positional "${key}" is not in its schema`);
    checkName(key);
    return { key, kind, option: optionFor(spec, key, kind, schema), quoted: argInfo(schema).kind === 'when' };
  };
  for (const key of Object.keys(shape)) {
    if (!positionalKeys.has(key)) slots.push(make(key, argInfo(shape[key]!).kind === 'flag' ? 'switch' : 'flag'));
  }
  for (const p of positional) slots.push(make(stripSuffix(p), p.endsWith('...') ? 'list' : p.endsWith('*') ? 'rest' : 'value'));
  if (slots.length > MAX_OPTIONS) throw new Error(`/${spec.name} has more than ${MAX_OPTIONS} options, more than Discord allows`);
  return slots;
}

/** Discord lists required options first. */
function optionList(spec: CommandSpec, slots: Slot[]): CommandOptionJSON[] {
  return [...slots.filter((s) => s.option.required), ...slots.filter((s) => !s.option.required)].map((s) => s.option);
}

function optionFor(spec: CommandSpec, key: string, kind: SlotKind, zod: z.ZodType): CommandOptionJSON {
  const arg = argInfo(zod);
  // Without a description, the name and the command's usage show what to type.
  const text = spec.options?.[key] ?? zod.description ?? `${key.replace(/[-_]+/g, ' ').replace(/^./, (c) => c.toUpperCase())}: ${spec.usage}`;
  const base = { name: key, required: arg.required };
  if (kind === 'list') return { ...base, type: OptionType.String, description: describe(`${text} (separate with spaces; "quote" several words)`) };
  const description = describe(text);
  const bounds = (opt: CommandOptionJSON, min: 'min_value' | 'min_length', max: 'max_value' | 'max_length') => {
    if (arg.min !== undefined && (min === 'min_value' || arg.min > 0)) opt[min] = min === 'min_length' ? Math.min(arg.min, 6000) : arg.min;
    if (arg.max !== undefined) opt[max] = max === 'max_length' ? Math.min(arg.max, 6000) : arg.max;
    return opt;
  };
  switch (arg.kind) {
    case 'flag':
      return { ...base, type: OptionType.Boolean, description };
    case 'recordNumber':
    case 'count':
      return bounds({ ...base, type: OptionType.Integer, description }, 'min_value', 'max_value');
    case 'mention':
      return { ...base, type: OptionType.User, description };
    case 'choice':
      if (arg.choices!.length > MAX_CHOICES) throw new Error(`/${spec.name} ${key} has more than ${MAX_CHOICES} choices, more than Discord allows`);
      return { ...base, type: OptionType.String, description, choices: arg.choices!.map((c) => ({ name: c, value: c })) };
    default:
      return bounds({ ...base, type: OptionType.String, description }, 'min_length', 'max_length');
  }
}

/** The subcommand path (`poll close`) and the leaf options of an interaction. */
function flatten(data: InteractionData) {
  const path = [data.name];
  let options = data.options ?? [];
  for (let i = 0; i < 2; i++) {
    const first = options[0];
    if (first && (first.type === OptionType.Subcommand || first.type === OptionType.SubcommandGroup)) {
      path.push(first.name);
      options = first.options ?? [];
    }
  }
  return { path: path.join(' '), options };
}

function commandLine(route: Route, options: readonly InteractionOption[], users: ResolvedUsers) {
  const { spec } = route;
  const given = new Map(options.map((o) => [o.name, o]));
  const parts = [`/${spec.name}`];
  const mentions = new Mentions();
  let missing: Slot | undefined;

  // Quoted when it has to be, and also as the first word after the name when it
  // would otherwise name a longer command (`/poll close` for the question "close").
  const word = (v: string, slot: Slot) => {
    const w = quoteWord(v, slot.quoted || (parts.length === 1 && route.longerNames.has(v.toLowerCase())));
    if (w === undefined) {
      throw new DiscordInputError('backslash', `Please take the \\ off the end of ${slot.key}: I can't read it there.\nFor example: ${spec.examples[0]}`);
    }
    return w;
  };
  const valueText = (opt: InteractionOption, slot: Slot) => {
    if (opt.type === OptionType.User) {
      const id = String(opt.value);
      const user = users[id];
      return mentions.add(id, user?.displayName ?? user?.username ?? id, user?.username ?? id);
    }
    return word(String(opt.value), slot);
  };

  for (const slot of route.slots) {
    const opt = given.get(slot.key);
    const absent = !opt || opt.value === undefined || ((slot.kind === 'rest' || slot.kind === 'list') && !String(opt.value).trim());
    if (absent) {
      if (slot.kind !== 'flag' && slot.kind !== 'switch') missing ??= slot;
      continue;
    }
    if (missing) {
      throw new DiscordInputError('gap', `Please fill in ${missing.key} too, or leave out ${slot.key}.\nFor example: ${spec.examples[0]}`);
    }
    switch (slot.kind) {
      case 'switch':
        parts.push(opt.value === false ? `--${slot.key}=false` : `--${slot.key}`);
        break;
      case 'flag':
        parts.push(`--${slot.key}`, valueText(opt, slot));
        break;
      case 'value':
        parts.push(valueText(opt, slot));
        break;
      case 'list':
        // Typed like a chat message: words, with quotes around several words.
        for (const t of tokenize(String(opt.value))) parts.push(word(t.text, slot));
        break;
      case 'rest': {
        // Taken verbatim by the core, so it cannot be quoted: refuse what would be misread.
        const text = String(opt.value).trim();
        const first = tokenize(text)[0]!;
        const flag = flagName(first);
        if (flag && route.slots.some((s) => s.key === flag && (s.kind === 'flag' || s.kind === 'switch'))) {
          throw new DiscordInputError('flag', `Please don't start ${slot.key} with --${flag}; use the ${flag} option for that.\nFor example: ${spec.examples[0]}`);
        }
        const tail = trailingFlag(route, text);
        if (tail) throw new DiscordInputError('flag', `Please don't end ${slot.key} with --${tail}; use the ${tail} option for that.\nFor example: ${spec.examples[0]}`);
        if (parts.length === 1 && !first.quoted && route.longerNames.has(first.text.toLowerCase())) {
          throw new DiscordInputError(
            'command-word',
            `${slot.key} can't start with "${first.text}": that would be the command /${spec.name} ${first.text.toLowerCase()}. Please start it with another word.`,
          );
        }
        parts.push(text);
        break;
      }
    }
  }
  return { text: parts.join(' '), mentions: mentions.list };
}

/** A value option the core would take off the end of free text (`… --outcome local-need`), if the text ends with one. */
function trailingFlag(route: Route, text: string): string | undefined {
  const tokens = tokenize(text);
  const isValueFlag = (t: (typeof tokens)[number] | undefined) => {
    const name = t && flagName(t);
    return name && route.slots.some((s) => s.key === name && s.kind === 'flag') ? name : undefined;
  };
  const last = isValueFlag(tokens.at(-1));
  if (last) return last;
  const prev = tokens.length > 2 ? isValueFlag(tokens.at(-2)) : undefined;
  return prev && inlineFlagValue(tokens.at(-2)!) === undefined ? prev : undefined;
}

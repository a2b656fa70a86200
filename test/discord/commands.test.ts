// Discord application commands generated from the registry, and interactions
// read back as command lines: both ways, for every registered command.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildDiscordCommands,
  DiscordInputError,
  OptionType,
  type ApplicationCommandJSON,
  type CommandOptionJSON,
  type DiscordCommandSet,
  type InteractionOption,
} from '../../adapters/discord/commands.js';
import { allCommands } from '../../commands/index.js';
import { choice, count, flag, mention, recordNumber, text } from '../../src/core/args.js';
import { bindArgs, defineCommand, Registry, type CommandSpec } from '../../src/core/registry.js';
import { flagName, tokenize } from '../../src/text/tokenizer.js';

// Shapes the feature commands will have (a bare command with subcommands, a
// third word, lists, verbatim text, numbers, switches, mentions), so the
// generator is held to more than today's registry.
const sample: CommandSpec[] = [
  defineCommand({
    name: 'poll',
    summary: 'Start a poll in this chat',
    usage: '/poll "question" option option ... [--closes when] [--multi N] [--anonymous]',
    examples: ['/poll "Where?" Park Hall'],
    args: z.object({
      question: text({ min: 3 }),
      options: z.array(z.string()).min(2),
      closes: z.string().optional(),
      multi: count('multi', '--multi 2', { min: 1, max: 10 }).optional(),
      anonymous: flag().default(false),
    }),
    positional: ['question', 'options...'],
    options: { closes: 'When it closes, e.g. 2d or "Friday 5pm"', multi: 'Up to this many choices each' },
    handler: () => undefined,
  }),
  defineCommand({ name: 'poll close', summary: 'Close a poll', usage: '/poll close <number>', examples: ['/poll close 3'], args: z.object({ id: recordNumber('poll') }), positional: ['id'], handler: () => undefined }),
  defineCommand({ name: 'poll results', summary: 'Show results', usage: '/poll results <number>', examples: ['/poll results 3'], args: z.object({ id: z.string() }), positional: ['id'], handler: () => undefined }),
  defineCommand({
    name: 'note',
    summary: 'Add a note to this collab',
    usage: '/note <text>',
    examples: ['/note Book the hall'],
    args: z.object({ text: z.string().min(1), due: z.string().optional(), private: flag().optional() }),
    positional: ['text*'],
    handler: () => undefined,
  }),
  defineCommand({ name: 'note list', summary: 'List notes', usage: '/note list [@name]', examples: ['/note list'], args: z.object({ who: mention().optional() }), positional: ['who'], handler: () => undefined }),
  defineCommand({ name: 'note done', summary: 'Tick off an action', usage: '/note done <number>', examples: ['/note done 2'], args: z.object({ id: z.string() }), positional: ['id'], handler: () => undefined }),
  defineCommand({ name: 'grant story', summary: 'Tell the story of a grant', usage: '/grant story <number> <text>', examples: ['/grant story 4 We fed 40 families'], args: z.object({ id: z.string(), text: z.string() }), positional: ['id', 'text*'], handler: () => undefined }),
  defineCommand({ name: 'grant story list', summary: 'List grant stories', usage: '/grant story list', examples: ['/grant story list'], args: z.object({}), handler: () => undefined }),
  defineCommand({
    name: 'grant request',
    summary: 'Ask for a Discovery grant',
    usage: '/grant request <amount> <purpose>',
    examples: ['/grant request 500 A community fridge'],
    args: z.object({ amount: count('amount', '500', { min: 1, max: 1000 }), purpose: z.string() }),
    positional: ['amount', 'purpose*'],
    handler: () => undefined,
  }),
  defineCommand({
    name: 'remind',
    summary: 'Set a reminder',
    usage: '/remind @name|me <when> <what>',
    examples: ['/remind me tomorrow 9am Call Sam'],
    args: z.object({ who: z.string(), when: z.string(), what: z.string(), every: choice(['day', 'week', 'month'], 'Say day, week or month').optional() }),
    positional: ['who', 'when', 'what*'],
    handler: () => undefined,
  }),
  defineCommand({ name: 'vote', summary: 'Vote', usage: '/vote <poll> <choices...>', examples: ['/vote 3 2'], args: z.object({ poll: z.string(), choices: z.array(z.string()).min(1) }), positional: ['poll', 'choices...'], handler: () => undefined }),
];

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Discord's documented rules for a command's JSON. */
function checkDiscordRules(options: CommandOptionJSON[] | undefined, where: string) {
  if (!options) return;
  expect(options.length, where).toBeLessThanOrEqual(25);
  const subs = options.filter((o) => o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup);
  expect(subs.length === 0 || subs.length === options.length, `${where}: subcommands and options mixed`).toBe(true);
  const firstOptional = options.findIndex((o) => !o.required);
  if (firstOptional >= 0) expect(options.slice(firstOptional).some((o) => o.required), `${where}: required after optional`).toBe(false);
  expect(new Set(options.map((o) => o.name)).size, `${where}: names unique`).toBe(options.length);
  for (const o of options) {
    expect(o.name, where).toMatch(NAME);
    expect(o.name, where).toBe(o.name.toLowerCase());
    expect(o.description.length, `${where} ${o.name}`).toBeGreaterThan(0);
    expect(o.description.length, `${where} ${o.name}`).toBeLessThanOrEqual(100);
    if (o.choices) expect(o.choices.length).toBeLessThanOrEqual(25);
    checkDiscordRules(o.options, `${where} ${o.name}`);
  }
}

function find(commands: ApplicationCommandJSON[], path: string): CommandOptionJSON | ApplicationCommandJSON {
  const [top, ...rest] = path.split(' ');
  let cur: CommandOptionJSON | ApplicationCommandJSON = commands.find((c) => c.name === top)!;
  for (const w of rest) cur = cur.options!.find((o) => o.name === w)!;
  expect(cur, path).toBeDefined();
  return cur;
}

describe('Discord command JSON from the registry', () => {
  it('follows Discord’s rules for every registered command and the sample shapes', () => {
    for (const specs of [allCommands, sample]) {
      const { commands } = buildDiscordCommands(specs);
      expect(commands.length).toBeLessThanOrEqual(100);
      for (const c of commands) {
        expect(c.name).toMatch(NAME);
        expect(c.description.length).toBeGreaterThan(0);
        expect(c.description.length).toBeLessThanOrEqual(100);
        expect(c).toMatchObject({ type: 1, contexts: [0, 1], integration_types: [0] });
        checkDiscordRules(c.options, c.name);
      }
    }
  });

  it('offers every command /help lists, once', () => {
    const set = buildDiscordCommands(allCommands);
    const families = new Registry(allCommands).families();
    expect(set.commands.map((c) => c.name).sort()).toEqual([...families].sort());
  });

  it('maps words to subcommands and the bare command of a family to its summary’s verb', () => {
    const { commands } = buildDiscordCommands(sample);
    expect(find(commands, 'poll').options!.map((o) => o.name)).toEqual(['start', 'close', 'results']);
    expect(find(commands, 'note').options!.map((o) => o.name)).toEqual(['add', 'list', 'done']);
    // A word that is both a command and a group moves into its group.
    const story = find(commands, 'grant story');
    expect(story.type).toBe(OptionType.SubcommandGroup);
    expect(story.options!.map((o) => o.name)).toEqual(['tell', 'list']);
    // When the verb is taken, `new`.
    const clash = buildDiscordCommands([
      defineCommand({ name: 'poll', summary: 'Start a poll', usage: '/poll', examples: ['/poll'], args: z.object({}), handler: () => undefined }),
      defineCommand({ name: 'poll start', summary: 'Start later', usage: '/poll start', examples: ['/poll start'], args: z.object({}), handler: () => undefined }),
    ]);
    expect(find(clash.commands, 'poll').options!.map((o) => o.name)).toEqual(['new', 'start']);
  });

  it('types options from the zod schema', () => {
    const { commands } = buildDiscordCommands([...sample, ...allCommands.filter((c) => /^(role|collab) /.test(c.name))]);
    const start = find(commands, 'poll start').options!;
    expect(start.map((o) => [o.name, o.type, !!o.required])).toEqual([
      ['question', OptionType.String, true],
      ['options', OptionType.String, true],
      ['closes', OptionType.String, false],
      ['multi', OptionType.Integer, false],
      ['anonymous', OptionType.Boolean, false],
    ]);
    expect(start.find((o) => o.name === 'multi')).toMatchObject({ min_value: 1, max_value: 10, description: 'Up to this many choices each' });
    expect(start.find((o) => o.name === 'question')).toMatchObject({ min_length: 3 });
    expect(find(commands, 'poll close').options![0]).toMatchObject({ type: OptionType.Integer, min_value: 1 });
    expect(find(commands, 'grant request').options![0]).toMatchObject({ type: OptionType.Integer, max_value: 1000 });
    expect(find(commands, 'role add').options).toMatchObject([
      { name: 'person', type: OptionType.User, required: true },
      { name: 'role', type: OptionType.String, choices: [{ name: 'lead', value: 'lead' }, { name: 'delegate', value: 'delegate' }, { name: 'facilitator', value: 'facilitator' }] },
    ]);
    expect(find(commands, 'remind').options!.find((o) => o.name === 'every')!.choices!.map((c) => c.value)).toEqual(['day', 'week', 'month']);
    // Without a description, the option shows the command's usage.
    expect(find(commands, 'collab tz').options![0]!.description).toBe('Tz: /collab tz <time zone>');
  });

  it('refuses what Discord cannot take', () => {
    const many = z.object(Object.fromEntries(Array.from({ length: 26 }, (_, n) => [`o${n}`, z.string().optional()])));
    expect(() => buildDiscordCommands([defineCommand({ name: 'big', summary: 'x', usage: '/big', examples: ['/big'], args: many, handler: () => undefined })])).toThrow(/more than 25 options/);
    expect(() => buildDiscordCommands([defineCommand({ name: 'Big', summary: 'x', usage: '/big', examples: ['/big'], args: z.object({}), handler: () => undefined })])).toThrow(/cannot be a Discord command/);
  });
});

/** The registry with the sample shapes standing in for the real commands of the same families. */
function withSamples(): CommandSpec[] {
  const family = (c: CommandSpec) => c.name.split(' ')[0];
  const sampled = new Set(sample.map(family));
  return [...allCommands.filter((c) => !sampled.has(family(c))), ...sample];
}

describe('interactions read back as command lines', () => {
  const set = buildDiscordCommands(withSamples());
  const sub = (name: string, options: InteractionOption[] = []) => [{ name, type: OptionType.Subcommand, options }];
  const str = (name: string, value: string) => ({ name, type: OptionType.String, value });

  it('writes options the way people type them', () => {
    expect(set.toText({ name: 'collab', options: sub('create', [str('name', 'Food Network')]) }).text).toBe('/collab create Food Network');
    expect(set.toText({ name: 'help' }).text).toBe('/help');
    expect(set.toText({ name: 'poll', options: sub('start', [str('question', 'Where shall we meet?'), str('options', 'Park "Town hall" “Old library”'), { name: 'anonymous', type: 5, value: true }, { name: 'multi', type: 4, value: 2 }]) }).text).toBe(
      '/poll --multi 2 --anonymous "Where shall we meet?" Park "Town hall" "Old library"',
    );
    expect(set.toText({ name: 'poll', options: sub('start', [str('question', 'Say "yes" or --no'), str('options', 'a b'), { name: 'anonymous', type: 5, value: false }]) }).text).toBe(
      '/poll --anonymous=false "Say \\"yes\\" or --no" a b',
    );
    const role = set.toText({ name: 'role', options: sub('add', [{ name: 'person', type: 6, value: '42' }, str('role', 'lead')]) }, { '42': { username: 'ben.s', displayName: 'Ben S' } });
    expect(role).toEqual({ text: '/role add @ben.s lead', mentions: [{ token: '@ben.s', id: '42', displayName: 'Ben S' }] });
  });

  it('quotes a first word that would name a longer command', () => {
    expect(set.toText({ name: 'poll', options: sub('start', [str('question', 'close'), str('options', 'a b')]) }).text).toBe('/poll "close" a b');
  });

  it('refuses, with a way out, what the core would read differently', () => {
    const refusal = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        expect(err).toBeInstanceOf(DiscordInputError);
        return err as DiscordInputError;
      }
      throw new Error('no refusal');
    };
    expect(refusal(() => set.toText({ name: 'note', options: sub('add', [str('text', 'list of jobs')]) })).reason).toBe('command-word');
    // With an option before it, the same note is fine.
    expect(set.toText({ name: 'note', options: sub('add', [str('text', 'list of jobs'), str('due', 'Friday')]) }).text).toBe('/note --due Friday list of jobs');
    expect(refusal(() => set.toText({ name: 'note', options: sub('add', [str('text', '--private hello')]) })).message).toContain('use the private option');
    expect(refusal(() => set.toText({ name: 'remind', options: [str('who', 'me'), str('what', 'Call Sam')] })).reason).toBe('gap');
  });

  it.each([
    ['the registered commands', allCommands],
    ['the sample shapes', withSamples()],
  ])('round-trips every command (%s): the core reads back exactly the options given', (_, specs) => {
    const registry = new Registry(specs);
    const set = buildDiscordCommands(specs);
    const leaves = leafCommands(set);
    expect(leaves.map((l) => l.specName).sort()).toEqual(specs.map((s) => s.name).sort());

    const words = [...new Set(specs.flatMap((s) => s.name.split(' ')))];
    // Awkward text: quotes of every kind, dashes, backslashes, and command and flag words.
    const tricky = fc.constantFrom(...words, '--closes', '--private', '—due=x', '"', '“', 'a\\', 'Park', '"Town hall"', '--multi', '\\', '');
    const text = fc.oneof(
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...'ab Z9é "“”«»„\\-—–=@.'.split('')), maxLength: 24 }) },
      { weight: 1, arbitrary: tricky },
      { weight: 3, arbitrary: fc.array(tricky, { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')) },
    );
    const user = fc.record({
      id: fc.integer({ min: 1, max: 2 ** 40 }).map((n) => String(10n ** 17n + BigInt(n))),
      username: fc.string({ unit: fc.constantFrom(...'abz09_.'.split('')), minLength: 2, maxLength: 32 }),
    });
    const valueFor = (o: CommandOptionJSON): fc.Arbitrary<string | number | boolean> => {
      if (o.type === OptionType.Boolean) return fc.boolean();
      if (o.type === OptionType.Integer) return fc.integer({ min: o.min_value ?? -1e6, max: o.max_value ?? 1e6 });
      if (o.type === OptionType.Number) return fc.double({ min: o.min_value ?? -1e6, max: o.max_value ?? 1e6, noNaN: true });
      if (o.choices) return fc.constantFrom(...o.choices.map((c) => c.value));
      return text;
    };

    for (const leaf of leaves) {
      const spec = registry.get(leaf.specName)!;
      const arb = fc.record({
        values: fc.tuple(...leaf.options.map((o) => fc.option(valueFor(o), { nil: undefined, freq: o.required ? 1000 : 2 }))),
        users: fc.tuple(...leaf.options.map(() => user)),
      });
      fc.assert(
        fc.property(arb, ({ values, users }) => {
          const given: InteractionOption[] = [];
          const resolved: Record<string, { username: string; displayName: string }> = {};
          leaf.options.forEach((o, n) => {
            if (values[n] === undefined) return;
            if (o.type === OptionType.User) {
              resolved[users[n]!.id] = { username: users[n]!.username, displayName: users[n]!.username };
              given.push({ name: o.name, type: o.type, value: users[n]!.id });
            } else given.push({ name: o.name, type: o.type, value: values[n] });
          });
          const data = nest(leaf.path, given);
          let line: string;
          try {
            line = set.toText(data, resolved).text;
          } catch (err) {
            if (!(err instanceof DiscordInputError)) throw err;
            expect(justified(err, spec, given, registry), err.message).toBe(true);
            return;
          }
          const found = registry.lookup(line);
          expect(found.ok && found.match.spec.name, line).toBe(spec.name);
          if (!found.ok) return;
          expect(bindArgs(spec, found.match.rest, found.match.source), line).toEqual(expectedArgs(spec, given, resolved));
        }),
        { numRuns: 100 },
      );
    }
  });
});

interface Leaf {
  path: string[];
  specName: string;
  options: CommandOptionJSON[];
}

/** Every runnable command in the JSON, with its path of subcommand names and the command it runs. */
function leafCommands(set: DiscordCommandSet): Leaf[] {
  const out: Leaf[] = [];
  const walk = (path: string[], options: CommandOptionJSON[] | undefined) => {
    const subs = (options ?? []).filter((o) => o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup);
    // With no options given, the line is just the command's name.
    if (!subs.length) return void out.push({ path, specName: set.toText(nest(path, [])).text.slice(1), options: options ?? [] });
    for (const s of subs) walk([...path, s.name], s.options);
  };
  for (const c of set.commands) walk([c.name], c.options);
  return out;
}

function nest(path: string[], options: InteractionOption[]) {
  let inner: InteractionOption[] = options;
  for (let i = path.length - 1; i >= 1; i--) inner = [{ name: path[i]!, type: i === path.length - 1 ? OptionType.Subcommand : OptionType.SubcommandGroup, options: inner }];
  return { name: path[0]!, options: inner };
}

const strip = (p: string) => p.replace(/(\.\.\.|\*)$/, '');

/** What bindArgs should produce for these options. */
function expectedArgs(spec: CommandSpec, given: InteractionOption[], users: Record<string, { username: string }>) {
  const out: Record<string, unknown> = {};
  for (const o of given) {
    const slot = (spec.positional ?? []).find((p) => strip(p) === o.name);
    const value = o.type === OptionType.User ? '@' + users[String(o.value)]!.username : o.type === OptionType.Boolean && !slot ? o.value : String(o.value);
    if (slot?.endsWith('...')) {
      const items = tokenize(String(value)).map((t) => t.text);
      if (items.length) out[o.name] = items;
    } else if (slot?.endsWith('*')) {
      if (String(value).trim()) out[o.name] = String(value).trim();
    } else out[o.name] = value;
  }
  return out;
}

/** A refusal is only allowed for the documented reasons. */
function justified(err: DiscordInputError, spec: CommandSpec, given: InteractionOption[], registry: Registry): boolean {
  const positional = spec.positional ?? [];
  const has = (key: string) => given.some((o) => o.name === key && (!/\*$|\.\.\.$/.test(positional.find((p) => strip(p) === key) ?? '') || String(o.value).trim()));
  const rest = positional.find((p) => p.endsWith('*'));
  const restValue = rest ? String(given.find((o) => o.name === strip(rest))?.value ?? '').trim() : '';
  const first = restValue ? tokenize(restValue)[0] : undefined;
  switch (err.reason) {
    case 'gap':
      return positional.some((p, n) => !has(strip(p)) && positional.slice(n + 1).some((q) => has(strip(q))));
    case 'backslash':
      return given.some((o) => /\\$/.test(String(o.value)) || tokenize(String(o.value)).some((t) => t.text.endsWith('\\')));
    case 'flag': {
      // At the start of free text, or a value option at its end (the core reads both as options).
      const tokens = restValue ? tokenize(restValue) : [];
      const valueFlag = (t: (typeof tokens)[number] | undefined) => !!t && !!flagName(t) && flagName(t)! in spec.args.shape && !positional.some((p) => strip(p) === flagName(t));
      return (!!first && !!flagName(first) && flagName(first)! in spec.args.shape) || valueFlag(tokens.at(-1)) || (tokens.length > 2 && valueFlag(tokens.at(-2)));
    }
    case 'command-word':
      // Nothing before it on the line, and its first word continues the name of another command.
      return (
        !!first &&
        !first.quoted &&
        positional[0] === rest &&
        !given.some((o) => !positional.some((p) => strip(p) === o.name)) &&
        registry.all().some((s) => s.name.startsWith(spec.name + ' ') && s.name.split(' ')[spec.name.split(' ').length] === first.text.toLowerCase())
      );
  }
}

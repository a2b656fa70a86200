// The command registry: every command is declared once (name, summary, examples,
// required role, zod schema, handler). Help, Discord registration and the
// permission tests are all generated from these declarations.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { clip, listWords } from '../text/format.js';
import type { TimeOptions } from '../time/dates.js';
import type { Role } from '../collabs/roles.js';
import type { CommandContext } from './context.js';
import { argInfo, checkArgs } from './args.js';
import { closest, didYouMean, mistypedSubcommand } from './suggest.js';
import { flagName, flagNameIn, inlineFlagValue, tokenize, type Token } from '../text/tokenizer.js';

export { closest };


export interface CommandSpec<S extends z.ZodObject = z.ZodObject> {
  /** One or more words, e.g. `poll` or `poll close`. */
  name: string;
  summary: string;
  /** Shape of the command, e.g. `/poll close <number>`. */
  usage: string;
  /** At least one complete, working example. */
  examples: string[];
  /**
   * Who may run it: anyone holding one of these roles (facilitator means of this
   * chat's collab). Empty or absent: anyone. Admins always may.
   */
  roles?: Role[];
  /**
   * false: admins may run it only if they hold one of `roles` themselves (e.g.
   * only leads decide grants). Help and the refusal say so, from this one field.
   */
  adminsToo?: false;
  /**
   * Who may run it, in words, when the handler decides from the thing acted on
   * (e.g. "the person who asked the poll, a facilitator, a lead or an admin").
   * Shown by /help instead of `roles`; the handler must enforce it.
   */
  who?: string;
  /** The rules a user should know, shown by /help <command> (e.g. who decides a grant and how). */
  rules?: string;
  /** 'collab': only in a chat that belongs to a collab. */
  where?: 'collab' | 'anywhere';
  args: S;
  /**
   * Keys of `args` filled from words in order. `name...` takes all remaining
   * words as a list; `name*` takes the remaining text verbatim (new lines and
   * quotes kept), after which no flags are read. Other keys are `--flags`.
   */
  positional?: string[];
  /** Option descriptions for help and Discord registration, by flag name. */
  options?: Record<string, string>;
  handler: (ctx: CommandContext, args: z.infer<S>) => void;
}

export function defineCommand<S extends z.ZodObject>(spec: CommandSpec<S>): CommandSpec {
  return spec as unknown as CommandSpec;
}

export interface Match {
  spec: CommandSpec;
  /** The tokens after the command name. */
  rest: Token[];
  source: string;
}

export type Lookup =
  | { ok: true; match: Match }
  | { ok: false; reply: string };

export class Registry {
  private readonly specs: CommandSpec[] = [];
  /** Each command's name as words, by its first word (`poll` → [poll], [poll, close], ...): looked up on every line. */
  private readonly byFirstWord = new Map<string, { spec: CommandSpec; words: string[] }[]>();

  constructor(specs: CommandSpec[] = []) {
    for (const s of specs) this.add(s);
  }

  add(spec: CommandSpec) {
    const name = normaliseName(spec.name);
    if (this.specs.some((s) => normaliseName(s.name) === name)) throw new Error(`command /${name} is declared twice`);
    if (!spec.examples.length) throw new Error(`command /${name} needs at least one example`);
    checkArgs(name, spec.args.shape as Record<string, z.ZodType>);
    for (const [key, schema] of Object.entries(spec.args.shape as Record<string, z.ZodType>)) {
      const { kind, declared } = argInfo(schema);
      const suffix = kind === 'rest' ? '*' : kind === 'list' ? '...' : undefined;
      if (declared && suffix && !spec.positional?.includes(key + suffix)) throw new Error(`command /${name}: ${kind} argument "${key}" goes in positional as "${key}${suffix}"`);
    }
    const added = { ...spec, name };
    this.specs.push(added);
    const words = name.split(' ');
    this.byFirstWord.set(words[0]!, [...(this.byFirstWord.get(words[0]!) ?? []), { spec: added, words }]);
  }

  all(): readonly CommandSpec[] {
    return this.specs;
  }

  get(name: string): CommandSpec | undefined {
    return this.specs.find((s) => s.name === normaliseName(name));
  }

  /** The first words of all commands, e.g. `poll`, `vote`, `help`. */
  families(): string[] {
    return [...new Set(this.specs.map((s) => s.name.split(' ')[0]!))];
  }

  /** Find the command for a line that starts with `/`. */
  lookup(line: string): Lookup {
    const body = line.replace(/^\s*\//, '');
    const tokens = tokenize(body);
    const first = tokens[0];
    if (!first || first.quoted) return { ok: false, reply: 'Type a command after the /, for example /help.' };
    // Longest name wins: `/poll close 3` is `poll close`, not `poll`.
    let best: CommandSpec | undefined;
    let bestLen = 0;
    for (const { spec, words } of this.byFirstWord.get(first.text.toLowerCase()) ?? []) {
      if (words.length > tokens.length || words.length <= bestLen) continue;
      if (words.every((w, i) => !tokens[i]!.quoted && tokens[i]!.text.toLowerCase() === w)) {
        best = spec;
        bestLen = words.length;
      }
    }
    const meant = mistypedSubcommand(this.specs, tokens, best);
    if (meant) return { ok: false, reply: didYouMean(meant, tokens) };
    if (best) return { ok: true, match: { spec: best, rest: tokens.slice(bestLen), source: body } };

    const word = first.text.toLowerCase();
    const family = this.specs.filter((s) => s.name.split(' ')[0] === word);
    if (family.length) {
      const subs = family.map((s) => `/${s.name}`);
      const second = tokens[1]?.text.toLowerCase();
      const guess = second ? closest(`${word} ${second}`, family.map((s) => s.name)) : undefined;
      const hint = guess ? `Did you mean /${guess}?` : `/${word} needs one more word: ${subs.join(', ')}.`;
      return { ok: false, reply: `${hint}\nFor example: ${family[0]!.examples[0]}\nType /help ${word} for details.` };
    }
    // The whole line first (`/note search lunch` → /notes search), then the first word.
    const second = tokens[1] && !tokens[1].quoted ? ` ${tokens[1].text.toLowerCase()}` : '';
    const whole = second ? closest(word + second, this.specs.map((s) => s.name).filter((n) => n.includes(' '))) : undefined;
    if (whole) return { ok: false, reply: `I don't know /${clip(first.text, 30)}. ${didYouMean(whole, tokens)}` };
    const guess = closest(word, [...this.families(), ...this.specs.map((s) => s.name)]);
    const shown = clip(first.text, 30);
    return {
      ok: false,
      reply: guess
        ? `I don't know /${shown}. Did you mean /${guess}?\nType /help to see every command.`
        : `I don't know /${shown}. Type /help to see every command.`,
    };
  }

  /** `/help` and `/help <command>`, generated from the declarations. */
  help(topic?: string): string {
    if (!topic) {
      const lines = ['Here is what I can do. Type /help <command> for details, e.g. /help poll.', ''];
      for (const s of this.specs) lines.push(`/${s.name} — ${s.summary}`);
      return lines.join('\n');
    }
    const word = normaliseName(topic.replace(/^\//, ''));
    const matches = this.specs.filter((s) => s.name === word || s.name.startsWith(word + ' '));
    if (!matches.length) {
      const guess = closest(word, this.specs.map((s) => s.name));
      return `There is no /${clip(word, 30)} command.${guess ? ` Did you mean /help ${guess}?` : ''} Type /help to see every command.`;
    }
    const blocks = matches.map((s) => {
      const lines = [`${s.usage} — ${s.summary}`];
      if (s.options && Object.keys(s.options).length) {
        for (const [k, v] of Object.entries(s.options)) lines.push(`  --${k}: ${v}`);
      }
      lines.push(`  Who: ${s.who ?? describeRoles(s.roles, s.adminsToo)}`);
      if (s.rules) lines.push(`  Rules: ${s.rules}`);
      for (const e of s.examples) lines.push(`  Example: ${e}`);
      return lines.join('\n');
    });
    return blocks.join('\n\n');
  }
}

export function describeRoles(roles: Role[] | undefined, adminsToo?: false): string {
  if (!roles?.length) return 'anyone';
  const names = roles.filter((r) => r !== 'admin').map((r) => (r === 'facilitator' ? 'a facilitator of this collab' : `a ${r}`));
  if (adminsToo === false) return `${listWords(names, 'or')} (being an admin is not enough)`;
  return listWords([...names, 'an admin'], 'or');
}

function normaliseName(name: string) {
  return name.trim().toLowerCase().replace(/\s+/g, ' ');
}

/** Bind the words after the command name to the command's arguments (still as typed; zod reads them next). */
export function bindArgs(spec: CommandSpec, rest: Token[], source: string, clock: TimeOptions = { now: 0, tz: 'UTC' }): unknown {
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const positional = spec.positional ?? [];
  const isFlag = (key: string) => Object.hasOwn(shape, key) && !positional.some((p) => stripSuffix(p) === key);
  const out: Record<string, unknown> = {};
  let pi = 0;
  const example = `\nFor example: ${spec.examples[0]}`;
  const needsValue = (flag: string) => argInfo(shape[flag]!).missing ?? `--${flag} needs a value after it.${example}`;

  for (let i = 0; i < rest.length; i++) {
    const tok = rest[i]!;
    const flag = flagNameIn(tok, isFlag);
    const slot = positional[pi];
    const isRaw = slot?.endsWith('*');
    if (flag && isFlag(flag)) {
      const info = argInfo(shape[flag]!);
      const inline = inlineFlagValue(tok);
      if (info.kind === 'flag') out[flag] = inline === undefined ? true : !/^(false|no|0|off)$/i.test(inline);
      else if (inline !== undefined) out[flag] = inline;
      else {
        const next = rest[i + 1];
        if (!next || flagNameIn(next, isFlag)) throw new UserError(needsValue(flag));
        checkClosed(next, spec);
        i++;
        let value = next.text;
        // `--closes friday 5pm` typed without quotes: take the words that make it a longer time.
        if (info.extends && !next.quoted) ({ value, i } = extendPhrase(value, rest, i, (phrase) => info.extends!(phrase, clock)));
        out[flag] = value;
      }
      continue;
    }
    if (flag && !isRaw) {
      const known = Object.keys(shape).filter(isFlag);
      throw new UserError(
        `I don't know the option --${clip(flag, 30)}.` +
          (known.length ? ` /${spec.name} takes: ${known.map((k) => '--' + k).join(', ')}.` : ` /${spec.name} takes no options.`) +
          example,
      );
    }
    if (!slot) throw new UserError(`I didn't expect "${clip(tok.text, 40)}" there.\nType it like this: ${spec.usage}${example}`);
    const key = stripSuffix(slot);
    if (slot.endsWith('*')) {
      // Options may also follow the free text: `/story We ran it --outcome local-need`.
      const tail = trailingOption(rest.slice(i), (k) => isFlag(k) && argInfo(shape[k]!).kind !== 'flag', needsValue);
      if (tail && out[tail.flag] === undefined) out[tail.flag] = tail.value;
      const text = source.slice(tok.start, tail ? tail.start : undefined).trim();
      if (text || !tail) out[key] = text;
      break;
    }
    checkClosed(tok, spec);
    if (slot.endsWith('...')) {
      ((out[key] ??= []) as string[]).push(tok.text);
    } else {
      out[key] = tok.text;
      pi++;
    }
  }
  return out;
}

/** Up to four more words after a time phrase's first, one or two at a time, while they still read as a time. */
function extendPhrase(first: string, rest: Token[], i: number, reads: (phrase: string) => boolean) {
  let value = first;
  let used = 0;
  for (let j = i + 1; j < rest.length && used < 4; ) {
    let taken = 0;
    for (const k of [1, 2]) {
      const next = rest.slice(j, j + k);
      if (next.length < k || next.some((t) => t.quoted || flagName(t))) break;
      const longer = [value, ...next.map((t) => t.text)].join(' ');
      if (!reads(longer)) continue;
      value = longer;
      taken = k;
      break;
    }
    if (!taken) break;
    used += taken;
    j += taken;
  }
  return { value, i: i + used };
}

/** A value option typed at the very end of free text: `… --outcome local-need` or `… --outcome=local-need`. */
function trailingOption(tokens: Token[], isFlag: (key: string) => boolean, needsValue: (flag: string) => string) {
  const last = tokens[tokens.length - 1];
  const prev = tokens[tokens.length - 2];
  const lastFlag = last && flagName(last);
  if (last && lastFlag && isFlag(lastFlag)) {
    const inline = inlineFlagValue(last);
    if (!inline) throw new UserError(needsValue(lastFlag));
    return { flag: lastFlag, value: inline, start: last.start };
  }
  const prevFlag = prev && flagName(prev);
  if (prev && last && prevFlag && isFlag(prevFlag) && inlineFlagValue(prev) === undefined && tokens.length > 2) {
    return { flag: prevFlag, value: last.text, start: prev.start };
  }
  return undefined;
}

function checkClosed(tok: Token, spec: CommandSpec) {
  if (tok.unterminated) {
    throw new UserError(`A quote is opened before "${clip(tok.text, 40)}" but never closed. Put a " at the end of the words that belong together.\nFor example: ${spec.examples[0]}`);
  }
}

function stripSuffix(p: string) {
  return p.replace(/(\.\.\.|\*)$/, '');
}

/** Parse and validate; a failure becomes a friendly UserError with an example. */
export function parseArgs<S extends z.ZodObject>(spec: CommandSpec<S>, match: Match, clock?: TimeOptions): z.infer<S> {
  const raw = keywordsInAnyCase(spec.args, bindArgs(spec as CommandSpec, match.rest, match.source, clock) as Record<string, unknown>);
  const result = spec.args.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = String(issue.path[0] ?? '');
  const slot = spec.positional?.find((p) => stripSuffix(p) === key);
  let what = issue.message;
  if (issue.code === 'invalid_type' && (raw as Record<string, unknown>)[key] === undefined) {
    what = slot ? `Something is missing: ${key.replace(/_/g, ' ')}.` : `--${key} is missing.`;
  } else if (/^Invalid|^Too (small|big)|^Expected/.test(what)) {
    what = `${slot ? 'The ' + key.replace(/_/g, ' ') : '--' + key} doesn't look right (${what.toLowerCase()}).`;
  }
  throw new UserError(`${what}\nType it like this: ${spec.usage}\nFor example: ${spec.examples[0]}`);
}

/** Keywords (choice() values such as `lead`, `minutes`) match in any case, as command names do: `Lead` is `lead`. */
function keywordsInAnyCase(args: z.ZodObject, raw: Record<string, unknown>): Record<string, unknown> {
  const shape = args.shape as Record<string, z.ZodType>;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string' || !Object.hasOwn(shape, key)) continue;
    const info = argInfo(shape[key]!);
    if (info.kind !== 'choice') continue;
    const hit = info.choices?.find((e) => e.toLowerCase() === value.toLowerCase());
    if (hit !== undefined) raw[key] = hit;
  }
  return raw;
}

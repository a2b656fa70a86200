// The argument vocabulary: every argument a command declares is one of these
// kinds, each a zod schema tagged with its `kind`. The registry (binding,
// trailing options), /help, docs/commands.md and the Discord command builder
// read the tag; none of them looks inside zod to guess what an argument is.
import { z } from 'zod';
import { readMoney } from '../grants/money.js';
import { parseWhen, type TimeOptions } from '../time/dates.js';

export type ArgKind =
  /** `7` or `#7`: the number of a poll, note, grant… (Discord: integer option). */
  | 'recordNumber'
  /** `@name` (Discord: user picker). */
  | 'mention'
  /** A date or time phrase: `2d`, `friday 5pm`, `2026-12-01 17:00`. */
  | 'when'
  /** An amount as people type it: `750`, `£1,000.50`, read into pence. */
  | 'money'
  /** One word from a fixed list (Discord: choices). */
  | 'choice'
  /** A whole number such as `--multi 2` (Discord: integer option). */
  | 'count'
  /** A switch: `--anonymous` (Discord: true/false option). */
  | 'flag'
  /** One word, or several in quotes. */
  | 'text'
  /** The rest of the line, verbatim (a `name*` positional). */
  | 'rest'
  /** The remaining words as a list (a `name...` positional). */
  | 'list';

export interface ArgMeta {
  kind: ArgKind;
  /** recordNumber: what the number counts, e.g. `poll`. */
  what?: string;
  /** choice: the words accepted. */
  choices?: readonly string[];
  /** count and recordNumber: bounds; text and rest: bounds on the length (Discord checks them before sending). */
  min?: number;
  max?: number;
  /** An option typed with nothing after it: what to say instead of the general "needs a value". */
  missing?: string;
  /** when: does this longer phrase still read as a time? Lets `--closes friday 5pm` go unquoted. */
  extends?: (phrase: string, clock: TimeOptions) => boolean;
}

/** The kind of each vocabulary schema; `.optional()` and `.default()` wrap it, argInfo looks through them. */
const kinds = z.registry<ArgMeta>();

function tag<T extends z.ZodType>(schema: T, meta: ArgMeta): T {
  kinds.add(schema, meta);
  return schema;
}

export interface ArgInfo extends ArgMeta {
  required: boolean;
  /** Declared with this vocabulary (not a bare zod string or array). */
  declared: boolean;
}

/**
 * What an argument is: its tag, and whether it may be left out. An untagged
 * plain `z.string()` is text (and an untagged array a list); any other untagged
 * type is refused when the command is registered (checkArgs).
 */
export function argInfo(schema: z.ZodType): ArgInfo {
  const { inner, required } = unwrap(schema);
  const meta = kinds.get(inner);
  if (meta) return { ...meta, required, declared: true };
  return { kind: typeOf(inner) === 'array' ? 'list' : 'text', required, declared: false };
}

/** Throws for an argument whose kind cannot be told: declare it with this vocabulary. */
export function checkArgs(command: string, shape: Record<string, z.ZodType>) {
  for (const [key, schema] of Object.entries(shape)) {
    const { inner } = unwrap(schema);
    const type = typeOf(inner);
    if (!kinds.get(inner) && type !== 'string' && type !== 'array') {
      throw new Error(`/${command}: declare "${key}" with src/core/args.ts (flag(), count(), choice(), …), not a bare zod ${type}`);
    }
  }
}

const typeOf = (s: z.ZodType) => (s.def as { type: string }).type;

/** Through `.optional()` and `.default()` to the tagged schema. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; required: boolean } {
  let inner = schema;
  let required = true;
  while (!kinds.get(inner) && (typeOf(inner) === 'optional' || typeOf(inner) === 'default')) {
    required = false;
    inner = (inner.def as unknown as { innerType: z.ZodType }).innerType;
  }
  return { inner, required };
}

const NUMBER = /^#?\d{1,9}$/;

/** `7` or `#7`. */
export function recordNumber(what: string, message = `Give the ${what} number, e.g. 3`) {
  return tag(
    z.string().regex(NUMBER, message).transform((s) => Number(s.replace('#', ''))),
    { kind: 'recordNumber', what, min: 1, max: 999_999_999 },
  );
}

/** `@name`: the handler finds the person (ctx.person). */
export function mention(example = '@ben') {
  return tag(z.string().regex(/^@\S+/, `Say who with @ and their name, e.g. ${example}`), { kind: 'mention' });
}

/** A date or time phrase, kept as typed: the handler reads it with the chat's clock and time zone. */
export function when() {
  return tag(z.string(), { kind: 'when', extends: (phrase, clock) => parseWhen(phrase, clock) !== undefined });
}

/**
 * An amount of money as people type it, read into pence. `{ asTyped: true }`:
 * kept as typed, for a handler that reads it itself (e.g. to notice arguments
 * typed the other way round) with readMoney.
 */
export function money(opts: { asTyped: true }): z.ZodString;
export function money(opts?: { allowZero?: boolean }): z.ZodType<number, string>;
export function money(opts: { allowZero?: boolean; asTyped?: true } = {}): z.ZodType {
  if (opts.asTyped) return tag(z.string(), { kind: 'money' });
  return tag(
    z.string().transform((s, ctx) => {
      const r = readMoney(s, opts);
      if (r.ok) return r.pence;
      ctx.addIssue({ code: 'custom', message: r.message });
      return z.NEVER;
    }),
    { kind: 'money' },
  );
}

/** One of a fixed list of words; `ignoreCase` reads `Ranked` as `ranked`. */
export function choice<const T extends string>(values: readonly T[], message: string, opts: { ignoreCase?: boolean } = {}) {
  const exact = z.enum(values as unknown as readonly [T, ...T[]], { message });
  const schema = opts.ignoreCase ? z.string().transform((s) => s.toLowerCase()).pipe(exact) : exact;
  return tag(schema, { kind: 'choice', choices: values });
}

/** A whole number, e.g. `--multi 2`. */
export function count(flagName: string, example: string, opts: { min?: number; max?: number } = {}) {
  const min = opts.min ?? 0;
  const max = opts.max ?? 999_999;
  const message = `--${flagName} takes a whole number, e.g. ${example}`;
  return tag(z.coerce.number({ message }).int(message).min(min, message).max(max, message), { kind: 'count', min, max });
}

/** A switch: present or not (`--anonymous`, `--anonymous=false`). */
export function flag() {
  return tag(z.boolean(), { kind: 'flag' });
}

interface TextOpts {
  /** Length bounds: checked here, and by Discord before sending. */
  min?: number;
  max?: number;
  missing?: string;
}

/** A plain string within `min`/`max`, or the schema given (with its own checks and messages). */
function textSchema(kind: 'text' | 'rest', schemaOrOpts: z.ZodType | TextOpts | undefined, more: TextOpts): z.ZodType {
  if (schemaOrOpts instanceof z.ZodType) return tag(schemaOrOpts, { kind, ...more });
  const opts = { ...schemaOrOpts, ...more };
  let schema = z.string();
  if (opts.min !== undefined) schema = schema.min(opts.min);
  if (opts.max !== undefined) schema = schema.max(opts.max);
  return tag(schema, { kind, ...opts });
}

/** One word, or several in quotes: `text()`, `text({ max: 30 })`, or `text(schema, { max })` for checks with their own messages. */
export function text(opts?: TextOpts): z.ZodString;
export function text<T extends z.ZodType>(schema: T, opts?: TextOpts): T;
export function text(schema?: z.ZodType | TextOpts, opts: TextOpts = {}) {
  return textSchema('text', schema, opts);
}

/** The rest of the line, verbatim (declare it last in `positional`, as `name*`); arguments as for text(). */
export function rest(opts?: TextOpts): z.ZodString;
export function rest<T extends z.ZodType>(schema: T, opts?: TextOpts): T;
export function rest(schema?: z.ZodType | TextOpts, opts: TextOpts = {}) {
  return textSchema('rest', schema, opts);
}

/** The remaining words as a list (declare it last in `positional`, as `name...`). */
export function list() {
  return tag(z.array(z.string()), { kind: 'list' });
}

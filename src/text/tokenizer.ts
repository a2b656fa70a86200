// One tokenizer for every command line. Words are split on white space; double
// and single quotes (straight or curly, as phones type them) group words; `--flag` and
// `--key value` are recognised later by the binder, which knows the command.

export interface Token {
  text: string;
  quoted: boolean;
  /** Offsets into the source, so a command can take "the rest" verbatim. */
  start: number;
  end: number;
  /** A quote was opened and never closed; the token runs to the end. */
  unterminated?: boolean;
}

const OPEN_QUOTES = new Set(['"', '\u201c', '\u201e', '\u00ab']);
const CLOSE_FOR: Record<string, string[]> = {
  '"': ['"', '\u201d', '\u201c'],
  '\u201c': ['\u201d', '"', '\u201c'],
  '\u201e': ['\u201c', '\u201d', '"'],
  '\u00ab': ['\u00bb', '"'],
};

const isSpace = (ch: string) => /\s/u.test(ch);

const SINGLE_OPEN = new Set(["'", '\u2018']);
const SINGLE_CLOSE = new Set(["'", '\u2019']);

/**
 * 'Single quotes' group words like double ones, but an apostrophe is not a quote:
 * the quote opens a word and closes before a space, a comma or the end. Without
 * such a closing quote the word is read as typed ('cause).
 */
function singleQuoted(source: string, i: number): { text: string; end: number } | undefined {
  for (let j = i + 1; j < source.length; j++) {
    if (!SINGLE_CLOSE.has(source[j]!)) continue;
    const after = source[j + 1];
    if (j > i + 1 && (after === undefined || isSpace(after) || after === ',' || after === ';')) return { text: source.slice(i + 1, j), end: j + 1 };
  }
  return undefined;
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    while (i < n && isSpace(source[i]!)) i++;
    if (i >= n) break;
    const start = i;
    const ch = source[i]!;
    const single = SINGLE_OPEN.has(ch) ? singleQuoted(source, i) : undefined;
    if (single) {
      tokens.push({ text: single.text, quoted: true, start, end: single.end });
      i = single.end;
      continue;
    }
    if (OPEN_QUOTES.has(ch)) {
      const closers = CLOSE_FOR[ch]!;
      let j = i + 1;
      let text = '';
      while (j < n && !closers.includes(source[j]!)) {
        // \" inside quotes is a literal quote
        if (source[j] === '\\' && j + 1 < n && closers.includes(source[j + 1]!)) {
          text += source[j + 1];
          j += 2;
          continue;
        }
        text += source[j];
        j++;
      }
      if (j >= n) {
        tokens.push({ text, quoted: true, start, end: n, unterminated: true });
        break;
      }
      tokens.push({ text, quoted: true, start, end: j + 1 });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && !isSpace(source[j]!)) j++;
    tokens.push({ text: source.slice(i, j), quoted: false, start, end: j });
    i = j;
  }
  return tokens;
}

/**
 * Text taken verbatim (a `name*` argument) that the user typed in quotes as a
 * whole, straight or curly ("Food Network", “Food Network”), without them; any
 * other text as it is, trimmed.
 */
export function unquote(text: string): string {
  const trimmed = text.trim();
  const tokens = tokenize(trimmed);
  return tokens.length === 1 && tokens[0]!.quoted ? tokens[0]!.text.trim() : trimmed;
}

/** Phones turn `--` into an em or en dash; accept those as the start of a flag. */
export function flagName(token: Token): string | undefined {
  if (token.quoted) return undefined;
  const m = /^(?:--|\u2014|\u2013)([a-z][a-z0-9-]*)(?:=(.*))?$/isu.exec(token.text);
  return m ? m[1]!.toLowerCase() : undefined;
}

/**
 * A flag typed with one hyphen (`-type ranked`), read as one only when the
 * command knows it: `-5` or `-ish` stay words.
 */
export function flagNameIn(token: Token, known: (name: string) => boolean): string | undefined {
  const name = flagName(token);
  if (name || token.quoted) return name;
  const m = /^-([a-z][a-z0-9-]*)(?:=(.*))?$/isu.exec(token.text);
  return m && known(m[1]!.toLowerCase()) ? m[1]!.toLowerCase() : undefined;
}

/** Value given inline as `--key=value`, if any. */
export function inlineFlagValue(token: Token): string | undefined {
  const i = token.text.indexOf('=');
  return i >= 0 ? token.text.slice(i + 1) : undefined;
}

/**
 * The inverse of tokenize() for one value: how to type `text` so that it is read
 * back as exactly one literal word (never a flag). Quoted only when it has to
 * be, or always with `force` (so it cannot be taken for a command name).
 * Undefined when it cannot be typed: a quoted value that ends in a backslash.
 */
export function quoteWord(text: string, force = false): string | undefined {
  const bare = tokenize(text);
  if (!force && bare.length === 1 && !bare[0]!.quoted && bare[0]!.text === text && !flagName(bare[0]!)) return text;
  const quoted = '"' + text.replace(/["\u201c\u201d]/g, '\\$&') + '"';
  const back = tokenize(quoted);
  return back.length === 1 && !back[0]!.unterminated && back[0]!.text === text ? quoted : undefined;
}

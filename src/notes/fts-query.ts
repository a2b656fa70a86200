// Turning what someone typed into a safe FTS5 query. Every word becomes a quoted
// string (an FTS5 phrase), so operators and punctuation people type (`"`, `*`,
// NEAR, AND, OR, NOT, `-`, `(`, `col:`) are plain words and never a syntax error.

/** At most this many words are searched for; more adds nothing but cost. */
export const MAX_SEARCH_WORDS = 12;

/** Starts every scope token in the index (see 003_notes.sql); stripped from what people type. */
const SCOPE_MARK = '\uE000';

/** The words worth searching for: those with at least one letter or digit, once each. */
export function searchWords(input: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of input.split(/\s+/u)) {
    // No private-use characters, so a searched word can never match a scope token.
    const w = raw.replace(/\p{Co}/gu, '');
    if (!/[\p{L}\p{N}]/u.test(w)) continue;
    const key = w.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(w);
    if (out.length === MAX_SEARCH_WORDS) break;
  }
  return out;
}

function quote(term: string): string {
  return '"' + term.replace(/"/g, '""') + '"';
}

export interface FtsQueryOptions {
  /** Any word may match (OR) rather than every word (AND). */
  any?: boolean;
  /** Only notes of these collabs, matched on the index's scope tokens. */
  collabIds?: number[];
}

/** An FTS5 MATCH expression. `words` must come from searchWords and not be empty. */
export function ftsQuery(words: string[], opts: FtsQueryOptions = {}): string {
  if (!words.length) throw new Error('ftsQuery needs at least one word');
  const text = `(${words.map(quote).join(opts.any ? ' OR ' : ' ')})`;
  if (!opts.collabIds) return text;
  if (!opts.collabIds.length) throw new Error('ftsQuery needs at least one collab id');
  const scope = opts.collabIds.map((id) => quote(SCOPE_MARK + Math.trunc(id))).join(' OR ');
  return `(${scope}) AND ${text}`;
}

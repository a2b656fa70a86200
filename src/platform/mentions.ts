// How adapters tell the core whom a message mentions: each person once, under
// an `@word` token that stands in the text the core reads (so ctx.person('@word')
// resolves it), stays one word for the tokenizer, and names nobody else in
// the same message.
import type { Mention } from '../model.js';

export class Mentions {
  readonly list: Mention[] = [];

  /**
   * The token for this person, added the first time: `@` and `word` (by default
   * the name shown) as one word, or `@<id>` when that names someone else already
   * (two people with the same name) or has no letters left.
   */
  add(id: string, displayName: string, word: string = displayName): string {
    const known = this.tokenOf(id);
    if (known) return known;
    let token = asWord(word) || '@' + id;
    if (this.list.some((m) => m.token.toLowerCase() === token.toLowerCase())) token = '@' + id;
    this.list.push({ token, id, displayName });
    return token;
  }

  /** The token of a person already added. */
  tokenOf(id: string): string | undefined {
    return this.list.find((m) => m.id === id)?.token;
  }
}

/** `Ana Silva` → `@Ana_Silva`: one word, as the tokenizer reads it. */
function asWord(name: string): string {
  const word = name.trim().replace(/\s+/g, '_').replace(/[^\p{L}\p{N}_.-]/gu, '');
  return word ? '@' + word : '';
}

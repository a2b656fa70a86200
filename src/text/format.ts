// Small wording helpers for replies, so every feature counts, lists and
// shortens things the same way.

/** `1 chat`, `3 chats`, `2 people`, `1,200 members`. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** `A`, `A and B`, `A, B and C`; or `A, B or C`. */
export function listWords(items: string[], last: 'and' | 'or' = 'and'): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}` : (items[0] ?? '');
}

/** One line of at most `max` characters: white space runs become one space, and a cut ends in `…`. */
export function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? line.slice(0, max - 1) + '…' : line;
}

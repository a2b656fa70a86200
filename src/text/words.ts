// Small wording helpers for replies: a count with the right noun, a list
// joined with "and", and typed text clipped to fit in a reply.

/** `1 vote`, `1,200 votes`, `2 people`. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

/** `A`, `A and B`, `A, B and C`. */
export function andList(names: string[]): string {
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
}

/** On one line, and at most `n` characters (the last one `…` when cut). */
export function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? one.slice(0, n - 1) + '…' : one;
}

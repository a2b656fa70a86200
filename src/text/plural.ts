/** `1 note`, `3 notes`, `1,200 people`: a count and the word that goes with it. */
export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
}

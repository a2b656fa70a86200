// Finding the option someone meant by name: case, punctuation, a leading
// article and word order don't matter ("hub" is "The Hub", "Yes!" is "Yes",
// "hall town" is "Town hall"), as long as only one option fits.

const ARTICLE = /^(?:the|a|an)\s+/;

/** Lower case, letters and digits only, without a leading article. */
export function normaliseLabel(text: string): string {
  const plain = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return plain.replace(ARTICLE, '') || plain;
}

/**
 * The options that `text` could mean, best kind of match first: the same words;
 * the same words in another order; the start of the option; each word the start
 * of one of its words. Empty when none fits.
 */
export function matchOptions<O extends { label: string }>(options: O[], text: string): O[] {
  const want = normaliseLabel(text);
  if (!want) return [];
  const labels = options.map((o) => ({ o, n: normaliseLabel(o.label) }));
  const words = want.split(' ');
  const tiers: ((n: string) => boolean)[] = [
    (n) => n === want,
    (n) => sameWords(n.split(' '), words),
    (n) => n.startsWith(want),
    (n) => {
      const theirs = n.split(' ');
      return words.every((w) => theirs.some((t) => t.startsWith(w)));
    },
  ];
  for (const fits of tiers) {
    const found = labels.filter((l) => fits(l.n)).map((l) => l.o);
    if (found.length) return found;
  }
  return [];
}

function sameWords(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join(' ') === [...b].sort().join(' ');
}

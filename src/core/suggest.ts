// "Did you mean …?" for a command line that names a command but was probably
// meant for another: `/poll result 21` (→ /poll results 21), `/remind cancle 9`
// (→ /remind cancel 9), `/grants show 1` (→ /grant show 1). The whole line is
// considered (family and subcommand), so a typo is never run as another command.
import type { Token } from '../text/tokenizer.js';

const NUMBER = /^#?\d+$/;

/**
 * The command the line was meant for, when the word after a family is a typo of
 * one of its subcommands (or family and subcommand are both a typo away), and the
 * line reads like a subcommand: a number follows, or nothing does.
 * `matched`: the command the line would otherwise run, if any.
 */
export function mistypedSubcommand(
  specs: readonly { name: string }[],
  tokens: Token[],
  matched: { name: string } | undefined,
): string | undefined {
  if (matched && matched.name.includes(' ')) return undefined;
  const [first, second, third] = tokens;
  if (!first || !second || first.quoted || second.quoted || !/^[a-z]{3,}$/i.test(second.text)) return undefined;
  // Only with a number (or @name) after it: `/grants paid` is a real filter, `/grant paid 3` a command.
  const subcommandLike = !!third && (NUMBER.test(third.text) || third.text.startsWith('@'));
  if (!subcommandLike) return undefined;
  const line = `${first.text.toLowerCase()} ${second.text.toLowerCase()}`;
  const twoWords = specs.map((s) => s.name).filter((n) => n.split(' ').length === 2);
  const guess = closest(line, twoWords);
  if (!guess || guess === line) return undefined;
  // The family must be right or one typo away: `grants show` → `grant show`, not `grants` → `notes show`.
  const typed = first.text.toLowerCase();
  const family = guess.split(' ')[0]!;
  if (closest(typed, [family]) === undefined) return undefined;
  // A word that is itself a command (`/vote mine 9`) is that command, unless only a plural stands between them (`/grants show 1`).
  if (matched && family !== typed && family + 's' !== typed && typed + 's' !== family) return undefined;
  return guess;
}

/** The reply: the suggested command with the rest of the line, and its help. */
export function didYouMean(guess: string, tokens: Token[]): string {
  const rest = tokens.slice(2).map((t) => (t.quoted ? `"${t.text}"` : t.text)).join(' ');
  return `Did you mean /${guess}${rest ? ' ' + rest : ''}?\nType /help ${guess.split(' ')[0]} to see its commands.`;
}

/** Closest name by edit distance, if it is close enough to be a plausible typo. */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of new Set(candidates)) {
    const d = editDistance(word, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  return bestD <= limit ? best : undefined;
}

/** Edit distance where swapping two neighbouring letters counts as one typo. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 99;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

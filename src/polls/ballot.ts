// Turning what people type after `/vote N` into a ballot: option numbers or
// option text (any case, an unambiguous start of it is enough), a ranking for
// ranked polls, `option=score` pairs for score polls.
import { UserError } from '../errors.js';
import { clip } from '../text/format.js';
import { matchOptions, normaliseLabel } from './option-match.js';

export type PollType = 'choice' | 'proposal' | 'ranked' | 'score';

export interface Option {
  idx: number;
  label: string;
}

/** One row of a ballot: an option and its value (1 for a choice, the rank for ranked, the score for score). */
export interface BallotEntry {
  idx: number;
  value: number;
}

export const MAX_SCORE = 5;

interface PollShape {
  id: number;
  type: PollType;
  multi: number;
  options: Option[];
}

/** Find one option from a number or text. Throws a friendly error listing the options. */
export function resolveOption(poll: PollShape, word: string): Option {
  const text = word.trim();
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    const byNumber = poll.options.find((o) => o.idx === n);
    if (byNumber) return byNumber;
  }
  const starts = matchOptions(poll.options, text);
  if (starts.length === 1) return starts[0]!;
  const shown = clip(text, 41);
  if (starts.length > 1) {
    throw new UserError(`"${shown}" could be ${starts.map((o) => `${o.idx}. ${o.label}`).join(' or ')}. Type the number instead, e.g. /vote ${poll.id} ${starts[0]!.idx}`);
  }
  throw new UserError(`Poll #${poll.id} has no option "${shown}". The options are: ${listOptions(poll)}.\n${howToVote(poll)}`);
}

export function listOptions(poll: { options: Option[] }): string {
  return poll.options.map((o) => `${o.idx}. ${o.label}`).join(', ');
}

/** One line saying how to vote in this poll, with an example. */
export function howToVote(poll: PollShape): string {
  const n = poll.options.length;
  const id = poll.id;
  switch (poll.type) {
    case 'proposal':
      return `To vote, type /vote ${id} agree (or abstain, disagree, block).`;
    case 'ranked': {
      const order = poll.options.map((o) => o.idx).reverse().join(' ');
      return `To vote, rank the options, favourite first: type /vote ${id} and their numbers in your order, e.g. /vote ${id} ${order}`;
    }
    case 'score':
      return `To vote, give each option a score from 0 to ${MAX_SCORE}: e.g. /vote ${id} 1=4 2=5${n > 2 ? ' 3=0' : ''}`;
    default:
      return poll.multi > 1
        ? `To vote, type /vote ${id} and up to ${poll.multi} numbers, e.g. /vote ${id} 1 ${Math.min(2, n)}`
        : `To vote, type /vote ${id} and the number of your choice, e.g. /vote ${id} ${Math.min(2, n)}`;
  }
}

/** What the words after `/vote N` mean for this poll. Throws a UserError saying what to type instead. */
export function parseBallot(poll: PollShape, words: string[]): BallotEntry[] {
  const parts = words.map((w) => w.trim()).filter(Boolean);
  if (!parts.length) throw new UserError(`Say what you choose in poll #${poll.id}. The options are: ${listOptions(poll)}.\n${howToVote(poll)}`);
  switch (poll.type) {
    case 'ranked':
      return parseRanking(poll, parts);
    case 'score':
      return parseScores(poll, parts);
    default:
      return parseChoices(poll, parts);
  }
}

function parseChoices(poll: PollShape, parts: string[]): BallotEntry[] {
  // Several words may be one option (`/vote 3 next tuesday`) or several choices
  // (`/vote 3 1 4`). An option's exact words win; in a single-choice poll so does
  // a start of one; otherwise each word is a choice.
  let picked: Option[];
  const joined = parts.join(' ');
  const exact = poll.options.filter((o) => normaliseLabel(o.label) === normaliseLabel(joined));
  if (parts.length === 1) picked = [resolveOption(poll, parts[0]!)];
  else if (exact.length === 1) picked = exact;
  else if (poll.multi === 1) picked = tryEach(poll, [joined]) ?? parts.map((p) => resolveOption(poll, p));
  else picked = tryEach(poll, parts) ?? [resolveOption(poll, joined)];
  const unique = [...new Map(picked.map((o) => [o.idx, o])).values()];
  if (unique.length > poll.multi) {
    throw new UserError(
      poll.multi === 1
        ? `Poll #${poll.id} takes one choice. Type just one, e.g. /vote ${poll.id} ${unique[0]!.idx}`
        : `Poll #${poll.id} takes up to ${poll.multi} choices, and you picked ${unique.length}, so that vote was not counted. ` +
          `Pick up to ${poll.multi}, e.g. /vote ${poll.id} ${unique.slice(0, poll.multi).map((o) => o.idx).join(' ')}`,
    );
  }
  return unique.sort((a, b) => a.idx - b.idx).map((o) => ({ idx: o.idx, value: 1 }));
}

function tryEach(poll: PollShape, parts: string[]): Option[] | undefined {
  try {
    return parts.map((p) => resolveOption(poll, p));
  } catch {
    return undefined;
  }
}

function parseRanking(poll: PollShape, parts: string[]): BallotEntry[] {
  // Commas are fine too: `/vote 4 3,1,2`.
  const words = parts.flatMap((p) => (/^[\d,\s]+$/.test(p) ? p.split(/[,\s]+/).filter(Boolean) : [p]));
  const order = tryEach(poll, words) ?? [resolveOption(poll, words.join(' '))];
  const seen = new Set<number>();
  for (const o of order) {
    if (seen.has(o.idx)) {
      throw new UserError(`You ranked ${o.label} twice. List each option once, favourite first, e.g. /vote ${poll.id} ${poll.options.map((x) => x.idx).join(' ')}`);
    }
    seen.add(o.idx);
  }
  return order.map((o, i) => ({ idx: o.idx, value: i + 1 }));
}

function parseScores(poll: PollShape, parts: string[]): BallotEntry[] {
  const example = howToVote(poll);
  // `1=4 2=5`, `tuesday=4`, `"next tuesday" =4`, `thu: 3`: read pairs from the joined words.
  const text = parts.join(' ');
  const pair = /\s*([^=:]+?)\s*[=:]\s*([^\s=:]*)\s*/y;
  const out = new Map<number, BallotEntry>();
  let at = 0;
  while (at < text.length) {
    pair.lastIndex = at;
    const m = pair.exec(text);
    if (!m) throw new UserError(`In a score poll, give each option a score like option=score. I couldn't read "${text.slice(at, at + 40).trim()}".\n${example}`);
    at = pair.lastIndex;
    const option = resolveOption(poll, m[1]!);
    const score = m[2]!;
    if (!/^\d+$/.test(score) || Number(score) > MAX_SCORE) {
      throw new UserError(`A score is a whole number from 0 to ${MAX_SCORE}. You gave ${option.label} "${score.slice(0, 20)}".\n${example}`);
    }
    out.set(option.idx, { idx: option.idx, value: Number(score) });
  }
  return [...out.values()].sort((a, b) => a.idx - b.idx);
}

/** A ballot in words, for replies: `Thursday`, `1. Knoxville, 2. Nashville`, `Tuesday 4, Thursday 5`. */
export function describeBallot(poll: { type: PollType; options: Option[] }, ballot: BallotEntry[]): string {
  const label = (i: number) => poll.options.find((o) => o.idx === i)?.label ?? `option ${i}`;
  if (poll.type === 'ranked') return [...ballot].sort((a, b) => a.value - b.value).map((e) => `${e.value}. ${label(e.idx)}`).join(', ');
  if (poll.type === 'score') return ballot.map((e) => `${label(e.idx)} ${e.value}`).join(', ');
  return ballot.map((e) => label(e.idx)).join(' and ');
}

export function sameBallot(a: BallotEntry[], b: BallotEntry[]): boolean {
  const key = (x: BallotEntry[]) => [...x].sort((p, q) => p.idx - q.idx).map((e) => `${e.idx}:${e.value}`).join(',');
  return key(a) === key(b);
}

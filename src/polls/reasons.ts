// Reasons given with votes, as Loomio asks for them: `/vote 3 disagree -- it
// ignores under-18s` (also an em dash, or "because …"). A block must say why.
// Results list reasons under each option: named in named polls; without names
// and in random order in anonymous polls.
import { UserError } from '../errors.js';
import { clip } from '../text/format.js';
import type { BallotEntry, Option, PollType } from './ballot.js';
import type { PollExtrasRepo, ReasonRow } from './reasons-repo.js';
import type { PollState } from './render.js';

export const MAX_REASON = 500;
/** Reasons shown with the results; the rest with /poll reasons N. */
const REASONS_IN_RESULTS = 8;

/** The words of a vote and its reason: `disagree -- it ignores under-18s`, `block — too dear`, `2 because it's near`. */
export function splitReason(text: string): { choice: string; reason?: string } {
  const m = /(?:^|\s)(?:--|\u2014|\u2013)(?=\s|$)|\s+because\s+/iu.exec(text);
  if (!m) return { choice: text.trim() };
  const reason = text.slice(m.index + m[0].length).trim().replace(/^["\u201c](.*)["\u201d]$/su, '$1').trim();
  return { choice: text.slice(0, m.index).trim(), reason: reason || undefined };
}

/** Refuse a block without a reason, and reasons too long to show. */
export function checkReason(poll: { id: number; type: PollType; anonymous?: number | boolean }, options: Option[], entries: BallotEntry[], reason: string | undefined, hadReason: boolean) {
  if (reason !== undefined && reason.length > MAX_REASON) {
    // In an anonymous poll the refusal names no choice: it waits in the outbox addressed to the voter.
    const choice = poll.anonymous ? '<your choice>' : firstLabel(options, entries);
    throw new UserError(`That reason is too long (${reason.length} characters). Please keep it under ${MAX_REASON}, e.g. /vote ${poll.id} ${choice} -- too far for most of us`);
  }
  const blocks = poll.type === 'proposal' && entries.some((e) => options.find((o) => o.idx === e.idx)?.label.toLowerCase() === 'block');
  if (blocks && !reason && !hadReason) {
    if (poll.anonymous) {
      throw new UserError(`That choice needs a reason after it. Your vote is not counted yet.\nFor example: /vote ${poll.id} <your choice> -- because …`);
    }
    throw new UserError(
      `A block means you would not go along with this, so please say why after the vote. Your vote is not counted yet.\n` +
        `For example: /vote ${poll.id} block -- it leaves out the under-18s`,
    );
  }
}

/** The option a reason explains: the choice (the first if several), the first preference of a ranking; none for scores. */
export function reasonOption(type: PollType, entries: BallotEntry[]): number {
  if (type === 'score') return 0;
  if (type === 'ranked') return entries.find((e) => e.value === 1)?.idx ?? 0;
  return entries[0]?.idx ?? 0;
}

/**
 * Keep the reason with the ballot. The ballot token is random and, in an
 * anonymous poll, linked to nobody, so the reason is as unlinkable as the ballot.
 * (The one place that stores reasons: re-point it if ballots move.)
 */
export function keepReason(repo: PollExtrasRepo, pollId: number, ballot: string, type: PollType, entries: BallotEntry[], reason: string | undefined) {
  if (reason) repo.addReason(pollId, ballot, reasonOption(type, entries), reason);
}

/** Reasons grouped under their options, for results (`limit`) and /poll reasons N (all). */
export function reasonLines(pollId: number, options: Option[], rows: ReasonRow[], limit = REASONS_IN_RESULTS): string[] {
  if (!rows.length) return [];
  const lines = ['Reasons given:'];
  const groups = [...options.map((o) => o.idx), 0];
  let shown = 0;
  for (const idx of groups) {
    const mine = rows.filter((r) => r.option_idx === idx);
    if (!mine.length || shown >= limit) continue;
    const label = options.find((o) => o.idx === idx)?.label;
    if (label) lines.push(`${label}:`);
    for (const r of mine) {
      if (shown >= limit) break;
      lines.push(`  - ${r.name ? `${r.name}: ` : ''}${clip(r.reason, limit === Infinity ? MAX_REASON : 200)}`);
      shown++;
    }
  }
  if (rows.length > shown) lines.push(`…and ${rows.length - shown} more. To read them all: /poll reasons ${pollId}`);
  return lines;
}

/** /poll reasons N: every reason, under its option (hidden and anonymous polls: once closed). */
export function reasonsReply(s: PollState, rows: ReasonRow[]): string {
  const { poll } = s;
  if (!s.countsVisible) return `Poll #${poll.id} shows its votes and reasons when it closes. To see how many have voted: /poll results ${poll.id}`;
  const lines = reasonLines(poll.id, s.options, rows, Infinity);
  if (!lines.length) return `Nobody has given a reason in poll #${poll.id} yet. To give one with your vote: /vote ${poll.id} ${s.options[0]!.label.toLowerCase()} -- because …`;
  return [`Poll #${poll.id}: ${poll.question}`, ...lines].join('\n');
}

function firstLabel(options: Option[], entries: BallotEntry[]): string {
  return (options.find((o) => o.idx === entries[0]?.idx)?.label ?? '1').toLowerCase();
}

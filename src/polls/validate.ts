// The checks a new poll must pass before anything is saved, as one pure
// function: every refusal says what to type instead.
import { UserError } from '../errors.js';
import { oneLine } from '../text/quote.js';
import { formatMoment } from '../time/dates.js';
import { exampleMoment } from '../time/examples.js';
import type { PollType } from './ballot.js';
import type { PollRow } from './repo.js';
import { PROPOSAL_OPTIONS } from './tally.js';
import type { NewPoll } from './types.js';

export const POLL_TYPES = ['choice', 'proposal', 'ranked', 'score', 'stv'] as const satisfies readonly (PollType | 'stv')[];
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 20;
export const MAX_QUESTION = 300;
export const MAX_LABEL = 100;
const DAY = 24 * 3600_000;
/** The longest a poll may stay open. */
export const MAX_OPEN = 366 * DAY;
/** A poll stays open at least this long, so people can see it and vote. */
export const MIN_OPEN = 5 * 60_000;

export interface ValidPoll {
  question: string;
  type: PollType;
  /** The options' labels (a proposal's fixed four). */
  labels: string[];
  multi: number;
  /** Stv polls only: the seats to fill. */
  seats?: number;
}

export interface ValidationContext {
  now: number;
  /** The collab's time zone, for the times in refusals. */
  tz: string;
  /** May this person post to every subscribed chat (--everywhere)? */
  isLead(personId: number): boolean;
}

/** The poll as it will be saved, or a UserError saying what to change. */
export function validateNewPoll(input: NewPoll, ctx: ValidationContext): ValidPoll {
  const now = ctx.now;
  const stv = input.type === 'stv';
  const type: PollType = input.type === 'stv' ? 'ranked' : (input.type ?? 'choice');
  const question = oneLine(input.question).trim();
  const example = '/poll "Which day for the forum?" "Tuesday" "Thursday"';
  if (!question) throw new UserError(`The poll needs a question. For example: ${example}`);
  if (question.length > MAX_QUESTION) throw new UserError(`That question is too long (${question.length} characters). Please keep it under ${MAX_QUESTION}.`);
  let labels = (input.options ?? []).map((o) => oneLine(o).trim()).filter(Boolean);
  if (type === 'proposal') {
    if (labels.length) {
      throw new UserError(`A proposal has fixed options (agree, abstain, disagree, block), so give only the question. For example: /poll "Shall we fund the minibus?" --type proposal`);
    }
    labels = [...PROPOSAL_OPTIONS];
  }
  if (labels.length < MIN_OPTIONS || labels.length > MAX_OPTIONS) {
    throw new UserError(`A poll needs ${MIN_OPTIONS} to ${MAX_OPTIONS} options, in quotes or separated by commas; you gave ${labels.length}. For example: ${example} or /poll Lunch? Soup, Salad, Pizza`);
  }
  const long = labels.find((l) => l.length > MAX_LABEL);
  if (long) throw new UserError(`The option "${long.slice(0, 30)}…" is too long. Please keep each option under ${MAX_LABEL} characters.`);
  const seen = new Set<string>();
  for (const l of labels) {
    if (seen.has(l.toLowerCase())) throw new UserError(`The option "${l}" is there twice. Give each option once. For example: ${example}`);
    seen.add(l.toLowerCase());
  }
  const multi = input.multi ?? 1;
  if (multi !== 1 && type !== 'choice') throw new UserError(`--multi is for choice polls only. For example: /poll "Which days suit you?" "Mon" "Tue" "Wed" --multi 2`);
  if (!Number.isInteger(multi) || multi < 1 || multi > labels.length) {
    throw new UserError(`--multi must be a number from 2 to the number of options (${labels.length}). For example: /poll "Which days suit you?" "Mon" "Tue" "Wed" --multi 2`);
  }
  if (input.closesAt !== undefined) {
    if (input.closesAt < now + MIN_OPEN) throw new UserError(tooSoon(input.closesAt, now, ctx.tz));
    if (input.closesAt > now + MAX_OPEN) throw new UserError('A poll can stay open for at most a year. For example: --closes 2w');
  }
  if (input.seats !== undefined && !stv) {
    throw new UserError(`--seats is for stv polls (the single transferable vote). For example: /poll "Delegates to the board" "Ana" "Ben" "Cara" --type stv --seats 2`);
  }
  const seats = input.seats ?? 1;
  if (stv && (!Number.isInteger(seats) || seats < 1 || seats >= labels.length)) {
    throw new UserError(
      `--seats must be at least 1 and fewer than the ${labels.length} candidates (with as many seats as candidates, there is nothing to vote on). ` +
        `For example: /poll "Delegates to the board" "Ana" "Ben" "Cara" --type stv --seats ${Math.max(1, labels.length - 1)}`,
    );
  }
  if (input.quorum !== undefined && (!Number.isInteger(input.quorum) || input.quorum < 1)) {
    throw new UserError('--quorum is the number of voters needed, e.g. --quorum 5');
  }
  if (input.native && type !== 'choice' && type !== 'proposal') {
    throw new UserError(`--native is for choice polls and proposals; ${type} polls are voted by typing /vote. For example: /poll "Lunch?" "Soup" "Salad" --native`);
  }
  if (input.native && (input.anonymous || input.hidden)) {
    throw new UserError(
      `A native poll shows everyone's votes as they come in, so it can't be ${input.anonymous ? '--anonymous' : '--hidden'}. Leave out --native for a secret vote, e.g. /poll "Lunch?" "Soup" "Salad" --anonymous`,
    );
  }
  if (input.everywhere && (input.createdBy === null || !ctx.isLead(input.createdBy))) {
    throw new UserError('Only a lead or an admin can post a poll to every subscribed chat (--everywhere). Type /roles to see who can help.');
  }
  return { question, type, labels, multi, seats: stv ? seats : undefined };
}

/** The real rule, with the time the closing time would have been, and examples from the clock. */
export function tooSoon(closesAt: number, now: number, tz: string): string {
  return (
    `A poll must close at least 5 minutes from now, so people can vote; that would have been ${formatMoment(closesAt, tz)}. ` +
    `For example: --closes 2d, --closes 36h or --closes "${exampleMoment(now, tz)}"`
  );
}

/**
 * When a reopened poll closes: `closesAt` if given (checked as for a new poll), else its
 * original closing time if that is still ahead. An anonymous poll is never reopened.
 */
export function reopenClosingTime(poll: PollRow, closesAt: number | null, now: number, tz: string): number | null {
  if (poll.anonymous) {
    // Closing shows the count; counting again after one more vote would show how that person voted.
    throw new UserError(
      `Poll #${poll.id} is anonymous, so it can't be reopened: a second count after a few more votes would show how those people voted.\n` +
        `To ask again, start a new poll, e.g. /poll "${poll.question.length > 60 ? 'Your question?' : poll.question}" "Yes" "No" --anonymous`,
    );
  }
  if (closesAt !== null && closesAt < now + MIN_OPEN) throw new UserError(tooSoon(closesAt, now, tz));
  if (closesAt !== null && closesAt > now + MAX_OPEN) throw new UserError('A poll can stay open for at most a year. For example: --closes 2w');
  return closesAt ?? (poll.closes_at !== null && poll.closes_at > now + 60_000 ? poll.closes_at : null);
}

export const MAX_OUTCOME = 2000;

/** The decision recorded with /poll outcome, trimmed, or a refusal saying what to type. */
export function validOutcome(poll: PollRow, outcome: string): string {
  const text = outcome.trim();
  if (!text) throw new UserError(`Say what was decided, e.g. /poll outcome ${poll.id} We meet on Thursdays.`);
  if (text.length > MAX_OUTCOME) throw new UserError(`That outcome is too long (${text.length} characters). Please keep it under ${MAX_OUTCOME}.`);
  return text;
}

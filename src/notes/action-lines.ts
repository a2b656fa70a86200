// ACTION lines inside a note body, and the due dates they carry:
//   ACTION @ben: book the hall
//   ACTION @ben by friday: book the hall
// A line that starts with ACTION but does not follow the form is an error, not
// silently plain text, so a typo never loses an action.
import { DateTime } from 'luxon';
import { UserError } from '../errors.js';
import { localDate, parseMoment, type TimeOptions } from '../time/dates.js';
import { exampleDay, exampleShortDay } from '../time/examples.js';

/** A deadline. Without a time of day it is the end of that day in the collab's zone. */
export interface Due {
  /** The calendar date in the zone, YYYY-MM-DD. */
  date: string;
  /** The deadline instant (ms): the time given, or the start of the next day. */
  at: number;
  hasTime: boolean;
}

export interface ActionLine {
  /** The line as written, whitespace tidied: an unchanged line keeps its action on edit. */
  source: string;
  /** The owner's name as written, without the @. */
  name: string;
  text: string;
  due?: Due;
}

export const ACTION_EXAMPLE = 'ACTION @ben by friday: book the hall';

/** "Write the date like friday, next tuesday, 8 dec or 2026-12-08", with dates a few days from today. */
function dateHint(opts: TimeOptions): string {
  return `Write the date like friday, next tuesday, ${exampleShortDay(opts.now, opts.tz)} or ${exampleDay(opts.now, opts.tz)}`;
}

// `ACTION @name`, optional `by <date>`, then a colon not followed by a digit (so `by friday 17:00:` works).
const FORM = /^(?:[-*•]\s*)?action\s+@([^\s:]+?)[.,]?(?:\s+by\s+(.+?))?\s*:(?!\d)\s*(.*)$/i;
// Any case (phones capitalise "Action"); in lower or mixed case only with an @ in the line, so "Action plan agreed" stays text.
const LOOKS_LIKE_ACTION = /^(?:[-*•]\s*)?(?:[Aa][Cc][Tt][Ii][Oo][Nn]\b.*@|ACTION\b)/;

/** Read the due date `text` (e.g. "friday", "5 dec") as a deadline in the zone, or undefined. */
export function parseDue(text: string, opts: TimeOptions): Due | undefined {
  const m = parseMoment(text, opts);
  if (!m) return undefined;
  const date = localDate(m.at, opts.tz);
  const at = m.hasTime ? m.at : DateTime.fromISO(date, { zone: opts.tz }).plus({ days: 1 }).toMillis();
  return { date, at, hasTime: m.hasTime };
}

/** Like parseDue, but a friendly UserError when the date cannot be read or has passed. */
export function requireDue(text: string, opts: TimeOptions, line?: string): Due {
  const due = parseDue(text, opts);
  const what = `"${text.trim().slice(0, 60)}"` + (line ? ` in this line:\n${line}\n` : '. ');
  if (!due) throw new UserError(`I can't read the date ${what}${dateHint(opts)}.${line ? ' Nothing was saved.' : ''}`);
  if (due.at <= opts.now) {
    throw new UserError(`The date ${what}is in the past. Give a date from today on, e.g. friday or ${exampleDay(opts.now, opts.tz)}.${line ? ' Nothing was saved.' : ''}`);
  }
  return due;
}

export interface FoundLine {
  source: string;
  name: string;
  text: string;
  /** The words after `by`, not read yet. */
  dueText?: string;
}

/**
 * The ACTION lines of a body, in order, without reading their dates. Throws a
 * UserError naming the line when one cannot be read (no @name, no colon, no text).
 */
export function findActionLines(body: string): FoundLine[] {
  const out: FoundLine[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.trim().replace(/\s+/g, ' ');
    if (!LOOKS_LIKE_ACTION.test(line)) continue;
    const m = FORM.exec(line);
    const text = m?.[3]?.trim();
    if (!m || !text) {
      throw new UserError(
        `I can't read this action line:\n${shown(line)}\nWrite it like: ${ACTION_EXAMPLE}\n(or without a date: ACTION @ben: book the hall). Nothing was saved.`,
      );
    }
    out.push({ source: line, name: m[1]!.replace(/^@+/, ''), text, dueText: m[2] });
  }
  return out;
}

/** Read the date of a found line (a UserError naming the line if it is bad or past). */
export function readLine(found: FoundLine, opts: TimeOptions): ActionLine {
  const { dueText, ...rest } = found;
  return { ...rest, due: dueText === undefined ? undefined : requireDue(dueText, opts, shown(found.source)) };
}

/** Every ACTION line of a body with its due date read: nothing is returned unless every line is good. */
export function parseActionLines(body: string, opts: TimeOptions): ActionLine[] {
  return findActionLines(body).map((f) => readLine(f, opts));
}

function shown(line: string) {
  return line.length > 120 ? line.slice(0, 120) + '…' : line;
}

/**
 * At most this many ACTION lines in one note: each becomes an action with its
 * own reminder, and one note must not let one person flood a chat with them.
 */
export const MAX_ACTIONS_PER_NOTE = 30;

export function checkActionCount(n: number, example: string) {
  if (n <= MAX_ACTIONS_PER_NOTE) return;
  throw new UserError(
    `That note has ${n} ACTION lines; a note can have at most ${MAX_ACTIONS_PER_NOTE}. ` +
      `Split them over a few notes, e.g. /notes ${example} ACTION @ana by friday: book the hall`,
  );
}

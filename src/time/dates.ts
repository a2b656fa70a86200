// Dates and times as people type them ("friday", "5 dec", "tomorrow at 9",
// "2026-12-01 17:00", "2d"), read in a collab's time zone. chrono-node reads
// the words; luxon places the wall-clock time in the zone (DST included).
// Only the English locale: the package's root loads every language (half a second at start-up).
import * as chrono from 'chrono-node/en';
import { DateTime } from 'luxon';

// chrono's British English parser, with two of its guesses switched off, because
// people typing a deadline or a reminder never mean them: "dec 25" is 25 December
// (chrono reads a month and a two-digit number as a month and year: December 2025),
// and "2027-13-01" has no month 13 (chrono would swap it to 13 January).
const config = chrono.configuration.createCasualConfiguration(true);
for (const parser of config.parsers as object[]) {
  if ('shouldSkipYearLikeDate' in parser) parser.shouldSkipYearLikeDate = false;
  if ('strictMonthDateOrder' in parser) parser.strictMonthDateOrder = true;
}
const GB = new chrono.Chrono(config);

export interface Moment {
  /** Milliseconds since the epoch. */
  at: number;
  /** Did the text say a time of day (otherwise the time is chrono's default, noon)? */
  hasTime: boolean;
  /** The part of the input that was read as the date. */
  text: string;
  /** Where that part starts in the input. */
  index: number;
}

export interface TimeOptions {
  now: number;
  tz: string;
}

/**
 * Find the first date or time in `text`, in the future relative to `now`.
 * Returns undefined when there is none or it is impossible (31 February).
 */
export function findMoment(text: string, { now, tz }: TimeOptions): Moment | undefined {
  const local = DateTime.fromMillis(now, { zone: tz });
  // chrono works in the process's own zone: hand it the wall-clock time of `tz`.
  const ref = new Date(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  const result = GB.parse(text, ref, { forwardDate: true })[0];
  if (!result) return undefined;
  const s = result.start;
  const dt = DateTime.fromObject(
    { year: s.get('year')!, month: s.get('month')!, day: s.get('day')!, hour: s.get('hour') ?? 12, minute: s.get('minute') ?? 0, second: s.get('second') ?? 0 },
    { zone: tz },
  );
  if (!dt.isValid) return undefined;
  return { at: dt.toMillis(), hasTime: s.isCertain('hour'), text: result.text, index: result.index };
}

/** Like findMoment, but the whole text must be the date (an optional "on", "by" or "at" in front). */
export function parseMoment(text: string, opts: TimeOptions): Moment | undefined {
  const trimmed = text.trim();
  const m = findMoment(trimmed, opts);
  if (!m) return undefined;
  const before = trimmed.slice(0, m.index).trim().toLowerCase();
  const after = trimmed.slice(m.index + m.text.length).trim();
  if (after || !['', 'on', 'by', 'at', 'the'].includes(before)) return undefined;
  return m;
}

const UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

/** `30s`, `10m`, `36h`, `2d`, `1w`, `10 minutes`, `2 hours` → milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d{1,6})\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = m[2]!.toLowerCase();
  const key = unit.startsWith('mi') || unit === 'm' ? 'm' : unit[0]!;
  const ms = Number(m[1]) * UNITS[key]!;
  return ms > 0 ? ms : undefined;
}

/** A duration from now (`2d`) or a moment (`2026-12-01 17:00`), as an absolute time. */
export function parseWhen(text: string, opts: TimeOptions): number | undefined {
  const d = parseDuration(text.replace(/^in\s+/i, ''));
  if (d !== undefined) return opts.now + d;
  return parseMoment(text, opts)?.at;
}

/** `Fri 27 Nov 2026, 17:00` in the zone. */
export function formatMoment(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc d LLL yyyy, HH:mm');
}

/** `Fri 27 Nov 2026` in the zone. */
export function formatDay(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toFormat('ccc d LLL yyyy');
}

/** `2026-11-27`: the calendar date in the zone. */
export function localDate(ms: number, tz: string): string {
  return DateTime.fromMillis(ms, { zone: tz }).toISODate()!;
}

/**
 * When the clocks go back, a wall-clock time such as 01:30 happens twice; luxon
 * picks the second. Reminders use the first, as repeats do (src/reminders/recurrence.ts).
 */
export function firstOfRepeatedTime(at: number, tz: string): number {
  const wall = DateTime.fromMillis(at, { zone: tz });
  // If the clocks went back shortly before, the offset a few hours earlier was larger.
  const shift = DateTime.fromMillis(at - 3 * 3600e3, { zone: tz }).offset - wall.offset;
  if (shift <= 0) return at;
  const earlier = DateTime.fromMillis(at - shift * 60e3, { zone: tz });
  return earlier.toFormat('yyyy-MM-dd HH:mm:ss') === wall.toFormat('yyyy-MM-dd HH:mm:ss') ? earlier.toMillis() : at;
}

/** `in 2 seconds`, `in 3 days`: how far `at` is from `now`. */
export function fromNow(at: number, now: number): string {
  return DateTime.fromMillis(at).setLocale('en-GB').toRelative({ base: DateTime.fromMillis(now) }) ?? '';
}

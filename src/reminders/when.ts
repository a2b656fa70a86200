// `<when>` in `/remind <when> <message>`: read the time from the start of the
// line and find where the message begins. One-off times go through
// src/time/dates.ts (chrono-node + luxon); repeats become cron expressions.
import { DateTime } from 'luxon';
import { tokenize } from '../text/tokenizer.js';
import { UserError } from '../errors.js';
import { findMoment, firstOfRepeatedTime, formatMoment, parseDuration, parseMoment } from '../time/dates.js';
import { exampleMoment } from '../time/examples.js';
import { isValidCron, nextOccurrence } from './recurrence.js';
import { intervalExpr, nextInterval } from './interval.js';

export type Schedule = { kind: 'once'; at: number } | { kind: 'repeat'; cron: string; first: number };

export interface When {
  schedule: Schedule;
  /** The `<when>` part as typed, e.g. `every monday at 10:00`. */
  whenText: string;
  /** The message: everything after `<when>`. */
  text: string;
}

export interface WhenOptions {
  now: number;
  tz: string;
  /** The command, for examples in errors: `/remind` or `/remind me`. */
  command?: string;
}

/** The forms to quote in errors, with a date made from the clock. */
export const whenForms = (now: number, tz: string) =>
  `in 10 minutes, in 2h, in 30s, at 17:00, tomorrow at 9, friday 10am, on ${exampleMoment(now, tz, '09:30')}, ` +
  'every day at 9:00, every monday at 10:00, every weekday at 8:30, every 2 weeks on monday at 9, every 3 days at 18:00, every month on the 1st at 9:00, cron "0 9 * * 1"';

const MAX_AHEAD_MS = 5 * 366 * 86_400_000;
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface Read {
  schedule: Schedule;
  /** Where `<when>` ends in the line. */
  end: number;
}

/** Read `<when> <message>`; a UserError naming the accepted forms when it cannot. */
export function readWhen(line: string, opts: WhenOptions): When {
  const command = opts.command ?? '/remind';
  const fail = (reason: string): never => {
    throw new UserError(`${reason}\nStart with when, then the message, e.g. ${command} tomorrow at 9 Send your stats\nTimes I understand: ${whenForms(opts.now, opts.tz)}.`);
  };
  const s = line.trim();
  if (!s) fail('Tell me when to remind, and what to say.');
  const read = /^cron\b/i.test(s)
    ? readCron(s, opts, fail)
    : /^every\b/i.test(s)
      ? /^every\s+(?:\d+|other)\b/i.test(s)
        ? readEveryN(s, opts, fail)
        : readEvery(s, opts, fail)
      : /^in\s/i.test(s)
        ? readIn(s, opts, fail)
        : readMoment(s, opts, command, fail);
  const text = s.slice(read.end).replace(/^[\s:,;.\-–—]+/, '').trim();
  if (!text) fail('What should the reminder say? Put the message after the time.');
  return { schedule: read.schedule, whenText: s.slice(0, read.end).trim(), text };
}

type Fail = (reason: string) => never;

/** `cron "0 9 * * 1"`: node-cron validates, cron-parser computes. */
function readCron(s: string, { now, tz }: WhenOptions, fail: Fail): Read {
  const expr = tokenize(s)[1];
  if (!expr?.quoted || expr.unterminated) fail('Put the cron expression in double quotes, e.g. cron "0 9 * * 1" (09:00 every Monday).');
  const e = expr!.text.trim().replace(/\s+/g, ' ');
  if (!isValidCron(e)) fail(`"${e.slice(0, 40)}" is not a cron expression I can use. It needs 5 parts (minute hour day month weekday), e.g. cron "0 9 * * 1".`);
  // One minute of the hour: a reminder repeats at most hourly, so nobody floods a group.
  if (!/^\d{1,2}$/.test(e.split(' ')[0]!)) fail('A reminder can repeat at most once an hour. Start the cron with one minute, e.g. cron "0 9 * * 1".');
  const first = nextOccurrence(e, now, tz);
  if (first === undefined) fail(`"${e}" never happens (check the day and month), e.g. cron "0 9 1 * *" is 09:00 on the 1st of each month.`);
  return { schedule: { kind: 'repeat', cron: e, first: first! }, end: expr!.end };
}

/** `every day|weekday|monday|month on the 1st at <time>`. */
function readEvery(s: string, { now, tz }: WhenOptions, fail: Fail): Read {
  const every =
    /^every\s+(?:(day)|(weekday)|month\s+on\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?|([a-z]+))(?=$|[\s,:;])/i.exec(s) ??
    fail('I can repeat every day, every weekday, every monday (or any day of the week), every 2 weeks on monday, every 3 days, or every month on the 1st (or any day), each at a time, e.g. every monday at 10:00.');
  const [, , weekday, dom, dayName] = every; // the first group is plain `every day`
  let dow = '*';
  if (weekday) dow = '1-5';
  if (dayName) {
    const w = dayName.toLowerCase();
    if (w === 'month') fail('Say which day of the month, e.g. every month on the 1st at 9:00.');
    const i = DAYS.findIndex((d) => d === w || (w.length >= 3 && d.startsWith(w)));
    if (i < 0) fail(`"${dayName.slice(0, 20)}" is not a day I know. Say a day of the week, e.g. every monday at 10:00, or every day, every weekday.`);
    dow = String(i);
  }
  if (dom && (Number(dom) < 1 || Number(dom) > 31)) fail(`A month has days 1 to 31, so there is no day ${dom}. For example: every month on the 1st at 9:00.`);
  const time = readTimeOfDay(s.slice(every[0].length), fail);
  if (!time) fail(`Say what time, e.g. ${every[0].replace(/\s+/g, ' ')} at 9:00.`);
  const expr = `${time!.minute} ${time!.hour} ${dom ? Number(dom) : '*'} * ${dow}`;
  const first = nextOccurrence(expr, now, tz)!;
  return { schedule: { kind: 'repeat', cron: expr, first }, end: every[0].length + time!.length };
}

const MAX_STEP = { day: 99, week: 52 } as const;

/** `every 3 days at 18:00`, `every 2 weeks on monday at 9`, `every other week on friday at 10:00`. */
function readEveryN(s: string, { now, tz }: WhenOptions, fail: Fail): Read {
  const today = DateTime.fromMillis(now, { zone: tz });
  const dayName = today.setLocale('en-GB').toFormat('cccc').toLowerCase();
  const example = `every 2 weeks on ${dayName} at 9:00 Team call, every other week on ${dayName} at 9:00, or every 3 days at 18:00`;
  const m =
    /^every\s+(\d+|other)\s+(days?|weeks?|fortnights?)(?:\s+on\s+([a-z]+))?(?=$|[\s,:;])/i.exec(s) ??
    fail(`Say every N days or every N weeks, e.g. ${example}.`);
  const n = m![1]!.toLowerCase() === 'other' ? 2 : Number(m![1]);
  const unit = m![2]!.toLowerCase().startsWith('day') ? 'day' : 'week';
  const weeks = m![2]!.toLowerCase().startsWith('fortnight') ? 2 : 1;
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_STEP[unit]) {
    fail(`I can repeat every 1 to ${MAX_STEP[unit]} ${unit}s, so not every ${m![1]!.slice(0, 12)} ${unit}s. For example: ${example}.`);
  }
  let dow: number | undefined;
  if (m![3]) {
    if (unit === 'day') fail(`A repeat every few days has no weekday. For example: every 3 days at 18:00, or every 2 weeks on ${dayName} at 9:00.`);
    const w = m![3].toLowerCase();
    const i = DAYS.findIndex((d) => d === w || (w.length >= 3 && d.startsWith(w)));
    if (i < 0) fail(`"${m![3].slice(0, 20)}" is not a day I know. Say a day of the week, e.g. ${example}.`);
    dow = i === 0 ? 7 : i; // luxon: Monday 1 … Sunday 7
  }
  const time = readTimeOfDay(s.slice(m![0].length), fail);
  if (!time) fail(`Say what time, e.g. ${m![0].replace(/\s+/g, ' ')} at 9:00.`);
  const days = unit === 'day' ? n : n * 7 * weeks;
  // The first day: today if the time is still to come (and the weekday fits), else the next that fits.
  let first = today.startOf('day');
  for (let i = 0; i < 8; i++) {
    const d = today.startOf('day').plus({ days: i });
    const at = d.set({ hour: time!.hour, minute: time!.minute });
    if (at.toMillis() > now && (dow === undefined || d.weekday === dow)) {
      first = d;
      break;
    }
  }
  const interval = { days, from: first.toISODate()!, hour: time!.hour, minute: time!.minute };
  if (days > MAX_STEP.day * 7) fail(`That is too far apart. For example: ${example}.`);
  return {
    schedule: { kind: 'repeat', cron: intervalExpr(interval), first: nextInterval(interval, now, tz) },
    end: m![0].length + time!.length,
  };
}

/**
 * ` at 9:00`, ` 8:30`, ` 10am`, ` at 17` right after the repeat words. A plain
 * pattern rather than chrono: chrono would happily read the message's next
 * words ("march", "tomorrow") as part of the time.
 */
function readTimeOfDay(rest: string, fail: Fail): { hour: number; minute: number; length: number } | undefined {
  const m = /^\s+(?:at\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?(?=$|[\s,;:!?])/i.exec(rest);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  const ampm = m[3]?.toLowerCase();
  const shown = m[0].trim().replace(/^at\s+/i, '');
  if (ampm ? hour < 1 || hour > 12 : hour > 23) fail(`"${shown}" is not a time of day. Use 24-hour time like 17:00, or 5pm.`);
  if (minute > 59) fail(`"${shown}" is not a time of day: minutes go up to 59, e.g. 9:30.`);
  if (ampm) hour = (hour % 12) + (ampm === 'pm' ? 12 : 0);
  return { hour, minute, length: m[0].length };
}

/** `in 10 minutes`, `in 2h`, `in 30s`, `in an hour`. */
function readIn(s: string, { now }: WhenOptions, fail: Fail): Read {
  const one = /^in\s+([^\s,:;]+)/i.exec(s)!;
  const two = /^in\s+([^\s,:;]+)\s+([^\s,:;]+)/i.exec(s);
  let ms = parseDuration(one[1]!);
  let end = one[0].length;
  if (ms === undefined && two) {
    ms = parseDuration(/^an?$/i.test(two[1]!) ? `1 ${two[2]}` : `${two[1]} ${two[2]}`);
    end = two[0].length;
  }
  if (ms === undefined) fail(`I couldn't read "${(two ?? one)[0].slice(0, 40)}" as a length of time. Say how long, e.g. in 10 minutes, in 2h or in 30s.`);
  if (ms! > MAX_AHEAD_MS) fail('That is more than 5 years away. Choose a nearer time, e.g. in 2 days.');
  return { schedule: { kind: 'once', at: now + ms! }, end };
}

/** A one-off date and time: `at 17:00`, `tomorrow at 9`, `friday 10am`, `on 2026-12-01 09:30`. */
function readMoment(s: string, { now, tz }: WhenOptions, command: string, fail: Fail): Read {
  const first = findMoment(s, { now, tz });
  const before = first ? s.slice(0, first.index).trim() : '';
  if (!first || !['', 'on', 'at', 'the'].includes(before.toLowerCase())) {
    const impossible = impossibleDate(s, exampleMoment(now, tz, '09:30'));
    if (impossible) fail(impossible);
    if (first) {
      const rest = (before + ' ' + s.slice(first.index + first.text.length)).replace(/\s+/g, ' ').trim().slice(0, 60);
      fail(`Put the time first, then the message: ${command} ${first.text} ${rest}`);
    }
    fail(`I couldn't tell when "${s.split(/\s+/).slice(0, 4).join(' ').slice(0, 40)}" is.`);
  }
  let m = first!;
  let end = m.index + m.text.length;
  if (!m.hasTime || endsInBareMonth(m.text)) {
    // chrono read too little ("tomorrow" of "tomorrow at 9 May I ask") or too much
    // ("at 17:00 May I remind…" as 1 May): take the longest run of leading words that is wholly a time.
    const words = [...s.matchAll(/\S+/g)].slice(0, 8).map((w) => w.index + w[0].length);
    for (const e of words.reverse()) {
      const whole = parseMoment(s.slice(0, e), { now, tz });
      if (whole?.hasTime && !endsInBareMonth(whole.text)) {
        [m, end] = [whole, e];
        break;
      }
    }
  }
  if (!m.hasTime) fail(`Say what time of day, e.g. ${command} ${m.text} at 9:00 ${s.slice(end).trim().slice(0, 40)}`.trim());
  const at = firstOfRepeatedTime(m.at, tz);
  if (at <= now) fail(`${formatMoment(at, tz)} has already passed. Choose a time in the future.`);
  if (at - now > MAX_AHEAD_MS) fail('That is more than 5 years away. Choose a nearer date.');
  return { schedule: { kind: 'once', at }, end };
}

/** `17:00 May`: a month name with no day before it, more likely the message's first word. */
function endsInBareMonth(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length < 2 || !monthNumber(words.at(-1)!)) return false;
  return !/^(\d{1,2}(st|nd|rd|th)?|of)$/i.test(words.at(-2)!);
}

/**
 * chrono drops dates that do not exist (31 February) without a word; say so
 * plainly instead of "I couldn't tell when".
 */
function impossibleDate(s: string, example: string): string | undefined {
  const iso = /^(?:on\s+)?(\d{4})-(\d{1,2})-(\d{1,2})\b/i.exec(s);
  const dayMonth = /^(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\b/i.exec(s);
  const monthDay = /^(?:on\s+)?([a-z]{3,9})\s+(\d{1,2})(?:st|nd|rd|th)?\b/i.exec(s);
  let year: number | undefined;
  let month: number | undefined;
  let day: number | undefined;
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (dayMonth) [month, day] = [monthNumber(dayMonth[2]!), Number(dayMonth[1])];
  else if (monthDay) [month, day] = [monthNumber(monthDay[1]!), Number(monthDay[2])];
  if (!month || day === undefined) return undefined;
  if (month > 12) return `There is no month ${month}: months go from 01 to 12, e.g. on ${example}.`;
  // Without a year, 29 February exists (in leap years).
  const days = DateTime.local(year ?? 2028, month).daysInMonth!;
  if (day >= 1 && day <= days) return undefined;
  const name = DateTime.local(2028, month).setLocale('en-GB').toFormat('LLLL');
  return year ? `There is no ${day} ${name} ${year}: ${name} ${year} has ${days} days.` : `There is no ${day} ${name}. Check the date.`;
}

function monthNumber(word: string): number | undefined {
  for (const fmt of ['LLLL', 'LLL']) {
    const d = DateTime.fromFormat(word, fmt, { locale: 'en-GB' });
    if (d.isValid) return d.month;
  }
  return undefined;
}

// Every N days or weeks (`every 2 weeks on monday at 9`, `every other week`,
// `every 3 days at 18:00`), which cron cannot say. Stored in the reminders'
// `cron` column as `every <days> days from <YYYY-MM-DD> at <HH:MM>`: the first
// day and the step, so the next time depends only on the row and survives
// restarts. Times are wall-clock in the reminder's zone (luxon): 09:00 stays
// 09:00 across daylight-saving changes; a time the clocks skip happens after
// the jump (01:30 → 02:30 in London), one they repeat happens once.
import { DateTime } from 'luxon';

export interface Interval {
  days: number;
  from: string;
  hour: number;
  minute: number;
}

const FORM = /^every (\d+) days from (\d{4}-\d{2}-\d{2}) at (\d{2}):(\d{2})$/;

export const isInterval = (expr: string): boolean => FORM.test(expr);

export function readInterval(expr: string): Interval | undefined {
  const m = FORM.exec(expr);
  if (!m) return undefined;
  return { days: Number(m[1]), from: m[2]!, hour: Number(m[3]), minute: Number(m[4]) };
}

export function intervalExpr(i: Interval): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `every ${i.days} days from ${i.from} at ${p(i.hour)}:${p(i.minute)}`;
}

/** The k-th occurrence (k = 0 is the first day). */
function occurrence(i: Interval, k: number, tz: string): number {
  return DateTime.fromISO(i.from, { zone: tz })
    .plus({ days: k * i.days })
    .set({ hour: i.hour, minute: i.minute, second: 0, millisecond: 0 })
    .toMillis();
}

/** Which step `at` falls in (rounded down), counted in calendar days. */
function stepOf(i: Interval, at: number, tz: string): number {
  const day = DateTime.fromMillis(at, { zone: tz }).startOf('day');
  const start = DateTime.fromISO(i.from, { zone: tz }).startOf('day');
  const days = Math.round(day.diff(start, 'days').days);
  return Math.floor(days / i.days);
}

export function nextInterval(i: Interval, after: number, tz: string): number {
  let k = Math.max(0, stepOf(i, after, tz) - 1);
  while (occurrence(i, k, tz) <= after) k++;
  return occurrence(i, k, tz);
}

export function latestInterval(i: Interval, at: number, tz: string): number | undefined {
  let k = stepOf(i, at, tz) + 1;
  while (k >= 0 && occurrence(i, k, tz) > at) k--;
  return k >= 0 ? occurrence(i, k, tz) : undefined;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** `every 2 weeks on Monday at 09:00`, `every 3 days at 18:00`. */
export function describeInterval(i: Interval): string {
  const time = `${String(i.hour).padStart(2, '0')}:${String(i.minute).padStart(2, '0')}`;
  if (i.days % 7 === 0) {
    const weeks = i.days / 7;
    const day = WEEKDAYS[DateTime.fromISO(i.from).weekday - 1];
    return `every ${weeks === 1 ? 'week' : `${weeks} weeks`} on ${day} at ${time}`;
  }
  return `every ${i.days === 1 ? 'day' : `${i.days} days`} at ${time}`;
}

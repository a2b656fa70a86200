// When a repeating reminder happens: a 5-field cron expression read in a time
// zone, computed with cron-parser. Every repeat form (`every monday at 10:00`)
// is turned into cron, so there is one rule for all of them.
//
// Wall-clock rule across daylight-saving changes (cron-parser's behaviour,
// pinned down by test/reminders.test.ts):
// - a repeat keeps its local time: 09:00 is 09:00 on both sides of a change;
// - a time that does not exist that day (clocks go forward at 01:00 in London,
//   so there is no 01:30) happens when the clocks have jumped: 01:30 → 02:30;
// - a time that happens twice (clocks go back at 02:00, so 01:30 comes round
//   again) fires once, the first time (01:30 BST).
import { CronExpressionParser, type CronExpression } from 'cron-parser';
import cron from 'node-cron';
import { latestInterval, nextInterval, readInterval } from './interval.js';

/** Is this a 5-field cron expression that node-cron accepts? */
export function isValidCron(expr: string): boolean {
  return expr.trim().split(/\s+/).length === 5 && cron.validate(expr);
}

// Parsing is most of cron-parser's cost (~0.5 ms): keep parsed expressions and move their date.
const parsed = new Map<string, CronExpression>();
function expression(expr: string, tz: string, at: number): CronExpression {
  const key = `${tz} ${expr}`;
  const cached = parsed.get(key);
  if (cached) {
    cached.reset(new Date(at));
    return cached;
  }
  const e = CronExpressionParser.parse(expr, { currentDate: new Date(at), tz });
  if (parsed.size >= 1000) parsed.clear();
  parsed.set(key, e);
  return e;
}

/** The first occurrence strictly after `after`, or undefined if there is none (`0 9 30 2 *`). */
export function nextOccurrence(expr: string, after: number, tz: string): number | undefined {
  const interval = readInterval(expr);
  if (interval) return nextInterval(interval, after, tz);
  try {
    const it = expression(expr, tz, after);
    // cron-parser never repeats a wall-clock time, but never trust a repeat to go backwards.
    for (let i = 0; i < 3; i++) {
      const t = it.next().getTime();
      if (t > after) return t;
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** The latest occurrence at or before `at`, if any. */
export function latestOccurrence(expr: string, at: number, tz: string): number | undefined {
  const interval = readInterval(expr);
  if (interval) return latestInterval(interval, at, tz);
  try {
    return expression(expr, tz, at + 1).prev().getTime();
  } catch {
    return undefined;
  }
}

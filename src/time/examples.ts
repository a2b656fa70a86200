// Dates for examples in replies, made from the clock so they never lie in the
// past: "2026-12-07" and "2026-12-07 17:00" are a few days from today.
import { DateTime } from 'luxon';

/** A day a few days ahead in the zone, YYYY-MM-DD. */
export function exampleDay(now: number, tz: string, daysAhead = 3): string {
  return ahead(now, tz, daysAhead).toISODate()!;
}

/** The same day as people type it, e.g. `8 dec`. */
export function exampleShortDay(now: number, tz: string, daysAhead = 3): string {
  return ahead(now, tz, daysAhead).setLocale('en-GB').toFormat('d LLL').toLowerCase();
}

function ahead(now: number, tz: string, days: number): DateTime {
  return DateTime.fromMillis(now, { zone: tz }).plus({ days });
}

/** A day and time a few days ahead in the zone, `YYYY-MM-DD 17:00`. */
export function exampleMoment(now: number, tz: string, time = '17:00', daysAhead = 3): string {
  return `${exampleDay(now, tz, daysAhead)} ${time}`;
}

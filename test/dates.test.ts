import { describe, expect, it } from 'vitest';
import { findMoment, formatMoment, parseDuration, parseMoment, parseWhen } from '../src/time/dates.js';

const tz = 'Europe/London';
// Monday 23 November 2026, 19:00 in London (UTC+0 in winter).
const now = Date.parse('2026-11-23T19:00:00Z');
const at = (text: string) => {
  const m = parseMoment(text, { now, tz });
  return m ? formatMoment(m.at, tz) : undefined;
};

describe('dates', () => {
  it('reads the forms people type, in the future, in the time zone', () => {
    expect(at('friday')).toBe('Fri 27 Nov 2026, 12:00');
    expect(at('next tuesday')).toBe('Tue 1 Dec 2026, 12:00');
    expect(at('5 dec')).toBe('Sat 5 Dec 2026, 12:00');
    expect(at('2026-12-05')).toBe('Sat 5 Dec 2026, 12:00');
    expect(at('2026-12-01 17:00')).toBe('Tue 1 Dec 2026, 17:00');
    expect(at('tomorrow at 9')).toBe('Tue 24 Nov 2026, 09:00');
    expect(at('on 2026-12-01 09:30')).toBe('Tue 1 Dec 2026, 09:30');
    expect(at('at 17:00')).toBe('Tue 24 Nov 2026, 17:00');
  });

  it('places summer times in British Summer Time', () => {
    const m = parseMoment('2027-06-01 09:00', { now, tz })!;
    expect(new Date(m.at).toISOString()).toBe('2027-06-01T08:00:00.000Z');
  });

  it('knows whether a time of day was given', () => {
    expect(parseMoment('friday', { now, tz })!.hasTime).toBe(false);
    expect(parseMoment('friday 10am', { now, tz })!.hasTime).toBe(true);
  });

  it('refuses impossible dates, nonsense and trailing words', () => {
    expect(at('31 February')).toBeUndefined();
    expect(at('rubbish')).toBeUndefined();
    expect(at('friday or so')).toBeUndefined();
    expect(findMoment('meet friday to plan', { now, tz })!.text).toBe('friday');
  });

  it('reads durations', () => {
    expect(parseDuration('2d')).toBe(2 * 86400e3);
    expect(parseDuration('36h')).toBe(36 * 3600e3);
    expect(parseDuration('10 minutes')).toBe(600e3);
    expect(parseDuration('30s')).toBe(30e3);
    expect(parseDuration('0d')).toBeUndefined();
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseWhen('in 2h', { now, tz })).toBe(now + 2 * 3600e3);
    expect(parseWhen('2026-12-01 17:00', { now, tz })).toBe(Date.parse('2026-12-01T17:00:00Z'));
  });
});

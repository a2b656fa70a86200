// The `<when>` parser and the repeat rule, as units.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { latestOccurrence, nextOccurrence } from '../../src/reminders/recurrence.js';
import { readWhen, whenForms } from '../../src/reminders/when.js';

const tz = 'Europe/London';
// Monday 23 November 2026, 19:00 in London (GMT).
const now = Date.parse('2026-11-23T19:00:00Z');
const local = (ms: number, zone = tz) => DateTime.fromMillis(ms, { zone }).toFormat('ccc yyyy-MM-dd HH:mm:ss');

function read(line: string, zone = tz) {
  const w = readWhen(line, { now, tz: zone });
  const at = w.schedule.kind === 'once' ? w.schedule.at : w.schedule.first;
  return { when: w.whenText, text: w.text, at: local(at, zone), cron: w.schedule.kind === 'repeat' ? w.schedule.cron : undefined };
}

function refusal(line: string): string {
  try {
    readWhen(line, { now, tz, command: '/remind me' });
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error(`"${line}" was accepted`);
}

describe('reading <when> <message>', () => {
  it.each([
    ['in 10 minutes Coffee break is over', 'in 10 minutes', 'Coffee break is over', 'Mon 2026-11-23 19:10:00'],
    ['in 2h Call the venue', 'in 2h', 'Call the venue', 'Mon 2026-11-23 21:00:00'],
    ['in 30s Kettle', 'in 30s', 'Kettle', 'Mon 2026-11-23 19:00:30'],
    ['in 2 seconds Bring your receipts', 'in 2 seconds', 'Bring your receipts', 'Mon 2026-11-23 19:00:02'],
    ['in an hour: tea', 'in an hour', 'tea', 'Mon 2026-11-23 20:00:00'],
    // 17:00 has passed today, so it is tomorrow's.
    ['at 17:00 Close the hall', 'at 17:00', 'Close the hall', 'Tue 2026-11-24 17:00:00'],
    ['tomorrow at 9 Forum starts at 10', 'tomorrow at 9', 'Forum starts at 10', 'Tue 2026-11-24 09:00:00'],
    ['friday 10am Send your stats', 'friday 10am', 'Send your stats', 'Fri 2026-11-27 10:00:00'],
    ['on 2026-12-01 09:30 Forum', 'on 2026-12-01 09:30', 'Forum', 'Tue 2026-12-01 09:30:00'],
    // A month and then a day: 25 December, not December 2025.
    ['dec 25 9am Carols', 'dec 25 9am', 'Carols', 'Fri 2026-12-25 09:00:00'],
    ['nov 30 5pm Send the accounts', 'nov 30 5pm', 'Send the accounts', 'Mon 2026-11-30 17:00:00'],
    ['the 1st of december at 9 Forum', 'the 1st of december at 9', 'Forum', 'Tue 2026-12-01 09:00:00'],
  ])('%s', (line, when, text, at) => {
    expect(read(line)).toEqual({ when, text, at, cron: undefined });
  });

  it.each([
    ['every day at 9:00 Stand-up', 'every day at 9:00', '0 9 * * *', 'Tue 2026-11-24 09:00:00'],
    ['every monday at 10:00 Weekly check-in', 'every monday at 10:00', '0 10 * * 1', 'Mon 2026-11-30 10:00:00'],
    ['every fri 5pm Drinks', 'every fri 5pm', '0 17 * * 5', 'Fri 2026-11-27 17:00:00'],
    ['every weekday at 8:30 Check the rota', 'every weekday at 8:30', '30 8 * * 1-5', 'Tue 2026-11-24 08:30:00'],
    ['every month on the 1st at 9:00 Send your numbers', 'every month on the 1st at 9:00', '0 9 1 * *', 'Tue 2026-12-01 09:00:00'],
    ['every thursday at 9.30am: Agenda', 'every thursday at 9.30am', '30 9 * * 4', 'Thu 2026-11-26 09:30:00'],
    ['cron "0 9 * * 1" Weekly numbers', 'cron "0 9 * * 1"', '0 9 * * 1', 'Mon 2026-11-30 09:00:00'],
    ['cron \u201c30 8 * * 1-5\u201d Phone quotes', 'cron \u201c30 8 * * 1-5\u201d', '30 8 * * 1-5', 'Tue 2026-11-24 08:30:00'],
  ])('%s', (line, when, cron, at) => {
    const r = read(line);
    expect({ when: r.when, cron: r.cron, at: r.at }).toEqual({ when, cron, at });
  });

  it("keeps the message's first words out of the time", () => {
    // chrono alone reads "17:00 May" as 1 May, and only "tomorrow" of "tomorrow at 9 May".
    expect(read('at 17:00 May I remind everyone')).toMatchObject({ when: 'at 17:00', text: 'May I remind everyone', at: 'Tue 2026-11-24 17:00:00' });
    expect(read('tomorrow at 9 May I ask')).toMatchObject({ when: 'tomorrow at 9', text: 'May I ask', at: 'Tue 2026-11-24 09:00:00' });
    expect(read('at 9 June will present')).toMatchObject({ when: 'at 9', text: 'June will present' });
    expect(read('10am friday Send stats')).toMatchObject({ when: '10am friday', text: 'Send stats', at: 'Fri 2026-11-27 10:00:00' });
    expect(read('on 1st of May at 9 Plant out')).toMatchObject({ when: 'on 1st of May at 9', at: 'Sat 2027-05-01 09:00:00' });
  });

  it("reads times in the collab's zone", () => {
    expect(read('tomorrow at 9 Call', 'America/New_York').at).toBe('Tue 2026-11-24 09:00:00');
    const w = readWhen('tomorrow at 9 Call', { now, tz: 'America/New_York' });
    expect(w.schedule.kind === 'once' && new Date(w.schedule.at).toISOString()).toBe('2026-11-24T14:00:00.000Z');
  });

  it('refuses, naming the accepted forms: past, impossible and unreadable times', () => {
    const cases: [string, RegExp][] = [
      ['on 2020-01-01 09:00 Old news', /Wed 1 Jan 2020, 09:00 has already passed/],
      ['31 February at 9 Pay the rent', /There is no 31 February\./],
      ['on 2027-02-29 09:00 Leap', /There is no 29 February 2027: February 2027 has 28 days/],
      ['feb 30 at 9 Pay the rent', /There is no 30 February\./],
      ['on 2027-13-01 09:00 Forum', /There is no month 13/],
      ['soonish Tea', /I couldn't tell when "soonish Tea" is/],
      ['Send stats friday 10am', /Put the time first, then the message: \/remind me friday 10am Send stats/],
      ['Send stats  on friday 10am  please', /Put the time first, then the message: \/remind me on friday 10am Send stats please\n/],
      ['friday Send stats', /Say what time of day, e.g. \/remind me friday at 9:00 Send stats/],
      ['tomorrow at 9', /What should the reminder say\?/],
      ['', /Tell me when/],
      ['in 0 minutes Tea', /couldn't read "in 0 minutes" as a length of time/],
      ['in 99999 weeks Tea', /more than 5 years away/],
      ['every day Stand-up', /Say what time, e.g. every day at 9:00/],
      ['every fortnight at 9 Tea', /"fortnight" is not a day I know/],
      ['every month at 9 Tea', /^Say which day of the month, e.g. every month on the 1st at 9:00\./],
      ['every day at 25:00 Tea', /"25:00" is not a time of day/],
      ['every month on the 32nd at 9 Tea', /there is no day 32/],
      ['cron 0 9 * * 1 Tea', /Put the cron expression in double quotes/],
      ['cron "0 9 * *" Tea', /is not a cron expression I can use/],
      ['cron "0 9 31 2 *" Tea', /is not a cron expression I can use/],
      ['cron "*/5 * * * *" Tea', /at most once an hour/],
    ];
    for (const [line, reason] of cases) {
      const message = refusal(line);
      expect(message, line).toMatch(reason);
      expect(message, line).toContain(`Times I understand: ${whenForms(now, tz)}.`);
      expect(message, line).toContain('e.g. /remind me tomorrow at 9 Send your stats');
    }
  });

  it('one-off times on clock-change days follow the repeat rule', () => {
    // 01:30 does not exist on 28 March 2027 (01:00 GMT → 02:00 BST): it is read as 02:30 BST.
    const gap = readWhen('on 2027-03-28 01:30 Gap', { now, tz }).schedule;
    expect(gap.kind === 'once' && new Date(gap.at).toISOString()).toBe('2027-03-28T01:30:00.000Z');
    // 01:30 happens twice on 31 October 2027: the first one, in BST.
    const twice = readWhen('on 2027-10-31 01:30 Twice', { now, tz }).schedule;
    expect(twice.kind === 'once' && new Date(twice.at).toISOString()).toBe('2027-10-31T00:30:00.000Z');
  });
});

describe('repeat times (cron-parser in the zone)', () => {
  const seq = (cron: string, fromIso: string, n: number) => {
    const out: string[] = [];
    let t = Date.parse(fromIso);
    for (let i = 0; i < n; i++) out.push(new Date((t = nextOccurrence(cron, t, tz)!)).toISOString().slice(0, 16));
    return out;
  };

  it('keeps 09:00 local across both 2027 changes', () => {
    expect(seq('0 9 * * *', '2027-03-26T12:00:00Z', 3)).toEqual(['2027-03-27T09:00', '2027-03-28T08:00', '2027-03-29T08:00']);
    expect(seq('0 9 * * *', '2027-10-29T12:00:00Z', 3)).toEqual(['2027-10-30T08:00', '2027-10-31T09:00', '2027-11-01T09:00']);
  });

  it('moves a missing time forward by the gap, and fires a doubled time once', () => {
    expect(seq('30 1 * * *', '2027-03-27T12:00:00Z', 2)).toEqual(['2027-03-28T01:30', '2027-03-29T00:30']);
    expect(seq('30 1 * * *', '2027-10-30T12:00:00Z', 2)).toEqual(['2027-10-31T00:30', '2027-11-01T01:30']);
  });

  it('finds the latest time at or before a moment', () => {
    expect(latestOccurrence('0 9 * * *', Date.parse('2027-03-29T08:00:00Z'), tz)).toBe(Date.parse('2027-03-29T08:00:00Z'));
    expect(latestOccurrence('0 9 * * *', Date.parse('2027-03-29T07:59:59Z'), tz)).toBe(Date.parse('2027-03-28T08:00:00Z'));
    expect(nextOccurrence('0 9 30 2 *', now, tz)).toBeUndefined();
  });
});

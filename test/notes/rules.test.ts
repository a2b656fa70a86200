// Unit tests for the notes rules that need no chat: ACTION lines and their
// dates, the safe search query, the reminder time, splitting a note's text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitNote } from '../../commands/notes.js';
import { UserError } from '../../src/errors.js';
import { parseActionLines, parseDue } from '../../src/notes/action-lines.js';
import { ftsQuery, searchWords } from '../../src/notes/fts-query.js';
import { NotesRepo } from '../../src/notes/repo.js';
import { reminderAt } from '../../src/notes/service.js';
import { openDatabase } from '../../src/storage/db.js';
import { formatMoment } from '../../src/time/dates.js';

const tz = 'Europe/London';
// Monday 23 November 2026, 10:00 in London: the harness's fake clock.
const now = Date.parse('2026-11-23T10:00:00Z');
const opts = { now, tz };

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    if (err instanceof UserError) return err.message;
    throw err;
  }
  throw new Error('expected a UserError');
}

describe('ACTION lines', () => {
  it('reads owner, text and every date form, in the collab time zone', () => {
    const lines = parseActionLines(
      [
        'We met at the hall.',
        'ACTION @ben by friday: book the hall',
        'ACTION @cara by next tuesday: ask the council about the van',
        'action @dee by 5 dec: print flyers',
        '- ACTION @eve by 2026-12-05: send the accounts',
        '• ACTION @fay: thank the volunteers',
        'ACTION @gus by friday 17:00: lock up',
        'ACTION @hal by tomorrow at 9: call Sam: he knows',
        '  ACTION   @ivy   by   5 dec  :   tidy   up  ',
        'ACTION @jo by dec 25: wrap the presents',
      ].join('\n'),
      opts,
    );
    const shown = lines.map((l) => [l.name, l.text, l.due?.date, l.due && formatMoment(l.due.at, tz), l.due?.hasTime]);
    expect(shown).toEqual([
      ['ben', 'book the hall', '2026-11-27', 'Sat 28 Nov 2026, 00:00', false],
      ['cara', 'ask the council about the van', '2026-12-01', 'Wed 2 Dec 2026, 00:00', false],
      ['dee', 'print flyers', '2026-12-05', 'Sun 6 Dec 2026, 00:00', false],
      ['eve', 'send the accounts', '2026-12-05', 'Sun 6 Dec 2026, 00:00', false],
      ['fay', 'thank the volunteers', undefined, undefined, undefined],
      ['gus', 'lock up', '2026-11-27', 'Fri 27 Nov 2026, 17:00', true],
      ['hal', 'call Sam: he knows', '2026-11-24', 'Tue 24 Nov 2026, 09:00', true],
      ['ivy', 'tidy up', '2026-12-05', 'Sun 6 Dec 2026, 00:00', false],
      // 25 December, not December 2025 (which chrono alone reads).
      ['jo', 'wrap the presents', '2026-12-25', 'Sat 26 Dec 2026, 00:00', false],
    ]);
    expect(lines[7]!.source).toBe('ACTION @ivy by 5 dec : tidy up');
  });

  it('places a deadline at the end of the day in the zone, summer time included', () => {
    const due = parseDue('2027-06-10', opts)!;
    expect(due.date).toBe('2027-06-10');
    expect(new Date(due.at).toISOString()).toBe('2027-06-10T23:00:00.000Z');
    expect(new Date(parseDue('2027-06-10', { now, tz: 'America/New_York' })!.at).toISOString()).toBe('2027-06-11T04:00:00.000Z');
  });

  it('refuses a bad or past date with a clear message naming the line', () => {
    // Dates that do not exist are refused, not read as another date (chrono alone reads
    // "feb 30" as February 2030 and "2027-13-01" as 13 January).
    for (const bad of ['someday', '31 February', 'feb 30', 'sep 31', '2027-13-01', 'friday or so', 'soonish']) {
      const msg = errorOf(() => parseActionLines(`Notes\nACTION @ben by ${bad}: book the hall`, opts));
      expect(msg).toBe(
        `I can't read the date "${bad}" in this line:\nACTION @ben by ${bad}: book the hall\nWrite the date like friday, next tuesday, 26 nov or 2026-11-26. Nothing was saved.`,
      );
    }
    expect(errorOf(() => parseActionLines('ACTION @ben by 2026-11-01: book the hall', opts))).toContain('The date "2026-11-01" in this line:\nACTION @ben by 2026-11-01: book the hall\nis in the past.');
    // Today is not past: the deadline is the end of the day.
    expect(parseActionLines('ACTION @ben by 2026-11-23: book the hall', opts)[0]!.due!.date).toBe('2026-11-23');
  });

  it('refuses lines that start with ACTION but do not follow the form', () => {
    for (const bad of ['ACTION ben: book the hall', 'ACTION: Ben to book the hall', 'ACTION @ben book the hall', 'ACTION @ben:', 'ACTION @ben friday: book']) {
      expect(errorOf(() => parseActionLines(`Notes\n${bad}`, opts))).toContain(`I can't read this action line:\n${bad}\nWrite it like: ACTION @ben by friday: book the hall`);
    }
  });

  it('leaves prose that merely mentions actions alone', () => {
    expect(parseActionLines('Action points from last time:\nActions were reviewed.\nTRANSACTION @ben: no\nWe took ACTION @ben: later', opts)).toEqual([]);
  });
});

describe('the search query', () => {
  it('quotes every word so FTS syntax is plain text', () => {
    expect(searchWords('"a" NEAR b* -x AND ( OR ) col:umn ^ * "" \u201cvolunteers\u201d')).toEqual(['"a"', 'NEAR', 'b*', '-x', 'AND', 'OR', 'col:umn', '\u201cvolunteers\u201d']);
    expect(ftsQuery(['"a"', 'NEAR', 'b*'])).toBe('("""a""" "NEAR" "b*")');
    expect(ftsQuery(['hall', 'van'], { any: true })).toBe('("hall" OR "van")');
    expect(ftsQuery(['hall'], { collabIds: [3, 12] })).toBe('("\uE0003" OR "\uE00012") AND ("hall")');
    expect(searchWords('hall hall HALL van')).toEqual(['hall', 'van']);
    expect(searchWords('\uE0003 x\uE000y')).toEqual(['3', 'xy']);
    expect(searchWords(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))).toHaveLength(12);
  });

  it('never makes an expression SQLite refuses, whatever is typed', () => {
    const db = openDatabase(':memory:');
    const repo = new NotesRepo(db);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.boolean(), (text, any) => {
        const words = searchWords(text);
        if (!words.length) return;
        expect(() => repo.search(ftsQuery(words, { any, collabIds: [1] }), [1], 5)).not.toThrow();
        expect(() => repo.search(ftsQuery(words, { any }), [1], 5)).not.toThrow();
      }),
      { numRuns: 300 },
    );
    db.close();
  });
});

describe('reminder time', () => {
  it('is 09:00 in the zone on the day before, in winter and summer', () => {
    expect(new Date(reminderAt('2026-11-27', tz)).toISOString()).toBe('2026-11-26T09:00:00.000Z');
    expect(new Date(reminderAt('2027-06-10', tz)).toISOString()).toBe('2027-06-09T08:00:00.000Z');
    // The day before the clocks go forward (Sunday 28 March 2027).
    expect(new Date(reminderAt('2027-03-29', tz)).toISOString()).toBe('2027-03-28T08:00:00.000Z');
  });
});

describe('splitting /notes add', () => {
  it('takes the title from the first line, the note from the next lines or after --', () => {
    expect(splitNote('Planning meeting -- we agreed to meet monthly')).toEqual({ title: 'Planning meeting', body: 'we agreed to meet monthly' });
    expect(splitNote('Planning meeting \u2014 we agreed')).toEqual({ title: 'Planning meeting', body: 'we agreed' });
    expect(splitNote('June meeting\nline one\n\nline two\n')).toEqual({ title: 'June meeting', body: 'line one\n\nline two' });
    expect(splitNote('June -- first\nsecond')).toEqual({ title: 'June', body: 'first\nsecond' });
    expect(splitNote('"Quoted title" -- x')).toEqual({ title: 'Quoted title', body: 'x' });
    expect(splitNote('Just a title')).toEqual({ title: 'Just a title', body: '' });
    expect(splitNote('Half-term--plans')).toEqual({ title: 'Half-term--plans', body: '' });
    expect(splitNote('-- body only')).toEqual({ title: '', body: 'body only' });
  });
});

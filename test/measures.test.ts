// Shared measures through the chat, as users type them; period and figure rules as properties.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readFigure, formatFigure } from '../src/measures/figure.js';
import { periodOf, previousPeriod, readPeriod } from '../src/measures/period.js';
import type { Harness } from './helpers/harness.js';
import { foodNetwork, request } from './grants/setup.js';

let h: Harness;
afterEach(async () => h?.close());

const NOW = Date.parse('2026-11-23T10:00:00Z');
const count = () => (h.db.prepare('SELECT COUNT(*) AS n FROM measure_values').get() as { n: number }).n;

describe('/measure', () => {
  it('leads define measures; collabs record, replace and show figures with totals and trends', async () => {
    h = await foodNetwork();
    expect((await h.say('/measure define "People supported" --unit people --outcome involved', { as: 'ben' }))[0]).toMatch(/Only|lead/);
    expect((await h.say('/measure define "People supported" --unit people --outcome involved', { as: 'lee' }))[0]).toBe(
      '[main] Done: "People supported" is now a shared measure, counted in people (whole numbers), for the outcome More involved communities.\n' +
        'Collabs record it with: /measure add "People supported" 120 for november',
    );
    expect((await h.say('/measure define Volunteer hours --unit hours --outcome 2', { as: 'lee' }))[0]).toContain('figures may have decimals');
    expect((await h.say('/measures'))[0]).toContain('• "People supported" in people — outcome 1: More involved communities');

    expect((await h.say('/measure add "People supported" 100 for october', { as: 'ben' }))[0]).toBe(
      '[main] Done: Food Network recorded 100 people for "People supported" in October 2026. Type /measure show "People supported" to see every collab\'s.',
    );
    expect((await h.say('/measure add People supported 110', { as: 'ben' }))[0]).toContain('110 people for "People supported" in November 2026');
    expect((await h.say('/measure add "People supported" 120', { as: 'ben' }))[0]).toContain('(it was 110 people; that stays in the history)');
    await h.script(':in other\n:as ana\n/collab create Youth Forum\n:as yan\n/measure add "People supported" 1,000 for nov 2026\n:in main');
    h.take();
    const [show] = await h.say('/measure show "people supported"');
    expect(show).toContain('• Food Network: 120 people in November 2026');
    expect(show).toContain('• Youth Forum: 1,000 people in November 2026');
    expect(show).toContain('• October 2026: 100 people from 1 collab');
    expect(show).toContain('• November 2026: 1,120 people from 2 collabs, up 1,020 (+1020%) on the period before');
    expect((await h.say('/measure add "Volunteer hours" 12.5 for 2026-Q4', { as: 'ben' }))[0]).toContain('12.5 hours for "Volunteer hours" in Q4 2026');

    const [dm, note] = await h.say('/measure export', { as: 'ben' });
    expect(note).toContain("I've sent you the figures (5 rows) as CSV");
    expect(dm).toContain('measure,unit,outcome,collab,period,value,recorded_at,recorded_by,status');
    expect(dm).toContain('People supported,people,involved,Food Network,2026-11,110,');
    expect(dm).toMatch(/People supported,people,involved,Food Network,2026-11,120,.*,ben,current/);
  });

  it('refuses bad input with a clear reply and records nothing', async () => {
    h = await foodNetwork();
    await h.say('/measure define "People supported" --unit people --outcome involved', { as: 'lee' });
    const bad: Array<[string, RegExp]> = [
      ['/measure add "People supported" 12.5', /whole number/],
      ['/measure add "People supported" -3', /can't be negative/],
      ['/measure add "People supported" lots', /isn't a number/],
      ['/measure add "People supported" 1,00', /commas are in the wrong place/],
      ['/measure add "People supported" 1e3', /plain digits/],
      ['/measure add "People supported" 5 for december 2026', /hasn't started yet/],
      ['/measure add "People supported" 5 for 2027', /hasn't started yet/],
      ['/measure add "People supported" 5 for someday', /can't read "someday"/],
      ['/measure add "Nobody counts this" 5', /don't know the measure/],
      ['/measure add 5', /For example: \/measure add "People supported" 120 for november/],
    ];
    for (const [line, reply] of bad) {
      const [r] = await h.say(line, { as: 'ben' });
      expect(r, line).toMatch(reply);
      expect(r, line).toMatch(/for example|like this/i);
    }
    expect((await h.say('/measure define "X y z" --unit people --outcome 9', { as: 'lee' }))[0]).toContain('There is no outcome number 9');
    expect((await h.say('/measure define "Some thing" --outcome 1', { as: 'lee' }))[0]).toContain('--unit');
    expect(count()).toBe(0);
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM measures').get()).toEqual({ n: 1 });
  });
});

describe('/grant outcome', () => {
  it('tags a grant with an outcome by tag or number; only its requester, its facilitators, leads and admins may', async () => {
    h = await foodNetwork();
    const id = await request(h);
    expect((await h.say(`/grant outcome ${id} local-need`, { as: 'zed' }))[0]).toContain(`Only the person who asked for grant #${id}`);
    expect((await h.say(`/grant outcome ${id} 4`, { as: 'ben' }))[0]).toBe(`[main] Done: grant #${id} is tagged local-need (Responding to local need).`);
    expect((await h.say(`/grant outcome ${id} local-need`, { as: 'lee' }))[0]).toContain('already tagged local-need');
    expect((await h.say(`/grant outcome ${id} 9`, { as: 'ben' }))[0]).toContain('There is no outcome number 9');
    expect(h.db.prepare('SELECT outcome FROM grants WHERE id = ?').get(id)).toEqual({ outcome: 'local-need' });
  });
});

describe('measure rules', () => {
  it('whole numbers written any usual way read back to the same figure', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (n) => {
        const r = readFigure(formatFigure(n * 100, 'people'), false, '');
        expect(r).toEqual({ ok: true, hundredths: n * 100 });
        expect(readFigure(String(n), false, '')).toEqual({ ok: true, hundredths: n * 100 });
      }),
    );
  });
  it('the previous period of this month is last month, and readPeriod never accepts a future period', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('2001-01-01'), max: Date.parse('2090-01-01') }), (now) => {
        const month = periodOf(now, 'Europe/London');
        expect(readPeriod('this month', now, 'Europe/London')).toEqual({ ok: true, period: month });
        expect(readPeriod('last month', now, 'Europe/London')).toEqual({ ok: true, period: previousPeriod(month) });
        const next = String(Number(month.slice(0, 4)) + 1);
        expect(readPeriod(next, now, 'Europe/London').ok).toBe(false);
      }),
    );
    expect(readPeriod('q4', NOW, 'Europe/London')).toEqual({ ok: true, period: '2026-Q4' });
    expect(readPeriod('2026-Q1', NOW, 'Europe/London')).toEqual({ ok: true, period: '2026-Q1' });
    expect(readPeriod('december 2026', NOW, 'Europe/London')).toEqual({ ok: false, message: expect.stringContaining("hasn't started") });
    expect(readPeriod('december', NOW, 'Europe/London')).toEqual({ ok: true, period: '2025-12' });
    expect(readPeriod('jan', NOW, 'Europe/London')).toEqual({ ok: true, period: '2026-01' });
  });
});

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { backupName, backupTime } from '../../src/ops/backup.js';
import { backupsToKeep, parseKeep } from '../../src/ops/backup-keep.js';

const TZ = 'Europe/London';
const times = fc.uniqueArray(fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2027-06-01T00:00:00Z') }).map((t) => Math.floor(t / 1000) * 1000), {
  minLength: 1,
  maxLength: 120,
});
const rules = fc.record({ days: fc.integer({ min: 0, max: 10 }), weeks: fc.integer({ min: 0, max: 6 }), months: fc.integer({ min: 0, max: 4 }) }).filter((r) => r.days + r.weeks + r.months > 0);

describe('which backups are kept (COLLABOT_BACKUP_KEEP)', () => {
  it('reads 7d,4w and friends, and refuses what it cannot read', () => {
    expect(parseKeep('7d,4w')).toEqual({ days: 7, weeks: 4, months: 0 });
    expect(parseKeep(' 30d , 12m ')).toEqual({ days: 30, weeks: 0, months: 12 });
    expect(() => parseKeep('7 days')).toThrow('"7 days" should be a number and d, w or m, e.g. 7d,4w');
    expect(() => parseKeep('0d')).toThrow('keep at least one backup');
  });

  it('names backups by UTC time and reads the time back', () => {
    const at = Date.parse('2026-12-04T03:00:07Z');
    expect(backupName(at)).toBe('collabot-20261204-030007Z.sqlite');
    expect(backupTime(backupName(at))).toBe(at);
    expect(backupTime('collabot.sqlite')).toBeUndefined();
  });

  it('always keeps the newest, never more than the rule allows, the newest of each of the last N days, and is stable', () => {
    fc.assert(
      fc.property(times, rules, (ts, rule) => {
        const names = ts.map(backupName);
        const keep = backupsToKeep([...names, 'notes.txt'], rule, TZ);
        const newest = backupName(Math.max(...ts));
        expect(keep.has(newest)).toBe(true);
        expect(keep.has('notes.txt')).toBe(false);
        expect(keep.size).toBeLessThanOrEqual(rule.days + rule.weeks + rule.months);
        const byDay = new Map<string, number>();
        for (const t of [...ts].sort((a, b) => b - a)) {
          const day = DateTime.fromMillis(t, { zone: TZ }).toISODate()!;
          if (!byDay.has(day)) byDay.set(day, t);
        }
        for (const t of [...byDay.values()].slice(0, rule.days)) expect(keep.has(backupName(t))).toBe(true);
        // Pruning again changes nothing.
        expect(backupsToKeep([...keep], rule, TZ)).toEqual(keep);
      }),
      { numRuns: 200 },
    );
  });
});

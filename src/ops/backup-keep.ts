// Which backups to keep: the newest of each of the last N days, weeks and months
// (COLLABOT_BACKUP_KEEP=7d,4w), grandfather-father-son style. Days and weeks are
// counted in the collective's time zone, so "one a day" means one per local day.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { backupTime, sidecarOf } from './backup.js';

export interface KeepRule {
  days: number;
  weeks: number;
  months: number;
}

/** `7d,4w` (also `30d`, `7d,4w,12m`); throws a message for the configuration error. */
export function parseKeep(text: string): KeepRule {
  const rule: KeepRule = { days: 0, weeks: 0, months: 0 };
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d{1,4})([dwm])$/.exec(part);
    if (!m) throw new Error(`"${part}" should be a number and d, w or m, e.g. 7d,4w`);
    const n = Number(m[1]);
    if (m[2] === 'd') rule.days = n;
    else if (m[2] === 'w') rule.weeks = n;
    else rule.months = n;
  }
  if (!rule.days && !rule.weeks && !rule.months) throw new Error('keep at least one backup, e.g. 7d,4w');
  return rule;
}

/** The names to keep among `names` (other files are never touched). */
export function backupsToKeep(names: string[], rule: KeepRule, tz: string): Set<string> {
  const dated = names
    .map((name) => ({ name, at: backupTime(name) }))
    .filter((b): b is { name: string; at: number } => b.at !== undefined)
    .sort((a, b) => b.at - a.at);
  const keep = new Set<string>();
  const pick = (limit: number, bucket: (d: DateTime) => string) => {
    const seen = new Set<string>();
    for (const b of dated) {
      const key = bucket(DateTime.fromMillis(b.at, { zone: tz }));
      if (seen.has(key)) continue;
      if (seen.size >= limit) break;
      seen.add(key);
      keep.add(b.name); // newest first: the first seen of each bucket is its newest
    }
  };
  pick(rule.days, (d) => d.toISODate()!);
  pick(rule.weeks, (d) => `${d.weekYear}-W${d.weekNumber}`);
  pick(rule.months, (d) => d.toFormat('yyyy-MM'));
  return keep;
}

/** Delete the backups in `dir` the rule does not keep; returns the names removed. */
export function pruneBackups(dir: string, rule: KeepRule, tz: string): string[] {
  const names = readdirSync(dir);
  const keep = backupsToKeep(names, rule, tz);
  const removed: string[] = [];
  for (const name of names) {
    if (backupTime(name) === undefined || keep.has(name)) continue;
    rmSync(join(dir, name), { force: true });
    rmSync(sidecarOf(join(dir, name)), { force: true });
    removed.push(name);
  }
  return removed;
}

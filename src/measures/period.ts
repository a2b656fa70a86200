// Periods a figure is recorded for: a month (2026-11), a quarter (2026-Q4) or a
// year (2026), as people type them after "for", in the collab's time zone.
import { DateTime } from 'luxon';

export type PeriodKind = 'month' | 'quarter' | 'year';

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export function periodKind(period: string): PeriodKind {
  return /^\d{4}-\d{2}$/.test(period) ? 'month' : /^\d{4}-Q[1-4]$/.test(period) ? 'quarter' : 'year';
}

/** The period a moment falls in (default: its month). */
export function periodOf(ms: number, tz: string, kind: PeriodKind = 'month'): string {
  const d = DateTime.fromMillis(ms, { zone: tz });
  if (kind === 'year') return String(d.year);
  if (kind === 'quarter') return `${d.year}-Q${d.quarter}`;
  return `${d.year}-${String(d.month).padStart(2, '0')}`;
}

/** The period just before, of the same kind. */
export function previousPeriod(period: string): string {
  const kind = periodKind(period);
  const year = Number(period.slice(0, 4));
  if (kind === 'year') return String(year - 1);
  if (kind === 'quarter') {
    const q = Number(period.slice(6));
    return q === 1 ? `${year - 1}-Q4` : `${year}-Q${q - 1}`;
  }
  const m = Number(period.slice(5));
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** `November 2026`, `Q4 2026`, `2026`. */
export function periodLabel(period: string): string {
  const kind = periodKind(period);
  if (kind === 'year') return period;
  if (kind === 'quarter') return `${period.slice(5)} ${period.slice(0, 4)}`;
  const m = MONTHS[Number(period.slice(5)) - 1]!;
  return `${m[0]!.toUpperCase()}${m.slice(1)} ${period.slice(0, 4)}`;
}

/** Ordering key: year, then months, quarters and the year itself in time order of their end. */
export function periodSortKey(period: string): string {
  const kind = periodKind(period);
  const year = period.slice(0, 4);
  if (kind === 'year') return `${year}-99`;
  if (kind === 'quarter') return `${year}-${String(Number(period.slice(6)) * 3).padStart(2, '0')}q`;
  return `${year}-${period.slice(5)}`;
}

export type PeriodResult = { ok: true; period: string } | { ok: false; message: string };

/**
 * Read a typed period: `november`, `nov 2026`, `2026-11`, `this month`,
 * `last month`, `q4`, `2026-Q4`, `Q4 2026`, `this quarter`, `2026`, `last year`.
 * A month or quarter without a year is the latest one that has started.
 * Periods that have not started yet are refused.
 */
export function readPeriod(typed: string, now: number, tz: string): PeriodResult {
  const t = typed.trim().toLowerCase().replace(/\s+/g, ' ');
  const today = DateTime.fromMillis(now, { zone: tz });
  const thisMonth = periodOf(now, tz);
  const example = `for ${MONTHS[today.month - 1]}, for ${periodOf(now, tz, 'quarter')} or for ${today.year}`;
  const fail = (message: string): PeriodResult => ({ ok: false, message });
  let period: string | undefined;
  const rel = /^(this|last) (month|quarter|year)$/.exec(t);
  if (rel) {
    const p = periodOf(now, tz, rel[2] as PeriodKind);
    period = rel[1] === 'this' ? p : previousPeriod(p);
  } else if (/^\d{4}$/.test(t)) period = t;
  else if (/^\d{4}-\d{1,2}$/.test(t)) period = `${t.slice(0, 4)}-${t.slice(5).padStart(2, '0')}`;
  else {
    const q = /^(?:(\d{4})[- ]?q([1-4])|q([1-4])(?:[ -](\d{4}))?)$/.exec(t);
    const m = /^([a-z]+)(?: (\d{4}))?$/.exec(t);
    const month = m ? MONTHS.findIndex((name) => m[1]!.length >= 3 && name.startsWith(m[1]!)) : -1;
    if (q) {
      const quarter = Number(q[2] ?? q[3]);
      const year = q[1] ?? q[4];
      period = year ? `${year}-Q${quarter}` : `${quarter > today.quarter ? today.year - 1 : today.year}-Q${quarter}`;
    } else if (m && month >= 0) {
      const year = m[2] ? Number(m[2]) : month + 1 > today.month ? today.year - 1 : today.year;
      period = `${year}-${String(month + 1).padStart(2, '0')}`;
    }
  }
  if (!period) return fail(`I can't read "${typed.slice(0, 30)}" as a month, quarter or year. Type it like this: ${example}.`);
  const year = Number(period.slice(0, 4));
  if (periodKind(period) === 'month' && !(Number(period.slice(5)) >= 1 && Number(period.slice(5)) <= 12)) {
    return fail(`There is no month ${period.slice(5)}. Type it like this: ${example}.`);
  }
  if (year < 2000) return fail(`Figures go back to the year 2000 at most. Type it like this: ${example}.`);
  if (firstMonth(period) > thisMonth) {
    return fail(`${periodLabel(period)} hasn't started yet, so there is nothing to record. Type it like this: ${example}.`);
  }
  return { ok: true, period };
}

/** `2026-10` for 2026-Q4, `2026-01` for 2026: the month a period starts. */
export function firstMonth(period: string): string {
  const kind = periodKind(period);
  if (kind === 'month') return period;
  if (kind === 'year') return `${period}-01`;
  return `${period.slice(0, 4)}-${String(Number(period.slice(6)) * 3 - 2).padStart(2, '0')}`;
}

/** `Nov 2026` for months (chart axes); quarters and years as periodLabel. */
export function periodShortLabel(period: string): string {
  const label = periodLabel(period);
  return periodKind(period) === 'month' ? `${label.slice(0, 3)} ${period.slice(0, 4)}` : label;
}

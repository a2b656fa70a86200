// How notes and actions read in chat replies, reminders and exports.
import { DateTime } from 'luxon';
import { formatDay, formatMoment } from '../time/dates.js';
import type { ActionRow, ActionView } from './repo.js';

/** `Fri 27 Nov 2026`, or `Fri 27 Nov 2026, 17:00` when a time was given. */
export function dueText(a: Pick<ActionRow, 'due_date' | 'due_at' | 'due_has_time'>, tz: string): string | undefined {
  if (!a.due_date || a.due_at === null) return undefined;
  if (a.due_has_time) return formatMoment(a.due_at, tz);
  return formatDay(DateTime.fromISO(a.due_date, { zone: tz }).toMillis(), tz);
}

export function isOverdue(a: Pick<ActionRow, 'status' | 'due_at'>, now: number): boolean {
  return a.status === 'open' && a.due_at !== null && a.due_at <= now;
}

/** `#7 ben: book the hall — due Fri 27 Nov 2026` (with OVERDUE, done, or where it is from). */
export function actionLine(a: ActionView, tz: string, now: number, opts: { collab?: boolean } = {}): string {
  const due = dueText(a, tz);
  const parts = [`#${a.id} ${a.owner}: ${a.text}`];
  if (a.status === 'done') parts.push('(done)');
  else if (isOverdue(a, now)) parts.push(`— OVERDUE, was due ${due}`);
  else if (due) parts.push(`— due ${due}`);
  if (opts.collab) parts.push(`(${a.collab_name})`);
  return parts.join(' ');
}

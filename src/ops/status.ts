// The text of /status: what an admin needs to know the bot is healthy, in one message.
import { formatMoment } from '../time/dates.js';
import { plural } from '../text/format.js';
import { platformName } from './health.js';
import type { OpsService } from './service.js';
import { appVersion } from './version.js';

const DAY = 86_400_000;

export function statusText(ops: OpsService, now: number, tz: string): string {
  const lines = [`Collabot ${appVersion()}, running for ${span(now - ops.startedAt)}.`];

  lines.push('', 'Connections:');
  for (const p of ops.health.platforms()) {
    const h = ops.health.health(p)!;
    lines.push(
      h.connected
        ? `• ${platformName(p)}: connected`
        : `• ${platformName(p)}: disconnected since ${formatMoment(h.since, tz)} (${span(now - h.since)})${h.detail ? `: ${h.detail}` : ''}`,
    );
  }

  const backlog = ops.repo.backlog();
  lines.push('', 'Waiting to be sent:');
  if (!backlog.length) lines.push('• nothing: every message has gone out');
  for (const b of backlog) lines.push(`• ${platformName(b.platform)}: ${plural(b.n, 'message')}, the oldest from ${span(now - b.oldest)} ago`);

  const failures = ops.repo.failuresSince(now - DAY);
  const failed = failures.reduce((n, f) => n + f.n, 0);
  lines.push('', `Failed for good in the last 24 hours: ${failed ? plural(failed, 'message') : 'none'}`);
  for (const f of failures.slice(0, 5)) {
    const chat = f.dest.startsWith('c:') ? `"${ops.repo.chatName(f.platform, f.dest.slice(2)) ?? f.dest.slice(2)}"` : 'a direct message';
    lines.push(`• ${f.n} to ${chat} on ${platformName(f.platform)}`);
  }
  if (failures.length > 5) lines.push(`• and ${plural(failures.length - 5, 'more chat')}`);

  const jobs = ops.repo.pendingJobs();
  const total = jobs.reduce((n, j) => n + j.n, 0);
  lines.push('', `Scheduled jobs waiting: ${total}${jobs.length ? ' (' + jobs.map((j) => `${j.kind} ${j.n}`).join(', ') + ')' : ''}`);

  lines.push(`Database: ${megabytes(ops.repo.databaseBytes())}`);
  const last = ops.repo.lastBackup();
  if (!last) lines.push('Last backup: none yet. Set COLLABOT_BACKUP_DIR for a daily backup, or run npm run backup -- --to DIR');
  else if (last.ok) lines.push(`Last backup: ${formatMoment(last.started_at, tz)}, ${last.file}, ${megabytes(last.bytes ?? 0)}, checked clean`);
  else lines.push(`Last backup: ${formatMoment(last.started_at, tz)} FAILED: ${last.detail}`);

  const open = ops.alerts.openIncidents();
  if (open.length) {
    lines.push('', 'Open problems:');
    for (const o of open) lines.push(`• since ${formatMoment(o.since, tz)}: ${o.text}`);
  }
  return lines.join('\n');
}

/** `3 days 2 hours`, `14 minutes`, `40 seconds`. */
export function span(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return plural(d, 'day') + (h ? ' ' + plural(h, 'hour') : '');
  if (h) return plural(h, 'hour') + (m ? ' ' + plural(m, 'minute') : '');
  if (m) return plural(m, 'minute');
  return plural(s, 'second');
}

function megabytes(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

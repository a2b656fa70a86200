// Daily housekeeping and retention (COLLABOT_RETENTION, default 90 days): forget
// delivered messages, inbound event ids, editable-message references, delivery
// failure records and finished jobs once they are older than that. Platforms
// re-deliver within minutes or hours, so even a short retention is far beyond
// any re-delivery window. Pending and failed messages are kept for /status.
import type { DB } from '../storage/db.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Clock } from '../clock.js';

const DAY = 86_400_000;

export interface PruneCounts {
  events: number;
  outbox: number;
  refs: number;
  failures: number;
  jobs: number;
}

export function registerPruning(db: DB, scheduler: Scheduler, clock: Clock, retentionMs = 90 * DAY) {
  const s = {
    events: db.prepare<[number]>('DELETE FROM inbound_events WHERE received_at < ?'),
    // Messages that failed for good go too, once as old (by when they were written).
    outbox: db.prepare<[number, number]>(`DELETE FROM outbox WHERE (status = 'sent' AND sent_at < ?) OR (status = 'failed' AND created_at < ?)`),
    lastSent: db.prepare<[number]>('DELETE FROM outbox_last_sent WHERE sent_at < ?'),
    refs: db.prepare<[number]>('DELETE FROM message_refs WHERE saved_at < ?'),
    failures: db.prepare<[number]>('DELETE FROM delivery_failures WHERE failed_at < ?'),
    jobs: db.prepare<[number]>(`DELETE FROM jobs WHERE status IN ('done', 'cancelled') AND done_at < ?`),
  };
  const prune = (): PruneCounts => {
    const cutoff = clock.now() - retentionMs;
    s.lastSent.run(cutoff);
    return {
      events: s.events.run(cutoff).changes,
      outbox: s.outbox.run(cutoff, cutoff).changes,
      refs: s.refs.run(cutoff).changes,
      failures: s.failures.run(cutoff).changes,
      jobs: s.jobs.run(cutoff).changes,
    };
  };
  scheduler.register('core.prune', () => {
    prune();
    scheduler.schedule('core.prune', clock.now() + DAY, {}, 'core:prune');
  });
  return {
    /** Make sure the daily job exists (call at start-up). */
    ensureScheduled() {
      if (scheduler.pendingAt('core:prune') === undefined) scheduler.schedule('core.prune', clock.now() + DAY, {}, 'core:prune');
    },
    /** Prune now (the daily job does this). */
    prune,
  };
}

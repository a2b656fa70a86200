// Daily housekeeping: forget old event ids and delivered messages, so the
// tables that guard against duplicates stay small. Platforms re-deliver within
// minutes or hours, so 30 days is far beyond any re-delivery window.
import type { DB } from '../storage/db.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Clock } from '../clock.js';

const DAY = 86_400_000;
const KEEP = 30 * DAY;

export function registerPruning(db: DB, scheduler: Scheduler, clock: Clock) {
  const s = {
    events: db.prepare<[number]>('DELETE FROM inbound_events WHERE received_at < ?'),
    outbox: db.prepare<[number]>(`DELETE FROM outbox WHERE status = 'sent' AND sent_at < ?`),
    jobs: db.prepare<[number]>(`DELETE FROM jobs WHERE status IN ('done', 'cancelled') AND done_at < ?`),
  };
  scheduler.register('core.prune', () => {
    const cutoff = clock.now() - KEEP;
    s.events.run(cutoff);
    s.outbox.run(cutoff);
    s.jobs.run(cutoff);
    scheduler.schedule('core.prune', clock.now() + DAY, {}, 'core:prune');
  });
  return {
    /** Make sure the daily job exists (call at start-up). */
    ensureScheduled() {
      if (scheduler.pendingAt('core:prune') === undefined) scheduler.schedule('core.prune', clock.now() + DAY, {}, 'core:prune');
    },
  };
}

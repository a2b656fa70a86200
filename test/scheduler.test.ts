import { describe, expect, it } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import { Outbox } from '../src/outbox/outbox.js';
import { Scheduler, type Job } from '../src/scheduler/scheduler.js';
import { openDatabase } from '../src/storage/db.js';

function setup(clock = new FakeClock(), db = openDatabase(':memory:')) {
  const outbox = new Outbox(db, clock);
  const scheduler = new Scheduler(db, clock, silentLogger, outbox);
  const ran: Job[] = [];
  scheduler.register('test', (job) => {
    ran.push(job);
    outbox.enqueue({ platform: 'x', chatId: 'c' }, { text: String((job.payload as { n: number }).n) });
  });
  return { clock, db, outbox, scheduler, ran };
}

describe('scheduler', () => {
  it('runs each job once at its time, in order, with one timer', () => {
    const t = setup();
    const now = t.clock.now();
    t.scheduler.start();
    t.scheduler.schedule('test', now + 3000, { n: 3 });
    t.scheduler.schedule('test', now + 1000, { n: 1 });
    t.scheduler.schedule('test', now + 2000, { n: 2 });
    expect(t.clock.pendingTimers()).toBe(1);
    t.clock.advance(999);
    expect(t.ran).toHaveLength(0);
    t.clock.advance(2001);
    expect(t.ran.map((j) => (j.payload as { n: number }).n)).toEqual([1, 2, 3]);
    expect(t.ran.every((j) => j.lateMs === 0)).toBe(true);
    t.clock.advance(10_000);
    expect(t.ran).toHaveLength(3);
    expect(t.db.prepare(`SELECT COUNT(*) AS n FROM outbox`).get()).toEqual({ n: 3 });
  });

  it('replaces a keyed job and cancels by key', () => {
    const t = setup();
    const now = t.clock.now();
    t.scheduler.start();
    t.scheduler.schedule('test', now + 1000, { n: 1 }, 'poll:1:close');
    t.scheduler.schedule('test', now + 5000, { n: 2 }, 'poll:1:close');
    expect(t.scheduler.pendingAt('poll:1:close')).toBe(now + 5000);
    t.clock.advance(2000);
    expect(t.ran).toHaveLength(0);
    expect(t.scheduler.cancel('poll:1:close')).toBe(true);
    t.clock.advance(10_000);
    expect(t.ran).toHaveLength(0);
  });

  it('runs jobs that fell due while it was stopped once, telling the handler how late', () => {
    const t = setup();
    const now = t.clock.now();
    t.scheduler.schedule('test', now + 1000, { n: 1 });
    t.clock.advance(60_000); // the bot was down
    const restarted = new Scheduler(t.db, t.clock, silentLogger, t.outbox);
    const ran: Job[] = [];
    restarted.register('test', (job) => ran.push(job));
    restarted.start();
    restarted.start();
    expect(ran).toHaveLength(1);
    expect(ran[0]!.lateMs).toBe(59_000);
  });

  it('marks a failing job failed without stopping the others', () => {
    const t = setup();
    t.scheduler.register('broken', () => {
      throw new Error('boom');
    });
    const now = t.clock.now();
    t.scheduler.start();
    t.scheduler.schedule('broken', now + 10, {});
    t.scheduler.schedule('test', now + 20, { n: 1 });
    t.clock.advance(100);
    expect(t.ran).toHaveLength(1);
    expect(t.db.prepare(`SELECT kind, status FROM jobs ORDER BY id`).all()).toEqual([
      { kind: 'broken', status: 'failed' },
      { kind: 'test', status: 'done' },
    ]);
  });
});

describe('daily housekeeping', () => {
  it('forgets event ids and delivered messages after 30 days, and keeps rescheduling itself', async () => {
    const { createHarness } = await import('./helpers/harness.js');
    const h = await createHarness({ env: { COLLABOT_RETENTION: '30d' } });
    await h.say('/collabs');
    const count = (t: string) => (h.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
    expect(count('inbound_events')).toBe(1);
    expect(count('outbox')).toBe(0); // the plain reply went at once
    // A delivered message that keeps its origin (for failure reports) stays until it is old.
    h.db.prepare(`INSERT INTO outbox (platform, dest, body, origin, status, next_at, created_at, sent_at) VALUES ('console', 'c:main', '{}', 'poll:1', 'sent', 0, ?, ?)`).run(h.clock.now(), h.clock.now());
    h.clock.advance(29 * 86_400_000);
    expect(count('outbox')).toBe(1);
    expect(count('inbound_events')).toBe(1);
    h.clock.advance(2 * 86_400_000);
    expect(count('inbound_events')).toBe(0);
    expect(count('outbox')).toBe(0);
    expect(h.services.scheduler.pendingAt('core:prune')).toBeGreaterThan(h.clock.now());
    await h.close();
  });

  it('forgets cancelled jobs after 30 days too', async () => {
    const { createHarness } = await import('./helpers/harness.js');
    const h = await createHarness({ env: { COLLABOT_RETENTION: '30d' } });
    const { scheduler } = h.services;
    scheduler.register('test.noop', () => {});
    scheduler.schedule('test.noop', h.clock.now() + 90 * 86_400_000, {}, 'test:1');
    expect(scheduler.cancel('test:1')).toBe(true);
    const jobs = () => h.db.prepare(`SELECT key, status FROM jobs WHERE kind = 'test.noop'`).all();
    expect(jobs()).toEqual([{ key: 'test:1', status: 'cancelled' }]);
    h.clock.advance(29 * 86_400_000);
    expect(jobs()).toHaveLength(1);
    h.clock.advance(2 * 86_400_000);
    expect(jobs()).toEqual([]);
    await h.close();
  });
});

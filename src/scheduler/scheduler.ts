// One timer for every future job. Jobs live in SQLite with their due time; the
// timer sleeps until the earliest one, claims due rows atomically and runs each
// job's handler in a transaction (so the messages it writes to the outbox and
// the job's completion commit together). Nothing is held in memory per job, so
// 100,000 pending jobs cost one row each on disk and nothing in the process.
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { DB } from '../storage/db.js';

export interface Job<P = Record<string, unknown>> {
  id: number;
  kind: string;
  key: string | null;
  dueAt: number;
  payload: P;
  /** How long after its due time the job actually ran (large after downtime). */
  lateMs: number;
}

/** Runs inside the claiming transaction. Throwing rolls it back and marks the job failed. */
export type JobHandler<P = any> = (job: Job<P>) => void;

interface JobRow {
  id: number;
  kind: string;
  key: string | null;
  due_at: number;
  payload: string;
}

const MAX_TIMER_MS = 60 * 60_000; // re-check at least hourly (and never overflow setTimeout)
const BATCH = 200;

export class Scheduler {
  private handlers = new Map<string, JobHandler>();
  private timer: unknown;
  private armedFor = Infinity;
  private running = false;
  private s;

  constructor(
    private db: DB,
    private clock: Clock,
    private log: Logger,
    private outbox: Outbox,
  ) {
    this.s = {
      upsert: db.prepare<[string, string | null, number, string, number]>(
        `INSERT INTO jobs (kind, key, due_at, payload, created_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, payload = excluded.payload,
           status = 'pending', done_at = NULL, late_ms = NULL`,
      ),
      insert: db.prepare<[string, number, string, number]>('INSERT INTO jobs (kind, due_at, payload, created_at) VALUES (?, ?, ?, ?)'),
      // done_at also dates a cancellation, so housekeeping forgets cancelled jobs too.
      cancel: db.prepare<[number, string]>(`UPDATE jobs SET status = 'cancelled', done_at = ? WHERE key = ? AND status = 'pending'`),
      earliest: db.prepare<[], { t: number | null }>(`SELECT MIN(due_at) AS t FROM jobs WHERE status = 'pending'`),
      due: db.prepare<[number, number], JobRow>(`SELECT id, kind, key, due_at, payload FROM jobs WHERE status = 'pending' AND due_at <= ? ORDER BY due_at, id LIMIT ?`),
      claim: db.prepare<[number, number, number, number]>(
        `UPDATE jobs SET status = 'done', done_at = ?, late_ms = ? WHERE id = ? AND due_at = ? AND status = 'pending'`,
      ),
      fail: db.prepare<[number, number]>(`UPDATE jobs SET status = 'failed', done_at = ? WHERE id = ? AND status = 'pending'`),
      get: db.prepare<[string], { due_at: number; status: string; payload: string }>('SELECT due_at, status, payload FROM jobs WHERE key = ?'),
      pending: db.prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM jobs WHERE status = 'pending'`),
    };
  }

  /** Each kind of job (reminder, poll close, …) registers one handler. */
  register<P = any>(kind: string, handler: JobHandler<P>) {
    if (this.handlers.has(kind)) throw new Error(`job kind ${kind} registered twice`);
    this.handlers.set(kind, handler as JobHandler);
  }

  /**
   * Schedule a job. With a key, an existing job with that key is replaced
   * (re-scheduling a poll's close time, say). Call inside the caller's transaction.
   */
  schedule(kind: string, dueAt: number, payload: object = {}, key?: string): void {
    if (!this.handlers.has(kind)) throw new Error(`no handler for job kind ${kind}`);
    const json = JSON.stringify(payload);
    if (key) this.s.upsert.run(kind, key, dueAt, json, this.clock.now());
    else this.s.insert.run(kind, dueAt, json, this.clock.now());
    // If the transaction rolls back, the timer just fires early and finds nothing.
    if (this.running && dueAt < this.armedFor) this.armAt(dueAt);
  }

  cancel(key: string): boolean {
    return this.s.cancel.run(this.clock.now(), key).changes > 0;
  }

  /** The pending job with this key, if any. */
  pendingAt(key: string): number | undefined {
    const row = this.s.get.get(key);
    return row?.status === 'pending' ? row.due_at : undefined;
  }

  pendingCount(): number {
    return this.s.pending.get()!.n;
  }

  start() {
    this.running = true;
    this.runDue();
  }

  stop() {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
  }

  /** Run every job that is due now, then sleep until the next one. */
  runDue() {
    if (!this.running) return;
    let ran = 0;
    for (;;) {
      const now = this.clock.now();
      const rows = this.s.due.all(now, BATCH);
      // One commit for the batch (one disk sync, not one per job); each job in
      // its own savepoint, so a failing job is undone alone.
      this.db.transaction(() => {
        for (const row of rows) if (this.runOne(row, now)) ran++;
      })();
      if (rows.length < BATCH) break;
    }
    if (ran) this.outbox.notify();
    this.rearm();
  }

  private runOne(row: JobRow, now: number): boolean {
    const handler = this.handlers.get(row.kind);
    const job: Job = {
      id: row.id,
      kind: row.kind,
      key: row.key,
      dueAt: row.due_at,
      payload: JSON.parse(row.payload),
      lateMs: Math.max(0, now - row.due_at),
    };
    try {
      return this.db.transaction(() => {
        // Claim first: if another runner (or a re-schedule) got there, skip.
        if (this.s.claim.run(now, job.lateMs, row.id, row.due_at).changes === 0) return false;
        if (!handler) throw new Error(`no handler for job kind ${row.kind}`);
        handler(job);
        return true;
      })();
    } catch (err) {
      this.log.error({ err, jobId: row.id, kind: row.kind }, 'scheduled job failed');
      this.s.fail.run(now, row.id);
      return false;
    }
  }

  private rearm() {
    const next = this.s.earliest.get()!.t;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Infinity;
    if (next !== null) this.armAt(next);
  }

  private armAt(at: number) {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, at - this.clock.now()));
    this.armedFor = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.armedFor = Infinity;
      this.runDue();
    }, delay);
  }
}

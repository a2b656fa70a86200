// Delivers one adapter's outbox rows: in order per chat, within the platform's
// rate limits, retrying failures with backoff. Rows survive restarts, so a
// crash only means the row is tried again when the bot comes back.
//
// At most once: one send per chat is in flight at a time, and a row is claimed
// before it is sent, so no other sender in this process (a second bot on the
// same database) sends it too. A retry is only ever scheduled after the previous
// attempt has come back with an error; a slow send that later succeeds is
// recorded as sent, even after stop(); a row stays claimed until its outcome is
// recorded, however long the database refuses writes. Only a crash mid-send
// leaves it unknown whether the platform got the message: it is sent again
// after the restart (adapters can pass `deliveryId` to platforms that drop repeats).
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { NotConnectedError, PermanentSendError, RateLimitedError, type Adapter, type OutMessage, type SentRef } from '../model.js';
import { parseDest, type Outbox } from './outbox.js';
import type { OutboxRow } from './repo.js';
import { RateLimiter } from './rate-limiter.js';
import { SentBatch } from './sent-batch.js';

export interface SenderOptions {
  maxAttempts: number;
  /** Sends in flight at once (to different chats); default 8, or the platform's overall limit if higher (up to 64). */
  concurrency?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  /** A send slower than this frees its slot for other chats; its own chat waits until it comes back. */
  slowMs?: number;
  /** How long (real time) stop() waits for sends in flight to come back. */
  stopWaitMs?: number;
}

type Outcome = { sent: SentRef } | { error: unknown };

/** Longest wait between tries to record a send's outcome while the database refuses writes. */
const MAX_RECORD_RETRY_MS = 30_000;

interface Flight {
  row: OutboxRow;
  message: OutMessage;
  /** Slower than slowMs: no longer counted against concurrency. */
  slow: boolean;
  timer?: unknown;
}

export class OutboxSender {
  private running = false;
  /** Sends in flight, by destination: one per chat at a time. */
  private inFlight = new Map<string, Flight>();
  private active = 0;
  private pausedUntil = 0;
  private timer: unknown;
  private timerAt = Infinity;
  private pumping = false;
  private again = false;
  private idleWaiters: (() => void)[] = [];
  private quietWaiters: (() => void)[] = [];
  private unsubscribe?: () => void;
  private limiter: RateLimiter;
  private random: () => number;
  private concurrency: number;
  private slowMs: number;
  /** Deliveries waiting to be committed together. */
  private batch: SentBatch;

  constructor(
    private adapter: Adapter,
    private outbox: Outbox,
    private clock: Clock,
    private log: Logger,
    private opts: SenderOptions,
  ) {
    this.random = opts.random ?? Math.random;
    const rate = adapter.capabilities.rate;
    this.limiter = new RateLimiter(rate, this.random);
    this.concurrency = Math.max(1, opts.concurrency ?? Math.min(64, Math.max(8, rate?.global?.count ?? 0)));
    this.slowMs = opts.slowMs ?? 30_000;
    this.batch = new SentBatch(outbox.repo, clock, log, (ids) => {
      for (const id of ids) this.outbox.release(id);
      this.kick();
    });
  }

  start() {
    this.running = true;
    this.unsubscribe = this.outbox.subscribe(() => this.kick());
    this.kick();
  }

  /** Stop sending; resolves once the sends in flight have come back (or stopWaitMs passed). */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.inFlight.size) {
      let t: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((r) => this.quietWaiters.push(r)),
        new Promise<void>((r) => (t = setTimeout(r, this.opts.stopWaitMs ?? 5000))),
      ]);
      clearTimeout(t);
    }
    this.batch.flush();
  }

  /** Resolves when nothing is pending or in flight for this adapter. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle(): boolean {
    return this.inFlight.size === 0 && this.batch.size === 0 && !this.outbox.repo.hasPending(this.adapter.platform);
  }

  kick() {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        this.pump();
      } while (this.again && this.running);
    } catch (err) {
      this.log.error({ err, platform: this.adapter.platform }, 'outbox sender failed to read the queue');
      this.wakeAt(this.clock.now() + 1000);
    } finally {
      this.pumping = false;
    }
    // Counting the queue is only worth it when someone waits for it to empty.
    if (this.idleWaiters.length && this.isIdle()) this.idleWaiters.splice(0).forEach((w) => w());
  }

  private pump() {
    const now = this.clock.now();
    if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
    // The overall limit is used up: nothing can go, so don't read the queue.
    const full = this.limiter.globalWaitMs(now);
    if (full > 0) return this.wakeAt(now + full);
    const repo = this.outbox.repo;
    let wakeAt = Infinity;
    if (this.active < this.concurrency) {
      const platform = this.adapter.platform;
      for (const head of repo.heads(platform, now, this.concurrency + this.inFlight.size + this.batch.chats + 50)) {
        if (this.active >= this.concurrency) break;
        if (this.inFlight.has(head.dest)) continue;
        // The chat's head was sent and waits to be committed: its next message may go.
        const cursor = this.batch.cursor(head.dest);
        const row = cursor !== undefined && head.id <= cursor ? repo.after(platform, head.dest, cursor) : repo.row(head.id);
        if (!row) continue;
        if (row.next_at > now) {
          wakeAt = Math.min(wakeAt, row.next_at);
          continue;
        }
        const message = JSON.parse(row.body) as OutMessage;
        if (this.needless(row, message)) {
          // Nothing would reach the chat: done, without using up one of its sends.
          this.batch.add({ row, messageId: null });
          this.again = true;
          continue;
        }
        // A confirmation is shown privately or dropped (OutMessage.ack): it is no message in the chat.
        const chat = !message.ack;
        const wait = chat ? this.limiter.waitMs(row.dest, now) : this.limiter.globalWaitMs(now);
        if (wait > 0) {
          wakeAt = Math.min(wakeAt, now + wait);
          continue;
        }
        if (!this.outbox.claim(row.id)) {
          wakeAt = Math.min(wakeAt, now + 500); // another sender on this database is sending it: look again soon
          continue;
        }
        this.limiter.record(row.dest, now, chat);
        this.deliver(row, message);
      }
    }
    if (this.active < this.concurrency) {
      const next = repo.nextDue(this.adapter.platform);
      if (next !== null && next > now) wakeAt = Math.min(wakeAt, next);
    }
    if (wakeAt < Infinity) this.wakeAt(wakeAt);
  }

  /**
   * A live count (updateOnly) that cannot be an edit here, or that a newer view
   * of the same message waiting behind it replaces (a burst of votes), is not sent.
   */
  private needless(row: OutboxRow, message: OutMessage): boolean {
    if (!message.updateOnly) return false;
    if (!message.editKey || !this.adapter.capabilities.edit || !this.adapter.edit) return true;
    const repo = this.outbox.repo;
    return !this.ref(row, message.editKey) || repo.hasLaterEdit(row, message.editKey);
  }

  /** The platform's id of the message `editKey` names in this row's chat, committed or not yet. */
  private ref(row: OutboxRow, editKey: string): string | undefined {
    return this.batch.ref(row.dest, editKey) ?? this.outbox.repo.ref(row.platform, row.dest, editKey);
  }

  private wakeAt(at: number) {
    if (at >= this.timerAt && this.timer !== undefined) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.kick();
    }, Math.max(0, at - this.clock.now()));
  }

  private deliver(row: OutboxRow, message: OutMessage) {
    const flight: Flight = { row, message, slow: false };
    this.inFlight.set(row.dest, flight);
    this.active++;
    this.watch(flight);
    this.attempt(flight).then(
      (outcome) => this.settle(flight, outcome),
      (error) => this.settle(flight, { error }),
    );
  }

  /** A slow send frees its slot for other chats (its own chat keeps waiting for it). */
  private watch(flight: Flight) {
    flight.timer = this.clock.setTimeout(() => {
      flight.timer = undefined;
      flight.slow = true;
      this.active--;
      this.log.warn({ platform: flight.row.platform, dest: flight.row.dest, outboxId: flight.row.id }, 'send is slow; its chat waits for it');
      this.kick();
    }, this.slowMs);
  }

  /** Send, or edit the earlier message with the same editKey where the platform can (needless() dropped the rest). */
  private async attempt({ row, message }: Flight): Promise<Outcome> {
    const to = parseDest(row.platform, row.dest);
    // Row ids can come round again once a delivered reply is deleted; with the time it was written the id is unique.
    const out = { ...message, deliveryId: `${row.id}.${row.created_at}` };
    try {
      const canEdit = message.editKey && this.adapter.capabilities.edit && this.adapter.edit;
      const editRef = canEdit ? this.ref(row, message.editKey!) : undefined;
      const sent = editRef ? await this.adapter.edit!(to, editRef, out) : await this.adapter.send(to, out);
      return { sent: sent ?? {} };
    } catch (error) {
      return { error };
    }
  }

  /**
   * Record what happened to a send (also after stop(): a success must never be
   * sent again). Until it is recorded the row stays claimed and its chat waits,
   * however long that takes: releasing it unrecorded would send it again.
   */
  private settle(flight: Flight, outcome: Outcome, tries = 1): void {
    if ('sent' in outcome) {
      // Committed with others (SentBatch), which releases the row.
      this.batch.add({ row: flight.row, messageId: outcome.sent.messageId ?? null, editKey: flight.message.editKey });
      return this.settled(flight, false);
    }
    try {
      // Failures are rare: recorded at once, after the deliveries before them.
      this.batch.flush();
      this.record(flight, outcome);
    } catch (err) {
      // Typically another program holds the database's write lock: try again.
      this.log.error({ err, outboxId: flight.row.id, tries }, 'could not record a delivery; will try again');
      this.clock.setTimeout(() => this.settle(flight, outcome, tries + 1), Math.min(MAX_RECORD_RETRY_MS, 1000 * tries));
      return;
    }
    this.settled(flight, true);
  }

  private settled(flight: Flight, release: boolean) {
    if (flight.timer !== undefined) this.clock.clearTimeout(flight.timer);
    if (release) this.outbox.release(flight.row.id);
    this.inFlight.delete(flight.row.dest);
    if (!flight.slow) this.active--;
    if (!this.inFlight.size) this.quietWaiters.splice(0).forEach((w) => w());
    this.kick();
  }

  private record({ row }: Flight, outcome: { error: unknown }) {
    const repo = this.outbox.repo;
    const now = this.clock.now();
    const err = outcome.error;
    const error = err instanceof Error ? err.message : String(err);
    if (err instanceof RateLimitedError) {
      const retryAt = now + Math.max(0, err.retryAfterMs);
      // Not connected: the adapter logs the outage once; don't repeat it for every queued message.
      if (err instanceof NotConnectedError) this.log.debug({ platform: row.platform, dest: row.dest, retryAfterMs: err.retryAfterMs }, 'not connected; message kept for later');
      else this.log.warn({ platform: row.platform, dest: row.dest, retryAfterMs: err.retryAfterMs, scope: err.scope }, 'platform asked us to slow down');
      if (err.scope === 'platform') this.pausedUntil = Math.max(this.pausedUntil, retryAt);
      return repo.markRetry(row.id, false, retryAt, error);
    }
    const attempts = row.attempts + 1;
    if (err instanceof PermanentSendError || attempts >= this.opts.maxAttempts) {
      this.log.error({ platform: row.platform, dest: row.dest, outboxId: row.id, attempts, error }, 'message could not be delivered; giving up');
      return this.outbox.fail(row, error);
    }
    const base = this.opts.baseBackoffMs ?? 1000;
    const backoff = Math.min(this.opts.maxBackoffMs ?? 300_000, base * 2 ** (attempts - 1));
    const delay = Math.round(backoff * (0.8 + 0.4 * this.random()));
    this.log.warn({ platform: row.platform, dest: row.dest, outboxId: row.id, attempts, retryInMs: delay, error }, 'send failed; will retry');
    repo.markRetry(row.id, true, now + delay, error);
  }
}

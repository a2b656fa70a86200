// Delivers one adapter's outbox rows: in order per chat, within the platform's
// rate limits, retrying failures with backoff. Rows survive restarts, so a
// crash only means the row is tried again when the bot comes back.
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import { NotConnectedError, PermanentSendError, RateLimitedError, type Adapter, type OutMessage } from '../model.js';
import { parseDest, type Outbox } from './outbox.js';
import type { OutboxRow } from './repo.js';
import { RateLimiter } from './rate-limiter.js';

export interface SenderOptions {
  maxAttempts: number;
  /** Sends in flight at once (to different chats). */
  concurrency?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
}

export class OutboxSender {
  private running = false;
  private inFlight = new Set<string>();
  private timer: unknown;
  private timerAt = Infinity;
  private pumping = false;
  private again = false;
  private idleWaiters: (() => void)[] = [];
  private unsubscribe?: () => void;
  private limiter: RateLimiter;
  private random: () => number;

  constructor(
    private adapter: Adapter,
    private outbox: Outbox,
    private clock: Clock,
    private log: Logger,
    private opts: SenderOptions,
  ) {
    this.random = opts.random ?? Math.random;
    this.limiter = new RateLimiter(adapter.capabilities.rate, this.random);
  }

  start() {
    this.running = true;
    this.unsubscribe = this.outbox.subscribe(() => this.kick());
    this.kick();
  }

  stop() {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  /** Resolves when nothing is pending or in flight for this adapter. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private isIdle() {
    return this.inFlight.size === 0 && this.outbox.repo.pendingCount(this.adapter.platform) === 0;
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
    if (this.isIdle()) this.idleWaiters.splice(0).forEach((w) => w());
  }

  private pump() {
    const now = this.clock.now();
    const limit = Math.max(1, this.opts.concurrency ?? 8);
    let wakeAt = Infinity;
    const heads = this.outbox.repo.heads(this.adapter.platform, now, limit + this.inFlight.size + 50);
    for (const row of heads) {
      if (this.inFlight.size >= limit) break;
      if (this.inFlight.has(row.dest)) continue;
      const wait = this.limiter.waitMs(row.dest, now);
      if (wait > 0) {
        wakeAt = Math.min(wakeAt, now + wait);
        continue;
      }
      // The jitter delays the send, so the limits count from when it really goes out.
      const jitter = this.limiter.jitter();
      this.limiter.record(row.dest, now + jitter);
      this.deliver(row, jitter);
    }
    if (this.inFlight.size < limit) {
      const next = this.outbox.repo.nextDue(this.adapter.platform);
      if (next !== null && next > now) wakeAt = Math.min(wakeAt, next);
    }
    if (wakeAt < Infinity) this.wakeAt(wakeAt);
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

  private deliver(row: OutboxRow, jitter: number) {
    this.inFlight.add(row.dest);
    const run = async () => {
      if (jitter) await new Promise<void>((r) => this.clock.setTimeout(r, jitter));
      await this.sendRow(row);
    };
    run()
      .catch((err) => this.log.error({ err, outboxId: row.id }, 'outbox delivery crashed'))
      .finally(() => {
        this.inFlight.delete(row.dest);
        this.kick();
      });
  }

  private async sendRow(row: OutboxRow) {
    const to = parseDest(row.platform, row.dest);
    const message = JSON.parse(row.body) as OutMessage;
    const repo = this.outbox.repo;
    try {
      const editRef = message.editKey ? repo.ref(row.platform, row.dest, message.editKey) : undefined;
      const canEdit = editRef && this.adapter.capabilities.edit && this.adapter.edit;
      if (message.updateOnly && !canEdit) {
        repo.markSent(row.id, null, this.clock.now()); // nothing to update here: skip rather than spam
        return;
      }
      const sent = canEdit ? await this.adapter.edit!(to, editRef, message) : await this.adapter.send(to, message);
      if (!this.running) return;
      const now = this.clock.now();
      repo.markSent(row.id, sent.messageId ?? null, now);
      if (message.editKey && sent.messageId) repo.saveRef(row.platform, row.dest, message.editKey, sent.messageId);
    } catch (err) {
      if (!this.running) return;
      const error = err instanceof Error ? err.message : String(err);
      const now = this.clock.now();
      if (err instanceof RateLimitedError) {
        // Not connected: the adapter logs the outage once; don't repeat it for every queued message.
        if (err instanceof NotConnectedError) this.log.debug({ platform: row.platform, dest: row.dest, retryAfterMs: err.retryAfterMs }, 'not connected; message kept for later');
        else this.log.warn({ platform: row.platform, dest: row.dest, retryAfterMs: err.retryAfterMs }, 'platform asked us to slow down');
        repo.markRetry(row.id, false, now + Math.max(0, err.retryAfterMs), error);
        return;
      }
      const attempts = row.attempts + 1;
      if (err instanceof PermanentSendError || attempts >= this.opts.maxAttempts) {
        this.log.error({ platform: row.platform, dest: row.dest, outboxId: row.id, attempts, error }, 'message could not be delivered; giving up');
        this.outbox.fail(row, error);
        return;
      }
      const base = this.opts.baseBackoffMs ?? 1000;
      const backoff = Math.min(this.opts.maxBackoffMs ?? 300_000, base * 2 ** (attempts - 1));
      const delay = Math.round(backoff * (0.8 + 0.4 * this.random()));
      this.log.warn({ platform: row.platform, dest: row.dest, outboxId: row.id, attempts, retryInMs: delay, error }, 'send failed; will retry');
      repo.markRetry(row.id, true, now + delay, error);
    }
  }
}

// The durable outbox: every outgoing message is a row written in the same
// transaction as the change that caused it. Senders deliver rows after commit.
import type { Clock } from '../clock.js';
import type { Destination, OutMessage } from '../model.js';
import { scrub } from '../logger.js';
import type { DB } from '../storage/db.js';
import { OutboxRepo, type OutboxRow } from './repo.js';

export interface EnqueueOptions {
  /** At most one message is ever written per key (e.g. `minutes:3:slack:C123`). */
  idemKey?: string;
  /** What caused it, e.g. `minutes:3`; failure hooks receive it. */
  origin?: string;
}

/** Called (inside a transaction) when a message could not be delivered after every attempt. */
export type FailureHook = (row: OutboxRow, to: Destination) => void;

export function destKey(to: Destination): string {
  return to.chatId !== undefined ? `c:${to.chatId}` : `u:${to.userId}`;
}

export function parseDest(platform: string, dest: string): Destination {
  const id = dest.slice(2);
  return dest.startsWith('c:') ? { platform, chatId: id } : { platform, userId: id };
}

export class Outbox {
  readonly repo: OutboxRepo;
  private listeners = new Set<() => void>();
  private failureHooks: FailureHook[] = [];

  constructor(
    private db: DB,
    private clock: Clock,
    /** Values (tokens) that must never leave in a message, even if a user typed them. */
    private secrets: string[] = [],
  ) {
    this.repo = new OutboxRepo(db);
  }

  /** Write a message to the outbox. Returns its id, or null if the idempotency key was used before. */
  enqueue(to: Destination, message: OutMessage, opts: EnqueueOptions = {}): number | null {
    const now = this.clock.now();
    const body = scrub(JSON.stringify(message), this.secrets);
    return this.repo.insert(to.platform, destKey(to), body, opts.idemKey ?? null, opts.origin ?? null, now, now);
  }

  /** Wake the senders; call after the transaction that enqueued has committed. */
  notify() {
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onFailure(hook: FailureHook) {
    this.failureHooks.push(hook);
  }

  /** Mark a row failed for good and let features react (e.g. tell a delegate), in one transaction. */
  fail(row: OutboxRow, error: string) {
    this.db.transaction(() => {
      this.repo.markFailed(row.id, error);
      const to = parseDest(row.platform, row.dest);
      for (const hook of this.failureHooks) hook(row, to);
    })();
    this.notify();
  }
}

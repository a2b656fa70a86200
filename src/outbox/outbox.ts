// The durable outbox: every outgoing message is a row written in the same
// transaction as the change that caused it. Senders deliver rows after commit.
import type { Clock } from '../clock.js';
import type { Destination, OutMessage } from '../model.js';
import { scrub } from '../logger.js';
import type { DB } from '../storage/db.js';
import { OutboxRepo, type OutboxRow } from './repo.js';
import { splitText } from '../text/split.js';

export interface EnqueueOptions {
  /**
   * At most one message is ever written per key (e.g. `minutes:3:slack:C123`).
   * A message split into parts keeps the key on its first part; later parts get `<key>#2`, `<key>#3`...
   */
  idemKey?: string;
  /** What caused it, e.g. `minutes:3`; failure hooks receive it. */
  origin?: string;
}

/** Called (inside a transaction) when a message could not be delivered after every attempt. */
export type FailureHook = (row: OutboxRow, to: Destination) => void;

/**
 * Rows being sent right now by any sender in this process, per database: a
 * second bot on the same database file (a restart while the first one's sends
 * are still out) leaves them alone. One bot process per database.
 */
const sending = new Map<unknown, Set<number>>();

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
  private refusals: ((to: Destination) => boolean)[] = [];
  private maxLength = new Map<string, number>();
  private canEdit = new Map<string, boolean>();

  constructor(
    private db: DB,
    private clock: Clock,
    /** Values (tokens) that must never leave in a message, even if a user typed them. */
    private secrets: string[] = [],
  ) {
    this.repo = new OutboxRepo(db);
  }

  /** The longest message a platform takes (its adapter's capabilities.maxMessageLength); longer text is split. */
  setMaxMessageLength(platform: string, max: number) {
    this.maxLength.set(platform, max);
  }

  /**
   * Whether a platform's adapter can edit sent messages. Live counts
   * (updateOnly) for one that cannot are never written: they could only be
   * dropped at send time, after costing a row and a commit each.
   */
  setCanEdit(platform: string, canEdit: boolean) {
    this.canEdit.set(platform, canEdit);
  }

  /**
   * Write a message to the outbox. Returns its id (the first part's, if split),
   * or null if the idempotency key was used before. Text longer than the
   * platform's limit becomes several messages, delivered in order; messages
   * that show a poll or are edited in place are never split.
   */
  /** Whether live counts (updateOnly messages) for this platform are written at all. */
  private takesUpdates(platform: string): boolean {
    return this.canEdit.get(platform) !== false;
  }

  /** A live count (updateOnly) for each destination that can edit; drawn only if one can. */
  enqueueUpdate(to: Destination[], draw: () => OutMessage, opts: EnqueueOptions = {}) {
    const editing = to.filter((d) => this.takesUpdates(d.platform));
    if (!editing.length) return;
    const message = draw();
    for (const d of editing) this.enqueue(d, message, opts);
  }

  enqueue(to: Destination, message: OutMessage, opts: EnqueueOptions = {}): number | null {
    if (message.updateOnly && !this.takesUpdates(to.platform)) return null;
    if (this.refusals.length && this.refusals.some((refuses) => refuses(to))) return null;
    const now = this.clock.now();
    const insert = (m: OutMessage, key: string | null) =>
      this.repo.insert(to.platform, destKey(to), scrub(JSON.stringify(m), this.secrets), key, opts.origin ?? null, now, now);
    const max = this.maxLength.get(to.platform);
    const text = scrub(message.text, this.secrets); // before splitting, so no secret is cut in two
    if (!max || text.length <= max || message.poll || message.editKey) return insert(message, opts.idemKey ?? null);
    const parts = splitText(text, max);
    return this.db.transaction(() => {
      const first = insert({ ...message, text: parts[0]! }, opts.idemKey ?? null);
      if (first === null) return null;
      parts.slice(1).forEach((part, i) => insert({ ...message, text: part }, opts.idemKey ? `${opts.idemKey}#${i + 2}` : null));
      return first;
    })();
  }

  /** The longest message the platform takes, if known. */
  maxLengthOf(platform: string): number | undefined {
    return this.maxLength.get(platform);
  }

  /** Is a sender in this process sending this row now? */
  isClaimed(id: number): boolean {
    return !!sending.get(this.db.memory ? this.db : this.db.name)?.has(id);
  }

  /** Rewrite the text of a row not yet sent (see DueDigest); false if it was sent or is being sent. */
  replaceText(id: number, text: string): boolean {
    if (this.isClaimed(id)) return false;
    return this.replaceBody.run(scrub(JSON.stringify({ text }), this.secrets), id).changes === 1;
  }
  private get replaceBody() {
    return (this._replaceBody ??= this.db.prepare<[string, number]>(`UPDATE outbox SET body = ? WHERE id = ? AND status = 'pending'`));
  }
  private _replaceBody?: ReturnType<DB['prepare']> & { run(body: string, id: number): { changes: number } };

  /** Reserve a row for sending; false if another sender in this process is sending it. */
  claim(id: number): boolean {
    const key = this.db.memory ? this.db : this.db.name;
    let held = sending.get(key);
    if (!held) sending.set(key, (held = new Set()));
    if (held.has(id)) return false;
    held.add(id);
    return true;
  }

  /** The send of this row has come back and its outcome is recorded. */
  release(id: number) {
    const key = this.db.memory ? this.db : this.db.name;
    const held = sending.get(key);
    held?.delete(id);
    if (held && !held.size) sending.delete(key);
  }

  /** Wake the senders; call after the transaction that enqueued has committed. */
  notify() {
    for (const l of this.listeners) l();
  }

  subscribe(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Destinations for which nothing is queued (a chat the bot is no longer in): enqueue returns null. */
  refuse(check: (to: Destination) => boolean) {
    this.refusals.push(check);
  }

  onFailure(hook: FailureHook) {
    this.failureHooks.push(hook);
  }

  /** Mark a row failed for good and let features react (e.g. tell a delegate), in one transaction. */
  fail(row: OutboxRow, error: string) {
    this.db.transaction(() => this.failWithin(row, error))();
    this.notify();
  }

  /** The same inside the caller's transaction; the caller notifies once it has committed. */
  failWithin(row: OutboxRow, error: string) {
    this.repo.markFailed(row.id, error);
    const to = parseDest(row.platform, row.dest);
    for (const hook of this.failureHooks) hook(row, to);
  }
}

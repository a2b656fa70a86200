// Group commit for one sender: sends that came back are recorded together, in
// one transaction once the current burst of work is done (or every `max`
// records), instead of one durable commit each. Until a record is committed its
// row stays claimed and its chat's cursor says it was sent, so it is never sent
// twice by this process and the chat's next message can go out meanwhile. A
// crash before the commit means those messages are sent again after a restart,
// as with a crash mid-send (the user's own change was committed before any
// reply, so nothing acknowledged is lost).
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { OutboxRepo, SentRecord } from './repo.js';

/** Longest wait between tries to record while the database refuses writes. */
const MAX_RETRY_MS = 30_000;

export class SentBatch {
  private records: SentRecord[] = [];
  /** Per chat: the newest row whose delivery is not committed yet. */
  private cursors = new Map<string, number>();
  /** Platform message ids not committed yet, by chat and editKey, for edits that follow at once. */
  private refs = new Map<string, string>();
  private scheduled = false;
  private retryTimer: unknown;
  private tries = 0;

  constructor(
    private repo: OutboxRepo,
    private clock: Clock,
    private log: Logger,
    /** After a commit: the rows it recorded. */
    private onFlushed: (ids: number[]) => void,
    private max = 64,
  ) {}

  get size() {
    return this.records.length;
  }

  /** Chats with uncommitted deliveries. */
  get chats() {
    return this.cursors.size;
  }

  add(record: SentRecord) {
    this.records.push(record);
    this.cursors.set(record.row.dest, record.row.id);
    if (record.editKey && record.messageId) this.refs.set(refKey(record.row.dest, record.editKey), record.messageId);
    if (this.records.length >= this.max) this.flush();
    else if (!this.scheduled && this.retryTimer === undefined) {
      this.scheduled = true;
      // After the current burst (a chunk of input lines, a round of sends) has run.
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  /** The newest uncommitted row sent to `dest`, if any: rows up to it are done. */
  cursor(dest: string): number | undefined {
    return this.cursors.get(dest);
  }

  ref(dest: string, editKey: string): string | undefined {
    return this.refs.get(refKey(dest, editKey));
  }

  /** Commit what is waiting; false (and a retry later) if the database refused. */
  flush(): boolean {
    if (!this.records.length) return true;
    try {
      this.repo.recordSent(this.records, this.clock.now());
    } catch (err) {
      // Typically another program holds the database's write lock: try again.
      this.tries++;
      this.log.error({ err, records: this.records.length, tries: this.tries }, 'could not record deliveries; will try again');
      if (this.retryTimer === undefined) {
        this.retryTimer = this.clock.setTimeout(() => {
          this.retryTimer = undefined;
          this.flush();
        }, Math.min(MAX_RETRY_MS, 1000 * this.tries));
      }
      return false;
    }
    this.tries = 0;
    const ids = this.records.map((r) => r.row.id);
    this.records = [];
    this.cursors.clear();
    this.refs.clear();
    this.onFlushed(ids);
    return true;
  }
}

function refKey(dest: string, editKey: string) {
  return `${dest}\u0000${editKey}`;
}

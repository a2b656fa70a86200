// Reminders and action nudges that fall due in the same minute for the same
// chat go out as one message listing them, not one message each (on WhatsApp
// a burst of messages gets the bot's number banned). The first item is sent as
// it is; each further one in that minute rewrites the still-unsent message to
// list them all, or, once it is being sent or full, starts the next one.
import type { Clock } from '../clock.js';
import type { Destination } from '../model.js';
import type { DB } from '../storage/db.js';
import { destKey, type Outbox } from './outbox.js';

export interface DueDigestDeps {
  db: DB;
  outbox: Outbox;
  clock: Clock;
}

export class DueDigest {
  private s;
  private outbox: Outbox;
  private clock: Clock;
  constructor({ db, outbox, clock }: DueDigestDeps) {
    this.outbox = outbox;
    this.clock = clock;
    this.s = {
      item: db.prepare<[string], { outbox_id: number }>('SELECT outbox_id FROM due_digest_items WHERE idem_key = ?'),
      addItem: db.prepare<[string, number, string]>('INSERT INTO due_digest_items (idem_key, outbox_id, text) VALUES (?, ?, ?)'),
      items: db.prepare<[number], { text: string }>('SELECT text FROM due_digest_items WHERE outbox_id = ? ORDER BY rowid'),
      row: db.prepare<[string], { id: number; status: string }>('SELECT id, status FROM outbox WHERE idem_key = ?'),
    };
  }

  /** Send `text` to `to`, in one message with whatever else falls due there this minute. `idemKey` names the item. */
  send(to: Destination, text: string, opts: { idemKey: string; origin: string }) {
    if (this.s.item.get(opts.idemKey)) return; // already sent (the job ran twice)
    const base = `due:${to.platform}:${destKey(to)}:${Math.floor(this.clock.now() / 60_000)}`;
    const max = this.outbox.maxLengthOf(to.platform) ?? Infinity;
    for (let n = 1; ; n++) {
      const key = n === 1 ? base : `${base}/${n}`;
      const row = this.s.row.get(key);
      if (!row) {
        const id = this.outbox.enqueue(to, { text }, { idemKey: key, origin: opts.origin });
        if (id !== null) this.s.addItem.run(opts.idemKey, id, text);
        return;
      }
      if (row.status !== 'pending' || this.outbox.isClaimed(row.id)) continue;
      const body = digestText([...this.s.items.all(row.id).map((i) => i.text), text]);
      if (body.length > max || !this.outbox.replaceText(row.id, body)) continue;
      this.s.addItem.run(opts.idemKey, row.id, text);
      return;
    }
  }
}

/** One item as it is; several as a list. */
export function digestText(items: string[]): string {
  if (items.length === 1) return items[0]!;
  return [`${items.length} reminders due now:`, ...items.map((t) => `• ${t.replace(/\n/g, '\n  ')}`)].join('\n');
}

// The outbox's fast path: queue heads kept by triggers (checked against the
// query they replace), deliveries recorded in groups, and live counts written
// only for platforms that can edit.
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeClock } from '../src/clock.js';
import { silentLogger } from '../src/logger.js';
import type { Capabilities } from '../src/model.js';
import { Outbox } from '../src/outbox/outbox.js';
import { OutboxSender } from '../src/outbox/sender.js';
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openDatabase, type DB } from '../src/storage/db.js';
import { tempDb } from './helpers/console-process.js';
import { createHarness, RecordingAdapter, type Harness } from './helpers/harness.js';
import { settle as settleTurns } from './helpers/settle.js';

const MIGRATIONS = join(import.meta.dirname, '..', 'src', 'storage', 'migrations');

const settle = () => settleTurns(10);
const caps = (edit: boolean): Capabilities => ({ buttons: false, nativePolls: false, threads: false, edit, maxMessageLength: 1000, markdown: 'plain' });

/** Each chat's oldest pending row, found the slow way (the query outbox_queues replaced). */
function headsByScan(db: DB) {
  return db
    .prepare(
      `SELECT o.platform, o.dest, o.id AS head_id, o.next_at FROM outbox o WHERE o.status = 'pending'
       AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.platform = o.platform AND p.status = 'pending' AND p.dest = o.dest) ORDER BY o.id`,
    )
    .all();
}
const heads = (db: DB) => db.prepare('SELECT platform, dest, head_id, next_at FROM outbox_queues ORDER BY head_id').all();

describe('outbox queue heads', () => {
  it('always name each chat’s oldest pending message, whatever is written, sent, retried, failed or deleted', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), platform: fc.constantFrom('p', 'q'), chat: fc.integer({ min: 0, max: 4 }) }),
      fc.record({ kind: fc.constantFrom('sent' as const, 'failed' as const, 'retry' as const, 'delete' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const db = openDatabase(':memory:');
        const outbox = new Outbox(db, new FakeClock());
        let t = 0;
        for (const o of ops) {
          if (o.kind === 'add') {
            outbox.enqueue({ platform: o.platform, chatId: `c${o.chat}` }, { text: 'hi' });
            continue;
          }
          const ids = db.prepare(`SELECT id FROM outbox WHERE status = 'pending' ORDER BY id`).pluck().all() as number[];
          if (!ids.length) continue;
          const id = ids[o.pick % ids.length]!;
          if (o.kind === 'sent') outbox.repo.recordSent([{ row: outbox.repo.row(id)!, messageId: 'm' }], ++t);
          else if (o.kind === 'failed') outbox.repo.markFailed(id, 'no');
          else if (o.kind === 'retry') outbox.repo.markRetry(id, true, 1000 + ++t, 'later');
          else db.prepare('DELETE FROM outbox WHERE id = ?').run(id);
        }
        expect(heads(db)).toEqual(headsByScan(db));
        db.close();
      }),
      { numRuns: 150 },
    );
  });

  it('are built by the migration for messages queued before the upgrade', () => {
    // A database as it was before migration 200: the earlier migrations only.
    const old = mkdtempSync(join(tmpdir(), 'collabot-old-migrations-'));
    for (const f of readdirSync(MIGRATIONS)) if (parseInt(f, 10) < 200) copyFileSync(join(MIGRATIONS, f), join(old, f));
    const db = new Database(':memory:');
    migrate(db, old);
    const insert = db.prepare(`INSERT INTO outbox (platform, dest, body, status, next_at, created_at) VALUES ('p', ?, '{}', ?, ?, 0)`);
    for (const [dest, status, at] of [['c:a', 'sent', 1], ['c:a', 'pending', 5], ['c:b', 'pending', 2], ['c:a', 'pending', 3], ['c:c', 'failed', 0]] as const) insert.run(dest, status, at);
    migrate(db, MIGRATIONS);
    expect(heads(db)).toEqual([
      { platform: 'p', dest: 'c:a', head_id: 2, next_at: 5 },
      { platform: 'p', dest: 'c:b', head_id: 3, next_at: 2 },
    ]);
    expect(heads(db)).toEqual(headsByScan(db));
  });
});

describe('outbox sender: group commit', () => {
  it('records a burst of deliveries in a few commits, in order, and leaves nothing pending', async () => {
    const db = openDatabase(tempDb());
    const clock = new FakeClock();
    const outbox = new Outbox(db, clock);
    const adapter = new RecordingAdapter('fake', caps(false));
    const record = vi.spyOn(outbox.repo, 'recordSent');
    const sender = new OutboxSender(adapter, outbox, clock, silentLogger, { maxAttempts: 3 });
    sender.start();
    for (let i = 0; i < 300; i++) {
      outbox.enqueue({ platform: 'fake', chatId: i % 3 ? 'a' : 'b' }, { text: `m${i}` });
      outbox.notify();
    }
    await sender.idle();
    expect(adapter.sent).toHaveLength(300);
    expect(adapter.sent.filter((s) => s.to.chatId === 'a').map((s) => s.message.text)).toEqual(
      Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 3).map((i) => `m${i}`),
    );
    // Nothing pending or failed; delivered plain messages are deleted.
    expect(db.prepare(`SELECT status, COUNT(*) AS n FROM outbox GROUP BY status`).all()).toEqual([]);
    // One commit per send would be 300.
    expect(record.mock.calls.length).toBeLessThanOrEqual(300 / 20);
    await sender.stop();
    db.close();
  });

  it('edits with a message id that is not committed yet', async () => {
    const clock = new FakeClock();
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, clock);
    const adapter = new RecordingAdapter('fake', caps(true));
    const sender = new OutboxSender(adapter, outbox, clock, silentLogger, { maxAttempts: 3 });
    sender.start();
    const to = { platform: 'fake', chatId: 'a' };
    outbox.enqueue(to, { text: 'poll v1', editKey: 'poll:1' });
    outbox.enqueue(to, { text: 'poll v2', editKey: 'poll:1', updateOnly: true });
    outbox.notify();
    await settle();
    expect(adapter.sent.map((s) => [s.message.text, !!s.edited])).toEqual([
      ['poll v1', false],
      ['poll v2', true],
    ]);
    expect(db.prepare('SELECT message_id FROM message_refs').pluck().all()).toEqual(['fake-1']);
  });

  it('commits what came back when stopped', async () => {
    const clock = new FakeClock();
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, clock);
    const adapter = new RecordingAdapter('fake', caps(false));
    const sender = new OutboxSender(adapter, outbox, clock, silentLogger, { maxAttempts: 3 });
    sender.start();
    outbox.enqueue({ platform: 'fake', chatId: 'a' }, { text: 'bye' });
    outbox.notify();
    await Promise.resolve();
    await Promise.resolve();
    await sender.stop(); // before the deferred commit has run
    expect(adapter.sent).toHaveLength(1);
    expect(db.prepare(`SELECT COUNT(*) FROM outbox`).pluck().get()).toBe(0); // recorded, so deleted
  });
});

describe('delivered messages', () => {
  it('are deleted unless a key or an origin may need them later, and the chat remembers when it last got one', async () => {
    const clock = new FakeClock();
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, clock);
    const adapter = new RecordingAdapter('fake', caps(false));
    const sender = new OutboxSender(adapter, outbox, clock, silentLogger, { maxAttempts: 3 });
    sender.start();
    const to = { platform: 'fake', chatId: 'a' };
    outbox.enqueue(to, { text: 'Thanks ana: your vote is counted.' });
    outbox.enqueue(to, { text: 'Minutes #3' }, { idemKey: 'minutes:3:fake:a', origin: 'minutes:3' });
    outbox.enqueue(to, { text: 'Reminder' }, { origin: 'reminder:1' });
    outbox.enqueue(to, { text: 'not yet' });
    outbox.notify();
    await sender.idle();
    expect(adapter.sent.map((s) => s.message.text)).toEqual(['Thanks ana: your vote is counted.', 'Minutes #3', 'Reminder', 'not yet']);
    expect(db.prepare('SELECT status, body FROM outbox ORDER BY id').all()).toEqual([
      { status: 'sent', body: JSON.stringify({ text: 'Minutes #3' }) },
      { status: 'sent', body: JSON.stringify({ text: 'Reminder' }) },
    ]);
    expect(db.prepare('SELECT platform, dest, sent_at FROM outbox_last_sent').all()).toEqual([{ platform: 'fake', dest: 'c:a', sent_at: clock.now() }]);
  });
});

describe('live counts', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('are written only for platforms that can edit a sent message', async () => {
    h = await createHarness({
      admins: 'console:ana,slack:sam',
      platforms: ['console', 'slack'],
      adapterFor: (p, timeline) => new RecordingAdapter(p, caps(p === 'slack'), timeline),
    });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/subscribe polls', { as: 'ana' });
    await h.say('/collab create Slack Group', { as: 'sam', in: 'general', platform: 'slack' });
    await h.say('/subscribe polls', { as: 'sam', in: 'general', platform: 'slack' });
    await h.say('/poll "Sector view?" "Yes" "No" --everywhere', { as: 'ana' });
    await h.say('/vote 1 yes', { as: 'ben' });
    await h.say('/vote 1 no', { as: 'tom', in: 'general', platform: 'slack' });
    const live = h.db.prepare(`SELECT platform, dest FROM outbox WHERE json_extract(body, '$.updateOnly')`).all();
    expect(live).toEqual([
      { platform: 'slack', dest: 'c:general' },
      { platform: 'slack', dest: 'c:general' },
    ]);
    const edits = h.adapter('slack').sent.filter((s) => s.edited);
    expect(edits.at(-1)!.message.poll).toMatchObject({ voters: 2 });
    expect(h.adapter('console').sent.some((s) => s.edited)).toBe(false);
  });
});

describe('recording a delivery', () => {
  it('records nothing for a message erased while it was being sent, and never touches the new message given its id', () => {
    const clock = new FakeClock();
    const db = openDatabase(':memory:');
    const outbox = new Outbox(db, clock);
    const to = { platform: 'fake', userId: 'ben' };
    const id = outbox.enqueue(to, { text: 'your link code' })!;
    const inFlight = outbox.repo.row(id)!;
    db.prepare('DELETE FROM outbox WHERE id = ?').run(id); // /forget erased ben meanwhile
    clock.advance(1);
    const next = outbox.enqueue({ platform: 'fake', chatId: 'main' }, { text: 'Done: ben has been erased.' })!;
    expect(next).toBe(id); // SQLite hands the freed id out again
    outbox.repo.recordSent([{ row: inFlight, messageId: 'm1' }], clock.now());
    expect(db.prepare('SELECT status, dest FROM outbox').all()).toEqual([{ status: 'pending', dest: 'c:main' }]);
    expect(db.prepare('SELECT COUNT(*) FROM outbox_last_sent').pluck().get()).toBe(0);
  });
});

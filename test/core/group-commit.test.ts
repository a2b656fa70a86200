// Group commit: events that reach the core together (a burst of piped lines,
// many chats at once) share one durable commit, each in its own savepoint.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { AdapterHooks, InboundSink } from '../../src/model.js';
import { openDatabase } from '../../src/storage/db.js';
import { tempDb } from '../helpers/console-process.js';
import { messageEvent, testCommand } from '../helpers/core-events.js';
import { createHarness, RecordingAdapter, type Harness } from '../helpers/harness.js';
import { walCommits } from '../helpers/sqlite-pages.js';

let h: Harness;
afterEach(async () => h?.close());

const boom = testCommand('boom', (ctx) => {
  ctx.services.people.ensure('console', 'ghost', 'ghost'); // changes that must be undone
  ctx.reply('half done');
  throw new Error('crash');
});

/** A message from `as` in the chat main. */
const event = (text: string, as: string) => messageEvent(text, { as });

/** A bot on a file database whose WAL is never folded back, so its commits can be counted. */
async function fileHarness(opts: Parameters<typeof createHarness>[0] = {}) {
  const path = tempDb();
  const db = openDatabase(path);
  db.pragma('wal_autocheckpoint = 0');
  const harness = await createHarness({ ...opts, db });
  const base = walCommits(readFileSync(path + '-wal'));
  return { harness, commits: () => walCommits(readFileSync(path + '-wal')) - base };
}

describe('group commit', () => {
  it('answers events that arrive together in order, in one commit, and undoes only the one that crashed', async () => {
    const { harness, commits } = await fileHarness({ admins: 'console:ana', commands: [boom] });
    h = harness;
    const first = event('/collab create Forum', 'ana');
    const burst = [
      first,
      event('/poll "Which day?" "Tuesday" "Thursday"', 'ana'),
      event('/vote 1 1', 'ben'),
      event('/boom', 'ben'),
      { ...first }, // re-delivered
      event('/vote 1 2', 'cara'),
    ];
    await Promise.all(burst.map((e) => h.bot.handle(e)));
    expect(commits()).toBe(1); // (the replies' deliveries are recorded later, in commits of their own)
    await h.flush();
    const lines = h.take();
    expect(lines).toHaveLength(5);
    expect(lines[0]).toContain('Done: this chat is now the collab "Forum"');
    expect(lines[1]).toContain('Poll #1: Which day?');
    expect(lines[2]).toContain('Thanks ben: your vote in poll #1 is counted: Tuesday.');
    expect(lines[3]).toMatch(/Sorry, something went wrong on my side and nothing was changed/);
    expect(lines[4]).toContain('Thanks cara: your vote in poll #1 is counted: Thursday.\nNow: Tuesday 1 · Thursday 1');
    expect(lines.join('\n')).not.toContain('half done');
    expect(h.db.prepare(`SELECT COUNT(*) FROM people WHERE display_name = 'ghost'`).pluck().get()).toBe(0);
    expect(h.db.prepare('SELECT COUNT(*) FROM inbound_events').pluck().get()).toBe(5);
  });

  it('answers one event at a time as it comes, and a burst longer than a commit holds in several', async () => {
    const { harness, commits } = await fileHarness({ admins: 'console:ana' });
    h = harness;
    await h.bot.handle(event('/collab create Forum', 'ana'));
    expect(commits()).toBe(1);
    await h.flush();
    expect(h.take()).toHaveLength(1);
    const before = commits();
    await Promise.all(Array.from({ length: 300 }, (_, i) => h.bot.handle(event('/collabs', `p${i}`))));
    expect(commits() - before).toBe(3); // 128 events a commit at most
    await h.flush();
    expect(h.take()).toHaveLength(300);
  });

  it('commits the events it has taken when it stops', async () => {
    h = await createHarness({ admins: 'console:ana' });
    const taken = h.bot.handle(event('/collab create Forum', 'ana'));
    await h.bot.shutdown(1000);
    await taken;
    expect(h.db.prepare('SELECT name FROM collabs').pluck().all()).toEqual(['Forum']);
    await h.bot.handle(event('/collabs', 'ana')); // stopped: not taken
    expect(h.db.prepare('SELECT COUNT(*) FROM inbound_events').pluck().get()).toBe(1);
  });

  it('answers even when the work after a commit fails, and never leaves an adapter waiting', async () => {
    h = await createHarness({ admins: 'console:ana' });
    h.bot.services.polls.scrubAfterCommit = () => {
      throw new Error('disk I/O error');
    };
    await Promise.race([
      Promise.all([h.bot.handle(event('/collab create Forum', 'ana')), h.bot.handle(event('/collabs', 'ben'))]),
      new Promise((_, fail) => setTimeout(() => fail(new Error('handle never resolved')), 2000)),
    ]);
    expect(h.db.prepare('SELECT COUNT(*) FROM inbound_events').pluck().get()).toBe(2);
  });

  it('when SQLite undoes the shared transaction, handles the events one at a time, so only the failing one is lost', async () => {
    let failures = 1;
    const undoes = testCommand(
      'undoes',
      (ctx) => {
        if (failures-- > 0) {
          h.db.exec('ROLLBACK');
          throw new Error('database or disk is full');
        }
        ctx.reply('done this time');
      },
      'Undoes the whole transaction once, as a full disk does (test only)',
    );
    h = await createHarness({ admins: 'console:ana', commands: [undoes] });
    await Promise.all([h.bot.handle(event('/collab create Forum', 'ana')), h.bot.handle(event('/undoes', 'ben')), h.bot.handle(event('/collabs', 'cara'))]);
    await h.flush();
    const lines = h.take();
    expect(lines[0]).toContain('Done: this chat is now the collab "Forum"');
    expect(lines.slice(1)).toEqual(['[main] done this time', expect.stringContaining('[main] 1 collab:')]);
    expect(h.db.prepare('SELECT COUNT(*) FROM inbound_events').pluck().get()).toBe(3);
  });

  it('handles the events that came before a change to a chat before the change', async () => {
    let hooks: AdapterHooks | undefined;
    class HookedAdapter extends RecordingAdapter {
      override async start(sink: InboundSink, given?: AdapterHooks) {
        hooks = given;
        return super.start(sink);
      }
    }
    h = await createHarness({ admins: 'console:ana', adapterFor: (p, timeline) => new HookedAdapter(p, undefined, timeline) });
    await h.say('/collab create Forum', { as: 'ana' });
    const before = h.bot.handle(event('/collabs', 'ben')); // taken, not yet committed
    hooks!.chatChanged!({ kind: 'bot_removed', platform: 'console', chatId: 'main' });
    await before;
    // The command counted as seen before the bot was removed, so the chat stays removed.
    expect(h.db.prepare(`SELECT removed_at IS NOT NULL FROM chat_life WHERE chat_id = 'main'`).pluck().get()).toBe(1);
  });
});

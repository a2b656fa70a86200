// Migration 160: jobs stored under the old kind names run under the new ones.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/db.js';

describe('job kinds named feature.verb', () => {
  it('renames the jobs a database already holds, and leaves others alone', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'collabot-kinds-')), 'db.sqlite');
    const db = openDatabase(path);
    // As a database from before the migration: its jobs under the old names.
    db.prepare('DELETE FROM schema_migrations WHERE version = 160').run();
    const old = ['poll.close', 'poll.warn', 'grants.nudge', 'grants.report-due', 'action.due', 'reminder', 'minutes.undelivered', 'core.prune'];
    const insert = db.prepare("INSERT INTO jobs (kind, key, due_at, created_at) VALUES (?, ?, 1, 0)");
    old.forEach((kind, i) => insert.run(kind, `k${i}`));
    db.close();

    const again = openDatabase(path);
    const kinds = again.prepare('SELECT kind FROM jobs ORDER BY key').pluck().all();
    again.close();
    expect(kinds).toEqual(['polls.close', 'polls.warn', 'grants.nudge', 'grants.ask-report', 'notes.remind-due', 'reminders.send', 'minutes.report-undelivered', 'core.prune']);
  });
});

import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/clock.js';
import { backupName, BackupRefused, checkBackup, restoreBackup, takeBackup } from '../../src/ops/backup.js';
import { openDatabase, type DB } from '../../src/storage/db.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { tempDb } from '../helpers/console-process.js';

const dir = () => mkdtempSync(join(tmpdir(), 'collabot-backups-'));
let h: Harness | undefined;
let other: Harness | undefined;
afterEach(async () => {
  await h?.close();
  await other?.close();
  h = other = undefined;
});

/** Every named ballot is whole: its voter row, its entries, and tallies that add up to the ballots. */
function expectWholeBallots(db: DB, pollId: number) {
  const voters = db.prepare('SELECT person_id, ballot FROM poll_voters WHERE poll_id = ?').all(pollId) as { ballot: string }[];
  for (const v of voters) {
    expect(db.prepare('SELECT COUNT(*) AS n FROM poll_ballots WHERE poll_id = ? AND ballot = ?').get(pollId, v.ballot)).toEqual({ n: 1 });
  }
  const entries = db.prepare('SELECT COUNT(*) AS n FROM poll_ballots WHERE poll_id = ?').get(pollId) as { n: number };
  expect(entries.n).toBe(voters.length);
  const tallied = db.prepare('SELECT COALESCE(SUM(n), 0) AS n FROM poll_tallies WHERE poll_id = ?').get(pollId) as { n: number };
  expect(tallied.n).toBe(voters.length);
  expect(db.prepare('SELECT voters FROM polls WHERE id = ?').get(pollId)).toEqual({ voters: voters.length });
}

describe('backups that are known to restore', () => {
  it('takes an online backup while votes stream in; the restored bot has every vote acknowledged before it began and no half-written one', async () => {
    h = await createHarness({ db: openDatabase(tempDb()) });
    await h.say('/collab create Forum', { as: 'ana' });
    await h.say('/poll "Which day?" "Tuesday" "Thursday"', { as: 'ana' });
    let n = 0;
    const vote = () => h!.bot.process(voteEvent(h!, ++n));
    // Bulk the file up so the copy takes many steps, each one letting votes in.
    for (let i = 0; i < 120; i++) expect(vote()).toBe('handled');
    const before = n;
    const out = dir();
    const backup = takeBackup(h.db, out, h.clock.now(), { pagesPerStep: 1 });
    let done = false;
    void backup.then(() => (done = true));
    let during = 0;
    while (!done) {
      expect(vote()).toBe('handled');
      during++;
      await new Promise((r) => setImmediate(r));
    }
    const result = await backup;
    expect(result.ok).toBe(true);
    expect(during).toBeGreaterThan(5); // the votes really did interleave with the copy
    expect(readdirSync(out).sort()).toEqual([backupName(h.clock.now()), backupName(h.clock.now()) + '.sha256']);

    const target = tempDb();
    restoreBackup(result.file, target, h.clock.now());
    other = await createHarness({ db: openDatabase(target) });
    const voters = other.db.prepare('SELECT p.display_name AS name FROM poll_voters v JOIN people p ON p.id = v.person_id WHERE v.poll_id = 1').pluck().all() as string[];
    for (let i = 1; i <= before; i++) expect(voters).toContain(`voter${i}`);
    expect(voters.length).toBeGreaterThanOrEqual(before);
    expect(voters.length).toBeLessThanOrEqual(n);
    expectWholeBallots(other.db, 1);
    // The restored bot carries on: a new vote counts (after any reply the backup caught still queued goes out).
    const lines = await other.say('/vote 1 2', { as: 'zed' });
    expect(lines.at(-1)).toMatch(/^\[main\] Thanks zed: your vote in poll #1 is counted: Thursday\./);
    expect(lines.slice(0, -1).every((l) => /^\[main\] Thanks voter\d+:/.test(l))).toBe(true);
  });

  it('refuses a backup with one byte changed, and changes nothing', async () => {
    h = await createHarness({ db: openDatabase(tempDb()) });
    await h.say('/collab create Forum', { as: 'ana' });
    const result = await takeBackup(h.db, dir(), h.clock.now());
    expect(result.ok).toBe(true);
    expect(checkBackup(result.file)).toEqual({ ok: true });
    const bytes = readFileSync(result.file);
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0x01; // a byte inside the data, where integrity_check alone may not look
    writeFileSync(result.file, bytes);
    expect(checkBackup(result.file)).toMatchObject({ ok: false, detail: expect.stringContaining('checksum does not match') });

    const target = tempDb();
    writeFileSync(target, 'the live database');
    expect(() => restoreBackup(result.file, target, h!.clock.now())).toThrow(BackupRefused);
    expect(readFileSync(target, 'utf8')).toBe('the live database');
    expect(readdirSync(join(target, '..'))).toEqual(['test.sqlite']);
  });

  it('refuses a damaged file even without its checksum, and a file that is no Collabot database', async () => {
    const d = dir();
    const junk = join(d, 'junk.sqlite');
    writeFileSync(junk, 'SQLite format 3\0' + 'x'.repeat(5000));
    expect(checkBackup(junk, { requireSidecar: false })).toMatchObject({ ok: false, detail: expect.stringContaining('SQLite cannot read it') });
    expect(checkBackup(junk)).toMatchObject({ ok: false, detail: expect.stringContaining('checksum file') });
    const other = openDatabase(':memory:');
    other.exec('DROP TABLE outbox');
    const r = await takeBackup(other, d, Date.parse('2026-12-04T03:00:00Z'));
    expect(r).toMatchObject({ ok: false, detail: 'it is an SQLite file but not a Collabot database' });
    other.close();
  });

  it('keeps the replaced database beside the restored one', async () => {
    h = await createHarness({ db: openDatabase(tempDb()) });
    await h.say('/collab create Forum', { as: 'ana' });
    const { file } = await takeBackup(h.db, dir(), h.clock.now());
    const target = tempDb();
    const live = openDatabase(target);
    live.exec(`INSERT INTO collabs (name, created_at) VALUES ('Newer', 1)`);
    live.close();
    const { keptAs } = restoreBackup(file, target, Date.parse('2026-12-04T09:30:00Z'));
    expect(keptAs).toBe(`${target}.replaced-20261204-093000Z`);
    const restored = openDatabase(target);
    expect(restored.prepare('SELECT name FROM collabs').pluck().all()).toEqual(['Forum']);
    restored.close();
    const kept = openDatabase(keptAs!);
    expect(kept.prepare('SELECT name FROM collabs').pluck().all()).toEqual(['Newer']);
    kept.close();
  });
});

describe('the daily backup job', () => {
  it('backs up at 03:00 in COLLABOT_TZ every day, keeps 7 daily and 4 weekly copies, and /status shows the last one', async () => {
    const out = dir();
    const clock = new FakeClock(Date.parse('2026-11-23T10:00:00Z'));
    h = await createHarness({ clock, db: openDatabase(tempDb()), env: { COLLABOT_BACKUP_DIR: out, COLLABOT_TZ: 'Europe/London' } });
    await h.say('/collab create Forum', { as: 'ana' });
    expect(h.services.scheduler.pendingAt('ops:backup')).toBe(Date.parse('2026-11-24T03:00:00Z'));
    for (let day = 0; day < 40; day++) {
      clock.set(Date.parse('2026-11-24T03:00:00Z') + day * 86_400_000);
      await settleBackup(h);
    }
    const files = readdirSync(out).filter((f) => f.endsWith('.sqlite')).sort();
    // 40 nightly backups from 24 Nov to 2 Jan: the last 7 days, plus the newest of 4 weeks (some the same file).
    // The newest of the last 7 days, and of the last 4 ISO weeks (the two newest weeks' are among the days).
    const days = ['20261213', '20261220', '20261227', '20261228', '20261229', '20261230', '20261231', '20270101', '20270102'];
    expect(files).toEqual(days.map((d) => `collabot-${d}-030000Z.sqlite`));
    for (const f of files) expect(existsSync(join(out, f + '.sha256'))).toBe(true);
    const status = (await h.say('/status', { as: 'ana' }))[0]!;
    expect(status).toMatch(/Last backup: Sat 2 Jan 2027, 03:00, collabot-20270102-030000Z\.sqlite, .* checked clean/);
  });

  it('tells the admins by direct message when the backup fails', async () => {
    const blocker = join(dir(), 'not-a-folder');
    writeFileSync(blocker, 'a file where the folder should be');
    const clock = new FakeClock(Date.parse('2026-11-23T10:00:00Z'));
    h = await createHarness({ clock, env: { COLLABOT_BACKUP_DIR: join(blocker, 'backups') } });
    clock.set('2026-11-24T03:00:00Z');
    await settleBackup(h);
    const lines = h.take();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[@ana\] Collabot needs attention: tonight's backup failed: the copy could not be written \(.+\)\. There is no good backup yet\./);
    const status = (await h.say('/status', { as: 'ana' }))[0]!;
    expect(status).toMatch(/Last backup: Tue 24 Nov 2026, 03:00 FAILED: the copy could not be written/);
  });
});

/** Let the asynchronous copy started by the job finish, then deliver. */
async function settleBackup(h: Harness) {
  await new Promise((r) => setImmediate(r));
  await h.services.ops.backupsDone();
  await h.flush();
}

function voteEvent(h: Harness, i: number) {
  return {
    kind: 'message' as const,
    platform: 'console',
    eventId: `vote-${i}`,
    chat: { id: 'main', name: 'main', isDirect: false },
    author: { id: `voter${i}`, displayName: `voter${i}`, isBot: false },
    text: `/vote 1 ${1 + (i % 2)}`,
    time: new Date(h.clock.now()),
  };
}

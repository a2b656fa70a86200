// Online backups: SQLite's backup API (through better-sqlite3) copies a
// consistent snapshot while the bot keeps writing, which a file copy of a live
// WAL database cannot promise. Each copy is checked with integrity_check and
// gets a SHA-256 sidecar file, so a copy damaged later (a bad disk, a partial
// upload) is refused at restore rather than silently put in place.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DB } from '../storage/db.js';

/** `collabot-20261204-030000Z.sqlite`: UTC, so names sort in time order and never repeat across a clock change. */
export const BACKUP_NAME = /^collabot-(\d{8})-(\d{6})Z(?:-\d+)?\.sqlite$/;

export function backupName(at: number): string {
  const iso = new Date(at).toISOString(); // 2026-12-04T03:00:00.000Z
  return `collabot-${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}Z.sqlite`;
}

/** When a backup was taken, from its name; undefined for other files. */
export function backupTime(name: string): number | undefined {
  const m = BACKUP_NAME.exec(name);
  if (!m) return undefined;
  const [d, t] = [m[1]!, m[2]!];
  return Date.parse(`${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4)}Z`);
}

export interface BackupResult {
  ok: boolean;
  /** Full path of the copy (also when the check failed: it is kept for inspection). */
  file: string;
  bytes?: number;
  /** Why it failed, in plain words. */
  detail?: string;
}

export interface CheckResult {
  ok: boolean;
  detail?: string;
}

/** Copy the open database into `dir` and check the copy. Never throws. */
export async function takeBackup(db: DB, dir: string, at: number, opts: { pagesPerStep?: number } = {}): Promise<BackupResult> {
  let file = join(dir, backupName(at));
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (existsSync(file)) file = file.replace(/\.sqlite$/, `-${process.pid}.sqlite`);
    // Written under a temporary name, so a crash mid-copy never leaves a file that looks like a backup.
    const partial = file + '.partial';
    // Copied in steps, between which the bot keeps handling events; writes made
    // meanwhile are carried into the copy, which is consistent as of its end.
    const step = opts.pagesPerStep ?? 256;
    await db.backup(partial, { progress: () => step });
    // A copy of every record: readable by the bot's user only, like the database itself.
    chmodSync(partial, 0o600);
    // One self-contained file: the copy inherits WAL mode, which would need -wal and -shm files beside it.
    const copy = new Database(partial);
    copy.pragma('journal_mode = DELETE');
    copy.close();
    renameSync(partial, file);
    const check = checkBackup(file, { requireSidecar: false });
    if (!check.ok) return { ok: false, file, detail: check.detail };
    writeFileSync(sidecarOf(file), `${sha256(file)}  ${basename(file)}\n`, { mode: 0o600 });
    return { ok: true, file, bytes: statSync(file).size };
  } catch (err) {
    return { ok: false, file, detail: `the copy could not be written (${describe(err)})` };
  }
}

export function sidecarOf(file: string) {
  return file + '.sha256';
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * Is this file a sound Collabot database? Checks the SHA-256 sidecar when there
 * is one (required unless told otherwise), then SQLite's integrity_check, then
 * that it has Collabot's tables.
 */
export function checkBackup(file: string, opts: { requireSidecar?: boolean } = {}): CheckResult {
  if (!existsSync(file)) return { ok: false, detail: `there is no file ${file}` };
  const sidecar = sidecarOf(file);
  if (existsSync(sidecar)) {
    const expected = readFileSync(sidecar, 'utf8').trim().split(/\s+/)[0];
    if (expected !== sha256(file)) return { ok: false, detail: 'the file has changed since the backup was taken (its SHA-256 checksum does not match)' };
  } else if (opts.requireSidecar ?? true) {
    return { ok: false, detail: `its checksum file ${basename(sidecar)} is missing` };
  }
  let copy: DB | undefined;
  try {
    copy = new Database(file, { readonly: true, fileMustExist: true });
    const rows = copy.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    if (problems.length) return { ok: false, detail: `SQLite's integrity check found damage: ${problems.slice(0, 3).join('; ')}` };
    const tables = copy.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'people', 'outbox')`).get() as { n: number };
    if (tables.n < 3) return { ok: false, detail: 'it is an SQLite file but not a Collabot database' };
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `SQLite cannot read it (${describe(err)})` };
  } finally {
    copy?.close();
  }
}

export interface RestoreResult {
  /** Where the replaced database was moved, if there was one. */
  keptAs?: string;
}

/**
 * Put a checked backup in place of the database at `dbPath` (which no bot may
 * have open: the caller checks the lock). The replaced file and its WAL are
 * kept beside it as `<name>.replaced-<time>`.
 */
export function restoreBackup(file: string, dbPath: string, at: number, opts: { withoutChecksum?: boolean } = {}): RestoreResult {
  const check = checkBackup(file, { requireSidecar: !opts.withoutChecksum });
  if (!check.ok) {
    const hint = check.detail?.includes('missing') ? ' If the file came from elsewhere (e.g. Litestream), add --without-checksum.' : '';
    throw new BackupRefused(`I will not restore ${basename(file)}: ${check.detail}.${hint}`);
  }
  const stamp = backupName(at).replace(/^collabot-|\.sqlite$/g, '');
  let keptAs: string | undefined;
  if (existsSync(dbPath)) {
    // Fold the WAL into the file first, so the kept copy is one complete file.
    const old = new Database(dbPath);
    old.pragma('wal_checkpoint(TRUNCATE)');
    old.close();
    keptAs = `${dbPath}.replaced-${stamp}`;
    renameSync(dbPath, keptAs);
  }
  for (const extra of ['-wal', '-shm']) rmSync(dbPath + extra, { force: true });
  const incoming = `${dbPath}.restoring`;
  writeFileSync(incoming, readFileSync(file), { mode: 0o600 });
  renameSync(incoming, dbPath);
  return { keptAs };
}

export class BackupRefused extends Error {}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

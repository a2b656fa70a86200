// Opening the database: WAL, foreign keys, numbered migrations applied at start-up.
import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type DB = Database.Database;

// Next to this file (src/ and tsc's dist/), or from the bundle `npm start` runs
// (dist/src/main.bundle.js, or one of its chunks in dist/src/chunks/).
const HERE = dirname(fileURLToPath(import.meta.url));
const MIGRATIONS_DIR = [join(HERE, 'migrations'), join(HERE, 'storage', 'migrations'), join(HERE, '..', 'storage', 'migrations')].find((d) => existsSync(d)) ?? join(HERE, 'migrations');

export interface OpenOptions {
  /**
   * Called once the database is open, before any migration runs (e.g. to take
   * the instance lock, so a second, newer process never migrates a live
   * database). On a database too old to have the lock table, after migrating.
   * Throwing closes the database and stops the opening.
   */
  beforeMigrate?: (db: DB) => void;
}

/** Files only the bot's user may read: the database, its WAL and SHM, exports, sessions. */
export const PRIVATE_FILE = 0o600;
export const PRIVATE_DIR = 0o700;

export function openDatabase(path: string, opts: OpenOptions = {}): DB {
  if (path !== ':memory:') {
    mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR });
    // Created readable by the bot's user only; SQLite gives the WAL and SHM the main file's mode.
    if (!existsSync(path)) closeSync(openSync(path, 'a', PRIVATE_FILE));
    for (const f of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(f)) chmodSync(f, PRIVATE_FILE);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before we answer, so an acknowledged change survives power loss too.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Deleted and overwritten content is zeroed, not left in free space (anonymous ballots, see polls/anonymous-ballots.ts).
  db.pragma('secure_delete = ON');
  try {
    const hasLockTable = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'instance_lock'`).get();
    if (hasLockTable) opts.beforeMigrate?.(db);
    migrate(db);
    if (!hasLockTable) opts.beforeMigrate?.(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Files named `NNN_name.sql`, applied in order, each in its own transaction, once. */
export function migrate(db: DB, dir = MIGRATIONS_DIR) {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (datetime('now')))`);
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
  const files = readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
  const seen = new Set<number>();
  for (const file of files) {
    const version = parseInt(file, 10);
    if (seen.has(version)) throw new Error(`two migrations share number ${version}: ${file}`);
    seen.add(version);
    if (applied.has(version)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, name) VALUES (?, ?)').run(version, file);
    })();
  }
}

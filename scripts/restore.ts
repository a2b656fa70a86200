// `npm run restore -- FILE [--without-checksum]`: put a checked backup in place of COLLABOT_DB.
// Refuses while a bot holds the database's lock; keeps the replaced database
// beside it as `<name>.replaced-<time>`. Exit code 1 if nothing was restored.
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { BackupRefused, restoreBackup } from '../src/ops/backup.js';
import { openDatabase } from '../src/storage/db.js';
import { DatabaseInUseError, lockInstance } from '../src/storage/instance-lock.js';

function main(argv: string[]) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const file = argv.find((a) => !a.startsWith('--'));
  if (!file) fail('Say which backup to restore, e.g. npm run restore -- /var/backups/collabot/collabot-20261204-030000Z.sqlite');
  if (!existsSync(file)) fail(`There is no file ${file}. List your backups with: ls ${config.COLLABOT_BACKUP_DIR ?? 'YOUR-BACKUP-FOLDER'}`);
  if (existsSync(config.COLLABOT_DB)) {
    // Taking the lock proves no bot is running on it (a crashed one's stale lock is taken over).
    const db = openDatabase(config.COLLABOT_DB);
    try {
      lockInstance(db, config.COLLABOT_DB).release();
    } catch (err) {
      db.close();
      if (err instanceof DatabaseInUseError) {
        fail(`A Collabot is running on ${config.COLLABOT_DB}, so I will not replace it. Stop the bot first (e.g. sudo systemctl stop collabot), then run this again.`);
      }
      throw err;
    }
    db.close();
  }
  try {
    const { keptAs } = restoreBackup(file, config.COLLABOT_DB, Date.now(), { withoutChecksum: argv.includes('--without-checksum') });
    process.stdout.write(
      `Restored ${file} into ${config.COLLABOT_DB}.` + (keptAs ? ` The database it replaced is kept as ${keptAs}.` : '') + ' Start the bot again with npm start.\n',
    );
  } catch (err) {
    if (err instanceof BackupRefused) fail(err.message + ' Pick another backup; nothing was changed.');
    throw err;
  }
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(1);
}

try {
  main(process.argv.slice(2));
} catch (err) {
  fail(err instanceof ConfigError ? err.message : `The restore failed: ${err instanceof Error ? err.message : String(err)}`);
}

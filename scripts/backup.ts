// `npm run backup -- --to DIR`: an online backup of COLLABOT_DB, safe while the
// bot runs, checked with integrity_check and named with the time (UTC).
// Without --to it uses COLLABOT_BACKUP_DIR. Exit code 1 if it failed.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { takeBackup } from '../src/ops/backup.js';
import { OpsRepo } from '../src/ops/repo.js';
import { openDatabase } from '../src/storage/db.js';

async function main(argv: string[]) {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadConfig(process.env);
  const i = argv.indexOf('--to');
  const dir = i >= 0 ? argv[i + 1] : config.COLLABOT_BACKUP_DIR;
  if (!dir || dir.startsWith('--')) {
    fail('Say where to put the backup, e.g. npm run backup -- --to /var/backups/collabot (or set COLLABOT_BACKUP_DIR).');
  }
  if (!existsSync(config.COLLABOT_DB)) fail(`There is no database at ${config.COLLABOT_DB} to back up. Check COLLABOT_DB.`);
  const db = openDatabase(config.COLLABOT_DB);
  const started = Date.now();
  const result = await takeBackup(db, dir, started);
  // Recorded in the database, so /status shows a manual backup too.
  new OpsRepo(db).addBackup(basename(result.file), started, Date.now(), result.bytes ?? null, result.ok, result.detail ?? null);
  db.close();
  if (!result.ok) fail(`The backup failed: ${result.detail}. The bad copy is kept at ${result.file} for inspection.`);
  process.stdout.write(`Backup taken and checked clean: ${result.file} (${Math.ceil((result.bytes ?? 0) / 1024)} KB)\n`);
}

function fail(message: string): never {
  process.stderr.write(message + '\n');
  process.exit(1);
}

main(process.argv.slice(2)).catch((err) => {
  fail(err instanceof ConfigError ? err.message : `The backup failed: ${err instanceof Error ? err.message : String(err)}`);
});

// `npm run site -- --out site/`: write the transparency site from the database
// (COLLABOT_DB, or --db PATH) as static files that work from any host or file://.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';
import { buildSite } from '../src/site/build.js';
import { openDatabase } from '../src/storage/db.js';

async function main() {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const { values } = parseArgs({
    options: { out: { type: 'string', default: 'site' }, db: { type: 'string' }, 'base-url': { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help) {
    process.stdout.write('Usage: npm run site -- [--out site/] [--db data/collabot.sqlite] [--base-url https://example.org/collective/]\n');
    return;
  }
  const config = loadConfig(process.env);
  const dbPath = values.db ?? config.COLLABOT_DB;
  // Bring an older database up to date first (the bot does the same on start), then read only.
  openDatabase(dbPath).close();
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const files = await buildSite(db, { now: Date.now(), tz: config.COLLABOT_TZ, site: config.COLLABOT_SITE_NAME, baseUrl: values['base-url'] ?? config.COLLABOT_SITE_URL });
    const out = resolve(values.out!);
    mkdirSync(out, { recursive: true });
    for (const [name, body] of files) writeFileSync(join(out, name), body);
    process.stdout.write(`Wrote ${files.size} files to ${out}. Open ${join(out, 'index.html')} in a browser, or copy the folder to any web host.\n`);
  } finally {
    db.close();
  }
}

main().catch((err) => {
  process.stderr.write(err instanceof ConfigError ? err.message + '\n' : `The site could not be built: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});

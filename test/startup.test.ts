import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/console-process.js';

describe('start-up', () => {
  it('does not load any platform SDK when only the console runs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'collabot-trace-'));
    const trace = join(dir, 'imports.txt');
    const r = spawnSync(process.execPath, ['--import', './test/helpers/import-hooks.mjs', '--import', 'tsx', 'src/main.ts', '--console'], {
      cwd: ROOT,
      input: '/help\n',
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', COLLABOT_DB: join(dir, 'x.sqlite'), COLLABOT_LOG_LEVEL: 'silent', TRACE_IMPORTS_FILE: trace },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[main] Here is what I can do.');
    const loaded = readFileSync(trace, 'utf8');
    expect(loaded).toContain('better-sqlite3'); // the trace works
    for (const sdk of ['@slack/bolt', 'discord.js', 'whatsapp-web.js', 'puppeteer']) expect(loaded).not.toContain(`/node_modules/${sdk}/`);
  });
});

describe('the compiled start (npm start)', () => {
  it('builds to dist/ with tsc and one bundle, migrations and the site templates included, and the bundle answers /help loading no SDK', () => {
    const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node dist/src/main.bundle.js');
    expect(pkg.scripts.prepare).toBe('npm run build'); // npm ci builds it
    const dir = mkdtempSync(join(tmpdir(), 'collabot-dist-'));
    const trace = join(dir, 'imports.txt');
    const r = spawnSync(process.execPath, ['--import', './test/helpers/import-hooks.mjs', 'dist/src/main.bundle.js', '--console'], {
      cwd: ROOT,
      input: '/collab create Forum\n/help\n',
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', COLLABOT_DB: join(dir, 'x.sqlite'), COLLABOT_LOG_LEVEL: 'silent', TRACE_IMPORTS_FILE: trace },
    });
    expect(r.status, r.stderr).toBe(0);
    // The adapters are chunks of their own: a console start loads no platform SDK.
    const loaded = readFileSync(trace, 'utf8');
    expect(loaded).toContain('better-sqlite3');
    for (const sdk of ['@slack/bolt', 'discord.js', 'whatsapp-web.js', 'puppeteer']) expect(loaded).not.toContain(`/node_modules/${sdk}/`);
    expect(loaded).not.toContain('/node_modules/zod/'); // bundled
    // The database was made by the migrations copied next to the compiled code.
    expect(r.stdout).toContain('Done: this chat is now the collab "Forum"');
    expect(r.stdout).toContain('[main] Here is what I can do.');
    // The public site's templates and stylesheet were copied too: the compiled site renders from that database.
    const site = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const { openDatabase } = await import('./dist/src/storage/db.js');
         const { buildSite } = await import('./dist/src/site/build.js');
         const files = await buildSite(openDatabase(process.env.COLLABOT_DB), { now: Date.now(), tz: 'UTC' });
         console.log([...files.keys()].includes('style.css') && files.get('index.html').includes('<!doctype html>') ? 'site ok' : 'site wrong');`,
      ],
      { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', COLLABOT_DB: join(dir, 'x.sqlite') } },
    );
    expect(site.status, site.stderr).toBe(0);
    expect(site.stdout).toContain('site ok');
  }, 120_000); // tsc compiles every file: slow on a busy machine
});

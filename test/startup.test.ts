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

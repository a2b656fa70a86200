// `npm run whatsapp -- doctor`, run as a host runs it (a real process), with a
// missing Chromium and with fake ones, plus its checks one by one: the session
// folder's owner, the cached version against the pin, and fetching the pin.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFindings, runDoctor } from '../../adapters/whatsapp/doctor.js';
import { loadConfig } from '../../src/config.js';

const root = join(import.meta.dirname, '..', '..');
let dir: string;
let server: Server;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'collabot-doctor-'));
  server = createServer((req, res) => {
    if (req.url === '/html/2.3000.1017054665.html') return void res.end('<!DOCTYPE html><html><head><title>WhatsApp</title></head></html>');
    res.statusCode = 404;
    res.end('Not Found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for Chromium: a script that prints what `chromium --version` prints, or fails like a broken install. */
function fakeChromium(name: string, works: boolean): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    works
      ? '#!/bin/sh\n[ "$1" = "--version" ] && echo "Chromium 131.0.6778.85 built on Debian GNU/Linux 12 (bookworm)"\n'
      : '#!/bin/sh\necho "chromium: error while loading shared libraries: libnss3.so: cannot open shared object file" >&2\nexit 127\n',
  );
  chmodSync(path, 0o755);
  return path;
}

/** Runs it as a separate process (not blocking this one, whose web server answers the version fetch). */
function doctorProcess(env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', 'whatsapp', '--', 'doctor'], { cwd: root, env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? dir, ...env }, encoding: 'utf8', timeout: 60_000 }, (err, stdout) =>
      resolve({ code: err ? Number(err.code) : 0, out: stdout }),
    );
  });
}

describe('npm run whatsapp -- doctor', () => {
  it('says Chromium is missing and how to install it, and exits with an error', async () => {
    const { code, out } = await doctorProcess({ CHROMIUM_PATH: join(dir, 'no-chromium'), COLLABOT_DB: join(dir, 'a', 'bot.sqlite'), WHATSAPP_ENABLED: 'true' });
    expect(out).toContain(`✗ Chromium: there is none at ${join(dir, 'no-chromium')}.\n  Fix: Install it from your distribution's packages (Debian or Ubuntu: sudo apt-get install chromium), or set CHROMIUM_PATH to where it is.\n`);
    expect(out).toContain('• Session folder: no saved login yet');
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 problem to fix; then run npm run whatsapp -- doctor again.');
    expect(code).toBe(1);
  }, 60_000);

  it('finds a working (fake) Chromium, checks the pinned version can be fetched, and finds no problem', async () => {
    const chromium = fakeChromium('chromium-ok', true);
    const { code, out } = await doctorProcess({
      CHROMIUM_PATH: chromium,
      COLLABOT_DB: join(dir, 'b', 'bot.sqlite'),
      WHATSAPP_ENABLED: 'true',
      WHATSAPP_WEB_VERSION: '2.3000.1017054665',
      WHATSAPP_WEB_VERSION_URL: `${base}/html/{version}.html`,
    });
    expect(out).toContain(`✓ Chromium: ${chromium} runs (Chromium 131.0.6778.85 built on Debian GNU/Linux 12 (bookworm)).`);
    expect(out).toContain(`✓ Pinned version 2.3000.1017054665 can be fetched from ${base}/html/2.3000.1017054665.html.`);
    expect(out).not.toContain('✗');
    expect(out.trimEnd().split('\n').at(-1)).toBe('No problems found.');
    expect(code).toBe(0);
  }, 60_000);

  it('says a Chromium that does not run is broken, with the fix', async () => {
    const chromium = fakeChromium('chromium-broken', false);
    const findings = await runDoctor(loadConfig({ CHROMIUM_PATH: chromium, COLLABOT_DB: join(dir, 'c', 'bot.sqlite'), WHATSAPP_ENABLED: 'true' }));
    expect(findings[0]).toEqual({
      status: 'problem',
      text: `Chromium: ${chromium} is there but does not run (chromium: error while loading shared libraries: libnss3.so: cannot open shared object file).`,
      fix: 'Reinstall it (sudo apt-get install --reinstall chromium), or set CHROMIUM_PATH to a Chromium that runs.',
    });
  });

  it('says when the session folder belongs to another user, and how to give it back', async () => {
    const data = join(dir, 'd');
    mkdirSync(join(data, '.wwebjs_auth', 'session'), { recursive: true });
    const config = loadConfig({ CHROMIUM_PATH: fakeChromium('chromium-d', true), COLLABOT_DB: join(data, 'bot.sqlite'), WHATSAPP_ENABLED: 'true' });
    const mine = await runDoctor(config);
    expect(mine[1]).toMatchObject({ status: 'ok', text: expect.stringMatching(/^Session folder: .+\.wwebjs_auth is readable and owned by /) });
    const other = await runDoctor(config, { uid: (process.getuid?.() ?? 0) + 4242 });
    expect(other[1]).toMatchObject({ status: 'problem', text: expect.stringContaining('but Collabot runs as user'), fix: expect.stringMatching(/^sudo chown -R user \d+ .+\.wwebjs_auth$/) });
  });

  it('compares the cached WhatsApp Web page with the pin, and says when the pin cannot be fetched or the site cannot be reached', async () => {
    const data = join(dir, 'e');
    mkdirSync(join(data, '.wwebjs_cache'), { recursive: true });
    writeFileSync(join(data, '.wwebjs_cache', '2.3000.1017000000.html'), '<html></html>');
    const env = { CHROMIUM_PATH: fakeChromium('chromium-e', true), COLLABOT_DB: join(data, 'bot.sqlite'), WHATSAPP_ENABLED: 'true' };
    const unpinned = await runDoctor(loadConfig(env));
    expect(unpinned.map((f) => f.text)).toContain('WhatsApp Web version: 2.3000.1017000000 cached; none pinned (WHATSAPP_WEB_VERSION), so the cached or current page is used.');

    const wrong = await runDoctor(loadConfig({ ...env, WHATSAPP_WEB_VERSION: '2.3000.9', WHATSAPP_WEB_VERSION_URL: `${base}/html/{version}.html` }));
    expect(wrong.slice(-2)).toEqual([
      expect.objectContaining({ status: 'note', text: 'WhatsApp Web version: pinned to 2.3000.9, but the cached page is 2.3000.1017000000. The pin wins; the cache is not used while a version is pinned.' }),
      expect.objectContaining({ status: 'problem', text: `Pinned version 2.3000.9 cannot be fetched from ${base}/html/2.3000.9.html (HTTP 404); WhatsApp would fall back to its current page.` }),
    ]);
    expect(renderFindings(wrong)).toContain('  Fix: Check WHATSAPP_WEB_VERSION against the versions listed where WHATSAPP_WEB_VERSION_URL points');

    const offline = await runDoctor(loadConfig({ ...env, WHATSAPP_WEB_VERSION: '2.3000.9', WHATSAPP_WEB_VERSION_URL: 'http://127.0.0.1:9/{version}.html' }));
    expect(offline.at(-1)).toMatchObject({ status: 'note', text: expect.stringMatching(/^Pinned version 2\.3000\.9: could not reach 127\.0\.0\.1:9 to check it \(.+\)\. Offline\?$/) });
  });

  it('refuses a version URL without a version', async () => {
    const findings = await runDoctor(loadConfig({ CHROMIUM_PATH: fakeChromium('chromium-f', true), COLLABOT_DB: join(dir, 'f', 'bot.sqlite'), WHATSAPP_WEB_VERSION_URL: `${base}/{version}.html` }));
    expect(findings).toContainEqual(expect.objectContaining({ status: 'problem', text: 'WHATSAPP_WEB_VERSION_URL is set but WHATSAPP_WEB_VERSION is not.' }));
  });
});

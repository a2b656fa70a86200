// The real client's wiring to whatsapp-web.js, with a stand-in for the library:
// the WhatsApp Web version options it is given (checked against the library's
// own types and its RemoteWebCache), Chromium dying reported as a disconnect,
// and the settings that pin a version.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type WAWebJS from 'whatsapp-web.js';
import { describe, expect, it } from 'vitest';
import { clearVersionCache, DEFAULT_VERSION_URL, webVersionOf } from '../../adapters/whatsapp/index.js';
import { clientOptions, realClientFactory } from '../../adapters/whatsapp/real-client.js';
import { loadConfig } from '../../src/config.js';

class FakeLocalAuth {
  constructor(readonly options: { dataPath: string }) {}
}

/** Just enough of the library: a Client that remembers its options and has a browser that can die. */
function fakeLib() {
  const made: FakeLibClient[] = [];
  class FakeLibClient extends EventEmitter {
    pupBrowser = new EventEmitter();
    info = { wid: { _serialized: '447700900000@c.us' } };
    constructor(readonly options: WAWebJS.ClientOptions) {
      super();
      made.push(this);
    }
    async initialize() {}
    async destroy() {}
  }
  return { lib: { Client: FakeLibClient, LocalAuth: FakeLocalAuth } as unknown as typeof WAWebJS, made };
}

describe('the real WhatsApp client', () => {
  it('without a pin keeps the local version cache next to the session, as before', () => {
    const opts = clientOptions({ LocalAuth: FakeLocalAuth } as unknown as typeof WAWebJS, { chromiumPath: '/usr/bin/chromium', dataDir: '/srv/bot' });
    expect(opts.webVersion).toBeUndefined();
    expect(opts.webVersionCache).toEqual({ type: 'local', path: '/srv/bot/.wwebjs_cache' });
    expect((opts.authStrategy as unknown as FakeLocalAuth).options).toEqual({ dataPath: '/srv/bot/.wwebjs_auth' });
  });

  it('with a pin asks the library for that version from the remote cache, in the shape its RemoteWebCache takes', () => {
    const pin = { version: '2.3000.1017054665', url: 'https://example.org/wa/{version}.html' };
    const opts = clientOptions({ LocalAuth: FakeLocalAuth } as unknown as typeof WAWebJS, { chromiumPath: '/usr/bin/chromium', dataDir: '/srv/bot', webVersion: pin });
    expect(opts.webVersion).toBe('2.3000.1017054665');
    expect(opts.webVersionCache).toEqual({ type: 'remote', remotePath: 'https://example.org/wa/{version}.html' });
    // The library's own factory accepts it and fetches from the URL with the version put in.
    const { createWebCache } = createRequire(import.meta.url)('whatsapp-web.js/src/webCache/WebCacheFactory.js');
    const { type, ...rest } = opts.webVersionCache!;
    const cache = createWebCache(type, rest);
    expect(cache.constructor.name).toBe('RemoteWebCache');
    expect(cache.remotePath.replace('{version}', opts.webVersion)).toBe('https://example.org/wa/2.3000.1017054665.html');
  });

  it('reports Chromium dying as a BROWSER_CLOSED disconnect, but not its own closing', async () => {
    const { lib, made } = fakeLib();
    const factory = await realClientFactory({ chromiumPath: '/usr/bin/chromium', dataDir: '/srv/bot' }, lib);
    const client = await factory();
    const reasons: string[] = [];
    client.on('disconnected', (r) => reasons.push(r));
    await client.initialize();
    expect(client.ownId()).toBe('447700900000@c.us');
    made[0]!.pupBrowser.emit('disconnected');
    expect(reasons).toEqual(['BROWSER_CLOSED']);
    await client.destroy();
    made[0]!.pupBrowser.emit('disconnected');
    expect(reasons).toEqual(['BROWSER_CLOSED']);
  });

  it('takes the pin from WHATSAPP_WEB_VERSION and WHATSAPP_WEB_VERSION_URL, and refuses bad values', () => {
    expect(webVersionOf(loadConfig({}))).toBeUndefined();
    expect(webVersionOf(loadConfig({ WHATSAPP_WEB_VERSION: '2.3000.1017054665' }))).toEqual({ version: '2.3000.1017054665', url: DEFAULT_VERSION_URL });
    expect(webVersionOf(loadConfig({ WHATSAPP_WEB_VERSION: '2.3000.1', WHATSAPP_WEB_VERSION_URL: 'https://example.org/{version}.html' }))).toEqual({
      version: '2.3000.1',
      url: 'https://example.org/{version}.html',
    });
    expect(() => webVersionOf(loadConfig({ WHATSAPP_WEB_VERSION_URL: 'https://example.org/{version}.html' }))).toThrow(/set the version to fetch too, e\.g\. WHATSAPP_WEB_VERSION=2\.3000\.1017054665/);
    expect(() => loadConfig({ WHATSAPP_WEB_VERSION: 'latest' })).toThrow(/WHATSAPP_WEB_VERSION: must be a WhatsApp Web version such as 2\.3000\.1017054665/);
    expect(() => loadConfig({ WHATSAPP_WEB_VERSION_URL: 'https://example.org/page.html' })).toThrow(/WHATSAPP_WEB_VERSION_URL: must be a web address with \{version\}/);
    expect(loadConfig({}).WHATSAPP_READY_TIMEOUT).toBe(180_000);
    expect(loadConfig({ WHATSAPP_READY_TIMEOUT: '5m' }).WHATSAPP_READY_TIMEOUT).toBe(300_000);
  });

  it('clears the version cache by deleting the cached pages only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'collabot-cache-'));
    mkdirSync(join(dir, '.wwebjs_cache'));
    writeFileSync(join(dir, '.wwebjs_cache', '2.3000.1.html'), '<html>');
    writeFileSync(join(dir, '.wwebjs_cache', 'notes.txt'), 'keep');
    await clearVersionCache(dir);
    expect(readdirSync(join(dir, '.wwebjs_cache'))).toEqual(['notes.txt']);
    await clearVersionCache(join(dir, 'missing')); // nothing there: nothing to do
    rmSync(dir, { recursive: true, force: true });
  });
});

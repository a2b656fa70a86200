// The real whatsapp-web.js Client against the system's Chromium, with the
// network cut off inside Chromium (every host name fails to resolve, no proxy),
// so nothing leaves this machine: the adapter must say clearly what went wrong
// and keep retrying, not hang.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import { realClientFactory } from '../../adapters/whatsapp/real-client.js';
import { createLogger } from '../../src/logger.js';
import { NotConnectedError } from '../../src/model.js';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(chromium);
const skipped = hasChromium ? '' : ` (skipped: no Chromium at ${chromium}; install it with apt-get install chromium, or set CHROMIUM_PATH)`;

async function waitFor(check: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return check();
}

describe('WhatsApp with the real client', () => {
  it.skipIf(!hasChromium)(
    `reports clearly that WhatsApp Web cannot be reached, instead of hanging, and leaves no browser behind${skipped}`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'collabot-wa-'));
      const logs: string[] = [];
      const shown: string[] = [];
      const createClient = await realClientFactory({ chromiumPath: chromium, dataDir: dir, chromiumArgs: ['--host-resolver-rules=MAP * ~NOTFOUND', '--no-proxy-server'] });
      const adapter = new WhatsAppAdapter({
        createClient,
        log: createLogger('info', [], { write: (s) => void logs.push(JSON.parse(s).msg) }),
        login: { qr: (qr) => shown.push(qr), code: (c) => shown.push(c) },
        sendIntervalMs: 0,
        readyTimeoutMs: 20_000,
      });
      await adapter.start(async () => undefined);
      try {
        const failure = (l: string) => l.startsWith('WhatsApp: could not open WhatsApp Web') || l.includes('did not load within');
        expect(await waitFor(() => logs.some(failure), 25_000)).toBe(true);
        expect(logs.find(failure)).toMatch(/^WhatsApp: could not open WhatsApp Web: net::ERR_NAME_NOT_RESOLVED at https:\/\/web\.whatsapp\.com\/\. Is this machine online, and can it reach web\.whatsapp\.com\? Trying again in \d+ s; messages wait in the queue until then\.$/);
        expect(shown).toEqual([]);
        await expect(adapter.send({ platform: 'whatsapp', chatId: '447700900001@c.us' }, { text: 'hello' })).rejects.toBeInstanceOf(NotConnectedError);
      } finally {
        await adapter.stop();
      }
      // The session folder went where it was told, and Chromium is closed.
      expect(existsSync(join(dir, '.wwebjs_auth', 'session'))).toBe(true);
      const stillRunning = () => execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').some((p) => p.includes(dir));
      expect(await waitFor(() => !stillRunning(), 5_000)).toBe(true);
      rmSync(dir, { recursive: true, force: true });
    },
    40_000,
  );
});

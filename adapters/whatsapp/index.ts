// Builds the WhatsApp adapter from the configuration. Loaded (by dynamic
// import from adapters/index.ts) only when WHATSAPP_ENABLED=true; the
// whatsapp-web.js and qrcode-terminal packages are imported only from here.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Config } from '../../src/config.js';
import type { Logger } from '../../src/logger.js';
import { WhatsAppAdapter, type LoginDisplay } from './adapter.js';
import { realClientFactory, versionCacheFolder } from './real-client.js';

export { WhatsAppAdapter } from './adapter.js';

/** The folder next to the database: the login session lives in `<it>/.wwebjs_auth/`. */
export function sessionFolder(config: Config): string {
  return config.COLLABOT_DB === ':memory:' ? 'data' : dirname(config.COLLABOT_DB);
}

/** Where pinned versions are fetched from when WHATSAPP_WEB_VERSION_URL is not set: the archive most whatsapp-web.js users rely on. */
export const DEFAULT_VERSION_URL = 'https://raw.githubusercontent.com/wppconnect-team/wa-version/main/html/{version}.html';

/** The pinned WhatsApp Web version and where to fetch it, or undefined to use what WhatsApp serves. */
export function webVersionOf(config: Pick<Config, 'WHATSAPP_WEB_VERSION' | 'WHATSAPP_WEB_VERSION_URL'>): { version: string; url: string } | undefined {
  const version = config.WHATSAPP_WEB_VERSION;
  if (!version) {
    if (config.WHATSAPP_WEB_VERSION_URL) {
      throw new Error('WHATSAPP_WEB_VERSION_URL is set but WHATSAPP_WEB_VERSION is not: set the version to fetch too, e.g. WHATSAPP_WEB_VERSION=2.3000.1017054665');
    }
    return undefined;
  }
  return { version, url: config.WHATSAPP_WEB_VERSION_URL ?? DEFAULT_VERSION_URL };
}

/** The saved login (`<folder>/.wwebjs_auth/`). */
export function authFolder(dataDir: string): string {
  return join(dataDir, '.wwebjs_auth');
}

/** Delete every cached WhatsApp Web page (`<version>.html`), so the next start fetches the page afresh. */
export async function clearVersionCache(dataDir: string): Promise<void> {
  const folder = versionCacheFolder(dataDir);
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(names.filter((n) => n.endsWith('.html')).map((n) => rm(join(folder, n), { force: true })));
}

/** `+44 7700 900123` → `447700900123`; undefined when not set. Throws when it cannot be a phone number. */
export function pairingNumberOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const digits = value.replace(/[\s().+-]/g, '');
  if (!/^\d{8,15}$/.test(digits)) {
    throw new Error(`WHATSAPP_PAIRING_NUMBER must be the bot's phone number with its country code, digits only, e.g. 447700900123 (not "${value}")`);
  }
  return digits;
}

/** Login codes go to standard output (logs go to stderr), for the person setting the bot up. */
export function terminalLogin(qrcode: { generate(text: string, opts: { small: boolean }, cb: (s: string) => void): void }, out: { write(s: string): unknown } = process.stdout): LoginDisplay {
  return {
    qr(qr) {
      out.write(
        "\nTo log Collabot in to WhatsApp: on the bot's phone, open WhatsApp > Settings > Linked devices > Link a device, and scan this code.\n" +
          'A new code appears every 20 seconds or so; scan the latest one.\n',
      );
      qrcode.generate(qr, { small: true }, (s) => out.write(s + '\n'));
    },
    code(code, phoneNumber) {
      const shown = code.length === 8 ? `${code.slice(0, 4)}-${code.slice(4)}` : code;
      out.write(
        `\nTo log Collabot in to WhatsApp: on the phone with number +${phoneNumber}, open WhatsApp > Settings > Linked devices > Link a device > Link with phone number instead, and enter this code:\n\n    ${shown}\n\n`,
      );
    },
  };
}

export async function createWhatsAppAdapter(config: Config, log: Logger): Promise<WhatsAppAdapter> {
  const chromiumPath = config.CHROMIUM_PATH;
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `WhatsApp needs Chromium, and there is none at ${chromiumPath}. Install it from your distribution's packages (Debian or Ubuntu: sudo apt-get install chromium), or set CHROMIUM_PATH to where it is.`,
    );
  }
  const pairingNumber = pairingNumberOf(config.WHATSAPP_PAIRING_NUMBER);
  const webVersion = webVersionOf(config);
  const dataDir = sessionFolder(config);
  const [createClient, qrcode] = await Promise.all([realClientFactory({ chromiumPath, dataDir, pairingNumber, webVersion }), import('qrcode-terminal')]);
  return new WhatsAppAdapter({
    createClient,
    log: log.child({ platform: 'whatsapp' }),
    login: terminalLogin(qrcode.default ?? qrcode),
    sendIntervalMs: config.WHATSAPP_SEND_INTERVAL,
    pairingNumber,
    readyTimeoutMs: config.WHATSAPP_READY_TIMEOUT,
    clearVersionCache: () => clearVersionCache(dataDir),
    // LocalAuth keeps the session in `session/` (no clientId): deleting it makes the next start show a login code.
    clearSession: () => rm(join(authFolder(dataDir), 'session'), { recursive: true, force: true }),
  });
}

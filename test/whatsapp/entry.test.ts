// Switching WhatsApp on: the adapters/index.ts entry, the checks made before
// anything is launched, and what the person setting it up sees.
import qrcode from 'qrcode-terminal';
import { describe, expect, it } from 'vitest';
import { adapterEntries } from '../../adapters/index.js';
import { Registry } from '../../src/core/registry.js';
import { pairingNumberOf, sessionFolder, terminalLogin } from '../../adapters/whatsapp/index.js';
import { loadConfig } from '../../src/config.js';
import { silentLogger } from '../../src/logger.js';

const entry = adapterEntries.find((e) => e.platform === 'whatsapp')!;

describe('switching WhatsApp on', () => {
  it('is on only with WHATSAPP_ENABLED=true', () => {
    expect(entry.enabled(loadConfig({}))).toBe(false);
    expect(entry.enabled(loadConfig({ WHATSAPP_ENABLED: 'false' }))).toBe(false);
    expect(entry.enabled(loadConfig({ WHATSAPP_ENABLED: 'true' }))).toBe(true);
  });

  it('stops with a clear message when Chromium is not installed', async () => {
    const config = loadConfig({ WHATSAPP_ENABLED: 'true', CHROMIUM_PATH: '/nowhere/chromium' });
    await expect(entry.load(config, silentLogger, new Registry([]))).rejects.toThrow(
      "WhatsApp needs Chromium, and there is none at /nowhere/chromium. Install it from your distribution's packages (Debian or Ubuntu: sudo apt-get install chromium), or set CHROMIUM_PATH to where it is.",
    );
  });

  it('takes the pairing number with or without spaces and +, and refuses anything else', () => {
    expect(pairingNumberOf(undefined)).toBeUndefined();
    expect(pairingNumberOf('+44 7700 900123')).toBe('447700900123');
    expect(() => pairingNumberOf('12345')).toThrow(/e\.g\. 447700900123/);
    expect(() => pairingNumberOf('the bot')).toThrow(/WHATSAPP_PAIRING_NUMBER must be the bot's phone number with its country code/);
  });

  it('keeps the login session next to the database', () => {
    expect(sessionFolder(loadConfig({}))).toBe('data');
    expect(sessionFolder(loadConfig({ COLLABOT_DB: '/var/lib/collabot/bot.sqlite' }))).toBe('/var/lib/collabot');
  });

  it('prints the QR code and the pairing code with instructions', () => {
    let out = '';
    const login = terminalLogin(qrcode, { write: (s: string) => (out += s) });
    login.qr('2@abcdefghijklmnopqrstuvwxyz,0123456789');
    expect(out).toContain('open WhatsApp > Settings > Linked devices > Link a device, and scan this code');
    expect(out).toMatch(/[▄▀█]{10}/); // the code itself
    out = '';
    login.code('ABCD1234', '447700900123');
    expect(out).toContain('on the phone with number +447700900123');
    expect(out).toContain('Link with phone number instead');
    expect(out).toContain('    ABCD-1234\n');
  });
});

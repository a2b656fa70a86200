// The real WaClient: whatsapp-web.js's Client with LocalAuth, driving the
// system's Chromium. The library is loaded here by dynamic import, only when
// the WhatsApp adapter is switched on.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type WAWebJS from 'whatsapp-web.js';
import type { WaClient, WaClientEvents, WaClientFactory, WaPollContent, WaSendOptions } from './client.js';

export interface RealClientOptions {
  chromiumPath: string;
  /** Folder for the login session (`.wwebjs_auth/`) and WhatsApp Web's cache (`.wwebjs_cache/`). */
  dataDir: string;
  pairingNumber?: string;
  /** Extra Chromium switches (tests cut the network off this way). */
  chromiumArgs?: string[];
  /** WHATSAPP_WEB_VERSION and where to fetch it (WHATSAPP_WEB_VERSION_URL, with `{version}`). */
  webVersion?: { version: string; url: string };
}

/** Where WhatsApp Web's pages are cached (`<dataDir>/.wwebjs_cache/`, one `<version>.html` each). */
export function versionCacheFolder(dataDir: string): string {
  return join(dataDir, '.wwebjs_cache');
}

/**
 * The library's options. A pinned version is fetched from its URL every start
 * (the `remote` cache); without one, the page WhatsApp serves is used and kept
 * in the `local` cache, as the library does by default.
 */
export function clientOptions(lib: Pick<typeof WAWebJS, 'LocalAuth'>, opts: RealClientOptions): WAWebJS.ClientOptions {
  const version: Pick<WAWebJS.ClientOptions, 'webVersion' | 'webVersionCache'> = opts.webVersion
    ? { webVersion: opts.webVersion.version, webVersionCache: { type: 'remote', remotePath: opts.webVersion.url } }
    : { webVersionCache: { type: 'local', path: versionCacheFolder(opts.dataDir) } };
  return {
    authStrategy: new lib.LocalAuth({ dataPath: join(opts.dataDir, '.wwebjs_auth') }),
    ...version,
    puppeteer: { executablePath: opts.chromiumPath, headless: true, args: chromiumArgs(opts.chromiumArgs) },
    deviceName: 'Collabot',
    // The library asks for a pairing code itself at the right moment, and renews it every 3 minutes.
    ...(opts.pairingNumber ? { pairWithPhoneNumber: { phoneNumber: opts.pairingNumber, showNotification: true } } : {}),
  };
}

/** Chromium switches for a headless bot on a server. */
export function chromiumArgs(extra: string[] = []): string[] {
  const args = ['--disable-background-networking', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--no-default-browser-check', '--disable-extensions'];
  // Chromium refuses to start its sandbox as root (containers, small servers).
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  return [...args, ...extra];
}

export async function realClientFactory(opts: RealClientOptions, lib?: typeof WAWebJS): Promise<WaClientFactory> {
  if (!lib) {
    const mod = (await import('whatsapp-web.js')) as unknown as { default?: typeof WAWebJS } & typeof WAWebJS;
    lib = mod.default ?? mod;
  }
  const loaded = lib;
  return async () => new RealClient(loaded, opts);
}

/** Exported for tests, which hand it a stand-in for the library. */
export class RealClient implements WaClient {
  private client: WAWebJS.Client;
  /** Also told when Chromium itself goes away. */
  private onDisconnected: WaClientEvents['disconnected'][] = [];

  constructor(
    private lib: typeof WAWebJS,
    opts: RealClientOptions,
  ) {
    // The login session is a key to the bot's WhatsApp number: readable by the bot's user only.
    for (const dir of ['.wwebjs_auth', '.wwebjs_cache']) {
      mkdirSync(join(opts.dataDir, dir), { recursive: true, mode: 0o700 });
      chmodSync(join(opts.dataDir, dir), 0o700);
    }
    this.client = new lib.Client(clientOptions(lib, opts));
  }

  on<E extends keyof WaClientEvents>(event: E, listener: WaClientEvents[E]) {
    if (event === 'disconnected') this.onDisconnected.push(listener as WaClientEvents['disconnected']);
    this.client.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  async initialize() {
    await this.client.initialize();
    // Chromium dying (killed, out of memory) shows up as the browser disconnecting.
    this.client.pupBrowser?.on('disconnected', () => {
      for (const l of this.onDisconnected) l('BROWSER_CLOSED');
    });
  }

  ownId() {
    return this.client.info?.wid?._serialized;
  }

  async destroy() {
    this.client.removeAllListeners();
    this.onDisconnected = [];
    await this.client.destroy();
  }

  async sendMessage(chatId: string, content: string | WaPollContent, options?: WaSendOptions) {
    const body = typeof content === 'string' ? content : new this.lib.Poll(content.pollName, content.pollOptions, { allowMultipleAnswers: content.allowMultipleAnswers, messageSecret: undefined });
    // Wait until WhatsApp has taken the message, so "sent" in the outbox means sent.
    return (await this.client.sendMessage(chatId, body, { ...options, waitUntilMsgSent: true })) ?? undefined;
  }

  getContactLidAndPhone(userIds: string[]) {
    return this.client.getContactLidAndPhone(userIds);
  }

  getContactById(contactId: string) {
    return this.client.getContactById(contactId);
  }

  getChatById(chatId: string) {
    return this.client.getChatById(chatId);
  }
}

// What went wrong with WhatsApp Web, in words a host can act on.

/** What the library's disconnect reasons mean, for the person reading the log. */
export const DISCONNECT_REASONS: Record<string, string> = {
  LOGOUT: 'the bot was logged out (the session expired or the linked device was removed on the phone).',
  UNPAIRED: 'the bot is no longer linked to the phone.',
  UNPAIRED_IDLE: 'the bot is no longer linked to the phone.',
  CONFLICT: "disconnected because WhatsApp Web was opened somewhere else with the bot's number.",
  TOS_BLOCK: "disconnected: WhatsApp has blocked the bot's number (see the ban risk in docs/operate/whatsapp.md).",
  SMB_TOS_BLOCK: "disconnected: WhatsApp has blocked the bot's number (see the ban risk in docs/operate/whatsapp.md).",
  DEPRECATED_VERSION: 'disconnected: WhatsApp no longer accepts this version of WhatsApp Web; update whatsapp-web.js, or pin a newer one with WHATSAPP_WEB_VERSION.',
  PROXYBLOCK: 'disconnected: WhatsApp refused the connection from this network.',
  BROWSER_CLOSED: 'Chromium closed unexpectedly (it crashed, ran out of memory or was killed).',
};

/** Errors that mean the browser or page is gone, rather than this one message failing. */
export function isConnectionError(err: unknown): boolean {
  return /Session closed|Target closed|Protocol error|Execution context was destroyed|detached Frame|Connection closed|browser has disconnected/i.test(describe(err));
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error, with a hint for the causes people actually meet. */
export function explain(err: unknown): string {
  const text = describe(err);
  if (/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|ERR_NETWORK_|ERR_CONNECTION_|ERR_PROXY_|ERR_ADDRESS_UNREACHABLE|ERR_TIMED_OUT/.test(text)) {
    return `${text}. Is this machine online, and can it reach web.whatsapp.com?`;
  }
  if (/Failed to launch the browser process|ENOENT|spawn/i.test(text)) return `${text}. Chromium did not start; check CHROMIUM_PATH.`;
  if (/auth timeout|ready timeout/.test(text)) return `${text}: WhatsApp Web did not finish loading.`;
  return text;
}

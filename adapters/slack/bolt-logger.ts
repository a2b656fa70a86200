// Bolt and the Web API client log through our logger, so secrets are scrubbed the same way.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

export function boltLogger(log: Logger, sdkDebug = false): BoltLogger {
  const text = (parts: unknown[]) =>
    parts
      .map((p) => {
        if (typeof p === 'string') return p;
        if (p instanceof Error) return p.message;
        try {
          return JSON.stringify(p);
        } catch {
          return String(p);
        }
      })
      .join(' ');
  return {
    // Bolt's debug lines carry request bodies (button values, DM texts, our link codes): dropped unless asked for.
    debug: (...m: unknown[]) => (sdkDebug ? log.debug(text(m)) : undefined),
    info: (...m: unknown[]) => log.info(text(m)),
    warn: (...m: unknown[]) => log.warn(text(m)),
    error: (...m: unknown[]) => log.error(text(m)),
    setLevel: () => {},
    getLevel: () => {
      const l = log.level;
      return (l === 'trace' || l === 'debug') && sdkDebug ? LogLevel.DEBUG : l === 'trace' || l === 'debug' || l === 'info' ? LogLevel.INFO : l === 'warn' ? LogLevel.WARN : LogLevel.ERROR;
    },
    setName: () => {},
  };
}

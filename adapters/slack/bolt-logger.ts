// Bolt and the Web API client log through our logger, so secrets are scrubbed the same way.
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../src/logger.js';

export function boltLogger(log: Logger): BoltLogger {
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
    debug: (...m: unknown[]) => log.debug(text(m)),
    info: (...m: unknown[]) => log.info(text(m)),
    warn: (...m: unknown[]) => log.warn(text(m)),
    error: (...m: unknown[]) => log.error(text(m)),
    setLevel: () => {},
    getLevel: () => {
      const l = log.level;
      return l === 'trace' || l === 'debug' ? LogLevel.DEBUG : l === 'info' ? LogLevel.INFO : l === 'warn' ? LogLevel.WARN : LogLevel.ERROR;
    },
    setName: () => {},
  };
}

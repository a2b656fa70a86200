// How the WhatsApp adapter gets back on its feet without a person watching:
// the retry schedule, clearing WhatsApp Web's cached page once when restarts
// keep failing (the usual cause after a WhatsApp Web update), and telling the
// admins once when WhatsApp stops and once when it is back, with what was tried.
import type { Clock } from '../../src/clock.js';
import type { Logger } from '../../src/logger.js';
import type { AdapterHooks, Incident } from '../../src/model.js';
import { PLATFORM } from './mapping.js';

/** Waits before each restart: 30 s, 2 min, 10 min, then every 30 min. */
export const RETRY_SCHEDULE_MS = [30_000, 120_000, 600_000, 1_800_000];
/** On this failure in a row, the cached WhatsApp Web page is cleared before retrying (once per outage). */
export const CLEAR_CACHE_ON_FAILURE = 2;

export const INCIDENT_KEYS = { connection: 'whatsapp:connection', login: 'whatsapp:login' } as const;

export interface RecoveryDeps {
  clock: Clock;
  log: Logger;
  /** The core's hooks, once the adapter has started. */
  hooks: () => AdapterHooks | undefined;
  schedule?: number[];
}

export interface Plan {
  /** Restart after this long. */
  delayMs: number;
  /** Clear the cached WhatsApp Web page before the restart. */
  clearCache: boolean;
}

export class Recovery {
  /** Failures in a row since WhatsApp was last ready. */
  private failures = 0;
  private cacheCleared = false;
  private outage?: { since: number; restarts: number };
  private login?: { since: number };

  constructor(private d: RecoveryDeps) {}

  get failuresInRow() {
    return this.failures;
  }

  /** A start failed or the connection was lost (`why` is a sentence): when to restart, and whether to clear the cache first. */
  failed(why: string): Plan {
    const failures = ++this.failures;
    const schedule = this.d.schedule ?? RETRY_SCHEDULE_MS;
    const delayMs = schedule[Math.min(failures, schedule.length) - 1]!;
    const clearCache = failures >= CLEAR_CACHE_ON_FAILURE && !this.cacheCleared;
    if (clearCache) this.cacheCleared = true;
    if (this.outage) {
      this.outage.restarts++;
    } else {
      this.outage = { since: this.d.clock.now(), restarts: 1 };
      this.report({
        key: INCIDENT_KEYS.connection,
        text:
          `WhatsApp stopped working: ${why} Collabot restarts it by itself: in ${human(delayMs)}, then after 2 min, 10 min and every 30 min, ` +
          'clearing the cached WhatsApp Web page if that fails again. Messages wait in the queue and go out when it is back.',
      });
    }
    return { delayMs, clearCache };
  }

  /** WhatsApp wants a person to log the bot in again (logged out, login refused, or a login code is showing). */
  loginNeeded(why: string) {
    this.failures = 0;
    if (this.login) return;
    this.login = { since: this.d.clock.now() };
    this.report({
      key: INCIDENT_KEYS.login,
      text:
        `WhatsApp needs someone to log the bot in: ${why} Collabot does not retry by itself until then. ` +
        "Look at where Collabot prints its output for the QR code (or pairing code), and scan it on the bot's phone under Linked devices. Messages wait in the queue.",
    });
  }

  /** WhatsApp is ready: close whatever incidents are open. */
  ready() {
    const now = this.d.clock.now();
    if (this.outage) {
      const { since, restarts } = this.outage;
      const tried = `${restarts} restart${restarts === 1 ? '' : 's'}${this.cacheCleared ? ', clearing the cached WhatsApp Web page once' : ''}`;
      this.report({ key: INCIDENT_KEYS.connection, resolved: true, text: `WhatsApp is working again, after ${human(now - since)} (${tried}). Queued messages are going out now.` });
    }
    if (this.login) {
      this.report({ key: INCIDENT_KEYS.login, resolved: true, text: `WhatsApp is logged in again, after ${human(now - this.login.since)}. Queued messages are going out now.` });
    }
    this.outage = this.login = undefined;
    this.failures = 0;
    this.cacheCleared = false;
  }

  private report(incident: Omit<Incident, 'platform'>) {
    const hooks = this.d.hooks();
    if (hooks) hooks.incident({ ...incident, platform: PLATFORM });
    else this.d.log[incident.resolved ? 'info' : 'warn']({ key: incident.key }, incident.text);
  }
}

/** 45 s, 2 min, 1 h 5 min. */
export function human(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

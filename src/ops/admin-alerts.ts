// Telling the admins when something needs a person: an adapter disconnected for
// 10 minutes, a chat that keeps refusing deliveries, a failed backup, or an
// incident an adapter reports itself (Bot.onIncident). Each problem is told once
// when it starts and once when it is over, by direct message to the admins on
// another connected platform; with none, it goes to the log (stderr).
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Incident } from '../model.js';
import type { Outbox } from '../outbox/outbox.js';
import { platformName, type HealthBoard } from './health.js';

export interface AdminAlertsDeps {
  clock: Clock;
  config: Pick<Config, 'COLLABOT_ADMINS'>;
  log: Logger;
  outbox: Outbox;
  health: HealthBoard;
}

interface Open {
  incident: Incident;
  since: number;
}

export class AdminAlerts {
  private open = new Map<string, Open>();

  constructor(private deps: AdminAlertsDeps) {}

  /** Problems not yet over, oldest first (for /status). */
  openIncidents(): { key: string; platform: string; text: string; since: number }[] {
    return [...this.open.values()].map((o) => ({ ...o.incident, since: o.since })).sort((a, b) => a.since - b.since);
  }

  isOpen(key: string) {
    return this.open.has(key);
  }

  /**
   * Report a problem (told once per key while it lasts) or its end (told only if
   * the problem was told). `sameOk`: the admins may hear it on the affected
   * platform itself (a chat failing does not mean its platform is down).
   */
  report(incident: Incident, opts: { sameOk?: boolean } = {}) {
    const { clock } = this.deps;
    if (incident.resolved) {
      if (!this.open.delete(incident.key)) return;
      this.tell(incident, opts.sameOk);
      return;
    }
    if (this.open.has(incident.key)) return;
    this.open.set(incident.key, { incident, since: clock.now() });
    this.tell(incident, opts.sameOk);
  }

  /** A one-off message to the admins (a failed backup), through the same channels. */
  tellOnce(platform: string, text: string) {
    this.tell({ key: 'once', platform, text }, true);
  }

  private tell(incident: Incident, sameOk = false) {
    const { config, log, outbox, health } = this.deps;
    const text = (incident.resolved ? 'Resolved: ' : 'Collabot needs attention: ') + incident.text;
    log[incident.resolved ? 'info' : 'warn']({ key: incident.key, platform: incident.platform, alert: true }, incident.text);
    const elsewhere = config.COLLABOT_ADMINS.filter((a) => a.platform !== incident.platform && health.connected(a.platform));
    const same = config.COLLABOT_ADMINS.filter((a) => a.platform === incident.platform && health.connected(a.platform));
    const to = elsewhere.length ? elsewhere : sameOk ? same : [];
    if (!to.length) {
      log.error({ key: incident.key, platform: incident.platform }, `no admin can be reached on a connected platform: ${text}`);
      return;
    }
    for (const admin of to) outbox.enqueue({ platform: admin.platform, userId: admin.userId }, { text }, { origin: `alert:${incident.key}` });
    // After the caller's transaction commits (this may run inside one): replies only after commit.
    queueMicrotask(() => outbox.notify());
  }

  /** Plain words for an adapter that has been down since `since`. */
  static disconnected(platform: string, minutes: number, detail?: string) {
    return `${platformName(platform)} has been disconnected for ${minutes} minutes${detail ? ` (${detail})` : ''}. Messages to it are kept and will be sent when it is back. Check the server's network and the bot's token or login.`;
  }
}

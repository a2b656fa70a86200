// Running the bot for real: the daily backup job, the watch on adapters'
// connections and on chats that keep refusing deliveries, and the figures
// /status shows. Alerts go through AdminAlerts.
import { DateTime } from 'luxon';
import { basename } from 'node:path';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { parseDest, type Outbox } from '../outbox/outbox.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import { AdminAlerts } from './admin-alerts.js';
import { takeBackup, type BackupResult } from './backup.js';
import { parseKeep, pruneBackups } from './backup-keep.js';
import { HealthBoard, platformName } from './health.js';
import { OpsRepo } from './repo.js';

export interface OpsDeps {
  db: DB;
  clock: Clock;
  config: Config;
  log: Logger;
  outbox: Outbox;
  scheduler: Scheduler;
}

/** An adapter down this long is reported to the admins. */
export const DISCONNECTED_ALERT_MS = 10 * 60_000;
/** This many messages to one chat failing for good within a day is reported. */
export const CHAT_FAILURES_ALERT = 3;
const DAY = 86_400_000;
const WATCH_EVERY_MS = 60_000;
const BACKUP_JOB = 'ops.backup';
const BACKUP_KEY = 'ops:backup';

export class OpsService {
  readonly health: HealthBoard;
  readonly alerts: AdminAlerts;
  readonly repo: OpsRepo;
  readonly startedAt: number;
  private timer: unknown;
  /** Backups running now (a manual one and the daily one never overlap). */
  private backupRunning?: Promise<BackupResult>;

  constructor(private deps: OpsDeps) {
    const { db, clock, config, log, outbox, scheduler } = deps;
    this.repo = new OpsRepo(db);
    this.startedAt = clock.now();
    this.health = new HealthBoard(() => clock.now());
    this.alerts = new AdminAlerts({ clock, config, log, outbox, health: this.health });
    outbox.onFailure((row, to) => this.onDeliveryFailed(row.platform, row.dest, this.repo.outboxError(row.id), to.chatId !== undefined));
    scheduler.register(BACKUP_JOB, () => {
      scheduler.schedule(BACKUP_JOB, this.nextBackupAt(), {}, BACKUP_KEY);
      // The copy is asynchronous: it starts once the job's transaction has committed.
      queueMicrotask(() => void this.backupNow());
    });
  }

  start() {
    const { config, scheduler } = this.deps;
    if (config.COLLABOT_BACKUP_DIR && scheduler.pendingAt(BACKUP_KEY) === undefined) {
      scheduler.schedule(BACKUP_JOB, this.nextBackupAt(), {}, BACKUP_KEY);
    }
    if (!config.COLLABOT_BACKUP_DIR) scheduler.cancel(BACKUP_KEY);
    this.arm();
  }

  stop() {
    if (this.timer !== undefined) this.deps.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The next 03:00 in COLLABOT_TZ. */
  nextBackupAt(): number {
    const { clock, config } = this.deps;
    const now = DateTime.fromMillis(clock.now(), { zone: config.COLLABOT_TZ });
    let at = now.set({ hour: 3, minute: 0, second: 0, millisecond: 0 });
    if (at.toMillis() <= now.toMillis()) at = at.plus({ days: 1 }).set({ hour: 3, minute: 0 });
    return at.toMillis();
  }

  /** Take a backup into COLLABOT_BACKUP_DIR now, record it, prune old copies, tell the admins if it failed. */
  backupNow(dir = this.deps.config.COLLABOT_BACKUP_DIR): Promise<BackupResult> {
    if (!dir) return Promise.resolve({ ok: false, file: '', detail: 'COLLABOT_BACKUP_DIR is not set' });
    this.backupRunning ??= this.runBackup(dir).finally(() => (this.backupRunning = undefined));
    return this.backupRunning;
  }

  /** Resolves once no backup is running (for tests and a graceful stop). */
  async backupsDone(): Promise<void> {
    await this.backupRunning?.catch(() => undefined);
  }

  private async runBackup(dir: string): Promise<BackupResult> {
    const { db, clock, config, log } = this.deps;
    const started = clock.now();
    const result = await takeBackup(db, dir, started);
    this.repo.addBackup(basename(result.file), started, clock.now(), result.bytes ?? null, result.ok, result.detail ?? null);
    if (result.ok) {
      log.info({ file: basename(result.file), bytes: result.bytes }, 'backup taken and checked');
      try {
        const removed = pruneBackups(dir, parseKeep(config.COLLABOT_BACKUP_KEEP), config.COLLABOT_TZ);
        if (removed.length) log.info({ removed: removed.length }, 'old backups removed');
      } catch (err) {
        log.warn({ err }, 'could not remove old backups');
      }
    } else {
      log.error({ file: basename(result.file), detail: result.detail }, 'backup failed');
      const last = this.lastGoodText();
      this.alerts.tellOnce('ops', `tonight's backup failed: ${result.detail}. ${last} Check the disk space and the folder ${dir}, then type /status to see the result of the next one.`);
    }
    return result;
  }

  private lastGoodText(): string {
    const last = this.repo.lastBackup();
    return last?.ok ? `The last good backup is ${last.file}.` : 'There is no good backup yet.';
  }

  private onDeliveryFailed(platform: string, dest: string, error: string | null, isChat: boolean) {
    const now = this.deps.clock.now();
    this.repo.addFailure(platform, dest, now, error);
    const { n, last_error } = this.repo.failuresTo(platform, dest, now - DAY);
    if (n < CHAT_FAILURES_ALERT) return;
    const where = this.describeDest(platform, dest, isChat);
    this.alerts.report(
      {
        key: chatKey(platform, dest),
        platform,
        text: `${n} messages to ${where} could not be delivered in the last 24 hours${last_error ? ` (the last error: ${last_error})` : ''}. Check the bot is still in that chat and allowed to post there.`,
      },
      { sameOk: true },
    );
  }

  private describeDest(platform: string, dest: string, isChat: boolean): string {
    const to = parseDest(platform, dest);
    if (!isChat) return `a direct message on ${platformName(platform)}`;
    const name = this.repo.chatName(platform, to.chatId!) ?? to.chatId!;
    return `the ${platformName(platform)} chat "${name}"`;
  }

  private arm() {
    this.stop();
    this.timer = this.deps.clock.setTimeout(() => {
      try {
        this.watch();
      } catch (err) {
        this.deps.log.error({ err }, 'health watch failed');
      }
      this.arm();
    }, WATCH_EVERY_MS);
  }

  /** One look at every adapter and every chat an alert is open for. */
  watch() {
    const now = this.deps.clock.now();
    for (const platform of this.health.platforms()) {
      const h = this.health.health(platform)!;
      const key = `adapter:${platform}`;
      if (!h.connected && now - h.since >= DISCONNECTED_ALERT_MS) {
        this.alerts.report({ key, platform, text: AdminAlerts.disconnected(platform, Math.floor((now - h.since) / 60_000), h.detail) });
      } else if (h.connected && this.alerts.isOpen(key)) {
        this.alerts.report({ key, platform, text: `${platformName(platform)} is connected again.`, resolved: true });
      }
    }
    for (const open of this.alerts.openIncidents()) {
      const m = /^chat:([^:]+):(.+)$/.exec(open.key);
      if (!m || !this.repo.sentSince(m[1]!, m[2]!, open.since)) continue;
      const where = this.describeDest(m[1]!, m[2]!, m[2]!.startsWith('c:'));
      this.alerts.report({ key: open.key, platform: m[1]!, text: `messages to ${where} are being delivered again.`, resolved: true }, { sameOk: true });
    }
  }
}

function chatKey(platform: string, dest: string) {
  return `chat:${platform}:${dest}`;
}

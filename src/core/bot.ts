// The core: takes inbound events from any number of adapters, records each one
// once, runs its command in one transaction and writes the replies to the
// outbox in that same transaction. Senders deliver after commit.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Adapter, AdapterHooks, InboundEvent, Incident } from '../model.js';
import { OutboxSender, type SenderOptions } from '../outbox/sender.js';
import { createServices, type Services } from '../services.js';
import type { DB } from '../storage/db.js';
import { stripInvisible } from '../text/invisible.js';
import { buildContext, type Actor } from './context.js';
import { COMMANDS_PER_MINUTE, FloodGuard } from './flood-guard.js';
import { describeRoles, parseArgs, Registry, type CommandSpec } from './registry.js';

/** Longer messages are refused rather than parsed. */
export const MAX_MESSAGE_CHARS = 50_000;

/** At most this many events share one commit, so a long burst still answers as it goes. */
const MAX_EVENTS_PER_COMMIT = 128;

export type Outcome = 'ignored' | 'duplicate' | 'handled' | 'refused' | 'failed';

export interface BotOptions {
  db: DB;
  config: Config;
  clock: Clock;
  log: Logger;
  commands: CommandSpec[];
  /** Extra sender options, e.g. faster backoff in tests. */
  sender?: Omit<SenderOptions, 'maxAttempts'>;
}

export class Bot {
  readonly services: Services;
  readonly registry: Registry;
  private adapters = new Map<string, Adapter>();
  private senders = new Map<string, OutboxSender>();
  private s;
  private closing = false;
  private flood = new FloodGuard();
  private readonly atomically: <T>(fn: () => T) => T;

  constructor(private opts: BotOptions) {
    this.services = createServices(opts);
    this.registry = new Registry(opts.commands);
    // Adapters' own incident reports reach the admins through the same alerts.
    this.onIncident((report) => this.services.ops.alerts.report(report));
    // One wrapper, made once: a transaction, or a savepoint when inside one.
    const tx = opts.db.transaction((fn: () => unknown) => fn());
    this.atomically = <T>(fn: () => T) => tx(fn) as T;
    this.s = {
      recordEvent: opts.db.prepare<[string, string, number]>(
        'INSERT INTO inbound_events (platform, event_id, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
    };
  }

  use(adapter: Adapter) {
    if (this.adapters.has(adapter.platform)) throw new Error(`two adapters for ${adapter.platform}`);
    this.adapters.set(adapter.platform, adapter);
    this.services.outbox.setMaxMessageLength(adapter.platform, adapter.capabilities.maxMessageLength);
    this.services.ops.health.add(adapter);
    this.services.outbox.setCanEdit(adapter.platform, !!(adapter.capabilities.edit && adapter.edit));
    const { config, clock, log } = this.opts;
    this.senders.set(
      adapter.platform,
      new OutboxSender(adapter, this.services.outbox, clock, log.child({ platform: adapter.platform }), {
        maxAttempts: config.COLLABOT_OUTBOX_MAX_ATTEMPTS,
        ...this.opts.sender,
      }),
    );
    return this;
  }

  adapter(platform: string) {
    return this.adapters.get(platform);
  }

  async start() {
    this.services.pruning.ensureScheduled();
    this.services.scheduler.start();
    this.services.ops.start();
    // Each platform's sender starts once its adapter is connected, so messages
    // queued while it was down (missed reminders, say) are not burned as failed attempts.
    await Promise.all(
      [...this.adapters.values()].map(async (adapter) => {
        await adapter.start((event) => this.handle(event), this.hooks);
        this.services.ops.health.started(adapter.platform, this.opts.clock.now());
        this.senders.get(adapter.platform)!.start();
      }),
    );
  }

  /** Wait until every adapter's outbox is delivered (or the timeout passes). */
  async drain(timeoutMs = 30_000) {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([Promise.all([...this.senders.values()].map((s) => s.idle())), timeout]);
    clearTimeout(timer);
  }

  /**
   * A graceful stop (SIGTERM, SIGINT): take no more events, deliver what is
   * queued for up to `graceMs`, then stop. Messages still queued stay in the
   * outbox and go out at the next start.
   */
  async shutdown(graceMs = 10_000) {
    this.closing = true;
    this.commitWaiting(); // events already taken are answered
    this.services.scheduler.stop();
    await this.drain(graceMs);
    await this.services.ops.backupsDone(); // a backup in progress finishes before the database closes
    await this.stop();
  }

  async stop() {
    this.closing = true;
    this.commitWaiting();
    this.services.scheduler.stop();
    this.services.ops.stop();
    // Sends in flight come back (and are recorded) before the adapters close.
    await Promise.all([...this.senders.values()].map((s) => s.stop()));
    for (const adapter of this.adapters.values()) {
      try {
        await adapter.stop();
      } catch (err) {
        this.opts.log.warn({ err, platform: adapter.platform }, 'adapter did not stop cleanly');
      }
    }
  }

  /** Incidents the adapters report; the admins' alerts subscribe here. */
  private incidentListeners: ((report: Incident) => void)[] = [];
  onIncident(listener: (report: Incident) => void) {
    this.incidentListeners.push(listener);
  }
  private hooks: AdapterHooks = {
    incident: (report) => {
      this.opts.log[report.resolved ? 'info' : 'warn']({ platform: report.platform, key: report.key }, report.text);
      for (const l of this.incidentListeners) l(report);
    },
    chatChanged: (change) => {
      this.commitWaiting(); // events that came before the change are handled before it
      try {
        this.opts.db.transaction(() => this.services.chatLife.apply(change))();
        this.services.outbox.notify();
      } catch (err) {
        this.opts.log.error({ err, platform: change.platform, kind: change.kind }, 'could not record a change in a chat');
      }
    },
  };

  /** Events waiting for the next group commit, each with its adapter's wait. */
  private waiting: { event: InboundEvent; done: () => void }[] = [];
  private commitScheduled = false;

  /**
   * The adapters' entry point. Never throws. Resolves once the event and its
   * replies are committed. Events that arrive together (a burst of lines, many
   * chats at once) share one durable commit: each still runs in its own
   * savepoint, so a refusal or crash undoes only its own changes.
   */
  handle = (event: InboundEvent): Promise<void> => {
    // Stopping: an event not recorded now is re-delivered by its platform (or retyped) after the restart.
    if (this.closing) return Promise.resolve();
    return new Promise<void>((done) => {
      this.waiting.push({ event, done });
      if (this.commitScheduled) return;
      this.commitScheduled = true;
      // After the current burst of input has been read.
      setImmediate(() => this.commitWaiting());
    });
  };

  private commitWaiting() {
    this.commitScheduled = false;
    while (this.waiting.length) {
      const batch = this.waiting.splice(0, MAX_EVENTS_PER_COMMIT);
      try {
        const outcomes = this.processBatch(batch.map((w) => w.event));
        // The database failed the shared commit: one at a time, so only the event that fails is lost (as without grouping).
        if (batch.length > 1 && outcomes.every((o) => o === 'failed')) for (const w of batch) this.process(w.event);
      } finally {
        for (const w of batch) w.done();
      }
    }
  }

  /** Handle one event synchronously; returns what happened (for tests and benchmarks). */
  process(event: InboundEvent): Outcome {
    return this.processBatch([event])[0]!;
  }

  /** Handle events in order, in one transaction (a savepoint each); returns what happened to each. */
  processBatch(events: InboundEvent[]): Outcome[] {
    const { log } = this.opts;
    let outcomes: Outcome[] = [];
    try {
      this.atomically(() => {
        outcomes = events.map((event) => this.processOne(event));
      });
    } catch (err) {
      // Only reachable if the database itself fails (the commit, say): nothing in the batch was recorded.
      log.error({ err, events: events.length }, 'could not handle events');
      return events.map(() => 'failed');
    }
    try {
      // Once committed: no trace in the WAL of where an anonymous ballot went.
      this.services.polls.scrubAfterCommit();
      if (outcomes.some((o) => o !== 'ignored' && o !== 'duplicate')) this.services.outbox.notify();
    } catch (err) {
      log.error({ err }, 'could not finish after a commit'); // the events are recorded: their answers go at the next notify
    }
    return outcomes;
  }

  private processOne(event: InboundEvent): Outcome {
    try {
      return this.processUnsafe(event);
    } catch (err) {
      // The database failed; never take the process down. Where SQLite undid the whole
      // transaction, the events before this one are undone too: fail the batch.
      if (!this.opts.db.inTransaction) throw err;
      this.opts.log.error({ err, platform: event.platform, eventId: event.eventId }, 'could not handle event');
      return 'failed';
    } finally {
      this.services.roles.actingAs(undefined);
    }
  }

  private processUnsafe(event: InboundEvent): Outcome {
    if (event.author.isBot) return 'ignored';
    const text = clean(event.text);
    const isCommand = text.startsWith('/');
    if (!isCommand && !(event.chat.isDirect && text)) return 'ignored';

    const { log } = this.opts;
    const services = this.services;
    return this.atomically((): Outcome => {
      if (this.s.recordEvent.run(event.platform, event.eventId, services.clock.now()).changes === 0) return 'duplicate';
      const chat = services.collabs.ensureChat(event.platform, event.chat.id, event.chat.name, event.chat.isDirect, event.author.id);
      if (!event.chat.isDirect) services.chatLife.seen(event.platform, event.chat.id);
      const personId = services.people.ensure(event.platform, event.author.id, event.author.displayName);
      if (chat.collab_id) services.collabs.noteMember(chat.collab_id, personId);
      const actor: Actor = { personId, platform: event.platform, userId: event.author.id, name: event.author.displayName };
      services.roles.actingAs({ personId, platform: event.platform, userId: event.author.id });
      const ctx = buildContext(event, services, this.registry, actor, chat);
      // The console is the host's own terminal (and scripts piped into it): not limited.
      const verdict = isCommand && event.platform !== 'console' ? this.flood.check(`${event.platform}\u0000${event.chat.id}\u0000${event.author.id}`, services.clock.now()) : 'ok';
      if (verdict === 'drop') return 'ignored';
      if (verdict === 'warn') {
        ctx.reply(`${actor.name}, please slow down: that is more than ${COMMANDS_PER_MINUTE} commands in a minute. I'll ignore your commands here for the rest of the minute, then carry on. Try again in a minute, e.g. /help`);
        return 'refused';
      }

      if (!isCommand) {
        ctx.reply('Hello! I understand commands that start with /. Type /help to see them.');
        return 'refused';
      }
      if (text.length > MAX_MESSAGE_CHARS) {
        ctx.reply(`That message is too long for me (${text.length.toLocaleString('en-GB')} characters). Please keep a command under ${MAX_MESSAGE_CHARS.toLocaleString('en-GB')} characters.`);
        return 'refused';
      }
      const found = this.registry.lookup(text);
      if (!found.ok) {
        ctx.reply(found.reply);
        return 'refused';
      }
      const { spec } = found.match;
      try {
        // A savepoint: a refusal or crash undoes the command's changes but keeps the event record.
        this.atomically(() => {
          if (spec.where === 'collab') ctx.requireCollab();
          if (!ctx.can(spec.roles ?? [], spec.adminsToo)) {
            throw new UserError(`Only ${describeRoles(spec.roles, spec.adminsToo)} can use /${spec.name}. Type /roles to see who can help.`);
          }
          spec.handler(ctx, parseArgs(spec, found.match, { now: ctx.now, tz: ctx.tz }));
        });
        return 'handled';
      } catch (err) {
        // SQLite undid the whole transaction (a full disk, say): nothing can be written now.
        if (!this.opts.db.inTransaction) throw err;
        if (err instanceof UserError) {
          ctx.reply(err.message);
          return 'refused';
        }
        const ref = referenceCode();
        log.error({ err, ref, command: spec.name, platform: event.platform, eventId: event.eventId }, 'command failed');
        ctx.reply(`Sorry, something went wrong on my side and nothing was changed. Please try again. If it keeps happening, give an admin this code: ${ref}`);
        return 'failed';
      }
    });
  }
}

/** Drop control characters (keeping new lines and tabs) and surrounding space. */
function clean(text: string): string {
  return stripInvisible((text ?? '').replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')).trim();
}

function referenceCode(): string {
  return 'E' + randomBytes(4).toString('hex').toUpperCase().slice(0, 6);
}

// A bot wired to in-memory recording adapters, an in-memory database and a
// fake clock: tests drive it the way users do, by typing command lines.
import { allCommands } from '../../commands/index.js';
import { mentionsIn } from '../../adapters/console/index.js';
import { FakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { Bot } from '../../src/core/bot.js';
import type { CommandSpec } from '../../src/core/registry.js';
import { silentLogger, type Logger } from '../../src/logger.js';
import type { Adapter, Capabilities, Destination, InboundEvent, InboundSink, OutMessage, SentRef } from '../../src/model.js';
import { openDatabase, type DB } from '../../src/storage/db.js';

export interface Sent {
  platform: string;
  to: Destination;
  /** `[chat] text` or `[@user] text`, as the console prints it. */
  line: string;
  message: OutMessage;
  edited?: boolean;
}

/** An adapter that records what it would send. Set `fail` to make sends throw. */
export class RecordingAdapter implements Adapter {
  readonly sent: Sent[] = [];
  fail: ((to: Destination, m: OutMessage) => Error | undefined) | undefined;
  private n = 0;
  sink?: InboundSink;
  constructor(
    readonly platform = 'console',
    readonly capabilities: Capabilities = { buttons: false, nativePolls: false, threads: false, edit: false, maxMessageLength: 100_000, markdown: 'plain' },
    /** Shared across adapters, so tests see one timeline in delivery order. */
    private readonly timeline: Sent[] = [],
  ) {}
  async start(sink: InboundSink) {
    this.sink = sink;
  }
  async stop() {}
  async send(to: Destination, message: OutMessage): Promise<SentRef> {
    const err = this.fail?.(to, message);
    if (err) throw err;
    return this.deliver(to, message);
  }
  /** Record a message as shown in the chat. */
  protected deliver(to: Destination, message: OutMessage): SentRef {
    const line = (to.chatId !== undefined ? `[${to.chatId}] ` : `[@${to.userId}] `) + message.text;
    this.record({ platform: this.platform, to, line, message });
    return { messageId: `${this.platform}-${++this.n}` };
  }
  async edit(to: Destination, messageId: string, message: OutMessage): Promise<SentRef> {
    const line = (to.chatId !== undefined ? `[${to.chatId}] ` : `[@${to.userId}] `) + message.text;
    this.record({ platform: this.platform, to, line, message, edited: true });
    return { messageId };
  }
  private record(s: Sent) {
    this.sent.push(s);
    this.timeline.push(s);
  }
}

export interface HarnessOptions {
  admins?: string;
  env?: Record<string, string>;
  clock?: FakeClock;
  db?: DB;
  platforms?: string[];
  log?: Logger;
  /** Outbox retry timing (tests default to fast retries). */
  sender?: { baseBackoffMs?: number; maxBackoffMs?: number; slowMs?: number; stopWaitMs?: number; random?: () => number };
  /** Extra commands, e.g. one that throws, for tests of the core; one named like a real command replaces it. */
  commands?: CommandSpec[];
  /** Real adapters (driven by protocol-level fakes) to run alongside the recording ones. */
  adapters?: Adapter[];
  /** Build each platform's adapter (default: a RecordingAdapter), e.g. a FakePlatform with limits. */
  adapterFor?: (platform: string, timeline: Sent[]) => RecordingAdapter;
}

export async function createHarness(opts: HarnessOptions = {}) {
  const clock = opts.clock ?? new FakeClock();
  const db = opts.db ?? openDatabase(':memory:');
  const config = loadConfig({ COLLABOT_ADMINS: opts.admins ?? 'console:ana', ...opts.env });
  const bot = new Bot({
    db,
    config,
    clock,
    log: opts.log ?? silentLogger,
    commands: [...allCommands.filter((c) => !opts.commands?.some((x) => x.name === c.name)), ...(opts.commands ?? [])],
    sender: { random: () => 0.5, baseBackoffMs: 10, maxBackoffMs: 100, ...opts.sender },
  });
  const adapters = new Map<string, RecordingAdapter>();
  const timeline: Sent[] = [];
  for (const p of opts.platforms ?? ['console']) {
    const a = opts.adapterFor?.(p, timeline) ?? new RecordingAdapter(p, undefined, timeline);
    adapters.set(p, a);
    bot.use(a);
  }
  for (const a of opts.adapters ?? []) bot.use(a);
  await bot.start();
  let seq = 0;
  // Event ids unique per harness, so two harnesses on one database don't look like re-deliveries.
  const run = Math.random().toString(36).slice(2, 8);
  let speaker = 'you';
  let chat = 'main';
  const all = () => timeline;
  let seen = 0;

  /** Let the outbox senders deliver everything pending. */
  async function flush() {
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    await bot.drain(2000);
  }

  /**
   * Type one line as the console does (`:as NAME`, `:in CHAT` switch speaker and chat).
   * Returns the lines sent since the previous call. `wait: false` does not wait
   * for deliveries (for tests that drive the fake clock themselves).
   */
  async function say(text: string, o: { as?: string; in?: string; platform?: string; eventId?: string; direct?: boolean; wait?: boolean } = {}) {
    const meta = /^:(as|in)\s+(.+)$/.exec(text.trim());
    if (meta) {
      if (meta[1] === 'as') speaker = meta[2]!.trim();
      else chat = meta[2]!.trim();
      return [];
    }
    const event: InboundEvent = {
      kind: 'message',
      platform: o.platform ?? 'console',
      eventId: o.eventId ?? `t-${run}-${++seq}`,
      chat: { id: o.in ?? chat, name: o.in ?? chat, isDirect: !!o.direct },
      author: { id: o.as ?? speaker, displayName: o.as ?? speaker, isBot: false },
      text,
      time: new Date(clock.now()),
      mentions: mentionsIn(text),
      messageId: o.eventId ?? `t-${run}-${seq}`,
    };
    bot.process(event);
    if (o.wait === false) return [];
    await flush();
    return take();
  }

  /** Lines sent since the last say()/take(). */
  function take(): string[] {
    const lines = all().slice(seen).map((s) => s.line);
    seen = all().length;
    return lines;
  }

  /** Run a console-style script; returns every line sent. */
  async function script(lines: string) {
    const out: string[] = [];
    for (const l of lines.split('\n')) {
      if (!l.trim() || l.trim().startsWith('#')) continue;
      out.push(...(await say(l)));
    }
    return out;
  }

  return {
    bot,
    db,
    clock,
    config,
    services: bot.services,
    adapters,
    adapter: (p = 'console') => adapters.get(p)!,
    say,
    script,
    take,
    flush,
    /** Advance the fake clock, run due jobs, deliver. */
    async advance(ms: number) {
      clock.advance(ms);
      await flush();
      return take();
    },
    async close() {
      await bot.stop();
      db.close();
    },
  };
}

export type Harness = Awaited<ReturnType<typeof createHarness>>;

// The console adapter: one message per line from stdin, the bot's messages to
// stdout as `[CHAT] text` (or `[@NAME] text` for a direct message). Logs go to
// stderr. Lines `:as NAME` and `:in CHAT` choose who speaks and where.
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Adapter, Capabilities, Destination, InboundSink, Mention, OutMessage, SentRef } from '../../src/model.js';

export interface ConsoleOptions {
  input?: Readable;
  output?: Writable;
  /** Show a prompt (stdin is a terminal). */
  interactive?: boolean;
  /** Called once input has ended and every line was handled. */
  onEnd?: () => void;
}

export class ConsoleAdapter implements Adapter {
  readonly platform = 'console';
  readonly capabilities: Capabilities = {
    buttons: false,
    nativePolls: false,
    threads: false,
    edit: false,
    maxMessageLength: 100_000,
    markdown: 'plain',
  };
  private speaker = 'you';
  private chat = 'main';
  private seq = 0;
  // Event ids must stay unique across runs that share one database.
  private readonly runId = randomBytes(4).toString('hex');
  private pendingLine = '';
  private chain: Promise<void> = Promise.resolve();
  private rl?: ReturnType<typeof createInterface>;
  private sent = 0;

  constructor(private opts: ConsoleOptions = {}) {}

  async start(sink: InboundSink) {
    const input = this.opts.input ?? process.stdin;
    const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
    this.rl = rl;
    this.prompt();
    rl.on('line', (line) => {
      // Handed on at once, in order, without waiting for the previous line's
      // commit: lines read together share one (the core groups them).
      const handled = this.onLine(line, sink);
      this.chain = Promise.all([this.chain, handled]).then(() => undefined, () => undefined);
    });
    rl.on('close', () => {
      this.chain.then(() => this.opts.onEnd?.());
    });
  }

  async stop() {
    this.rl?.close();
  }

  async send(to: Destination, message: OutMessage): Promise<SentRef> {
    const out = this.opts.output ?? process.stdout;
    const prefix = to.chatId !== undefined ? `[${to.chatId}] ` : `[@${to.userId}] `;
    out.write(prefix + message.text.replace(/\n+$/, '') + '\n');
    this.prompt();
    return { messageId: String(++this.sent) };
  }

  private prompt() {
    if (this.opts.interactive) (this.opts.output ?? process.stdout).write(`${this.speaker}@${this.chat}> `);
  }

  /** Synchronous up to the hand-over, so lines reach the core in the order typed. */
  private onLine(raw: string, sink: InboundSink): Promise<void> | void {
    // A line ending in a backslash continues on the next line (multi-line notes and minutes).
    if (/\\\s*$/.test(raw)) {
      this.pendingLine += raw.replace(/\\\s*$/, '') + '\n';
      return;
    }
    const line = this.pendingLine + raw;
    this.pendingLine = '';
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) return this.prompt();
    const meta = /^:(as|in)\s+(\S.*)$/i.exec(trimmed);
    if (meta) {
      const value = meta[2]!.trim().replace(/^@/, '').slice(0, 80);
      if (meta[1]!.toLowerCase() === 'as') this.speaker = value;
      else this.chat = value;
      return this.prompt();
    }
    return sink({
      kind: 'message',
      platform: this.platform,
      eventId: `${this.runId}-${++this.seq}`,
      chat: { id: this.chat, name: this.chat, isDirect: false },
      author: { id: this.speaker, displayName: this.speaker, isBot: false },
      text: line,
      time: new Date(),
      mentions: mentionsIn(line),
      messageId: String(this.seq),
    });
  }
}

/** In the console, `@NAME` mentions the console user NAME. */
export function mentionsIn(text: string): Mention[] {
  const out: Mention[] = [];
  for (const m of text.matchAll(/(?<![\w@])@([\p{L}\p{N}_.-]{1,64})/gu)) {
    const name = m[1]!.replace(/[.-]+$/, '');
    if (name && !out.some((x) => x.id === name)) out.push({ token: '@' + name, id: name, displayName: name });
  }
  return out;
}

// A fake chat platform that enforces send limits as the real ones do: a send
// over the limit gets a rate-limit answer saying how long to wait. It can also
// fail a share of sends, answer some with "slow down" anyway, and take time to
// answer. Time is the injected clock, so with a FakeClock and runClock() a relay
// to a thousand chats over minutes of platform time runs in well under a second.
// Tests and benchmarks (relay throughput against the allowed rate) share it.
import type { Clock, FakeClock } from '../../src/clock.js';
import { RateLimitedError, type Capabilities, type Destination, type OutMessage, type SentRef } from '../../src/model.js';
import { RecordingAdapter, type Sent } from './harness.js';

type Window = { count: number; intervalMs: number };

export interface PlatformLimits {
  perChat?: Window;
  global?: Window;
}

/**
 * The limits the minutes issue names. Slack: about 1 message per second per
 * channel. Discord: 5 per 5 seconds per channel and 50 per second overall.
 * WhatsApp has no published limit; the cautious default (as the WhatsApp
 * adapter declares it for WHATSAPP_SEND_INTERVAL=4s) is one message per chat
 * every 4 seconds, one overall every 2 seconds, and up to 2 seconds of random
 * extra delay on every message.
 */
export const PLATFORMS: Record<'slack' | 'discord' | 'whatsapp', { limits: PlatformLimits; maxMessageLength: number; jitterMs?: number }> = {
  slack: { limits: { perChat: { count: 1, intervalMs: 1000 } }, maxMessageLength: 39_000 },
  discord: { limits: { perChat: { count: 5, intervalMs: 5000 }, global: { count: 50, intervalMs: 1000 } }, maxMessageLength: 2000 },
  whatsapp: { limits: { perChat: { count: 1, intervalMs: 4000 }, global: { count: 1, intervalMs: 2000 } }, maxMessageLength: 65_536, jitterMs: 2000 },
};

export interface FakePlatformOptions {
  platform: string;
  clock: Clock;
  /** What the platform enforces. */
  limits?: PlatformLimits;
  /** What the adapter declares to the sender (default: exactly the enforced limits, plus jitterMs). */
  rate?: Capabilities['rate'];
  jitterMs?: number;
  maxMessageLength?: number;
  /** Time to answer a send, ms (the platform has the message as soon as it arrives). */
  latencyMs?: number | ((to: Destination, message: OutMessage) => number);
  /** Share of sends refused with a server error (not delivered). */
  failRate?: number;
  /** Share of sends answered "slow down" although within the limits. */
  rateLimitRate?: number;
  retryAfterMs?: number;
  /** Random numbers for failures; pass a seeded one for repeatable tests. */
  random?: () => number;
  timeline?: Sent[];
}

export class FakePlatform extends RecordingAdapter {
  /** Every send the platform accepted, in arrival order. */
  readonly accepted: { chat: string; text: string; at: number }[] = [];
  readonly stats = { calls: 0, failed: 0, rateLimited: 0, overLimit: 0 };
  private chatTimes = new Map<string, number[]>();
  private globalTimes: number[] = [];
  private o: FakePlatformOptions;
  private random: () => number;

  constructor(o: FakePlatformOptions) {
    super(
      o.platform,
      {
        buttons: false,
        nativePolls: false,
        threads: false,
        edit: false,
        maxMessageLength: o.maxMessageLength ?? 4000,
        markdown: 'plain',
        rate: o.rate ?? { ...o.limits, jitterMs: o.jitterMs },
      },
      o.timeline,
    );
    this.o = o;
    this.random = o.random ?? Math.random;
  }

  /** One of the presets above, enforced and declared (unless `limits` replaces them). */
  static preset(name: keyof typeof PLATFORMS, o: Omit<FakePlatformOptions, 'platform'> & { platform?: string }) {
    const p = PLATFORMS[name];
    return new FakePlatform({ platform: name, limits: p.limits, maxMessageLength: p.maxMessageLength, jitterMs: p.jitterMs, ...o });
  }

  /** Change failure rates on the fly (e.g. only after setting up). */
  set(o: Pick<FakePlatformOptions, 'failRate' | 'rateLimitRate' | 'latencyMs'>) {
    Object.assign(this.o, o);
  }

  /** Texts each chat received, by chat id. */
  byChat(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const a of this.accepted) out.set(a.chat, [...(out.get(a.chat) ?? []), a.text]);
    return out;
  }

  override async send(to: Destination, message: OutMessage): Promise<SentRef> {
    const now = this.o.clock.now();
    const chat = to.chatId ?? `@${to.userId}`;
    this.stats.calls++;
    const over = this.overLimit(chat, now);
    if (over) {
      this.stats.overLimit++;
      throw new RateLimitedError(over.retryAfterMs, 'You are being rate limited.', over.scope);
    }
    if (this.random() < (this.o.rateLimitRate ?? 0)) {
      this.stats.rateLimited++;
      throw new RateLimitedError(this.o.retryAfterMs ?? 1000, 'You are being rate limited.');
    }
    // Refused sends count against the limits too, as on the real platforms.
    this.count(chat, now);
    const refused = this.fail?.(to, message) ?? (this.random() < (this.o.failRate ?? 0) ? new Error('503 Service Unavailable') : undefined);
    if (refused) {
      this.stats.failed++;
      await this.wait(to, message);
      throw refused;
    }
    this.accepted.push({ chat, text: message.text, at: now });
    const ref = this.deliver(to, message);
    await this.wait(to, message);
    return ref;
  }

  private wait(to: Destination, message: OutMessage) {
    const l = this.o.latencyMs;
    const ms = typeof l === 'function' ? l(to, message) : (l ?? 0);
    return ms > 0 ? new Promise<void>((r) => this.o.clock.setTimeout(r, ms)) : Promise.resolve();
  }

  private overLimit(chat: string, now: number): { retryAfterMs: number; scope: 'chat' | 'platform' } | undefined {
    const { perChat, global } = this.o.limits ?? {};
    const check = (times: number[], w: Window) => {
      const inWindow = times.filter((t) => t > now - w.intervalMs);
      return inWindow.length < w.count ? 0 : inWindow[inWindow.length - w.count]! + w.intervalMs - now;
    };
    if (global) {
      const wait = check(this.globalTimes, global);
      if (wait > 0) return { retryAfterMs: wait, scope: 'platform' };
    }
    if (perChat) {
      const wait = check(this.chatTimes.get(chat) ?? [], perChat);
      if (wait > 0) return { retryAfterMs: wait, scope: 'chat' };
    }
    return undefined;
  }

  private count(chat: string, now: number) {
    const keep = (times: number[], w?: Window) => (w ? times.filter((t) => t > now - w.intervalMs) : []);
    this.globalTimes = keep(this.globalTimes, this.o.limits?.global);
    this.globalTimes.push(now);
    const mine = keep(this.chatTimes.get(chat) ?? [], this.o.limits?.perChat);
    mine.push(now);
    this.chatTimes.set(chat, mine);
  }
}

/** A seeded random number generator (mulberry32), for repeatable failures. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffle in place with the given random numbers (Fisher-Yates). */
export function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

/** Let promises and immediate callbacks run. */
export async function settle(turns = 5) {
  for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
}

/**
 * Run a fake clock from one timer to the next until `done()` (or `maxMs` of fake
 * time pass), letting the work each timer starts finish in between. Returns done().
 */
export async function runClock(clock: FakeClock, done: () => boolean, maxMs = 24 * 3_600_000): Promise<boolean> {
  const end = clock.now() + maxMs;
  for (;;) {
    await settle();
    if (done()) return true;
    const next = clock.nextAt();
    if (next === undefined || next > end) return done();
    clock.set(Math.max(next, clock.now()));
  }
}

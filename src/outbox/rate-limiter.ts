// Sliding-window send limits per chat and overall, from an adapter's capabilities.
// A send is counted when it starts, which is when the platform counts it too.
import type { Capabilities } from '../model.js';

type Window = { count: number; intervalMs: number };

class SlidingWindow {
  private times: number[] = [];
  /** With jitter: no send before this (the next free slot plus a random delay). */
  private notBefore = 0;
  constructor(private w: Window) {}
  /** Milliseconds until one more send fits in the window. */
  waitMs(now: number): number {
    this.times = this.times.filter((t) => t > now - this.w.intervalMs);
    const full = this.times.length < this.w.count ? 0 : this.times[this.times.length - this.w.count]! + this.w.intervalMs - now;
    return Math.max(0, full, this.notBefore - now);
  }
  /** Nothing in the window and no delay pending: forgetting it changes nothing. */
  idle(now: number): boolean {
    return this.notBefore <= now && this.times.every((t) => t <= now - this.w.intervalMs);
  }
  record(now: number, jitter: number) {
    this.times.push(now);
    // The random delay comes after the window allows the next send, so gaps are
    // never shorter than the limit: on average the limit plus half the jitter.
    if (jitter) this.notBefore = now + this.waitMs(now) + jitter;
  }
}

export class RateLimiter {
  private perChat = new Map<string, SlidingWindow>();
  private global?: SlidingWindow;
  private sweptAt = 0;

  constructor(
    private rate: NonNullable<Capabilities['rate']> = {},
    private random: () => number = Math.random,
  ) {
    // Jitter with no limit at all still spaces sends apart.
    if (rate.global || (rate.jitterMs && !rate.perChat)) this.global = new SlidingWindow(rate.global ?? { count: Infinity, intervalMs: 0 });
  }

  /** How long any send must wait for the overall limit; 0 means now. */
  globalWaitMs(now: number): number {
    return this.global?.waitMs(now) ?? 0;
  }

  /** How long the send to `dest` must wait; 0 means now. */
  waitMs(dest: string, now: number): number {
    let wait = this.global?.waitMs(now) ?? 0;
    if (this.rate.perChat) {
      this.sweep(now);
      let w = this.perChat.get(dest);
      if (!w) this.perChat.set(dest, (w = new SlidingWindow(this.rate.perChat)));
      wait = Math.max(wait, w.waitMs(now));
    }
    return wait;
  }

  /** Count a send; `chat: false` counts it only towards the overall limit (it is no message in the chat). */
  record(dest: string, now: number, chat = true) {
    // Random extra delay for platforms that punish machine-like regularity (WhatsApp).
    this.global?.record(now, this.jitter());
    if (chat) this.perChat.get(dest)?.record(now, this.jitter());
  }

  /** Chats tracked now (for tests: the memory stays bounded by recent chats). */
  trackedChats(): number {
    return this.perChat.size;
  }

  /** Forget chats with nothing in their window, at most once a window, so memory follows recent chats, not every chat ever. */
  private sweep(now: number) {
    const every = Math.max(60_000, this.rate.perChat?.intervalMs ?? 0);
    if (now - this.sweptAt < every) return;
    this.sweptAt = now;
    for (const [dest, w] of this.perChat) if (w.idle(now)) this.perChat.delete(dest);
  }

  private jitter(): number {
    return this.rate.jitterMs ? Math.floor(this.random() * this.rate.jitterMs) : 0;
  }
}

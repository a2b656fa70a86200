// Sliding-window send limits per chat and overall, from an adapter's capabilities.
import type { Capabilities } from '../model.js';

type Window = { count: number; intervalMs: number };

class SlidingWindow {
  private times: number[] = [];
  constructor(private w: Window) {}
  /** Milliseconds until one more send fits in the window. */
  waitMs(now: number): number {
    this.times = this.times.filter((t) => t > now - this.w.intervalMs);
    if (this.times.length < this.w.count) return 0;
    return this.times[this.times.length - this.w.count]! + this.w.intervalMs - now;
  }
  record(now: number) {
    this.times.push(now);
  }
}

export class RateLimiter {
  private perChat = new Map<string, SlidingWindow>();
  private global?: SlidingWindow;
  private lastSendAt = new Map<string, number>();

  constructor(
    private rate: NonNullable<Capabilities['rate']> = {},
    private random: () => number = Math.random,
  ) {
    if (rate.global) this.global = new SlidingWindow(rate.global);
  }

  /** How long the send to `dest` must wait; 0 means now. */
  waitMs(dest: string, now: number): number {
    let wait = this.global?.waitMs(now) ?? 0;
    if (this.rate.perChat) {
      let w = this.perChat.get(dest);
      if (!w) this.perChat.set(dest, (w = new SlidingWindow(this.rate.perChat)));
      wait = Math.max(wait, w.waitMs(now));
    }
    return wait;
  }

  record(dest: string, now: number) {
    this.global?.record(now);
    this.perChat.get(dest)?.record(now);
    this.lastSendAt.set(dest, now);
  }

  /** Extra random delay for platforms that punish machine-like regularity. */
  jitter(): number {
    return this.rate.jitterMs ? Math.floor(this.random() * this.rate.jitterMs) : 0;
  }
}

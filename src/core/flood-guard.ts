// One person must not make the bot flood a chat: more than LIMIT commands in a
// minute from one person in one chat get one polite "slow down", and the rest
// are ignored until their minute is over. Counted in memory (a restart forgives).
export const COMMANDS_PER_MINUTE = 20;
const WINDOW_MS = 60_000;
/** Sweep old windows once the map holds this many, so memory stays bounded. */
const SWEEP_AT = 10_000;

export type FloodVerdict = 'ok' | 'warn' | 'drop';

export class FloodGuard {
  private windows = new Map<string, { start: number; count: number }>();
  /** Sweeps are spaced out: with many people active in one minute nothing is old yet, and sweeping at every command would cost O(n) each. */
  private nextSweep = 0;

  constructor(private limit = COMMANDS_PER_MINUTE) {}

  /** Count one command by `key` (platform, chat, person) at `now`. */
  check(key: string, now: number): FloodVerdict {
    let w = this.windows.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      if (this.windows.size >= SWEEP_AT && now >= this.nextSweep) {
        this.sweep(now);
        this.nextSweep = now + WINDOW_MS / 6;
      }
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= this.limit) return 'ok';
    return w.count === this.limit + 1 ? 'warn' : 'drop';
  }

  /** When the window of `key` ends. */
  resumesAt(key: string): number | undefined {
    const w = this.windows.get(key);
    return w && w.start + WINDOW_MS;
  }

  private sweep(now: number) {
    for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
  }
}

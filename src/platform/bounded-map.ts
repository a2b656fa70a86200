// What adapters remember between events (names, direct-message channels, the
// poll behind a message), without growing for ever: at most `max` entries, the
// one set longest ago forgotten first, and with `ttlMs` each forgotten that
// long after it was set.

export interface BoundedMapOptions {
  ttlMs?: number;
  now?: () => number;
}

export class BoundedMap<K, V> {
  private entries = new Map<K, { value: V; at: number }>();
  private now: () => number;

  constructor(
    private max: number,
    private opts: BoundedMapOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.opts.ttlMs !== undefined && this.now() - entry.at >= this.opts.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, { value, at: this.now() });
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  delete(key: K): boolean {
    return this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
  }

  get size() {
    return this.entries.size;
  }
}

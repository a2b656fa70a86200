// Inbound events of one conversation reach the core in the order the platform
// sent them, even while the adapter awaits look-ups for each (names, the poll
// behind a vote); other conversations don't wait for them.

export class SerialQueues {
  /** The last task queued under each key; a key goes once its queue has run dry. */
  private tails = new Map<string, Promise<void>>();

  constructor(private onError: (err: unknown, key: string) => void) {}

  /** Runs `task` after every task queued before it under `key`. A failure is reported, and the next task runs anyway. */
  run(key: string, task: () => Promise<void>): void {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(task).catch((err) => this.onError(err, key));
    this.tails.set(key, next);
    void next.then(() => {
      if (this.tails.get(key) === next) this.tails.delete(key);
    });
  }

  /** Resolves once every task queued so far has run. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}

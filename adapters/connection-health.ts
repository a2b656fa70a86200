// A platform connection as /status and the admins' alerts see it
// (AdapterHealth): connected or not, since when, and why not in plain words.
// Each adapter feeds it from its own SDK's events.
import type { AdapterHealth } from '../src/model.js';

export class ConnectionHealth {
  private state: AdapterHealth;

  constructor(
    private now: () => number = Date.now,
    initial: { connected: boolean; detail?: string } = { connected: true },
  ) {
    this.state = { connected: initial.connected, since: now(), ...(initial.detail ? { detail: initial.detail } : {}) };
  }

  current(): AdapterHealth {
    return { ...this.state };
  }

  set(connected: boolean, detail?: string) {
    // Only a change of state moves `since`: a reconnect attempt every few seconds is one outage.
    if (connected === this.state.connected) return;
    this.state = { connected, since: this.now(), ...(detail ? { detail } : {}) };
  }
}

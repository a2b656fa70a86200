import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SlackHealth } from '../../adapters/slack/health.js';

describe("Slack's connection as /status sees it", () => {
  it('is down while the socket client reconnects, and up again (with a new since) once it is greeted', () => {
    let now = 1_000;
    const health = new SlackHealth(() => now);
    const socket = new EventEmitter();
    health.watch(socket);
    expect(health.current()).toEqual({ connected: true, since: 1_000 });
    now = 2_000;
    socket.emit('reconnecting');
    expect(health.current()).toEqual({ connected: false, since: 2_000, detail: 'reconnecting to Slack' });
    now = 3_000;
    socket.emit('reconnecting'); // a second attempt is the same outage
    socket.emit('disconnected'); // an old socket closing says nothing
    expect(health.current()).toMatchObject({ connected: false, since: 2_000 });
    now = 4_000;
    socket.emit('connected');
    expect(health.current()).toEqual({ connected: true, since: 4_000 });
  });
});

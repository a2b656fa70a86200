// Slack's connection as /status and the admins' alerts see it. In Socket Mode
// the socket client says when it connects, drops and reconnects; over HTTP
// Slack calls us, so there is no connection of ours to watch.
import { ConnectionHealth } from '../connection-health.js';

export class SlackHealth extends ConnectionHealth {
  /**
   * Follow a Socket Mode client: `reconnecting` when a connection drops (or Slack
   * asks for a fresh one), `connected` once the new one is greeted. Its
   * `disconnected` also comes when an old socket is closed after its
   * replacement connected, so it says nothing about the connection.
   */
  watch(socket: { on(event: string, listener: () => void): unknown }) {
    socket.on('connected', () => this.set(true));
    socket.on('reconnecting', () => this.set(false, 'reconnecting to Slack'));
  }
}

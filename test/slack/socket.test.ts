// Real bolt in Socket Mode against a fake apps.connections.open and Slack's side
// of the WebSocket: start-up, acknowledged envelopes, a retried envelope handled
// once, and reconnecting when Slack asks the app to (refresh_requested).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GENERAL, SECRETS, startSlackBot, type SlackBot } from './bot.js';
import { appMention, slashCommand } from './fake-slack.js';

let s: SlackBot;
beforeAll(async () => {
  s = await startSlackBot({ mode: 'socket' });
});
afterAll(async () => s?.close());

let envelopes = 0;

/** Wait until `test` holds (the adapter's health changes without a call to the fake). */
async function poll(test: () => boolean, ms = 5000) {
  for (const end = Date.now() + ms; !test(); await new Promise((r) => setTimeout(r, 10))) {
    if (Date.now() > end) throw new Error(`still not true after ${ms} ms: ${test}`);
  }
}
const textOf = (a: Record<string, any>) => String(a.text ?? '');

/** An events_api envelope as Slack sends it over the socket. */
function eventsEnvelope(body: Record<string, unknown>, retry = 0) {
  return { envelope_id: `env-${++envelopes}`, payload: body, type: 'events_api', accepts_response_payload: false, retry_attempt: retry, retry_reason: retry ? 'timeout' : '' };
}

describe('Slack in Socket Mode', () => {
  it('connects with the app-level token and needs no public address', async () => {
    const open = s.fake.received('apps.connections.open');
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe(SECRETS.SLACK_APP_TOKEN);
    expect(s.fake.sockets).toHaveLength(1);
    expect(s.adapter.port).toBeUndefined();
  });

  it('acknowledges each envelope and answers a retried event once', async () => {
    const mention = appMention({ user: ADMIN, channel: GENERAL, text: '<@U0BOT> help' });
    const first = eventsEnvelope(mention.json);
    s.fake.sendEnvelope(first);
    await s.fake.until(() => s.fake.acks.find((a) => a.envelope_id === first.envelope_id), 'ack');
    const retry = eventsEnvelope(mention.json, 1);
    s.fake.sendEnvelope(retry);
    await s.fake.until(() => s.fake.acks.find((a) => a.envelope_id === retry.envelope_id), 'ack of the retry');

    const later = appMention({ user: ADMIN, channel: GENERAL, text: '<@U0BOT> collabs' });
    s.fake.sendEnvelope(eventsEnvelope(later.json));
    await s.fake.waitFor('chat.postMessage', (a) => a.thread_ts === later.json.event.ts);
    const replies = s.fake.received('chat.postMessage', (a) => textOf(a).startsWith('Here is what I can do'));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.args.thread_ts).toBe(mention.json.event.ts);
  });

  it('reconnects when Slack asks it to or the connection drops, and keeps serving slash commands', async () => {
    s.fake.sendEnvelope({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'applink-fake' } });
    await s.fake.until(() => s.fake.sockets.length === 2, 'a second connection');
    expect(s.fake.received('apps.connections.open')).toHaveLength(2);
    // A connection that drops without a word is replaced too.
    await poll(() => s.adapter.health().connected);
    const before = s.adapter.health();
    // (On loopback the reconnect can be quicker than any poll: `since` moving shows it went down and came back;
    // test/slack/health.test.ts checks the state in between.)
    s.fake.sockets[1]!.terminate();
    await s.fake.until(() => s.fake.sockets.length === 3, 'a third connection');
    expect(s.fake.received('apps.connections.open')).toHaveLength(3);
    // /status and the admins' alerts see it connected again, since the reconnect.
    await poll(() => s.adapter.health().connected);
    expect(s.adapter.health().since).toBeGreaterThan(before.since);

    const cmd = slashCommand({ command: '/collabs', text: '', user: ADMIN, channel: GENERAL });
    const envelope = { envelope_id: `env-${++envelopes}`, payload: cmd.form, type: 'slash_commands', accepts_response_payload: true };
    s.fake.sendEnvelope(envelope);
    await s.fake.until(() => s.fake.acks.find((a) => a.envelope_id === envelope.envelope_id), 'ack of the slash command');
    await s.fake.waitFor('chat.postMessage', (a) => a.channel === GENERAL && textOf(a).startsWith('There are no collabs yet'));
  });

  it('never logs the tokens', () => {
    const all = s.logLines.join('\n');
    expect(all).toContain('Slack connected');
    for (const value of [SECRETS.SLACK_BOT_TOKEN, SECRETS.SLACK_APP_TOKEN]) expect(all).not.toContain(value);
  });
});

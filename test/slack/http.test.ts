// Real bolt in HTTP mode receiving signed requests built from Slack's documented
// payloads, answering through a fake Slack Web API on loopback. Polls: polls.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermanentSendError, RateLimitedError } from '../../src/model.js';
import { ADMIN, GENERAL, SECRETS, startSlackBot, type SlackBot } from './bot.js';
import { appMention, deliver, directMessage, slashCommand } from './fake-slack.js';

let s: SlackBot;
beforeAll(async () => {
  s = await startSlackBot({ mode: 'http' });
});
afterAll(async () => s?.close());

const secret = SECRETS.SLACK_SIGNING_SECRET;
const post = (body: Parameters<typeof deliver>[2], d?: Parameters<typeof deliver>[3]) => deliver(s.events, secret, body, d);
const textOf = (a: Record<string, any>) => String(a.text ?? '');

describe('Slack over HTTP', () => {
  it('answers a mention in its thread, exactly once when Slack retries the event', async () => {
    const mention = appMention({ user: ADMIN, channel: GENERAL, text: '<@U0BOT> help' });
    expect((await post(mention)).status).toBe(200);
    expect((await post(mention, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } })).status).toBe(200);
    // A later message in the same channel is handled after the retry, so once it is answered the retry was too.
    const later = appMention({ user: ADMIN, channel: GENERAL, text: '<@U0BOT> roles' });
    await post(later);
    await s.fake.waitFor('chat.postMessage', (a) => a.thread_ts === later.json.event.ts);

    const replies = s.fake.received('chat.postMessage', (a) => textOf(a).startsWith('Here is what I can do'));
    expect(replies).toHaveLength(1);
    expect(replies[0]!.args).toMatchObject({ channel: GENERAL, thread_ts: mention.json.event.ts });
  });

  it('ignores a mention in passing', async () => {
    await post(appMention({ user: ADMIN, channel: GENERAL, text: 'thanks <@U0BOT>!' }));
    const marker = appMention({ user: ADMIN, channel: GENERAL, text: '<@U0BOT> collabs' });
    await post(marker);
    await s.fake.waitFor('chat.postMessage', (a) => a.thread_ts === marker.json.event.ts);
    expect(s.fake.received('chat.postMessage', (a) => textOf(a).includes('I understand commands'))).toHaveLength(0);
  });

  it('turns Slack user mentions into people, with their display names', async () => {
    await post(slashCommand({ command: '/role', text: 'add <@U0BEN|ben.okafor> lead', user: ADMIN, channel: GENERAL }));
    await s.fake.waitFor('chat.postMessage', (a) => textOf(a) === 'Done: Ben Okafor is now a lead.');
    const isRoles = (a: Record<string, any>) => textOf(a).startsWith('Roles:');
    const earlier = s.fake.received('chat.postMessage', isRoles).length;
    await post(slashCommand({ command: '/roles', text: '', user: ADMIN, channel: GENERAL }));
    const roles = await s.fake.waitFor('chat.postMessage', isRoles, earlier + 1);
    expect(textOf(roles.args)).toContain('• Ben Okafor: lead');
    // Names are cached: one users.info per person however many messages.
    expect(s.fake.received('users.info', (a) => a.user === ADMIN)).toHaveLength(1);
    expect(s.fake.received('conversations.info', (a) => a.channel === GENERAL)).toHaveLength(1);
  });

  it('takes /collab as a catch-all and keeps its own sub-commands', async () => {
    await post(slashCommand({ command: '/collab', text: 'help link', user: ADMIN, channel: GENERAL }));
    await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith('Link:\n/link — '));
    await post(slashCommand({ command: '/collab', text: 'create Food Network', user: ADMIN, channel: GENERAL }));
    await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith('Done: this chat is now the collab "Food Network", and ana is its facilitator.'));
  });

  it('sends direct messages, and takes commands in them without a slash', async () => {
    await post(slashCommand({ command: '/link', text: '', user: ADMIN, channel: GENERAL }));
    const code = await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith('Your link code is'));
    expect(s.fake.received('conversations.open', (a) => a.users === ADMIN)).toHaveLength(1);
    expect(code.args.channel).toBe('D0ANA');
    await s.fake.waitFor('chat.postMessage', (a) => a.channel === GENERAL && textOf(a) === "ana, I've sent you a code in a direct message.");

    await post(directMessage({ user: ADMIN, channel: 'D0ANA', text: 'help roles' }));
    const help = await s.fake.waitFor('chat.postMessage', (a) => a.channel === 'D0ANA' && textOf(a).startsWith('Roles:\n/role add'));
    expect(help.args.thread_ts).toBeUndefined();
  });

  it('says privately that it must be invited when a command is typed where it cannot post', async () => {
    const before = s.fake.received('chat.postMessage').length;
    await post(slashCommand({ command: '/collab', text: 'create Secret Club', user: ADMIN, channel: 'G0PRIVATE', channelName: 'privategroup', responseUrl: s.fake.responseUrl }));
    const answer = await s.fake.waitFor('response_url');
    expect(answer.args).toEqual({ response_type: 'ephemeral', text: expect.stringContaining('Add me to the channel first (type /invite @Collabot there)') });
    await s.bot.drain(1000);
    expect(s.fake.received('chat.postMessage')).toHaveLength(before);
    expect(s.db.prepare("SELECT COUNT(*) AS n FROM collabs WHERE name = 'Secret Club'").get()).toEqual({ n: 0 });
  });

  it('logs a failed private answer without its response_url (a link anyone could post with)', async () => {
    const from = s.logLines.length;
    // The discard port refuses: Slack's hooks could not be reached.
    const responseUrl = 'http://127.0.0.1:9/commands/T0COLLECT/1234/SECRETresponseURL';
    await post(slashCommand({ command: '/collabs', text: '', user: ADMIN, channel: 'G0PRIVATE', channelName: 'privategroup', responseUrl }));
    for (let n = 0; !s.logLines.slice(from).some((l) => l.includes('could not answer through response_url')); n++) {
      if (n > 200) throw new Error('no warning logged');
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(s.logLines.slice(from).join('\n')).not.toContain('SECRETresponseURL');
  });

  it('is not held up by a response_url that never answers', async () => {
    const where = { user: ADMIN, channel: 'G0PRIVATE', channelName: 'privategroup' };
    const before = s.fake.received('response_url').length;
    await post(slashCommand({ ...where, command: '/collabs', text: '', responseUrl: s.fake.silentResponseUrl }));
    await post(slashCommand({ ...where, command: '/roles', text: '', responseUrl: s.fake.responseUrl }));
    await s.fake.waitFor('response_url', () => true, before + 1);
  });

  it("answers Slack's URL check when the request URL is set up", async () => {
    const res = await post({ json: { token: 'gIkuvaNzQIHg97ATvDxqgjtO', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' } });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
  });

  it('refuses unsigned, forged and stale requests with 401, and acts on none of them', async () => {
    const before = s.fake.calls.length;
    const cmd = slashCommand({ command: '/collabs', text: '', user: ADMIN, channel: GENERAL });
    expect((await post(cmd, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await post(cmd, { timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    const unsigned = await fetch(s.events, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(cmd.form).toString() });
    expect(unsigned.status).toBe(401);
    await new Promise((r) => setTimeout(r, 100));
    await s.bot.drain(1000);
    expect(s.fake.calls.slice(before)).toEqual([]);
  });

  it("turns Slack's rate limit into a wait and unknown channels into giving up", async () => {
    s.fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } });
    const limited = await s.adapter.send({ platform: 'slack', chatId: GENERAL }, { text: 'hi' }).catch((e) => e);
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect(limited.retryAfterMs).toBe(7000);
    const lost = await s.adapter.send({ platform: 'slack', chatId: 'C0NOWHERE' }, { text: 'hi' }).catch((e) => e);
    expect(lost).toBeInstanceOf(PermanentSendError);
    expect(lost.message).toContain('channel_not_found');

    // Through the outbox: the limited message is delivered once Slack's wait is over.
    s.fake.failNext('chat.postMessage', { status: 429, headers: { 'retry-after': '2' }, body: { ok: false, error: 'ratelimited' } });
    await post(slashCommand({ command: '/collabs', text: '', user: ADMIN, channel: GENERAL }));
    const delivered = await s.fake.waitFor('chat.postMessage', (a) => textOf(a).startsWith('1 collab:'));
    expect(delivered.args.channel).toBe(GENERAL);
  });

  it('logs through our logger and never logs a token or the signing secret', () => {
    const all = s.logLines.join('\n');
    expect(all).toContain('Slack connected');
    expect(all).toContain('http request'); // the Web API client's debug lines come through too
    for (const value of [SECRETS.SLACK_BOT_TOKEN, SECRETS.SLACK_SIGNING_SECRET]) expect(all).not.toContain(value);
  });
});

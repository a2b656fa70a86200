// With COLLABOT_LOG_LEVEL=trace, neither Bolt's debug output nor our own logs
// carry link codes or what people typed (issue 15, item 5).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, GENERAL, SECRETS, startSlackBot, type SlackBot } from '../slack/bot.js';
import { deliver, directMessage, slashCommand } from '../slack/fake-slack.js';

let s: SlackBot;
beforeAll(async () => {
  s = await startSlackBot({ mode: 'http' });
});
afterAll(async () => s?.close());

const post = (body: Parameters<typeof deliver>[2]) => deliver(s.events, SECRETS.SLACK_SIGNING_SECRET, body);

describe('logs at trace (Slack over HTTP)', () => {
  it('hold no link code and no message text', async () => {
    await post(slashCommand({ command: '/link', text: '', user: ADMIN, channel: GENERAL }));
    const sent = await s.fake.waitFor('chat.postMessage', (a) => String(a.text ?? '').includes('Your link code is'));
    const code = /link code is (\d{6})/.exec(String(sent.args.text))![1]!;
    const secret = 'Please keep this private: the rota for Tuesday';
    await post(directMessage({ user: ADMIN, channel: 'D0ANA', text: secret }));
    await s.fake.waitFor('chat.postMessage', (a) => a.channel === 'D0ANA' && String(a.text ?? '').includes('I understand commands'));
    const logs = s.logLines.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain('Your link code');
  });
});

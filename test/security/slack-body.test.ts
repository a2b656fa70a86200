// Slack HTTP mode refuses a body over 1 MB with 413 before reading it (issue 15, item 6).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackBot, type SlackBot } from '../slack/bot.js';

let s: SlackBot;
beforeAll(async () => {
  s = await startSlackBot({ mode: 'http' });
});
afterAll(async () => s?.close());

/** POST claiming `declared` bytes but sending only `sent`; resolves with the status. */
function post(declared: number, sent: number, chunked = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json' };
    if (!chunked) headers['content-length'] = declared;
    const req = request(s.events, { method: 'POST', headers }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.write(Buffer.alloc(sent, 0x61));
    if (chunked) req.end();
  });
}

describe('Slack over HTTP', () => {
  it('answers 413 to a 400 MB body without waiting for it', async () => {
    expect(await post(400 * 1024 * 1024, 1024)).toBe(413);
  });

  it('answers 413 once a body without a length passes 1 MB', async () => {
    expect(await post(0, 2 * 1024 * 1024, true)).toBe(413);
  });
});

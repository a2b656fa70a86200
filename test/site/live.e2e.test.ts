// `npm start` with COLLABOT_WEB_PORT: the real bot serves the site and /healthz
// while it runs, and what users type shows up on the next build.
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startConsole, tempDb } from '../helpers/console-process.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function getWhenUp(url: string, timeoutMs = 20_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fetch(url);
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('the live site', () => {
  it('is served by the running console bot, GET only, with /healthz naming the console adapter', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const bot = startConsole({ COLLABOT_WEB_PORT: String(port), COLLABOT_ADMINS: 'console:ana', COLLABOT_DB: tempDb() });
    try {
      bot.write(':as ana\n/collab create Food Network\n/collab publish on\n/story Ten families now get fresh food every week --outcome local-need');
      await bot.waitFor(/Story #1 is saved/, 60_000);
      const health = await getWhenUp(`http://127.0.0.1:${port}/healthz`, 60_000);
      expect(health.status).toBe(200);
      const body = await health.json();
      expect(body.status).toBe('ok');
      expect(body.adapters).toEqual([{ platform: 'console', connected: true, since: null, detail: null }]);
      expect(typeof body.outbox.pending).toBe('number');
      const collabs = await (await fetch(`http://127.0.0.1:${port}/collabs.html`)).text();
      expect(collabs).toContain('Ten families now get fresh food every week');
      expect((await fetch(`http://127.0.0.1:${port}/index.html`, { method: 'DELETE' })).status).toBe(405);
    } finally {
      const { code } = await bot.end(60_000);
      expect(code).toBe(0);
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { PermanentSendError, type AdapterHealth, type AdapterHooks, type InboundSink } from '../../src/model.js';
import { createHarness, RecordingAdapter, type Harness } from '../helpers/harness.js';

/** A recording adapter whose connection the test controls, and which keeps the core's hooks. */
class WatchedAdapter extends RecordingAdapter {
  state: AdapterHealth = { connected: true, since: 0 };
  hooks?: AdapterHooks;
  health() {
    return this.state;
  }
  override async start(sink: InboundSink, hooks?: AdapterHooks) {
    await super.start(sink);
    this.hooks = hooks;
  }
}

const MIN = 60_000;
let h: Harness;
afterEach(() => h?.close());

async function twoPlatforms() {
  h = await createHarness({
    admins: 'console:ana,slack:UADMIN',
    platforms: ['console', 'slack'],
    adapterFor: (p, timeline) => (p === 'slack' ? new WatchedAdapter(p, undefined, timeline) : new RecordingAdapter(p, undefined, timeline)),
  });
  return h.adapter('slack') as WatchedAdapter;
}

describe('/status', () => {
  it('is for admins only, and shows version, uptime, connections, queue, failures, jobs, database and backups', async () => {
    h = await createHarness();
    const [refused] = await h.say('/status', { as: 'ben' });
    expect(refused).toBe('[main] Only an admin can use /status. Type /roles to see who can help.');
    await h.say('/remind me in 3h Call the venue', { as: 'ana' });
    await h.advance(2 * 60 * MIN + 5 * MIN);
    const [status] = await h.say('/status', { as: 'ana' });
    const version = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')).version;
    expect(status).toContain(`[main] Collabot ${version}, running for 2 hours 5 minutes.`);
    expect(status).toContain('Connections:\n• the console: connected');
    expect(status).toContain('Waiting to be sent:\n• nothing: every message has gone out');
    expect(status).toContain('Failed for good in the last 24 hours: none');
    expect(status).toMatch(/Scheduled jobs waiting: 2 \(core\.prune 1, reminders\.send 1\)/);
    expect(status).toMatch(/Database: \d+ KB/);
    expect(status).toContain('Last backup: none yet. Set COLLABOT_BACKUP_DIR');
  });
});

describe('alerts to the admins', () => {
  it('tells them once, on another platform, when an adapter stays disconnected 10 minutes, and once when it is back', async () => {
    const slack = await twoPlatforms();
    slack.state = { connected: false, since: h.clock.now(), detail: 'reconnecting' };
    expect(await h.advance(9 * MIN)).toEqual([]);
    const down = await h.advance(2 * MIN);
    expect(down).toEqual([
      '[@ana] Collabot needs attention: Slack has been disconnected for 10 minutes (reconnecting). Messages to it are kept and will be sent when it is back. Check the server\'s network and the bot\'s token or login.',
    ]);
    expect(await h.advance(60 * MIN)).toEqual([]);
    const [status] = await h.say('/status', { as: 'ana' });
    expect(status).toMatch(/• Slack: disconnected since Mon 23 Nov 2026, 10:00 \(1 hour 11 minutes\): reconnecting/);
    expect(status).toContain('Open problems:\n• since Mon 23 Nov 2026, 10:10: Slack has been disconnected');
    slack.state = { connected: true, since: h.clock.now() };
    expect(await h.advance(MIN)).toEqual(['[@ana] Resolved: Slack is connected again.']);
    expect(await h.advance(30 * MIN)).toEqual([]);
    // Nothing went to the admin on the platform that was down.
    expect(slack.sent.filter((s) => s.to.userId === 'UADMIN')).toEqual([]);
  });

  it('does not alert for a disconnection shorter than 10 minutes', async () => {
    const slack = await twoPlatforms();
    slack.state = { connected: false, since: h.clock.now() };
    await h.advance(8 * MIN);
    slack.state = { connected: true, since: h.clock.now() };
    expect(await h.advance(30 * MIN)).toEqual([]);
  });

  it('tells them once when deliveries to one chat keep failing, and once when they get through again', async () => {
    const slack = await twoPlatforms();
    slack.fail = (to) => (to.chatId === 'C9' ? new PermanentSendError('not_in_channel') : undefined);
    const asked = (n: number) => h.say('/help poll', { platform: 'slack', in: 'C9', as: 'U5', eventId: `help-${n}` });
    expect(await asked(1)).toEqual([]);
    expect(await asked(2)).toEqual([]);
    expect(await asked(3)).toEqual([
      '[@ana] Collabot needs attention: 3 messages to the Slack chat "C9" could not be delivered in the last 24 hours (the last error: not_in_channel). Check the bot is still in that chat and allowed to post there.',
    ]);
    expect(await asked(4)).toEqual([]);
    const [status] = await h.say('/status', { as: 'ana' });
    expect(status).toContain('Failed for good in the last 24 hours: 4 messages\n• 4 to "C9" on Slack');
    slack.fail = undefined;
    const ok = await asked(5);
    expect(ok).toHaveLength(1);
    expect(ok[0]).toMatch(/^\[C9\] \/poll /);
    expect(await h.advance(MIN)).toEqual(['[@ana] Resolved: messages to the Slack chat "C9" are being delivered again.']);
  });

  it("passes on an adapter's own incident reports once, and their end once", async () => {
    const slack = await twoPlatforms();
    const incident = { key: 'slack:login', platform: 'slack', text: 'Slack needs a new app token.' };
    slack.hooks!.incident(incident);
    slack.hooks!.incident(incident);
    await h.flush();
    expect(h.take()).toEqual(['[@ana] Collabot needs attention: Slack needs a new app token.']);
    slack.hooks!.incident({ ...incident, text: 'Slack is logged in again.', resolved: true });
    slack.hooks!.incident({ ...incident, text: 'Slack is logged in again.', resolved: true });
    await h.flush();
    expect(h.take()).toEqual(['[@ana] Resolved: Slack is logged in again.']);
  });

  it('writes to the log when no admin is on another connected platform, and sends nothing to the platform that is down', async () => {
    const lines: string[] = [];
    h = await createHarness({
      admins: 'slack:UADMIN',
      platforms: ['slack'],
      adapterFor: (p, timeline) => new WatchedAdapter(p, undefined, timeline),
      log: createLogger('warn', [], { write: (l) => void lines.push(l) }),
    });
    const slack = h.adapter('slack') as WatchedAdapter;
    slack.state = { connected: false, since: h.clock.now() };
    await h.advance(11 * MIN);
    expect(h.take()).toEqual([]);
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(logged.filter((l) => l.level === 50).map((l) => l.msg)).toEqual([
      expect.stringMatching(/^no admin can be reached on a connected platform: Collabot needs attention: Slack has been disconnected for 10 minutes/),
    ]);
    expect(h.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE origin LIKE 'alert:%'`).get()).toEqual({ n: 0 });
  });
});

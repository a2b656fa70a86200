// WhatsApp recovering from its known failure modes by itself, against the fake
// whatsapp-web.js client and a fake clock: starts that never become ready,
// disconnects, Chromium dying, logouts and refused logins; what the admins hear
// (once per incident, once on recovery) and what happens to queued messages.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import { human, Recovery, RETRY_SCHEDULE_MS } from '../../adapters/whatsapp/recovery.js';
import { FakeClock } from '../../src/clock.js';
import { createLogger, silentLogger } from '../../src/logger.js';
import type { Incident } from '../../src/model.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { ANA, FakeWhatsApp, GROUP, waGroup, waMessage } from './fake-client.js';
import { settle } from '../helpers/settle.js';

const MIN = 60_000;


let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup() {
  const clock = new FakeClock();
  const wa = new FakeWhatsApp();
  wa.person(ANA, 'Ana');
  wa.chats.set(GROUP, waGroup(GROUP, 'Food Network', [ANA]));
  const started: number[] = [];
  const factory = wa.factory;
  wa.factory = async () => {
    started.push(clock.now());
    return factory();
  };
  const logs: string[] = [];
  const events: string[] = [];
  const adapter = new WhatsAppAdapter({
    createClient: wa.factory,
    log: createLogger('info', [], { write: (s) => void logs.push(JSON.parse(s).msg) }),
    login: { qr: (qr) => events.push(`qr ${qr}`), code: () => undefined },
    sendIntervalMs: 0,
    clock,
    clearVersionCache: async () => void events.push('cache cleared'),
    clearSession: async () => void events.push('session deleted'),
  });
  h = await createHarness({ clock, platforms: [], adapters: [adapter], admins: `whatsapp:${ANA}` });
  const incidents: Incident[] = [];
  h.bot.onIncident((i) => incidents.push(i));
  await settle();
  return { wa, clock, logs, events, started, incidents, adapter, h };
}

/** Move the fake clock on, letting the adapter and the outbox act after each step. */
async function pass(clock: FakeClock, ...steps: number[]) {
  for (const ms of steps) {
    clock.advance(ms);
    await settle();
  }
}

function queue(text: string) {
  h!.services.outbox.enqueue({ platform: 'whatsapp', chatId: GROUP }, { text });
  h!.services.outbox.notify();
}

describe('WhatsApp recovery', () => {
  it('restarts a start that never becomes ready on schedule, clears the cache once, tells the admins once each way, and sends the queue once', async () => {
    const { wa, clock, logs, events, started, incidents, adapter } = await setup();
    const t0 = started[0]!;
    queue('first');
    queue('second');
    await settle();
    // Five starts that never become ready: 3 min each, then 30 s, 2 min, 10 min, 30 min, 30 min.
    await pass(clock, 3 * MIN); // failure 1
    expect(wa.clients[0]!.destroyed).toBe(true);
    expect(logs.at(-1)).toBe('WhatsApp: WhatsApp Web did not load within 3 min. Trying again in 30 s; messages wait in the queue until then.');
    expect(adapter.health()).toMatchObject({ connected: false, detail: 'restarting in 30 s: WhatsApp Web did not load within 3 min.' });
    await pass(clock, 30_000, 3 * MIN); // failure 2: the cache is cleared before the next start
    expect(events).toEqual(['cache cleared']);
    await pass(clock, 2 * MIN, 3 * MIN, 10 * MIN, 3 * MIN, 30 * MIN, 3 * MIN, 30 * MIN);
    expect(started.map((t) => (t - t0) / 1000)).toEqual([0, 210, 510, 1290, 3270, 5250]);
    expect(wa.clients.slice(0, -1).every((c) => c.destroyed)).toBe(true);
    expect(events).toEqual(['cache cleared']); // once, not on every failure
    expect(incidents).toEqual([
      {
        key: 'whatsapp:connection',
        platform: 'whatsapp',
        text: 'WhatsApp stopped working: WhatsApp Web did not load within 3 min. Collabot restarts it by itself: in 30 s, then after 2 min, 10 min and every 30 min, clearing the cached WhatsApp Web page if that fails again. Messages wait in the queue and go out when it is back.',
      },
    ]);
    // Nothing went out meanwhile, and no attempt was used up.
    expect(wa.sent()).toEqual([]);
    expect(h!.db.prepare(`SELECT status, attempts FROM outbox ORDER BY id`).all()).toEqual([
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 0 },
    ]);

    wa.client.emit('ready');
    await settle();
    expect(incidents).toHaveLength(2);
    expect(incidents[1]).toEqual({
      key: 'whatsapp:connection',
      platform: 'whatsapp',
      resolved: true,
      text: 'WhatsApp is working again, after 1 h 25 min (5 restarts, clearing the cached WhatsApp Web page once). Queued messages are going out now.',
    });
    expect(adapter.health()).toEqual({ connected: true, since: clock.now(), detail: 'connected' });
    await pass(clock, 5_000, 5_000, 60 * MIN);
    expect(wa.sent().map((s) => s.content)).toEqual(['first', 'second']);
    expect(h!.db.prepare(`SELECT COUNT(*) FROM outbox`).pluck().get()).toBe(0); // both delivered (and deleted)
    expect(incidents).toHaveLength(2);
  });

  it('a disconnect restarts after 30 s; a second outage is a new incident with a fresh schedule', async () => {
    const { wa, clock, incidents, started } = await setup();
    wa.client.emit('ready');
    await settle();
    expect(incidents).toEqual([]); // a first start is not an incident
    wa.client.emit('disconnected', 'CONFLICT');
    await settle();
    expect(wa.clients[0]!.destroyed).toBe(true);
    await pass(clock, 29_000);
    expect(wa.clients).toHaveLength(1);
    await pass(clock, 1_000);
    expect(wa.clients).toHaveLength(2);
    wa.client.emit('ready');
    await settle();
    expect(incidents.map((i) => [i.key, !!i.resolved])).toEqual([
      ['whatsapp:connection', false],
      ['whatsapp:connection', true],
    ]);
    expect(incidents[0]!.text).toMatch(/^WhatsApp stopped working: disconnected because WhatsApp Web was opened somewhere else/);
    expect(incidents[1]!.text).toBe('WhatsApp is working again, after 30 s (1 restart). Queued messages are going out now.');
    // Later, Chromium dies: treated like a disconnect, and the schedule starts again at 30 s.
    wa.client.emit('disconnected', 'BROWSER_CLOSED');
    await settle();
    await pass(clock, 30_000);
    expect(started).toHaveLength(3);
    expect(incidents).toHaveLength(3);
    expect(incidents[2]!.text).toMatch(/^WhatsApp stopped working: Chromium closed unexpectedly \(it crashed, ran out of memory or was killed\)\. /);
  });

  it('a wavering connection (change_state) holds messages without restarting or telling anyone', async () => {
    const { wa, clock, incidents, adapter } = await setup();
    wa.client.emit('ready');
    await settle();
    wa.client.emit('change_state', 'TIMEOUT');
    await settle();
    expect(adapter.health()).toMatchObject({ connected: false, detail: 'WhatsApp Web is reconnecting by itself' });
    queue('held');
    await pass(clock, 5_000);
    expect(wa.sent()).toEqual([]);
    wa.client.emit('change_state', 'CONNECTED');
    await pass(clock, 5_000);
    expect(wa.sent().map((s) => s.content)).toEqual(['held']);
    expect(wa.clients).toHaveLength(1);
    expect(incidents).toEqual([]);
  });

  it('a logout stops the retries, deletes the saved login, shows a new QR code and waits for a person; the admins hear once each way', async () => {
    const { wa, clock, events, incidents, adapter } = await setup();
    wa.client.emit('ready');
    await settle();
    wa.client.emit('disconnected', 'LOGOUT');
    await settle();
    expect(events).toEqual(['session deleted']);
    expect(wa.clients).toHaveLength(2);
    wa.client.emit('qr', '2@new');
    wa.client.emit('qr', '2@newer');
    await settle();
    expect(events).toEqual(['session deleted', 'qr 2@new', 'qr 2@newer']);
    expect(adapter.health().detail).toBe('waiting for someone to log the bot in (QR code or pairing code)');
    queue('after login');
    await pass(clock, 3 * MIN, 30 * MIN, 3 * 60 * MIN);
    expect(wa.clients).toHaveLength(2); // no restarts while waiting for a person
    expect(incidents).toEqual([
      {
        key: 'whatsapp:login',
        platform: 'whatsapp',
        text: "WhatsApp needs someone to log the bot in: the bot was logged out (the session expired or the linked device was removed on the phone). Collabot does not retry by itself until then. Look at where Collabot prints its output for the QR code (or pairing code), and scan it on the bot's phone under Linked devices. Messages wait in the queue.",
      },
    ]);
    wa.client.emit('authenticated');
    wa.client.emit('ready');
    await pass(clock, 5_000);
    expect(incidents[1]).toEqual({ key: 'whatsapp:login', platform: 'whatsapp', resolved: true, text: 'WhatsApp is logged in again, after 3 h 33 min. Queued messages are going out now.' });
    expect(wa.sent().map((s) => s.content)).toEqual(['after login']);
  });

  it('a refused login shows a new code once; refused again, it stops and says what to do', async () => {
    const { wa, logs, events, incidents, adapter } = await setup();
    wa.client.emit('auth_failure', 'restore failed');
    await settle();
    expect(wa.clients).toHaveLength(2);
    expect(events).toEqual(['session deleted']);
    wa.client.emit('auth_failure', 'restore failed');
    await settle();
    expect(wa.clients).toHaveLength(2);
    expect(adapter.health()).toMatchObject({ connected: false, detail: 'stopped: the login keeps being refused' });
    expect(logs.at(-1)).toMatch(/It was refused again, so WhatsApp stays off\. Stop Collabot, delete the session folder \(\.wwebjs_auth next to the database\) and start it again/);
    expect(incidents.map((i) => i.key)).toEqual(['whatsapp:login']);
  });

  it('after logging in, loading the chats must also finish within the ready timeout', async () => {
    const { wa, clock, logs } = await setup();
    wa.client.emit('qr', '2@code');
    await pass(clock, 60 * MIN); // a person takes their time
    expect(wa.clients).toHaveLength(1);
    wa.client.emit('authenticated');
    await pass(clock, 3 * MIN);
    expect(wa.clients[0]!.destroyed).toBe(true);
    expect(logs.at(-1)).toMatch(/^WhatsApp: WhatsApp Web did not load within 3 min\. Trying again in 30 s/);
  });

  it('answers commands again after recovering, and commands typed while it was down are answered once', async () => {
    const { wa, clock } = await setup();
    wa.client.emit('ready');
    await settle();
    const down = wa.client;
    down.emit('change_state', 'TIMEOUT');
    down.receive(waMessage({ chat: GROUP, author: ANA, body: '/roles' }));
    await settle();
    down.emit('disconnected', 'NAVIGATION');
    await pass(clock, 30_000);
    wa.client.emit('ready');
    await pass(clock, 5_000, 5_000);
    expect(wa.sent().map((s) => s.content)).toEqual(['Roles:\n• Ana: admin']);
  });
});

describe('the retry schedule', () => {
  it('waits 30 s, 2 min, 10 min and then every 30 min, and clears the cache only on the second failure', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), (n) => {
        const r = new Recovery({ clock: new FakeClock(), log: silentLogger, hooks: () => undefined });
        const plans = Array.from({ length: n }, () => r.failed('x.'));
        plans.forEach((p, i) => expect(p.delayMs).toBe(RETRY_SCHEDULE_MS[Math.min(i, 3)]));
        expect(plans.filter((p) => p.clearCache).length).toBe(n >= 2 ? 1 : 0);
        if (n >= 2) expect(plans[1]!.clearCache).toBe(true);
      }),
    );
  });

  it('says durations the way people do', () => {
    expect([45_000, 120_000, 3_900_000, 7_200_000].map(human)).toEqual(['45 s', '2 min', '1 h 5 min', '2 h']);
  });
});

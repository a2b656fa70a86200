// The WhatsApp adapter end to end, against a fake whatsapp-web.js client:
// messages and votes go in as the library emits them, and what the bot sends
// is read back from the fake.
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WhatsAppAdapter, type LoginDisplay } from '../../adapters/whatsapp/adapter.js';
import { FakeClock } from '../../src/clock.js';
import { defineCommand } from '../../src/core/registry.js';
import { createLogger } from '../../src/logger.js';
import type { OutMessage, PollView } from '../../src/model.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { FakeWaClient, FakeWhatsApp, waGroup, waMessage } from './fake-client.js';

const GROUP = '120363025246125486@g.us';
const ANA = '447700900001@c.us';
const BEN = '447700900002@c.us';
const BEN_LID = '123456789012345@lid';

const settle = async () => {
  for (let i = 0; i < 30; i++) await new Promise((r) => setImmediate(r));
};

// Test-only stand-ins for the poll feature (not on main yet): one command
// answers with a PollView, `vote` and `unvote` record what reached them.
const received: string[] = [];
function view(kind: string | undefined): PollView {
  return {
    pollId: 7,
    question: 'Where shall we meet?',
    type: kind === 'ranked' ? 'ranked' : 'choice',
    options: ['Library', 'Cafe', 'Online'].map((label, i) => ({ index: i + 1, label })),
    multi: kind === 'multi' ? 2 : 1,
    anonymous: kind === 'anonymous',
    hidden: false,
    closed: false,
    voters: 0,
  };
}
const testCommands = [
  defineCommand({
    name: 'testpoll',
    summary: 'test only: answer with a poll',
    usage: '/testpoll [kind]',
    examples: ['/testpoll'],
    args: z.object({ kind: z.string().optional() }),
    positional: ['kind'],
    handler(ctx, { kind }) {
      const message: OutMessage = { text: 'Poll 7: Where shall we meet?\n1. Library\n2. Cafe\n3. Online\nType /vote 7 and a number.', poll: view(kind), editKey: 'poll:7' };
      ctx.reply(kind === 'refresh' ? { ...message, updateOnly: true } : message);
    },
  }),
  defineCommand({
    name: 'vote',
    summary: 'test only',
    usage: '/vote <poll> <option...>',
    examples: ['/vote 7 1'],
    args: z.object({ words: z.array(z.string()) }),
    positional: ['words...'],
    handler: (ctx, { words }) => void received.push(`vote ${words.join(' ')} by ${ctx.actor.userId} in ${ctx.event.chat.id}`),
  }),
  defineCommand({
    name: 'unvote',
    summary: 'test only',
    usage: '/unvote <poll>',
    examples: ['/unvote 7'],
    args: z.object({ words: z.array(z.string()) }),
    positional: ['words...'],
    handler: (ctx, { words }) => void received.push(`unvote ${words.join(' ')} by ${ctx.actor.userId}`),
  }),
];

let h: Harness | undefined;
let adapter: WhatsAppAdapter | undefined;
afterEach(async () => {
  await h?.close();
  await adapter?.stop();
  h = adapter = undefined;
  received.length = 0;
});

async function setup(o: { pairingNumber?: string; ready?: boolean } = {}) {
  const clock = new FakeClock();
  const wa = new FakeWhatsApp();
  wa.person(ANA, 'Ana');
  wa.person(BEN, 'Ben', BEN_LID);
  wa.chats.set(GROUP, waGroup(GROUP, 'Food Network', [ANA, BEN]));
  const logs: string[] = [];
  const shown: string[] = [];
  const login: LoginDisplay = { qr: (qr) => shown.push(`qr ${qr}`), code: (code, phone) => shown.push(`code ${code} for ${phone}`) };
  adapter = new WhatsAppAdapter({
    createClient: wa.factory,
    log: createLogger('debug', [], { write: (s) => void logs.push(JSON.parse(s).msg) }),
    login,
    sendIntervalMs: 0,
    clock,
    random: () => 0.5,
    pairingNumber: o.pairingNumber,
  });
  h = await createHarness({ clock, platforms: [], adapters: [adapter], commands: testCommands, admins: `whatsapp:${ANA}` });
  await settle();
  if (o.ready !== false) {
    wa.client.emit('ready');
    await settle();
  }
  return { wa, clock, logs, shown, h, adapter };
}

/** An adapter on its own (no bot) whose every client is broken by `breakIt`. */
async function unreachable(breakIt: (c: FakeWaClient) => void) {
  const wa = new FakeWhatsApp();
  const clock = new FakeClock();
  const logs: string[] = [];
  const factory = wa.factory;
  wa.factory = async () => {
    const c = await factory();
    breakIt(c);
    return c;
  };
  adapter = new WhatsAppAdapter({
    createClient: wa.factory,
    log: createLogger('info', [], { write: (s) => void logs.push(JSON.parse(s).msg) }),
    login: { qr() {}, code() {} },
    sendIntervalMs: 0,
    clock,
    random: () => 0.5,
    connectTimeoutMs: 60_000,
  });
  await adapter.start(async () => undefined);
  await settle();
  return { wa, clock, logs, adapter };
}

describe('WhatsApp adapter', () => {
  it('answers a command typed in a group, quoting it, and ignores chatter and its own messages', async () => {
    const { wa } = await setup();
    const command = waMessage({ chat: GROUP, author: ANA, body: '/collab create Food Network' });
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: 'morning all, see you at 10' }));
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/help', fromMe: true }));
    wa.client.receive(command);
    await settle();
    expect(wa.sent()).toHaveLength(1);
    const [reply] = wa.sent();
    expect(reply!.chatId).toBe(GROUP);
    expect(reply!.options).toEqual({ quotedMessageId: command.id._serialized });
    expect(reply!.content).toContain('Done: this chat is now the collab "Food Network"');
    // The group's name and the author's WhatsApp name reached the core.
    expect(h!.db.prepare('SELECT name FROM chats WHERE chat_id = ?').get(GROUP)).toEqual({ name: 'Food Network' });
    expect(h!.services.people.byName('whatsapp', 'Ana')).toHaveLength(1);
  });

  it('answers a command in a direct chat, and ignores other direct messages', async () => {
    const { wa } = await setup();
    wa.client.receive(waMessage({ chat: BEN, body: 'hi bot' }));
    wa.client.receive(waMessage({ chat: BEN, body: '/help' }));
    await settle();
    expect(wa.sent().map((s) => s.chatId)).toEqual([BEN]);
    expect(wa.sent()[0]!.content).toMatch(/^Here is what I can do/);
  });

  it('turns a mention by @lid into the person behind the phone number, with their WhatsApp name', async () => {
    const { wa } = await setup();
    // Newer WhatsApp writes the hidden id's digits after the @ in the text.
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/role add @123456789012345 lead', mentionedIds: [BEN_LID] }));
    await settle();
    expect(wa.sent().map((s) => s.content)).toEqual(['Done: Ben is now a lead.']);
    const ben = h!.services.people.find('whatsapp', BEN);
    expect(ben).toBeDefined();
    expect(h!.services.roles.hasAny(ben!, ['lead'], null)).toBe(true);
    // Ben typing from his @lid is the same person.
    wa.client.receive(waMessage({ chat: GROUP, author: BEN_LID, body: '/role add @447700900001 delegate', mentionedIds: [ANA] }));
    await settle();
    expect(wa.sent()[1]!.content).toBe('Done: Ana is now a delegate.');
  });

  it('sends a choice poll as a native poll and turns votes and a deselection into /vote and /unvote', async () => {
    const { wa } = await setup();
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/testpoll' }));
    await settle();
    const [sent] = wa.sent();
    expect(sent!.content).toEqual({ pollName: 'Poll #7: Where shall we meet?', pollOptions: ['Library', 'Cafe', 'Online'], allowMultipleAnswers: false });
    wa.client.vote(sent!.message, BEN_LID, [1], { at: 1_000 });
    await settle();
    wa.client.vote(sent!.message, BEN_LID, [], { at: 2_000 });
    await settle();
    wa.client.vote(sent!.message, BEN_LID, [], { at: 2_000 }); // re-delivered: handled once
    await settle();
    expect(received).toEqual([`vote 7 2 by ${BEN} in ${GROUP}`, `unvote 7 by ${BEN}`]);
  });

  it('allows several answers on a multi-choice poll and passes every ticked option', async () => {
    const { wa } = await setup();
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/testpoll multi' }));
    await settle();
    const [sent] = wa.sent();
    expect(sent!.content).toMatchObject({ allowMultipleAnswers: true });
    wa.client.vote(sent!.message, ANA, [2, 0]);
    await settle();
    wa.client.vote(sent!.message, BEN_LID, [1, 2], { shape: 'runtime' });
    await settle();
    expect(received).toEqual([`vote 7 1 3 by ${ANA} in ${GROUP}`, `vote 7 2 3 by ${BEN} in ${GROUP}`]);
  });

  it('ignores votes on polls the bot did not send', async () => {
    const { wa } = await setup();
    const theirs = { ...waMessage({ chat: GROUP, author: BEN, body: 'Poll #7: Pizza?', type: 'poll_creation' }), pollName: 'Poll #7: Pizza?', pollOptions: [{ name: 'Yes', localId: 0 }] };
    wa.client.vote(theirs, ANA, [0]);
    await settle();
    expect(received).toEqual([]);
  });

  it('falls back to the text rendering for polls WhatsApp cannot show, and when a native poll fails', async () => {
    const { wa, logs } = await setup();
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/testpoll anonymous' }));
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/testpoll ranked' }));
    await settle();
    wa.client.failPoll = new Error('Evaluation failed: poll creation is not allowed here');
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/testpoll' }));
    await settle();
    expect(wa.sent().map((s) => typeof s.content)).toEqual(['string', 'string', 'string']);
    expect(wa.sent()[2]!.content).toContain('Type /vote 7 and a number.');
    expect(logs).toContain('WhatsApp: the native poll could not be sent; sending it as text instead');
  });

  it('drops live-count refreshes, since WhatsApp cannot edit a poll', async () => {
    const { wa } = await setup();
    expect(adapter!.capabilities.edit).toBe(false);
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/testpoll refresh' }));
    await settle();
    expect(wa.sent()).toEqual([]);
    expect(h!.db.prepare(`SELECT status FROM outbox`).all()).toEqual([{ status: 'sent' }]);
  });

  it('keeps messages queued through a logout, shows a new QR code, and delivers them once logged in again', async () => {
    const { wa, clock, logs, shown } = await setup();
    const first = wa.client;
    first.emit('disconnected', 'LOGOUT');
    await settle();
    expect(first.destroyed).toBe(true);
    expect(logs.some((l) => l.startsWith('WhatsApp: the bot was logged out') && l.includes('Trying again in 5 s'))).toBe(true);
    // Two messages fall due while the bot is logged out (a reminder, a reply).
    h!.services.outbox.enqueue({ platform: 'whatsapp', chatId: GROUP }, { text: 'first' });
    h!.services.outbox.enqueue({ platform: 'whatsapp', chatId: GROUP }, { text: 'second' });
    h!.services.outbox.notify();
    await settle();
    clock.advance(5_000); // the reconnect
    await settle();
    expect(wa.clients).toHaveLength(2);
    wa.client.emit('qr', '2@new-login-code');
    await settle();
    expect(shown).toEqual(['qr 2@new-login-code']);
    for (let i = 0; i < 60; i++) clock.advance(60_000); // an hour until someone scans it
    await settle();
    expect(wa.sent()).toEqual([]);
    expect(h!.db.prepare(`SELECT status, attempts FROM outbox`).all()).toEqual([
      { status: 'pending', attempts: 0 },
      { status: 'pending', attempts: 0 },
    ]);
    wa.client.emit('ready');
    clock.advance(5_000);
    await settle();
    clock.advance(5_000);
    await settle();
    expect(wa.sent().map((s) => s.content)).toEqual(['first', 'second']);
    expect(wa.sent().every((s) => s.chatId === GROUP)).toBe(true);
  });

  it('holds messages while the connection wavers, and resends one whose page died mid-send, once', async () => {
    const { wa, clock, logs } = await setup();
    wa.client.emit('change_state', 'TIMEOUT'); // the phone's connection drops; WhatsApp Web retries by itself
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/roles' }));
    await settle();
    expect(wa.sent()).toEqual([]);
    wa.client.emit('change_state', 'CONNECTED');
    clock.advance(5_000);
    await settle();
    expect(wa.sent().map((s) => s.content)).toEqual(['Roles:\n• Ana: admin']);
    wa.client.destroyed = true; // Chromium's page is gone without a word
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/roles' }));
    await settle();
    expect(logs.some((l) => l.startsWith('WhatsApp: lost the connection to WhatsApp Web while sending'))).toBe(true);
    clock.advance(5_000);
    await settle();
    expect(wa.clients).toHaveLength(2);
    wa.client.emit('ready');
    clock.advance(5_000);
    await settle();
    expect(wa.sent().map((s) => s.content)).toEqual(['Roles:\n• Ana: admin', 'Roles:\n• Ana: admin']);
  });

  it('retries a connection that cannot be opened with growing backoff, saying why', async () => {
    const { wa, clock, logs } = await unreachable((c) => (c.failInitialize = new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/')));
    expect(logs.at(-1)).toBe(
      'WhatsApp: could not open WhatsApp Web: net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/. Is this machine online, and can it reach web.whatsapp.com? Trying again in 5 s; messages wait in the queue until then.',
    );
    for (const wait of [5_000, 10_000, 20_000]) {
      clock.advance(wait);
      await settle();
    }
    expect(wa.clients).toHaveLength(4);
    expect(wa.clients.every((c) => c.destroyed)).toBe(true);
    expect(logs.at(-1)).toContain('Trying again in 40 s');
    await expect(adapter!.send({ platform: 'whatsapp', chatId: GROUP }, { text: 'x' })).rejects.toThrow('WhatsApp is not connected');
    await adapter!.stop();
    clock.advance(600_000);
    await settle();
    expect(wa.clients).toHaveLength(4); // stopped means stopped
  });

  it('gives up on an attempt that hangs, and tries again', async () => {
    const { wa, clock, logs } = await unreachable((c) => (c.initialize = () => new Promise(() => undefined))); // never loads
    clock.advance(60_000);
    await settle();
    expect(logs.at(-1)).toMatch(/^WhatsApp: WhatsApp Web did not load within 60 s\. Trying again in 5 s/);
    expect(wa.clients[0]!.destroyed).toBe(true);
    clock.advance(5_000);
    await settle();
    expect(wa.clients).toHaveLength(2);
  });

  it('logs in with a pairing code when a number is set, showing each new code once', async () => {
    const { wa, shown } = await setup({ pairingNumber: '447700900000', ready: false });
    wa.client.emit('qr', '2@ignored');
    wa.client.emit('code', 'ABCD1234');
    wa.client.emit('code', 'ABCD1234');
    wa.client.emit('code', 'WXYZ5678');
    await settle();
    expect(shown).toEqual(['code ABCD1234 for 447700900000', 'code WXYZ5678 for 447700900000']);
  });

  it('declares a cautious sending rate from WHATSAPP_SEND_INTERVAL', () => {
    const a = new WhatsAppAdapter({ createClient: new FakeWhatsApp().factory, log: createLogger('silent'), login: { qr() {}, code() {} }, sendIntervalMs: 4_000 });
    expect(a.capabilities).toMatchObject({
      nativePolls: true,
      threads: false,
      edit: false,
      markdown: 'whatsapp',
      rate: { perChat: { count: 1, intervalMs: 4_000 }, global: { count: 1, intervalMs: 2_000 }, jitterMs: 2_000 },
    });
  });
});

// The WhatsApp adapter end to end, against a fake whatsapp-web.js client:
// messages and votes go in as the library emits them, and what the bot sends
// is read back from the fake.
import { afterEach, describe, expect, it } from 'vitest';
import { WhatsAppAdapter, type LoginDisplay } from '../../adapters/whatsapp/adapter.js';
import { FakeClock } from '../../src/clock.js';
import { createLogger } from '../../src/logger.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { ANA, BEN, BEN_LID, deliver, FakeWaClient, FakeWhatsApp, GROUP, typeIn, waGroup, waMessage } from './fake-client.js';
import { settle } from '../helpers/settle.js';



const DAY = 24 * 3600_000;

let h: Harness | undefined;
let adapter: WhatsAppAdapter | undefined;
afterEach(async () => {
  await h?.close();
  await adapter?.stop();
  h = adapter = undefined;
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
    pairingNumber: o.pairingNumber,
  });
  h = await createHarness({ clock, platforms: [], adapters: [adapter], admins: `whatsapp:${ANA}` });
  await settle();
  if (o.ready !== false) {
    wa.client.emit('ready');
    await settle();
  }
  return { wa, clock, logs, shown, h, adapter };
}

/** Let the adapter hand events to the core and the outbox deliver. */
const step = () => deliver(h!);

/** `from` types `line` in the group; returns the last thing the bot sent. */
const say = (wa: FakeWhatsApp, line: string, from = ANA) => typeIn(h!, wa, line, from);

/** Votes per option of poll `id`, as the bot counts them. */
function counts(id: number) {
  const { polls } = h!.services;
  return polls.result(polls.get(id)!).options.map((o) => o.count);
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
    readyTimeoutMs: 60_000,
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

  it('sends a single-choice poll as a native poll (one answer), counts its votes silently, and a deselection withdraws the vote', async () => {
    const { wa } = await setup();
    await say(wa, '/collab create Food Network');
    const poll = await say(wa, '/poll "Where shall we meet?" Library Cafe Online');
    expect(poll.content).toEqual({ pollName: 'Poll #1: Where shall we meet?', pollOptions: ['Library', 'Cafe', 'Online'], allowMultipleAnswers: false });
    const before = wa.sent().length;
    wa.client.vote(poll.message, BEN_LID, [1], { at: 1_000 });
    wa.client.vote(poll.message, ANA, [2], { at: 1_500, shape: 'runtime' });
    await step();
    expect(counts(1)).toEqual([0, 1, 1]);
    wa.client.vote(poll.message, BEN_LID, [], { at: 2_000 });
    await step();
    wa.client.vote(poll.message, BEN_LID, [], { at: 2_000 }); // re-delivered: handled once (a second /unvote would be refused)
    await step();
    expect(counts(1)).toEqual([0, 0, 1]);
    // The poll shows each vote itself: no thanks and no live count in the group (WhatsApp can't edit),
    // and nothing left waiting in the queue.
    expect(wa.sent()).toHaveLength(before);
    expect(adapter!.capabilities.edit).toBe(false);
    expect(h!.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE status <> 'sent'`).get()).toEqual({ n: 0 });
    // A vote typed in the group is answered there, quoting it.
    const typed = waMessage({ chat: GROUP, author: BEN, body: '/vote 1 lib' });
    wa.client.receive(typed);
    await step();
    expect(wa.sent().at(-1)).toMatchObject({ chatId: GROUP, options: { quotedMessageId: typed.id._serialized } });
    expect(wa.sent().at(-1)!.content).toMatch(/^Thanks Ben: your vote in poll #1 is counted: Library\.\nNow: Library 1 · Cafe 0 · Online 1$/);
  });

  it('refuses, to the voter alone, more ticks than a --multi poll takes, and a vote after it closed', async () => {
    const { wa } = await setup();
    await say(wa, '/collab create Food Network');
    const poll = await say(wa, '/poll "Which days suit you?" Mon Tue Wed --multi 2');
    expect(poll.content).toEqual({ pollName: 'Poll #1: Which days suit you?', pollOptions: ['Mon', 'Tue', 'Wed'], allowMultipleAnswers: true });
    wa.client.vote(poll.message, ANA, [2, 0]);
    wa.client.vote(poll.message, BEN_LID, [1], { at: 1_000, shape: 'runtime' });
    await step();
    expect(counts(1)).toEqual([1, 1, 1]);
    const before = wa.sent().length;
    // WhatsApp lets Ben tick all three.
    wa.client.vote(poll.message, BEN_LID, [0, 1, 2], { at: 2_000, shape: 'runtime' });
    await step();
    expect(counts(1)).toEqual([1, 1, 1]); // his earlier vote stands
    expect(wa.sent().slice(before)).toEqual([
      expect.objectContaining({ chatId: BEN, options: undefined, content: 'Poll #1 takes up to 2 choices, and you picked 3, so that vote was not counted. Pick up to 2, e.g. /vote 1 1 2' }),
    ]);

    await say(wa, '/poll close 1');
    const results = wa.sent().at(-1)!;
    expect(results.chatId).toBe(GROUP);
    expect(results.content).toBe(
      'Poll #1 is closed.\nResults of poll #1: Which days suit you? (closed)\nMon: 1 vote (50% of 2 voters)\nTue: 1 vote (50% of 2 voters)\nWed: 1 vote (50% of 2 voters)\nTie between Mon, Tue and Wed.\n2 people voted.\nTo record the decision taken, type /poll outcome 1 <what was decided>',
    );
    wa.client.vote(poll.message, BEN_LID, [0], { at: 3_000, shape: 'runtime' }); // the WhatsApp poll still takes taps
    await step();
    expect(wa.sent().at(-1)).toMatchObject({ chatId: BEN, options: undefined });
    expect(wa.sent().at(-1)!.content).toMatch(/^Poll #1 closed on .+, so it no longer takes votes\. To see the results: \/poll results 1$/);
    expect(counts(1)).toEqual([1, 1, 1]);
  });

  it('reminds the group 24 hours before a native poll closes, and posts the results when it closes itself', async () => {
    const { wa } = await setup();
    await say(wa, '/collab create Food Network');
    await say(wa, '/roles', BEN); // Ben is seen in the group: a member
    const poll = await say(wa, '/poll "Where shall we meet?" Library Cafe --closes 2d');
    expect(typeof poll.content).toBe('object');
    wa.client.vote(poll.message, ANA, [0]);
    await step();
    await h!.advance(DAY);
    await step();
    expect(wa.sent().at(-1)).toMatchObject({ chatId: GROUP, options: undefined });
    expect(wa.sent().at(-1)!.content).toMatch(
      /^Poll #1 closes in 24 hours \(.+\): Where shall we meet\?\n1 person has not voted yet: Ben\.\nTo vote, type \/vote 1 and the number of your choice, e\.g\. \/vote 1 2$/,
    );
    await h!.advance(DAY);
    await step();
    expect(wa.sent().at(-1)!.content).toMatch(/^Poll #1 is closed\. It has reached its closing time\.\nResults of poll #1: Where shall we meet\? \(closed\)\nLibrary: 1 vote \(100%\)\nCafe: 0 votes \(0%\)\nMost votes: Library\./);
  });

  it('ignores votes on polls the bot did not send', async () => {
    const { wa } = await setup();
    await say(wa, '/collab create Food Network');
    await say(wa, '/poll "Pizza?" Yes No');
    const before = wa.sent().length;
    const theirs = { ...waMessage({ chat: GROUP, author: BEN, body: 'Poll #1: Pizza?', type: 'poll_creation' }), pollName: 'Poll #1: Pizza?', pollOptions: [{ name: 'Yes', localId: 0 }] };
    wa.client.vote(theirs, ANA, [0]);
    await step();
    expect(counts(1)).toEqual([0, 0]);
    expect(wa.sent()).toHaveLength(before);
  });

  it('sends polls WhatsApp cannot show as text with /vote instructions, and falls back to text when a native poll fails', async () => {
    const { wa, logs } = await setup();
    await say(wa, '/collab create Food Network');
    const anonymous = await say(wa, '/poll "Secret?" Yes No --anonymous');
    const hidden = await say(wa, '/poll "Later?" Yes No --hidden');
    const ranked = await say(wa, '/poll "Where?" Library Cafe --type ranked');
    const proposal = await say(wa, '/poll "Fund the minibus?" --type proposal');
    expect([anonymous, hidden, ranked, proposal].map((s) => typeof s.content)).toEqual(['string', 'string', 'string', 'string']);
    expect(anonymous.content).toContain('To vote privately, send me the /vote command in a direct message.');
    expect(hidden.content).toContain('Results stay hidden until the poll closes.');
    expect(ranked.content).toContain('To vote, rank the options, favourite first: type /vote 3');
    expect(proposal.content).toContain('To vote, type /vote 4 agree (or abstain, disagree, block).');
    wa.client.failPoll = new Error('Evaluation failed: poll creation is not allowed here');
    const failed = await say(wa, '/poll "Lunch?" Soup Salad');
    expect(failed.content).toBe('Poll #5: Lunch?\n1. Soup\n2. Salad\nTo vote, type /vote 5 and the number of your choice, e.g. /vote 5 2');
    expect(logs).toContain('WhatsApp: the native poll could not be sent; sending it as text instead');
  });

  it('keeps messages queued through a logout, shows a new QR code at once without retrying, and delivers them once logged in again', async () => {
    const { wa, clock, logs, shown } = await setup();
    const first = wa.client;
    first.emit('disconnected', 'LOGOUT');
    await settle();
    expect(first.destroyed).toBe(true);
    expect(logs).toContain(
      'WhatsApp: the bot was logged out (the session expired or the linked device was removed on the phone). Opening WhatsApp Web again to show a new login code; messages wait in the queue until someone logs in.',
    );
    // Two messages fall due while the bot is logged out (a reminder, a reply).
    h!.services.outbox.enqueue({ platform: 'whatsapp', chatId: GROUP }, { text: 'first' });
    h!.services.outbox.enqueue({ platform: 'whatsapp', chatId: GROUP }, { text: 'second' });
    h!.services.outbox.notify();
    await settle();
    expect(wa.clients).toHaveLength(2); // straight away: a new login code, no backoff
    wa.client.emit('qr', '2@new-login-code');
    await settle();
    expect(shown).toEqual(['qr 2@new-login-code']);
    for (let i = 0; i < 60; i++) clock.advance(60_000); // an hour until someone scans it
    await settle();
    expect(wa.sent()).toEqual([]);
    expect(wa.clients).toHaveLength(2); // no restarts while the code waits for a person
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
    clock.advance(30_000);
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
      'WhatsApp: could not open WhatsApp Web: net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/. Is this machine online, and can it reach web.whatsapp.com? Trying again in 30 s; messages wait in the queue until then.',
    );
    for (const wait of [30_000, 120_000, 600_000]) {
      clock.advance(wait);
      await settle();
    }
    expect(wa.clients).toHaveLength(4);
    expect(wa.clients.every((c) => c.destroyed)).toBe(true);
    expect(logs.at(-1)).toContain('Trying again in 30 min');
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
    expect(logs.at(-1)).toMatch(/^WhatsApp: WhatsApp Web did not load within 1 min\. Trying again in 30 s/);
    expect(wa.clients[0]!.destroyed).toBe(true);
    clock.advance(30_000);
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

  it('handles a command that came in just before it stopped', async () => {
    const { wa } = await setup();
    // The group's name is looked up while the bot is told to stop.
    const lookUp = wa.client.getChatById.bind(wa.client);
    wa.client.getChatById = (id) => new Promise((resolve) => setTimeout(() => resolve(lookUp(id)), 20));
    wa.client.receive(waMessage({ chat: GROUP, author: ANA, body: '/collab create Food Network' }));
    await settle();
    await adapter!.stop();
    expect(h!.db.prepare('SELECT name FROM collabs').all()).toEqual([{ name: 'Food Network' }]);
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

// A WhatsApp group's life, driven through the fake whatsapp-web.js client's
// group_join, group_leave and group_update events: hello once on being added,
// going quiet when removed (queued messages dropped, facilitators told in the
// collab's other chat), back when added again, renames, and members who left.
import { afterEach, describe, expect, it } from 'vitest';
import { WhatsAppAdapter } from '../../adapters/whatsapp/adapter.js';
import { FakeClock } from '../../src/clock.js';
import { DROPPED } from '../../src/chats/life.js';
import { createLogger } from '../../src/logger.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { ANA, BEN, BEN_LID, BOT, CY, deliver, FakeWhatsApp, GROUP, typeIn, waGroup } from './fake-client.js';
import { settle } from '../helpers/settle.js';

const DAY = 24 * 3600_000;


let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup() {
  const clock = new FakeClock();
  const wa = new FakeWhatsApp();
  wa.person(ANA, 'Ana');
  wa.person(BEN, 'Ben', BEN_LID);
  wa.person(CY, 'Cy');
  wa.chats.set(GROUP, waGroup(GROUP, 'Food Network', [ANA, BEN, CY]));
  const logs: { msg: string; [k: string]: unknown }[] = [];
  const adapter = new WhatsAppAdapter({ createClient: wa.factory, log: createLogger('info', [], { write: () => undefined }), login: { qr() {}, code() {} }, sendIntervalMs: 0, clock });
  h = await createHarness({
    clock,
    platforms: ['slack'],
    adapters: [adapter],
    admins: `whatsapp:${ANA},slack:UANA`,
    log: createLogger('info', [], { write: (s) => void logs.push(JSON.parse(s)) }),
  });
  await settle();
  wa.client.emit('ready');
  await settle();
  return { wa, clock, logs, h };
}

/** Let the adapter hand events to the core and the outbox deliver. */
const step = () => deliver(h!);

/** `from` types `line` in the group; returns the last thing the bot sent. */
const say = (wa: FakeWhatsApp, line: string, from = ANA) => typeIn(h!, wa, line, from);

const texts = (wa: FakeWhatsApp) => wa.sent().map((s) => (typeof s.content === 'string' ? s.content : s.content.pollName));

describe('a WhatsApp group life cycle', () => {
  it('says hello once, in two lines, when the bot is added to a group', async () => {
    const { wa } = await setup();
    wa.client.group(GROUP, 'add', [BOT], { author: ANA });
    await step();
    wa.client.group(GROUP, 'add', [BOT], { author: ANA }); // reported twice
    wa.client.group(GROUP, 'add', [CY], { author: ANA }); // someone else added: nothing to say
    await step();
    expect(wa.sent().map((s) => s.chatId)).toEqual([GROUP]);
    expect(texts(wa)).toEqual([
      "Hello, I'm Collabot: I run polls, notes, action items and reminders for groups like this one.\nTo start, type /collab create <name> to make this group a new collab, or /collab link <name> to join one that exists.",
    ]);
    expect(h!.db.prepare('SELECT name FROM chats WHERE chat_id = ?').get(GROUP)).toEqual({ name: 'Food Network' });
  });

  it('removed: drops what was queued with a log line, queues nothing more, tells the facilitators in the Slack chat; added back, it is active again', async () => {
    const { wa, clock, logs } = await setup();
    await say(wa, '/collab create Food Network');
    await h!.say('/collab link Food Network', { platform: 'slack', in: 'C1', as: 'UANA' });
    const collab = h!.services.collabs.byName('Food Network')!;
    const ben = h!.services.people.ensure('whatsapp', BEN, 'Ben');
    h!.services.roles.grant(h!.services.people.find('whatsapp', ANA)!, ben, 'facilitator', collab.id, clock.now());
    h!.take();
    const before = wa.sent().length;
    // WhatsApp wavers while two messages are due, then the bot is removed.
    wa.client.emit('change_state', 'TIMEOUT');
    h!.services.outbox.enqueue({ platform: 'whatsapp', chatId: GROUP }, { text: 'reminder' });
    h!.services.outbox.enqueue({ platform: 'whatsapp', chatId: GROUP }, { text: 'another' });
    await settle();
    wa.client.group(GROUP, 'remove', [BOT], { author: BEN });
    wa.client.group(GROUP, 'remove', [BOT], { author: BEN }); // reported twice: told once
    await step();
    expect(h!.db.prepare(`SELECT status, last_error FROM outbox WHERE dest = ? AND status <> 'sent'`).all(`c:${GROUP}`)).toEqual([
      { status: 'failed', last_error: DROPPED },
      { status: 'failed', last_error: DROPPED },
    ]);
    expect(logs.filter((l) => l.msg.startsWith('the bot is no longer in a chat'))).toEqual([
      expect.objectContaining({ platform: 'whatsapp', chatId: GROUP, dropped: 2, msg: 'the bot is no longer in a chat (removed, or the chat was deleted): its queued messages were dropped' }),
    ]);
    expect(h!.take()).toEqual([
      '[C1] Facilitators of Food Network (Ana, Ben): I was removed from the WhatsApp chat "Food Network" (or it was deleted), so this collab\'s messages no longer go there. 2 messages waiting for it were dropped.\nTo use another group, add me to it and type /collab link Food Network there.',
    ]);
    // Nothing more is queued for it: a poll asked on Slack goes to Slack only.
    const rows = () => h!.db.prepare(`SELECT COUNT(*) AS n FROM outbox WHERE dest = ?`).pluck().get(`c:${GROUP}`);
    const queuedBefore = rows();
    expect(await h!.say('/poll "Lunch?" Soup Salad', { platform: 'slack', in: 'C1', as: 'UANA' })).toEqual([expect.stringMatching(/^\[C1\] Poll #1: Lunch\?/)]);
    expect(rows()).toBe(queuedBefore);
    wa.client.emit('change_state', 'CONNECTED');
    clock.advance(60_000);
    await step();
    expect(wa.sent()).toHaveLength(before);

    // Added back: active again, and the group hears so.
    wa.client.group(GROUP, 'add', [BOT], { author: BEN });
    await step();
    expect(texts(wa).slice(before)).toEqual(['Hello again! This chat is part of the collab "Food Network" once more. Type /help to see what I can do.']);
    await h!.say('/poll "Dinner?" Pie Stew', { platform: 'slack', in: 'C1', as: 'UANA' });
    await step();
    expect(texts(wa).at(-1)).toBe('Poll #2: Dinner?');
  });

  it('a command from a group marked removed shows the bot is there: it answers', async () => {
    const { wa } = await setup();
    await say(wa, '/collab create Food Network');
    wa.client.group(GROUP, 'remove', [BOT]);
    await step();
    const reply = await say(wa, '/roles');
    expect(reply).toMatchObject({ chatId: GROUP, content: 'Roles:\n• Ana: admin\n• UANA: admin\n• Ana: facilitator of Food Network' });
  });

  it('follows a renamed group', async () => {
    const { wa } = await setup();
    await say(wa, '/collab create Food Network');
    wa.client.group(GROUP, 'subject', [], { author: ANA, body: 'Food Network North' });
    await step();
    expect(h!.db.prepare('SELECT name FROM chats WHERE chat_id = ?').get(GROUP)).toEqual({ name: 'Food Network North' });
    // A description change is not a rename.
    wa.client.group(GROUP, 'description', [], { author: ANA, body: 'Weekly food bank rota' });
    await step();
    expect(h!.db.prepare('SELECT name FROM chats WHERE chat_id = ?').get(GROUP)).toEqual({ name: 'Food Network North' });
  });

  it('does not count a member who left the group among those who have not voted; back in the group, they count again', async () => {
    const { wa } = await setup();
    await say(wa, '/collab create Food Network');
    await say(wa, '/roles', BEN_LID);
    await say(wa, '/roles', CY);
    const poll = await say(wa, '/poll "Where shall we meet?" Library Cafe --closes 3d');
    wa.client.vote(poll.message, ANA, [0]);
    await step();
    wa.client.group(GROUP, 'leave', [BEN_LID]); // Ben leaves; WhatsApp names him by his hidden id
    await step();
    await h!.advance(2 * DAY);
    await step();
    expect(texts(wa).at(-1)).toMatch(/^Poll #1 closes in 24 hours \(.+\): Where shall we meet\?\n1 person has not voted yet: Cy\.\n/);

    const second = await say(wa, '/poll "Pizza?" Yes No --closes 3d');
    wa.client.group(GROUP, 'add', [BEN], { author: ANA });
    await step();
    wa.client.vote(second.message, ANA, [0]);
    await step();
    await h!.advance(2 * DAY);
    await step();
    expect(texts(wa).filter((t) => t.startsWith('Poll #2 closes in 24 hours')).at(-1)).toMatch(/\n2 people have not voted yet: Ben, Cy\.\n/);
  });
});

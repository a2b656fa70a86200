// The pure translation rules between whatsapp-web.js shapes and the core's model.
import { describe, expect, it } from 'vitest';
import type { WaPollVote } from '../../adapters/whatsapp/client.js';
import {
  chatKind,
  idOf,
  isCommand,
  mentionsOf,
  messageToEvent,
  nativePollOf,
  pollIdOf,
  renderText,
  voteCommand,
  voteToEvent,
} from '../../adapters/whatsapp/mapping.js';
import type { PollView, UserRef } from '../../src/model.js';
import { voterOf } from '../../src/platform/vote-answers.js';
import { pollView } from '../helpers/poll-view.js';
import { waMessage } from './fake-client.js';

const GROUP = '120363025246125486@g.us';
const people = new Map<string, UserRef>([
  ['447700900001@c.us', { id: '447700900001@c.us', displayName: 'Ana', isBot: false }],
  ['123456789012345@lid', { id: '447700900002@c.us', displayName: 'Ben', isBot: false }],
]);

function poll(over: Partial<PollView> = {}): PollView {
  return pollView({ pollId: 12, question: 'Fund the repair café?', options: [{ index: 1, label: 'Yes' }, { index: 2, label: 'No' }], ...over });
}

describe('WhatsApp mapping', () => {
  it('tells groups, people and everything else apart', () => {
    expect(chatKind(GROUP)).toBe('group');
    expect(chatKind('447700900001@c.us')).toBe('direct');
    expect(chatKind('123456789012345@lid')).toBe('direct');
    expect(chatKind('status@broadcast')).toBe('other');
    expect(chatKind('120363000000000000@newsletter')).toBe('other');
  });

  it('takes only typed commands from people, in groups and direct chats', () => {
    expect(isCommand(waMessage({ chat: GROUP, author: '447700900001@c.us', body: '  /help' }))).toBe(true);
    expect(isCommand(waMessage({ chat: '447700900001@c.us', body: '/help' }))).toBe(true);
    expect(isCommand(waMessage({ chat: GROUP, author: '447700900001@c.us', body: 'see you /later' }))).toBe(false);
    expect(isCommand(waMessage({ chat: GROUP, author: '447700900001@c.us', body: '/help', fromMe: true }))).toBe(false);
    expect(isCommand(waMessage({ chat: GROUP, author: '447700900001@c.us', body: '/help', type: 'image' }))).toBe(false);
    expect(isCommand({ ...waMessage({ chat: GROUP, author: '447700900001@c.us', body: '/help' }), isStatus: true })).toBe(false);
    expect(isCommand(waMessage({ chat: 'status@broadcast', body: '/help' }))).toBe(false);
    expect(isCommand(waMessage({ chat: GROUP, body: '/help' }))).toBe(false); // a group message with no author
  });

  it('maps a group message: author, chat, time, and the message id for quoting', () => {
    const msg = waMessage({ chat: GROUP, author: '123456789012345@lid', body: '/roles', timestamp: 1_795_000_123 });
    expect(messageToEvent(msg, 'Food Network', people)).toEqual({
      kind: 'message',
      platform: 'whatsapp',
      eventId: msg.id._serialized,
      chat: { id: GROUP, name: 'Food Network', isDirect: false },
      author: { id: '447700900002@c.us', displayName: 'Ben', isBot: false },
      text: '/roles',
      time: new Date(1_795_000_123_000),
      mentions: [],
      messageId: msg.id._serialized,
    });
  });

  it('finds the @ text of each mention in the body, by phone number or @lid digits', () => {
    const msg = waMessage({
      chat: GROUP,
      author: '447700900001@c.us',
      body: '/role add @123456789012345 lead, cc @447700900001',
      mentionedIds: ['123456789012345@lid', '447700900001@c.us', '447700900001@c.us'],
    });
    expect(mentionsOf(msg, people)).toEqual([
      { token: '@123456789012345', id: '447700900002@c.us', displayName: 'Ben' },
      { token: '@447700900001', id: '447700900001@c.us', displayName: 'Ana' },
    ]);
  });

  it('accepts ids as the id objects some of them arrive as', () => {
    const msg = { ...waMessage({ chat: GROUP, author: '447700900001@c.us', body: '/roles @123456789012345' }), mentionedIds: [{ server: 'lid', user: '123456789012345', _serialized: '123456789012345@lid' }] };
    expect(mentionsOf(msg, people)).toEqual([{ token: '@123456789012345', id: '447700900002@c.us', displayName: 'Ben' }]);
    expect(idOf('447700900001@c.us')).toBe('447700900001@c.us');
    expect(idOf({ _serialized: '447700900001@c.us' })).toBe('447700900001@c.us');
    expect(idOf(undefined)).toBe('');
  });

  it('sends native polls only for open, visible choice polls WhatsApp can show', () => {
    expect(nativePollOf(poll())).toEqual({ pollName: 'Poll #12: Fund the repair café?', pollOptions: ['Yes', 'No'], allowMultipleAnswers: false });
    expect(nativePollOf(poll({ multi: 2 }))?.allowMultipleAnswers).toBe(true);
    const twelve = Array.from({ length: 12 }, (_, i) => ({ index: i + 1, label: `Option ${i + 1}` }));
    expect(nativePollOf(poll({ options: twelve }))?.pollOptions).toHaveLength(12);
    for (const textOnly of [
      poll({ anonymous: true }),
      poll({ hidden: true }),
      poll({ closed: true }),
      poll({ type: 'proposal' }),
      poll({ type: 'ranked' }),
      poll({ type: 'score' }),
      poll({ options: [...twelve, { index: 13, label: 'Option 13' }] }),
      poll({ options: [{ index: 1, label: 'Only one' }] }),
      poll({ options: [{ index: 1, label: 'Yes' }, { index: 2, label: 'yes' }] }), // WhatsApp needs distinct options
      poll({ options: [{ index: 2, label: 'Yes' }, { index: 3, label: 'No' }] }), // numbers would not map back
      poll({ options: [{ index: 1, label: 'Yes' }, { index: 2, label: 'x'.repeat(101) }] }),
      poll({ question: 'q'.repeat(250) }),
    ]) {
      expect(nativePollOf(textOnly)).toBeNull();
    }
  });

  it('reads the poll number back from the poll name', () => {
    expect(pollIdOf('Poll #12: Fund the repair café?')).toBe(12);
    expect(pollIdOf('Poll #3: Is poll #5 better?')).toBe(3);
    expect(pollIdOf('Lunch?')).toBeNull();
    expect(pollIdOf(undefined)).toBeNull();
  });

  it('turns a vote into /vote with 1-based option numbers, whichever way the library numbers them', () => {
    const parent = { ...waMessage({ chat: GROUP, body: 'Poll #12: Fund?', fromMe: true, type: 'poll_creation' }), pollName: 'Poll #12: Fund?', pollOptions: [{ name: 'Yes', localId: 0 }, { name: 'No', localId: 1 }, { name: 'Later', localId: 2 }] };
    const vote = (selectedOptions: WaPollVote['selectedOptions']): WaPollVote => ({ voter: '447700900001@c.us', selectedOptions, interractedAtTs: 1, parentMessage: parent });
    expect(voteCommand(vote([{ id: 1, name: 'No' }]))?.text).toBe('/vote 12 2'); // as the type definitions say
    expect(voteCommand(vote([{ localId: 2, name: 'Later' }, { localId: 0, name: 'Yes' }]))?.text).toBe('/vote 12 1 3'); // as the library does
    expect(voteCommand(vote([{ name: 'Later' }]))?.text).toBe('/vote 12 3'); // only a name
    expect(voteCommand(vote([]))?.text).toBe('/unvote 12');
    expect(voteCommand(vote([{ name: 'Unknown' }]))).toBeNull();
    expect(voteCommand({ ...vote([{ id: 0 }]), parentMessage: { ...parent, fromMe: false, id: { ...parent.id, fromMe: false } } })).toBeNull();
    expect(voteCommand({ ...vote([{ id: 0 }]), parentMessage: { ...parent, pollName: 'Lunch?' } })).toBeNull();
    expect(voteCommand({ ...vote([{ id: 0 }]), parentMessage: undefined })).toBeNull();
  });

  it('makes a vote an action whose answers can be sent to the voter alone', () => {
    const parent = { ...waMessage({ chat: GROUP, body: 'Poll #12: Fund?', fromMe: true, type: 'poll_creation' }), pollName: 'Poll #12: Fund?', pollOptions: [{ name: 'Yes', localId: 0 }, { name: 'No', localId: 1 }] };
    const event = voteToEvent({ voter: '123456789012345@lid', selectedOptions: [{ localId: 1, name: 'No' }], interractedAtTs: 1_795_000_000_000, parentMessage: parent }, 'Food Network', people)!;
    expect(event).toMatchObject({ kind: 'action', text: '/vote 12 2', chat: { id: GROUP, isDirect: false }, author: { id: '447700900002@c.us', displayName: 'Ben' } });
    expect(voterOf(event.messageId)).toBe('447700900002@c.us');
    expect(voterOf(parent.id._serialized)).toBeUndefined(); // an ordinary message is quoted, not answered privately
    expect(voterOf(undefined)).toBeUndefined();
  });

  it("renders text in WhatsApp's own formatting", () => {
    expect(renderText('**Poll 3** closed\r\n~~old~~ *kept* _kept_ `code`  \n\n')).toBe('*Poll 3* closed\n~old~ *kept* _kept_ `code`');
    expect(renderText('## Minutes\nSee [the notes](https://example.org/n/1)')).toBe('*Minutes*\nSee the notes (https://example.org/n/1)');
    expect(renderText('Poll #3 is open; use /vote 3 1')).toBe('Poll #3 is open; use /vote 3 1');
  });
});

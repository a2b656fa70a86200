// Answers to votes cast in a platform's own poll: confirmations are not sent,
// refusals go to the voter alone.
import { describe, expect, it } from 'vitest';
import { nativeVoteId, routeVoteAnswer, voterOf } from '../../src/platform/vote-answers.js';

const group = { platform: 'whatsapp', chatId: '120363025246125486@g.us' };
const replyTo = nativeVoteId('447700900002@c.us', 'true_120363025246125486@g.us_3EB0');

describe('answers to native poll votes', () => {
  it('names the voter in the vote event’s message id', () => {
    expect(voterOf(replyTo)).toBe('447700900002@c.us');
    expect(voterOf('true_120363025246125486@g.us_3EB0')).toBeUndefined();
    expect(voterOf(undefined)).toBeUndefined();
  });

  it('sends no confirmation, and a refusal to the voter alone, quoting nothing', () => {
    expect(routeVoteAnswer(group, { text: 'Thanks Ben', replyTo, ack: true })).toBeUndefined();
    expect(routeVoteAnswer(group, { text: 'Poll #3 has closed.', replyTo })).toEqual({
      to: { platform: 'whatsapp', userId: '447700900002@c.us' },
      message: { text: 'Poll #3 has closed.', replyTo: undefined },
      voter: '447700900002@c.us',
    });
  });

  it('leaves every other message as it is', () => {
    const message = { text: 'Done.', replyTo: 'true_120363025246125486@g.us_3EB1' };
    expect(routeVoteAnswer(group, message)).toEqual({ to: group, message });
  });
});

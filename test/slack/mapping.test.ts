// The pure Slack mapping: what people type in Slack becomes the core's command
// lines, and the core's messages become mrkdwn and Block Kit per the poll contract.
import { describe, expect, it } from 'vitest';
import {
  actionCommandLine,
  afterBotMention,
  asCommandLine,
  collabSubcommands,
  decodeText,
  directMessageLine,
  displayNameOf,
  ephemeralReplyId,
  parseMessageRef,
  messageRef,
  renderMessage,
  replyTarget,
  slashCommandLine,
  toSendError,
  type SlackUser,
} from '../../adapters/slack/mapping.js';
import { PermanentSendError, RateLimitedError, type PollView } from '../../src/model.js';

const users = new Map<string, SlackUser>([
  ['U0ANA', { id: 'U0ANA', name: 'ana', isBot: false }],
  ['U0BEN', { id: 'U0BEN', name: 'Ben Okafor', isBot: false }],
  ['U0BEN2', { id: 'U0BEN2', name: 'Ben Okafor', isBot: false }],
]);

const poll = (over: Partial<PollView> = {}): PollView => ({
  pollId: 7,
  question: 'Where do we meet?',
  type: 'choice',
  options: [
    { index: 1, label: 'Library', count: 3 },
    { index: 2, label: 'Café <downtown>', count: 1 },
  ],
  multi: 1,
  anonymous: false,
  hidden: false,
  closed: false,
  voters: 4,
  ...over,
});

type Block = { type: string; block_id?: string; text?: { text: string }; accessory?: any; elements?: any[] };

describe('Slack text in', () => {
  it('turns user mentions into @tokens the core resolves, with display names', () => {
    const { text, mentions } = decodeText('/role add <@U0BEN|ben> lead and <@U0ANA>', users);
    expect(text).toBe('/role add @Ben_Okafor lead and @ana');
    expect(mentions).toEqual([
      { token: '@Ben_Okafor', id: 'U0BEN', displayName: 'Ben Okafor' },
      { token: '@ana', id: 'U0ANA', displayName: 'ana' },
    ]);
  });

  it('tells two people with the same name apart, and falls back to the label Slack sent', () => {
    const { text, mentions } = decodeText('<@U0BEN> <@U0BEN2> <@U0BEN> <@U0ZOE|zoe>', users);
    expect(text).toBe('@Ben_Okafor @U0BEN2 @Ben_Okafor @zoe');
    expect(mentions.map((m) => m.id)).toEqual(['U0BEN', 'U0BEN2', 'U0ZOE']);
  });

  it('decodes channels, links, special mentions and entities', () => {
    const { text } = decodeText('see <#C123|general>, <https://x.org/a?b=1&amp;c=2|the doc> <https://y.org> <mailto:a@b.org|a@b.org> <!here> 1 &lt; 2 &amp;&amp; 3 &gt; 2', users);
    expect(text).toBe('see #general, the doc (https://x.org/a?b=1&c=2) https://y.org a@b.org @here 1 < 2 && 3 > 2');
  });

  it('reads a message addressed to the bot as a command, and ignores the bot mentioned in passing', () => {
    expect(afterBotMention('<@UBOT> poll "Lunch?" pizza', 'UBOT')).toBe('poll "Lunch?" pizza');
    expect(afterBotMention('<@UBOT|collabot>: /help', 'UBOT')).toBe('/help');
    expect(afterBotMention('thanks <@UBOT>', 'UBOT')).toBeUndefined();
    expect(afterBotMention('<@U0ANA> hi', 'UBOT')).toBeUndefined();
    expect(asCommandLine('poll 3')).toBe('/poll 3');
    expect(asCommandLine('/poll 3')).toBe('/poll 3');
    expect(asCommandLine('  ')).toBe('/help');
  });

  it('in a direct message, starts a command by its name alone', () => {
    const families = new Set(['poll', 'help']);
    expect(directMessageLine('poll close 3', families)).toBe('/poll close 3');
    expect(directMessageLine('Help', families)).toBe('/Help');
    expect(directMessageLine('hello there', families)).toBe('hello there');
    expect(directMessageLine(' /help', families)).toBe('/help');
  });

  it('maps slash commands to the same command lines, with /collab as a catch-all', () => {
    const subs = collabSubcommands(['collab create', 'collab link', 'collabs', 'help']);
    expect([...subs]).toEqual(['create', 'link']);
    expect(slashCommandLine('/poll', ' "Lunch?" pizza soup ', subs)).toBe('/poll "Lunch?" pizza soup');
    expect(slashCommandLine('/Roles', '', subs)).toBe('/roles');
    expect(slashCommandLine('/collab', 'create Food Network', subs)).toBe('/collab create Food Network');
    expect(slashCommandLine('/collab', 'remind #general tomorrow 9am "Bring cake"', subs)).toBe('/remind #general tomorrow 9am "Bring cake"');
    expect(slashCommandLine('/collab', '/help poll', subs)).toBe('/help poll');
    expect(slashCommandLine('/collab', '', subs)).toBe('/help');
  });

  it('turns vote buttons and the multi-choice menu into /vote lines, and nothing else', () => {
    expect(actionCommandLine({ type: 'button', action_id: 'vote_2', value: '/vote 7 2' })).toBe('/vote 7 2');
    expect(actionCommandLine({ type: 'button', action_id: 'vote_2', value: '/role add @x admin' })).toBeUndefined();
    const menu = { type: 'multi_static_select', action_id: 'vote_multi', block_id: 'poll_7' };
    expect(actionCommandLine({ ...menu, selected_options: [{ value: '1' }, { value: '3' }] })).toBe('/vote 7 1 3');
    expect(actionCommandLine({ ...menu, selected_options: [] })).toBe('/unvote 7');
    expect(actionCommandLine({ ...menu, block_id: 'other' })).toBeUndefined();
  });

  it('picks the name people see', () => {
    expect(displayNameOf({ id: 'U1', name: 'ana.s', real_name: 'Ana Silva', profile: { display_name: 'Ana', real_name: 'Ana Silva' } })).toBe('Ana');
    expect(displayNameOf({ id: 'U1', name: 'ana.s', profile: { display_name: '', real_name: 'Ana Silva' } })).toBe('Ana Silva');
    expect(displayNameOf({ id: 'U1', name: 'ana.s' })).toBe('ana.s');
    expect(displayNameOf({ id: 'U1' })).toBe('U1');
  });
});

describe('Slack messages out', () => {
  it('escapes text for mrkdwn, so nobody can ping the whole channel through the bot', () => {
    expect(renderMessage({ text: 'Use /poll close <number> & see <!channel>' })).toEqual({ text: 'Use /poll close &lt;number&gt; &amp; see &lt;!channel&gt;' });
  });

  it('renders a single-choice poll as a section per option with a vote button and its count', () => {
    const { text, blocks } = renderMessage({ text: 'Poll 7: Where do we meet?\n1. Library\nType /vote 7 1', poll: poll(), editKey: 'poll:7' });
    expect(text).toContain('Type /vote 7 1');
    const b = blocks as Block[];
    expect(b[0]!.text!.text).toBe('*Where do we meet?*');
    const options = b.filter((x) => x.accessory);
    expect(options.map((o) => o.accessory.value)).toEqual(['/vote 7 1', '/vote 7 2']);
    expect(options.map((o) => o.accessory.type)).toEqual(['button', 'button']);
    expect(options[0]!.text!.text).toMatch(/^\*1\.\* Library\n█+░* 3 votes$/);
    expect(options[1]!.text!.text).toContain('Café &lt;downtown&gt;');
    expect(options[1]!.text!.text).toContain('1 vote');
    expect(b.at(-1)!.type).toBe('context');
  });

  it('shows no counts when the view has none (hidden or anonymous polls)', () => {
    const hidden = poll({ hidden: true, options: [{ index: 1, label: 'Yes' }, { index: 2, label: 'No' }] });
    const b = renderMessage({ text: 'x', poll: hidden }).blocks as Block[];
    const options = b.filter((x) => x.accessory);
    expect(options).toHaveLength(2);
    for (const o of options) expect(o.text!.text).not.toMatch(/vote/);
    expect(JSON.stringify(b.at(-1))).toContain('results shown when it closes');
  });

  it('renders a proposal with buttons, a multi-choice poll with a menu of up to K, ranked and score polls as text', () => {
    const proposal = renderMessage({ text: 'x', poll: poll({ type: 'proposal' }) }).blocks as Block[];
    expect(proposal.filter((x) => x.accessory?.type === 'button')).toHaveLength(2);

    const multi = renderMessage({ text: 'x', poll: poll({ multi: 2 }) }).blocks as Block[];
    expect(multi.some((x) => x.accessory)).toBe(false);
    const menu = multi.find((x) => x.type === 'actions')!;
    expect(menu.block_id).toBe('poll_7');
    expect(menu.elements![0]).toMatchObject({ type: 'multi_static_select', max_selected_items: 2, options: [{ value: '1' }, { value: '2' }] });

    for (const type of ['ranked', 'score'] as const) {
      const b = renderMessage({ text: 'Rank them: /vote 7 2 1', poll: poll({ type }) }).blocks as Block[];
      expect(b).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Rank them: /vote 7 2 1' } }]);
    }
  });

  it('shows the notes the view carries (a block, the quorum) right under the question', () => {
    const notes = ['BLOCKED: 1 block (Eve <the chair>).', 'Quorum: at least 5 voters needed; 4 voted — not reached yet.'];
    const b = renderMessage({ text: 'x', poll: poll({ type: 'proposal', notes }) }).blocks as Block[];
    expect(b[1]).toEqual({ type: 'section', block_id: 'poll_7_notes', text: { type: 'mrkdwn', text: 'BLOCKED: 1 block (Eve &lt;the chair&gt;).\nQuorum: at least 5 voters needed; 4 voted — not reached yet.' } });
    expect((renderMessage({ text: 'x', poll: poll() }).blocks as Block[]).some((x) => x.block_id === 'poll_7_notes')).toBe(false);
  });

  it('shows a closed poll without buttons', () => {
    const b = renderMessage({ text: 'x', poll: poll({ closed: true }) }).blocks as Block[];
    expect(b.some((x) => x.accessory || x.type === 'actions')).toBe(false);
    expect(JSON.stringify(b)).toContain('closed');
  });

  it('threads replies, answers clicks privately, and keeps polls in the channel', () => {
    expect(replyTarget({ text: 'ok', replyTo: '1700000000.000100' })).toEqual({ thread: '1700000000.000100' });
    expect(replyTarget({ text: 'ok', replyTo: ephemeralReplyId('U0ANA') })).toEqual({ ephemeralTo: 'U0ANA', thread: undefined });
    expect(replyTarget({ text: 'ok', replyTo: ephemeralReplyId('U0ANA', '1.2') })).toEqual({ ephemeralTo: 'U0ANA', thread: '1.2' });
    expect(replyTarget({ text: 'poll', replyTo: '1.2', poll: poll() })).toEqual({});
    expect(replyTarget({ text: 'live', replyTo: ephemeralReplyId('U0ANA'), editKey: 'x' })).toEqual({ thread: undefined });
    expect(replyTarget({ text: 'plain' })).toEqual({});
  });

  it('names a sent message by channel and ts for later edits', () => {
    expect(parseMessageRef(messageRef('C0GEN', '1700000000.000100'))).toEqual({ channel: 'C0GEN', ts: '1700000000.000100' });
    expect(() => parseMessageRef('nonsense')).toThrow(PermanentSendError);
  });

  it("turns Slack's errors into slow down, give up, or try again", () => {
    const rate = toSendError(Object.assign(new Error('rl'), { code: 'slack_webapi_rate_limited_error', retryAfter: 3 }));
    expect(rate).toBeInstanceOf(RateLimitedError);
    expect((rate as RateLimitedError).retryAfterMs).toBe(3000);
    const platform = (error: string) => Object.assign(new Error(error), { code: 'slack_webapi_platform_error', data: { ok: false, error } });
    expect(toSendError(platform('not_in_channel'))).toBeInstanceOf(PermanentSendError);
    expect(toSendError(platform('channel_not_found')).message).toContain('channel_not_found');
    const transient = toSendError(platform('internal_error'));
    expect(transient).not.toBeInstanceOf(PermanentSendError);
    expect(transient).not.toBeInstanceOf(RateLimitedError);
    expect(toSendError(Object.assign(new Error('socket hang up'), { code: 'slack_webapi_request_error' })).message).toBe('socket hang up');
  });
});

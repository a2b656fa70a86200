// Pure translation between Slack's payloads and the core's model: no SDK, no I/O.
// Inbound: slash commands, app mentions, direct messages and button clicks become
// command lines. Outbound: OutMessages become mrkdwn text, and polls Block Kit.
import { PermanentSendError, RateLimitedError, type Mention, type OutMessage, type PollView } from '../../src/model.js';
import { Mentions } from '../../src/platform/mentions.js';
import { picksSeveral, votedByPicking } from '../../src/platform/poll-view.js';
import { cutToFit } from '../../src/text/cut-to-fit.js';

export interface SlackUser {
  id: string;
  name: string;
  isBot: boolean;
}

/** The name people see in Slack: display name, else real name, else the user name. */
export function displayNameOf(user: {
  id: string;
  name?: string;
  real_name?: string;
  is_bot?: boolean;
  profile?: { display_name?: string; real_name?: string };
}): string {
  return user.profile?.display_name?.trim() || user.profile?.real_name?.trim() || user.real_name?.trim() || user.name?.trim() || user.id;
}

// ---------------------------------------------------------------- inbound text

const USER_REF = /<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g;

/** User ids referenced as `<@U123>` or `<@U123|name>` in Slack's message format. */
export function userIdsIn(raw: string): string[] {
  return [...new Set([...raw.matchAll(USER_REF)].map((m) => m[1]!))];
}

/**
 * Slack's message format to plain text: user mentions become `@name` (listed in
 * `mentions`, so `ctx.person('@name')` resolves them), channels `#name`, links
 * their URL, and `&lt;` `&gt;` `&amp;` their characters.
 */
export function decodeText(raw: string, users: ReadonlyMap<string, SlackUser>): { text: string; mentions: Mention[] } {
  const mentions = new Mentions();
  const text = raw
    .replace(USER_REF, (_all, id: string, label?: string) => mentions.add(id, users.get(id)?.name || label || id))
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_all, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_all, label?: string) => label || '@team')
    .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
    .replace(/<!(here|channel|everyone)(?:\|[^>]*)?>/g, '@$1')
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g, (_all, url: string, label?: string) => {
      const bare = url.replace(/^mailto:/, '');
      return !label || label === url || label === bare ? bare : `${label} (${bare})`;
    })
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return { text, mentions: mentions.list };
}

/** `<@BOT> poll ...` to `poll ...`, or undefined when the message does not start by addressing the bot. */
export function afterBotMention(raw: string, botUserId: string): string | undefined {
  const m = /^\s*<@([UW][A-Z0-9]+)(?:\|[^>]*)?>[\s,:]*/.exec(raw);
  return m && m[1] === botUserId ? raw.slice(m[0].length) : undefined;
}

/** Words addressed to the bot (after its mention) as a command line: `poll 3` is `/poll 3`. */
export function asCommandLine(words: string): string {
  const t = words.trim();
  if (!t) return '/help';
  return t.startsWith('/') ? t : '/' + t;
}

/**
 * In a direct message to the bot there is no need to mention it: a message that
 * starts with a command's name is that command. Other text is passed on as it is
 * (the core answers it with a pointer to /help).
 */
export function directMessageLine(text: string, families: ReadonlySet<string>): string {
  const t = text.trim();
  if (t.startsWith('/')) return t;
  const first = t.split(/\s+/, 1)[0]!.toLowerCase();
  return families.has(first) ? '/' + t : t;
}

/**
 * A slash command as the command line the core handles. `/poll 3` is `/poll 3`.
 * `/collab` also works as a catch-all for any command (`/collab help`), keeping
 * its own sub-commands (`/collab create Food Network`); alone it is `/help`.
 */
export function slashCommandLine(command: string, text: string, collabSubcommands: ReadonlySet<string>): string {
  const name = command.replace(/^\//, '').trim().toLowerCase();
  const rest = text.trim();
  if (name !== 'collab') return rest ? `/${name} ${rest}` : `/${name}`;
  if (!rest) return '/help';
  const first = rest.split(/\s+/, 1)[0]!.toLowerCase();
  return collabSubcommands.has(first) ? `/collab ${rest}` : '/' + rest.replace(/^\//, '');
}

/** The `x` of every command named `collab x`: these stay `/collab x`, the rest of `/collab ...` is a catch-all. */
export function collabSubcommands(commandNames: readonly string[]): Set<string> {
  return new Set(commandNames.filter((n) => n.startsWith('collab ')).map((n) => n.split(' ')[1]!));
}

// ------------------------------------------------------------------- actions

/** What a Block Kit element sends back when clicked (the fields we use). */
export interface BlockAction {
  type: string;
  action_id: string;
  block_id?: string;
  value?: string;
  selected_options?: { value: string }[];
}

export const VOTE_ACTION = /^vote_/;
const VOTE_LINE = /^\/vote \d+ \d+$/;

/** A vote button or the multi-choice menu of a poll, as the `/vote` line it stands for. */
export function actionCommandLine(action: BlockAction): string | undefined {
  if (action.type === 'button' && action.value && VOTE_LINE.test(action.value)) return action.value;
  if (action.type === 'multi_static_select') {
    const poll = /^poll_(\d+)$/.exec(action.block_id ?? '')?.[1];
    if (!poll) return undefined;
    const picked = (action.selected_options ?? []).map((o) => o.value).filter((v) => /^\d+$/.test(v));
    return picked.length ? `/vote ${poll} ${picked.join(' ')}` : `/unvote ${poll}`;
  }
  return undefined;
}

// ------------------------------------------------------- where replies go

/**
 * The inbound message id the core hands back as `replyTo`. A message in a channel
 * is answered in its thread; a button click is answered to the clicker only
 * (an ephemeral message), so votes do not flood the channel.
 */
export type ReplyTarget = { thread?: string; ephemeralTo?: string };

export function ephemeralReplyId(userId: string, threadTs?: string): string {
  return threadTs ? `eph:${userId}:${threadTs}` : `eph:${userId}`;
}

/** `replyTo` is a thread's `ts`, or an `eph:` id from ephemeralReplyId. */
export function replyTarget(message: OutMessage): ReplyTarget {
  const r = message.replyTo;
  // Polls go to the channel itself, where everyone sees them and their buttons.
  if (!r || message.poll) return {};
  const eph = /^eph:([^:]+)(?::(.+))?$/.exec(r);
  if (!eph) return { thread: r };
  // Ephemeral messages cannot be edited later, so an editable one goes to the channel.
  return message.editKey ? { thread: eph[2] } : { ephemeralTo: eph[1], thread: eph[2] };
}

/** Our id for a sent message: the channel and Slack's `ts`, which together name it for chat.update. */
export function messageRef(channel: string, ts: string): string {
  return `${channel}:${ts}`;
}

export function parseMessageRef(ref: string): { channel: string; ts: string } {
  const i = ref.indexOf(':');
  if (i <= 0) throw new PermanentSendError(`not a Slack message id: ${ref}`);
  return { channel: ref.slice(0, i), ts: ref.slice(i + 1) };
}

// ------------------------------------------------------------------ outbound

/** Slack's text format needs only these three escaped; it also keeps users from pinging <!channel>. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack cuts `text` at 40,000 characters; the outbox splits longer messages (src/text/split.ts). */
export const MAX_TEXT = 39_000;


export interface SlackMessage {
  text: string;
  blocks?: object[];
}

/** Render an OutMessage: Block Kit for a poll, mrkdwn text otherwise. */
export function renderMessage(message: OutMessage): SlackMessage {
  const text = escapeMrkdwn(message.text);
  if (!message.poll) return { text };
  const blocks = pollBlocks(message.poll, text);
  return blocks ? { text, blocks } : { text };
}

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });

/** Slack allows 50 blocks per message: header, options, menu and footer must fit. */
const MAX_OPTIONS_AS_BLOCKS = 45;

/**
 * The poll contract (src/model.ts): a section per option with a Vote button for
 * single-choice and proposal polls, a menu allowing `multi` picks for multi-choice
 * polls, counts only when present, and no buttons for ranked or score polls (or
 * once closed), which are shown as the plain rendering with its /vote instructions.
 */
export function pollBlocks(view: PollView, fallbackText: string): object[] | undefined {
  if (!votedByPicking(view)) return [{ type: 'section', text: mrkdwn(cutToFit(fallbackText, 3000)) }];
  if (view.options.length > MAX_OPTIONS_AS_BLOCKS) return undefined;
  const votable = !view.closed;
  const multi = picksSeveral(view);
  const blocks: object[] = [
    { type: 'section', block_id: `poll_${view.pollId}_q`, text: mrkdwn(cutToFit(`*${escapeMrkdwn(view.question)}*`, 3000)) },
  ];
  // A block, the quorum, who may vote: right under the question, where nobody misses them.
  if (view.notes?.length) blocks.push({ type: 'section', block_id: `poll_${view.pollId}_notes`, text: mrkdwn(cutToFit(view.notes.map(escapeMrkdwn).join('\n'), 3000)) });
  for (const o of view.options) {
    let line = `*${o.index}.* ${escapeMrkdwn(o.label)}`;
    if (o.count !== undefined) line += `\n${bar(o.count, view)} ${o.count} vote${o.count === 1 ? '' : 's'}`;
    const section: Record<string, unknown> = { type: 'section', block_id: `poll_${view.pollId}_o${o.index}`, text: mrkdwn(cutToFit(line, 3000)) };
    if (votable && !multi) {
      section.accessory = {
        type: 'button',
        action_id: `vote_${o.index}`,
        text: plain('Vote'),
        value: `/vote ${view.pollId} ${o.index}`,
      };
    }
    blocks.push(section);
  }
  if (votable && multi) {
    blocks.push({
      type: 'actions',
      block_id: `poll_${view.pollId}`,
      elements: [
        {
          type: 'multi_static_select',
          action_id: 'vote_multi',
          placeholder: plain(`Choose up to ${view.multi}`),
          max_selected_items: view.multi,
          options: view.options.slice(0, 100).map((o) => ({ text: plain(cutToFit(`${o.index}. ${o.label}`, 75)), value: String(o.index) })),
        },
      ],
    });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(pollFooter(view))] });
  return blocks;
}

function bar(count: number, view: PollView): string {
  const max = Math.max(1, ...view.options.map((o) => o.count ?? 0));
  const n = Math.round((count / max) * 10);
  return '█'.repeat(n) + '░'.repeat(10 - n);
}

function pollFooter(view: PollView): string {
  const parts = [`Poll ${view.pollId}`, `${view.voters} voter${view.voters === 1 ? '' : 's'}`];
  if (view.type === 'proposal') parts.push('proposal');
  if (picksSeveral(view)) parts.push(`up to ${view.multi} choices`);
  if (view.anonymous) parts.push('anonymous');
  if (view.closed) parts.push('closed');
  else {
    if (view.hidden) parts.push('results shown when it closes');
    if (view.closesAt) parts.push(`closes ${slackDate(view.closesAt)}`);
  }
  return parts.join(' · ');
}

/** A date Slack shows in each reader's own time zone, with the given text as fallback. */
function slackDate(when: string): string {
  const t = Date.parse(when);
  if (Number.isNaN(t)) return escapeMrkdwn(when);
  return `<!date^${Math.floor(t / 1000)}^{date_short_pretty} at {time}|${escapeMrkdwn(when)}>`;
}

// -------------------------------------------------------------------- errors

/** Slack errors after which sending the same message again can never work. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_blocks',
  'invalid_arguments',
  'restricted_action',
  'restricted_action_read_only_channel',
  'restricted_action_thread_only_channel',
  'restricted_action_non_threadable_channel',
  'user_not_found',
  'user_not_in_channel',
  'user_disabled',
  'cannot_dm_bot',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'too_many_attachments',
]);

/** Errors a message with this id can never be edited after; the caller decides what to do. */
export const GONE = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

/** The Slack error code (`channel_not_found`) of a Web API error, if any. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as { code?: string; data?: { error?: string } };
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}

/**
 * Web API errors as the outbox understands them: slow down (with Slack's
 * Retry-After), give up (unknown channel, not in channel...), or try again later.
 */
export function toSendError(err: unknown): Error {
  const e = err as { code?: string; retryAfter?: number; message?: string };
  if (e?.code === 'slack_webapi_rate_limited_error') return new RateLimitedError(Math.max(1, e.retryAfter ?? 1) * 1000, 'Slack asked us to slow down');
  const code = slackErrorCode(err);
  if (code === 'ratelimited') return new RateLimitedError(1000, 'Slack asked us to slow down');
  if (code && PERMANENT.has(code)) return new PermanentSendError(`Slack refused the message: ${code}`);
  if (code) return new Error(`Slack said ${code}`);
  return err instanceof Error ? err : new Error(String(err));
}

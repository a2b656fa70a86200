// Pure translation between whatsapp-web.js shapes and the core's model:
// received messages and poll votes become InboundEvents; OutMessages become
// WhatsApp text or a native poll. No I/O here: look-ups happen in directory.ts.
import type { ActionEvent, Mention, MessageEvent, PollView, UserRef } from '../../src/model.js';
import { Mentions } from '../../src/platform/mentions.js';
import { nativePollFits, picksSeveral } from '../../src/platform/poll-view.js';
import { nativeVoteId } from '../../src/platform/vote-answers.js';
import type { WaId, WaMessage, WaPollContent, WaPollVote } from './client.js';

export const PLATFORM = 'whatsapp';
/** WhatsApp's own limits. */
export const MAX_TEXT = 65_536;
export const MAX_POLL_OPTIONS = 12;
const MAX_POLL_NAME = 255;
const MAX_POLL_OPTION = 100;

export type ChatKind = 'group' | 'direct' | 'other';

/** The id as a string, however the library handed it over. */
export function idOf(id: WaId | undefined | null): string {
  return typeof id === 'string' ? id : (id?._serialized ?? '');
}

/** Groups end in `@g.us`; people in `@c.us` (phone number) or `@lid` (WhatsApp's newer hidden ids). */
export function chatKind(id: string): ChatKind {
  if (id.endsWith('@g.us')) return 'group';
  if (id.endsWith('@c.us') || id.endsWith('@lid')) return 'direct';
  return 'other'; // status@broadcast, channels (@newsletter), ...
}

/** The chat a received message belongs to. */
export function chatOf(msg: WaMessage): string {
  return msg.fromMe ? msg.to : msg.from;
}

/** Who sent it: in a group the `author`, in a direct chat the chat itself. */
export function senderOf(msg: WaMessage): string {
  return chatKind(chatOf(msg)) === 'group' ? (msg.author ?? '') : msg.from;
}

/**
 * Only typed commands reach the core: a text message starting with `/`, in a
 * group or a direct chat, from someone other than the bot. Everything else
 * (chatter, media, status updates, the bot's own messages) is ignored.
 */
export function isCommand(msg: WaMessage): boolean {
  if (msg.fromMe || msg.isStatus || msg.broadcast || msg.type !== 'chat') return false;
  const kind = chatKind(chatOf(msg));
  if (kind === 'other' || !senderOf(msg)) return false;
  return (msg.body ?? '').trimStart().startsWith('/');
}

/** A person as the look-ups found them: `id` is the phone-number id when known. */
export type People = ReadonlyMap<string, UserRef>;

/** `123@lid` → `123`: the digits WhatsApp writes after `@` in the message body. */
function userPart(id: string): string {
  return id.replace(/@.*$/, '');
}

/** Each mentioned id becomes a mention whose token is the `@...` text in the body. */
export function mentionsOf(msg: WaMessage, people: People): Mention[] {
  const mentions = new Mentions();
  for (const raw of (msg.mentionedIds ?? []).map(idOf)) {
    const person = people.get(raw);
    if (!person) continue;
    // The body says `@<digits>` of the id it was written with: `@lid` or phone number.
    const word = [userPart(raw), userPart(person.id)].find((u) => msg.body.includes('@' + u)) ?? userPart(raw);
    mentions.add(person.id, person.displayName, word);
  }
  return mentions.list;
}

export function messageToEvent(msg: WaMessage, chatName: string, people: People): MessageEvent {
  const chatId = chatOf(msg);
  const sender = senderOf(msg);
  return {
    kind: 'message',
    platform: PLATFORM,
    eventId: msg.id._serialized,
    chat: { id: chatId, name: chatName, isDirect: chatKind(chatId) === 'direct' },
    author: people.get(sender) ?? { id: sender, displayName: userPart(sender), isBot: false },
    text: msg.body,
    time: new Date(msg.timestamp * 1000),
    mentions: mentionsOf(msg, people),
    messageId: msg.id._serialized,
  };
}

// --- Native polls ---------------------------------------------------------
//
// Votes are mapped back without any stored state: the poll's name starts with
// `Poll #<id>: `, and option k of the PollView is sent at position k-1, which
// whatsapp-web.js numbers as localId k-1. Votes on polls the bot did not send,
// or whose name does not carry a number, are ignored.

const POLL_NAME = /^Poll #(\d+): /;

export function pollName(view: PollView): string {
  return `Poll #${view.pollId}: ${view.question.trim()}`;
}

export function pollIdOf(name: string | undefined): number | null {
  const m = POLL_NAME.exec(name ?? '');
  return m ? Number(m[1]) : null;
}

/**
 * The native WhatsApp poll for a PollView, or null when it must be sent as
 * text: only open choice polls whose votes may be seen (not anonymous, not
 * hidden), with 2 to 12 distinct options numbered 1..n, within WhatsApp's
 * length limits. Voters on WhatsApp can tick any number of options when
 * `multi` > 1; the poll service refuses a selection over its limit.
 */
export function nativePollOf(view: PollView): WaPollContent | null {
  if (view.type !== 'choice' || view.closed || !nativePollFits(view)) return null;
  const labels = view.options.map((o) => o.label.trim());
  if (labels.length < 2 || labels.length > MAX_POLL_OPTIONS) return null;
  if (!view.options.every((o, i) => o.index === i + 1)) return null;
  if (labels.some((l) => !l || l.length > MAX_POLL_OPTION)) return null;
  if (new Set(labels.map((l) => l.toLowerCase())).size !== labels.length) return null; // WhatsApp needs distinct options
  const name = pollName(view);
  if (name.length > MAX_POLL_NAME) return null;
  return { pollName: name, pollOptions: labels, allowMultipleAnswers: picksSeveral(view) };
}

/** The option number (1..n) of a selected option, from its localId or, failing that, its name. */
function optionIndex(option: WaPollVote['selectedOptions'][number], parent: WaMessage): number | null {
  const local = option.localId ?? option.id;
  if (typeof local === 'number' && Number.isInteger(local) && local >= 0) return local + 1;
  const names = (parent.pollOptions ?? []).map((o) => (typeof o === 'string' ? o : o.name));
  const at = option.name === undefined ? -1 : names.indexOf(option.name);
  return at >= 0 ? at + 1 : null;
}

/** The command line a vote stands for: `/vote N i j ...`, or `/unvote N` when nothing is selected. */
export function voteCommand(vote: WaPollVote): { pollId: number; text: string } | null {
  const parent = vote.parentMessage;
  if (!parent?.id?.fromMe) return null; // only polls the bot sent
  const pollId = pollIdOf(parent.pollName);
  if (pollId === null) return null;
  if (!vote.selectedOptions.length) return { pollId, text: `/unvote ${pollId}` };
  const picked: number[] = [];
  for (const option of vote.selectedOptions) {
    const i = optionIndex(option, parent);
    if (i === null) return null;
    if (!picked.includes(i)) picked.push(i);
  }
  picked.sort((a, b) => a - b);
  return { pollId, text: `/vote ${pollId} ${picked.join(' ')}` };
}

export function voteToEvent(vote: WaPollVote, chatName: string, people: People): ActionEvent | null {
  const command = voteCommand(vote);
  const parent = vote.parentMessage;
  if (!command || !parent) return null;
  const chatId = idOf(parent.id.remote);
  const voter = idOf(vote.voter);
  const author = people.get(voter) ?? { id: voter, displayName: userPart(voter), isBot: false };
  return {
    kind: 'action',
    platform: PLATFORM,
    // A re-delivered vote carries the same time; a changed vote a new one.
    eventId: `vote:${parent.id._serialized}:${voter}:${vote.interractedAtTs}`,
    chat: { id: chatId, name: chatName, isDirect: chatKind(chatId) === 'direct' },
    author,
    text: command.text,
    time: new Date(vote.interractedAtTs),
    // Answers to the vote go to the voter alone (src/platform/vote-answers.ts).
    messageId: nativeVoteId(author.id, parent.id._serialized),
  };
}

// --- Text -----------------------------------------------------------------

/**
 * The core writes plain text. WhatsApp formats `*bold*`, `_italic_`, `~strike~`
 * and `` `code` `` itself, so those pass through as they are; Markdown habits
 * the core or a user may bring (`**bold**`, `~~strike~~`, `# Heading`,
 * `[label](url)`) are turned into WhatsApp's forms.
 */
export function renderText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\*\*(?=\S)([^*\n]*?\S)\*\*/g, '*$1*')
    .replace(/~~(?=\S)([^~\n]*?\S)~~/g, '~$1~')
    .replace(/^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$/gm, '*$1*')
    .replace(/\[([^\]\n]+)\]\((https?:\/\/[^)\s]+)\)/g, '$1 ($2)')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n+$/, '');
}


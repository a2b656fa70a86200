// How the core's messages look on Discord, as REST JSON bodies, and how a button
// or select press reads back as a command line. Pure: no SDK here.
//
// Polls follow the contract on PollView (src/model.ts): single-choice and
// proposal polls get one button per option (5 per row, 5 rows); more options,
// or several choices per voter, get select menus; an embed shows the live counts
// when the view has them, and is edited in place after each vote. Ranked and
// score polls are voted by typing, so they stay plain text. With `native` a
// Discord poll is posted instead where its limits allow.
import type { OutMessage, PollView } from '../../src/model.js';
import { nativePollFits, picksSeveral, votedByPicking } from '../../src/platform/poll-view.js';
import { cutToFit } from '../../src/text/cut-to-fit.js';
import { splitText } from '../../src/text/split.js';

export const LIMITS = {
  message: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectOptions: 25,
  selectLabel: 100,
  nativeAnswers: 10,
  nativeQuestion: 300,
  nativeAnswer: 55,
  /** A native poll stays open at most 32 days. */
  nativeHours: 768,
} as const;

const ComponentType = { ActionRow: 1, Button: 2, StringSelect: 3 } as const;
const ButtonStyle = { Primary: 1 } as const;
const COLOR_OPEN = 0x5865f2;
const COLOR_CLOSED = 0x99aab5;

/** The JSON body of a message create or edit. */
export interface MessageBody {
  content?: string;
  embeds?: Record<string, unknown>[];
  components?: Record<string, unknown>[];
  poll?: Record<string, unknown>;
  /** Never ping anyone from text people typed (`@everyone` in a note). */
  allowed_mentions: { parse: never[] };
  flags?: number;
}

const noPings = { parse: [] as never[] };

/** The messages to post for one OutMessage (long text is split at line ends). */
export function renderMessage(message: OutMessage, now = Date.now()): MessageBody[] {
  const view = message.poll;
  if (view && isNativePoll(view)) return [nativePoll(view, now)];
  if (view && votedByPicking(view)) return [pollWithButtons(view)];
  return splitText(message.text, LIMITS.message).map((content) => ({ content: content || '…', allowed_mentions: noPings }));
}

/** The body that replaces an earlier message in place (one message: long text is cut). */
export function renderEdit(message: OutMessage): MessageBody {
  const view = message.poll;
  if (view && votedByPicking(view) && !isNativePoll(view)) return pollWithButtons(view);
  return { content: cutToFit(message.text, LIMITS.message), embeds: [], components: [], allowed_mentions: noPings };
}

/** Posted as a Discord native poll: asked for, and within what a native poll can show. */
export function isNativePoll(view: PollView): boolean {
  return (
    !!view.native &&
    nativePollFits(view) &&
    view.options.length >= 1 &&
    view.options.length <= LIMITS.nativeAnswers &&
    // Discord's multi-select lets a voter pick any number of answers.
    (!picksSeveral(view) || view.multi >= view.options.length) &&
    view.question.length <= LIMITS.nativeQuestion
  );
}

function pollWithButtons(view: PollView): MessageBody {
  return { content: '', embeds: [pollEmbed(view)], components: view.closed ? [] : voteComponents(view), allowed_mentions: noPings };
}

export function pollEmbed(view: PollView): Record<string, unknown> {
  const total = view.options.reduce((n, o) => n + (o.count ?? 0), 0);
  const lines = view.options.map((o) => {
    const line = `**${o.index}.** ${o.label}`;
    if (o.count === undefined) return line;
    const share = total ? o.count / total : 0;
    const bar = '▰'.repeat(Math.round(share * 10)) + '▱'.repeat(10 - Math.round(share * 10));
    return `${line}\n${bar} ${o.count} (${Math.round(share * 100)}%)`;
  });
  const notes: string[] = [];
  if (view.closed) notes.push('This poll is closed.');
  else if (view.closesAt) {
    const at = Date.parse(view.closesAt);
    notes.push(Number.isFinite(at) ? `Closes <t:${Math.floor(at / 1000)}:R>.` : `Closes ${view.closesAt}.`);
  }
  if (view.hidden && !view.closed) notes.push('Results are hidden until it closes.');
  if (view.anonymous) notes.push('Anonymous: nobody sees who voted for what.');
  if (picksSeveral(view) && !view.closed) notes.push(`Choose up to ${view.multi}.`);
  const how = view.closed ? '' : ` · tap to vote, or type /vote ${view.pollId} <number>`;
  // A block, the quorum, who may vote: first, where nobody misses them.
  const first = view.notes?.length ? [...view.notes, ''] : [];
  return {
    title: cutToFit(view.question, LIMITS.embedTitle),
    description: cutToFit([...first, ...lines, ...(notes.length ? ['', notes.join(' ')] : [])].join('\n'), LIMITS.embedDescription),
    footer: { text: `Poll ${view.pollId} · ${view.voters} voted${how}` },
    color: view.closed ? COLOR_CLOSED : COLOR_OPEN,
  };
}

/** Buttons for one choice among few options; select menus for many options or several choices. */
export function voteComponents(view: PollView): Record<string, unknown>[] {
  const { options, pollId } = view;
  const single = !picksSeveral(view);
  const maxButtons = LIMITS.rows * LIMITS.buttonsPerRow;
  if (single && options.length <= maxButtons) {
    const rows: Record<string, unknown>[] = [];
    for (let i = 0; i < options.length; i += LIMITS.buttonsPerRow) {
      rows.push({
        type: ComponentType.ActionRow,
        components: options.slice(i, i + LIMITS.buttonsPerRow).map((o) => ({
          type: ComponentType.Button,
          style: ButtonStyle.Primary,
          label: cutToFit(`${o.index}. ${o.label}`, LIMITS.buttonLabel),
          custom_id: `vote:${pollId}:${o.index}`,
        })),
      });
    }
    return rows;
  }
  // One menu per 25 options; several choices must fit in one menu.
  const menus = Math.ceil(options.length / LIMITS.selectOptions);
  if (menus > (single ? LIMITS.rows : 1)) return []; // too many to show: voters type /vote, as the text says
  return Array.from({ length: menus }, (_, m) => {
    const slice = options.slice(m * LIMITS.selectOptions, (m + 1) * LIMITS.selectOptions);
    const placeholder = single
      ? menus > 1
        ? `Vote: options ${slice[0]!.index}–${slice[slice.length - 1]!.index}`
        : 'Vote: choose an option'
      : `Vote: choose up to ${Math.min(view.multi, slice.length)}`;
    return {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: `vote:${pollId}:menu:${m + 1}`,
          placeholder,
          min_values: 1,
          max_values: single ? 1 : Math.min(view.multi, slice.length),
          options: slice.map((o) => ({ label: cutToFit(`${o.index}. ${o.label}`, LIMITS.selectLabel), value: String(o.index) })),
        },
      ],
    };
  });
}

/** The command line for a press on one of our buttons or menus, or undefined if it is not ours. */
export function componentText(customId: string, values: readonly string[] = []): string | undefined {
  const button = /^vote:(\d+):(\d+)$/.exec(customId);
  if (button) return `/vote ${button[1]} ${button[2]}`;
  const menu = /^vote:(\d+):menu:\d+$/.exec(customId);
  const picked = values.filter((v) => /^\d+$/.test(v));
  if (menu && picked.length) return `/vote ${menu[1]} ${picked.join(' ')}`;
  return undefined;
}

/** A Discord native poll, its answers numbered as the plain text numbers them. */
function nativePoll(view: PollView, now: number): MessageBody {
  const closes = view.closesAt ? Date.parse(view.closesAt) : NaN;
  const hours = Number.isFinite(closes) ? Math.ceil((closes - now) / 3_600_000) : LIMITS.nativeHours;
  return {
    content: `Poll ${view.pollId} · you can also type /vote ${view.pollId} <number>`,
    poll: {
      question: { text: view.question },
      answers: view.options.map((o) => ({ poll_media: { text: cutToFit(`${o.index}. ${o.label}`, LIMITS.nativeAnswer) } })),
      duration: Math.min(LIMITS.nativeHours, Math.max(1, hours)),
      allow_multiselect: picksSeveral(view),
      layout_type: 1,
    },
    allowed_mentions: noPings,
  };
}

/**
 * Reads a native poll message back: its poll id from the content and each
 * answer's option number from the answer text, so votes map to `/vote` after a
 * restart too.
 */
export function readNativePoll(message: { content?: string; poll?: { answers?: { answer_id: number; poll_media: { text?: string } }[]; allow_multiselect?: boolean } | null }) {
  const id = /^Poll (\d+) ·/.exec(message.content ?? '');
  if (!id || !message.poll?.answers) return undefined;
  const options = new Map<number, number>();
  for (const a of message.poll.answers) {
    const n = /^(\d+)\./.exec(a.poll_media.text ?? '');
    if (n) options.set(a.answer_id, Number(n[1]));
  }
  return { pollId: Number(id[1]), options, multiselect: !!message.poll.allow_multiselect };
}

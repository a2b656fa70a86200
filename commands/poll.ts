import { z } from 'zod';
import type { CommandContext } from '../src/core/context.js';
import { defineCommand } from '../src/core/registry.js';
import { choice, count, flag, list, recordNumber, rest, text, when } from '../src/core/args.js';
import { UserError } from '../src/errors.js';
import type { OutMessage } from '../src/model.js';
import type { PollRow } from '../src/polls/repo.js';
import type { Origin, VoteReceipt } from '../src/polls/types.js';
import { POLL_TYPES } from '../src/polls/validate.js';
import { formatMoment, parseWhen } from '../src/time/dates.js';

const pollNumber = recordNumber('poll', 'Give the poll number, e.g. 1');
const pollType = choice(POLL_TYPES, `The type must be one of: ${POLL_TYPES.join(', ')}`, { ignoreCase: true }).optional();

const MANAGERS = 'the person who asked it, a facilitator of its collab, a lead or an admin (for polls only leads vote in: a lead or an admin)';
const CLOSES_HELP = 'when it closes by itself: 2d, 36h, friday 5pm or "2026-12-01 17:00"';

export const pollCommands = [
  defineCommand({
    name: 'poll',
    summary: 'Ask the collab a question: a choice, a proposal, a ranking or scores',
    usage: '/poll "Question?" "Option A" "Option B" [more options] [--type choice|proposal|ranked|score|stv] [--seats N] [--multi K] [--anonymous] [--hidden] [--closes <when>] [--quorum N] [--everywhere] [--native]',
    examples: [
      '/poll "Which day for the forum?" "Tuesday" "Thursday"',
      '/poll "Which days suit you?" "Mon" "Tue" "Wed" --multi 2',
      '/poll "Shall we fund the minibus?" --type proposal --closes 2d',
      '/poll "Where should we meet?" "Library" "Town hall" "Cafe" --type ranked',
      '/poll "Rate the sessions" "Morning" "Afternoon" --type score --anonymous',
      '/poll "Delegates to the Community Planning Partnership" "Ana" "Ben" "Cara" "Dee" --type stv --seats 2',
      '/poll "Lunch on Friday?" "Soup" "Salad" --native',
    ],
    who: 'anyone in a collab chat (--everywhere: a lead or an admin)',
    where: 'collab',
    args: z.object({
      question: text(),
      options: list().optional(),
      type: pollType,
      multi: count('multi', '--multi 2').optional(),
      seats: count('seats', '--seats 2').optional(),
      anonymous: flag().optional(),
      hidden: flag().optional(),
      closes: when().optional(),
      quorum: count('quorum', '--quorum 5').optional(),
      everywhere: flag().optional(),
      native: flag().optional(),
    }),
    positional: ['question', 'options...'],
    options: {
      type: 'choice (default), proposal (agree / abstain / disagree / block), ranked (instant-runoff), score (0-5 per option) or stv (single transferable vote, fills --seats)',
      seats: 'stv polls: how many candidates are elected (default 1)',
      multi: 'each voter may pick up to K options (choice polls)',
      anonymous: 'nobody can see who voted what; votes are final',
      hidden: 'results are hidden until the poll closes',
      closes: CLOSES_HELP,
      quorum: 'how many voters are needed for the result to count',
      everywhere: 'post to every chat subscribed with /subscribe polls (leads)',
      native: "Discord: post as Discord's own poll (choice or proposal, up to 10 options; else buttons)",
    },
    handler(ctx, args) {
      const collab = ctx.requireCollab();
      const closesAt = args.closes === undefined ? undefined : closingTime(ctx, args.closes);
      const [question, ...options] = joinUnquotedQuestion(ctx, [args.question, ...(args.options ?? [])]);
      ctx.services.polls.create({
        question: question ?? '',
        options,
        type: args.type,
        multi: args.multi,
        seats: args.seats,
        anonymous: args.anonymous,
        hidden: args.hidden,
        closesAt,
        quorum: args.quorum,
        everywhere: args.everywhere,
        native: args.native,
        createdBy: ctx.actor.personId,
        collabId: collab.id,
        from: origin(ctx),
      });
    },
  }),
  defineCommand({
    name: 'vote',
    summary: 'Vote in a poll (voting again changes your vote)',
    usage: '/vote <poll number> <choice>',
    examples: ['/vote 1 2', '/vote 1 thursday', '/vote 4 3 1 2', '/vote 6 1=4 2=5'],
    args: z.object({ poll: pollNumber, choices: list().optional() }),
    positional: ['poll', 'choices...'],
    handler(ctx, { poll, choices }) {
      const receipt = ctx.services.polls.vote(poll, { personId: ctx.actor.personId, chat: ctx.chat }, choices ?? []);
      ctx.reply(confirmation(ctx, voteReply(ctx, receipt)));
    },
  }),
  defineCommand({
    name: 'unvote',
    summary: 'Take back your vote in a poll',
    usage: '/unvote <poll number>',
    examples: ['/unvote 1'],
    args: z.object({ poll: pollNumber }),
    positional: ['poll'],
    handler(ctx, { poll }) {
      const row = ctx.services.polls.unvote(poll, { personId: ctx.actor.personId, chat: ctx.chat });
      ctx.reply(confirmation(ctx, `${ctx.actor.name}: your vote in poll #${row.id} is taken back. To vote again: /vote ${row.id} 1`));
    },
  }),
  defineCommand({
    name: 'polls',
    summary: 'List the open polls here',
    usage: '/polls',
    examples: ['/polls'],
    args: z.object({}),
    handler(ctx) {
      const { polls } = ctx.services;
      const open = polls.openPolls(ctx.chat, ctx.actor.personId);
      if (!open.length) return ctx.reply('There are no open polls here. Start one with /poll "Which day for the forum?" "Tuesday" "Thursday"');
      const lines = open.map((p) => {
        const voters = polls.voterCount(p.id);
        const closes = p.closes_at !== null ? `, closes ${formatMoment(p.closes_at, ctx.tz)}` : '';
        return `#${p.id} ${p.question} — ${voters} voted${closes}`;
      });
      ctx.reply([`Open polls (${open.length}):`, ...lines, 'To vote: /vote <number> <choice>. To see one: /poll results <number>'].join('\n'));
    },
  }),
  defineCommand({
    name: 'poll results',
    summary: 'Show the results of a poll (hidden polls: once closed)',
    usage: '/poll results <poll number>',
    examples: ['/poll results 1'],
    args: z.object({ poll: pollNumber }),
    positional: ['poll'],
    handler(ctx, args) {
      const poll = visiblePoll(ctx, args.poll, 'see');
      ctx.reply(ctx.services.polls.resultsText(poll));
    },
  }),
  defineCommand({
    name: 'poll close',
    summary: 'Close a poll now and post the results',
    usage: '/poll close <poll number>',
    examples: ['/poll close 1'],
    who: MANAGERS,
    args: z.object({ poll: pollNumber }),
    positional: ['poll'],
    handler(ctx, { poll }) {
      ctx.services.polls.close(poll, ctx.actor.personId, origin(ctx));
    },
  }),
  defineCommand({
    name: 'poll reopen',
    summary: 'Open a closed poll again, optionally with a new closing time',
    usage: '/poll reopen <poll number> [--closes <when>]',
    examples: ['/poll reopen 1', '/poll reopen 1 --closes 2d'],
    who: MANAGERS,
    args: z.object({ poll: pollNumber, closes: when().optional() }),
    positional: ['poll'],
    options: { closes: CLOSES_HELP },
    handler(ctx, args) {
      const closesAt = args.closes === undefined ? null : closingTime(ctx, args.closes);
      const outcome = ctx.services.polls.get(args.poll)?.outcome;
      const poll = ctx.services.polls.reopen(args.poll, ctx.actor.personId, closesAt, origin(ctx));
      const until = poll.closes_at !== null ? ` until ${formatMoment(poll.closes_at, ctx.tz)}` : '';
      const cleared = outcome ? `\nIts recorded outcome ("${outcome.length > 80 ? outcome.slice(0, 79) + '…' : outcome}") no longer stands and was cleared. Record it again once it closes: /poll outcome ${poll.id} <what was decided>` : '';
      ctx.reply(`Done: poll #${poll.id} is open again${until}. Votes cast before it closed still count.${cleared}`);
    },
  }),
  defineCommand({
    name: 'poll outcome',
    summary: 'Record the decision taken after a poll closed (shown with its results)',
    usage: '/poll outcome <poll number> <what was decided>',
    examples: ['/poll outcome 1 We meet on Thursdays.'],
    who: MANAGERS,
    args: z.object({ poll: pollNumber, statement: rest().optional() }),
    positional: ['poll', 'statement*'],
    handler(ctx, { poll, statement }) {
      ctx.services.polls.setOutcome(poll, ctx.actor.personId, (statement ?? '').replace(/^"(.*)"$/s, '$1'), origin(ctx));
    },
  }),
  defineCommand({
    name: 'poll export',
    summary: 'Get every ballot of a poll as CSV, by direct message (anonymous polls: no names)',
    usage: '/poll export <poll number>',
    examples: ['/poll export 1'],
    args: z.object({ poll: pollNumber }),
    positional: ['poll'],
    handler(ctx, args) {
      const poll = visiblePoll(ctx, args.poll, 'export');
      const csv = ctx.services.polls.exportCsv(poll);
      const message = `Poll #${poll.id} (${poll.question}) as CSV; copy it into a spreadsheet:\n${csv}`;
      if (ctx.chat.is_direct) return ctx.reply(message);
      ctx.dm(ctx.actor.personId, message);
      ctx.reply(`${ctx.actor.name}, I've sent you poll #${poll.id} as CSV in a direct message.`);
    },
  }),
];

function origin(ctx: CommandContext): Origin {
  return { chat: ctx.chat, messageId: ctx.event.messageId };
}

/**
 * A vote cast by a button or a native poll already shows on the platform: its
 * confirmation is an ack, which adapters may show privately or drop (refusals
 * are thrown as UserErrors and never carry it).
 */
function confirmation(ctx: CommandContext, text: string): OutMessage {
  return ctx.event.kind === 'action' ? { text, ack: true } : { text };
}

function visiblePoll(ctx: CommandContext, id: number, doing: string): PollRow {
  const { polls } = ctx.services;
  const poll = polls.require(id);
  polls.checkVisible(poll, { personId: ctx.actor.personId, chat: ctx.chat }, doing);
  return poll;
}

function voteReply(ctx: CommandContext, r: VoteReceipt): string {
  const id = r.poll.id;
  const name = ctx.actor.name;
  if (r.kind === 'anonymous') {
    // No name: the outbox keeps this message for a while, and names in vote order would date each ballot.
    return `Thanks: your anonymous vote in poll #${id} is counted. It is final: nobody can see it, so it cannot be changed. Results are shown when the poll closes.`;
  }
  if (r.kind === 'same') return `${name}: your vote in poll #${id} is already ${r.ballot}, so nothing changed.`;
  const head = r.kind === 'changed' ? `${name}: your vote in poll #${id} is now ${r.ballot} (instead of ${r.previous}).` : `Thanks ${name}: your vote in poll #${id} is counted: ${r.ballot}.`;
  if (r.poll.hidden) return `${head} Results stay hidden until the poll closes.`;
  const { result } = r.state;
  const now = result.options.map((o) =>
    r.poll.type === 'score' ? `${o.label} ${o.count ? o.mean!.toFixed(1) : '-'}` : `${o.label} ${o.count}`,
  );
  const what = r.poll.type === 'ranked' ? 'First choices now' : r.poll.type === 'score' ? 'Averages now' : 'Now';
  return `${head}\n${what}: ${now.join(' · ')}`;
}

/** The closing time typed after --closes (the registry has already joined `friday 5pm`). */
function closingTime(ctx: CommandContext, text: string): number {
  const at = parseWhen(text, { now: ctx.now, tz: ctx.tz });
  if (at === undefined) {
    throw new UserError(`I can't read "${text.slice(0, 40)}" as a closing time. Try --closes 2d, --closes 36h, --closes friday 5pm or --closes "2026-12-01 17:00".`);
  }
  return at;
}

/** `/poll Which day? Tuesday Thursday` without quotes: the question runs up to the word ending in "?". */
function joinUnquotedQuestion(ctx: CommandContext, words: string[]): string[] {
  if (/["\u201c\u201d\u201e\u00ab\u00bb]/.test(ctx.event.text) || words[0]?.endsWith('?')) return words;
  const end = words.findIndex((w) => w.endsWith('?'));
  if (end <= 0) return words;
  return [words.slice(0, end + 1).join(' '), ...words.slice(end + 1)];
}

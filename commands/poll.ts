import { z } from 'zod';
import type { CommandContext } from '../src/core/context.js';
import { defineCommand } from '../src/core/registry.js';
import { argInfo, choice, count, flag, list, recordNumber, rest, text, when } from '../src/core/args.js';
import { flagNameIn, inlineFlagValue, tokenize } from '../src/text/tokenizer.js';
import { readPollLine, type Word } from '../src/polls/poll-line.js';
import { exampleMoment } from '../src/time/examples.js';
import { voteCommands } from './vote.js';
import { UserError } from '../src/errors.js';
import type { PollRow } from '../src/polls/repo.js';
import type { Origin } from '../src/polls/types.js';
import { POLL_TYPES } from '../src/polls/validate.js';
import { formatMoment, parseWhen } from '../src/time/dates.js';

const pollNumber = recordNumber('poll', 'Give the poll number, e.g. 1');
const pollType = choice(POLL_TYPES, `The type must be one of: ${POLL_TYPES.join(', ')}`, { ignoreCase: true }).optional();

const MANAGERS = 'the person who asked it, a facilitator of its collab, a lead or an admin (for polls only leads vote in: a lead or an admin)';
const EDITORS = 'the person who asked it, a facilitator of its collab or an admin (for polls only leads vote in: a lead or an admin)';
const CLOSES_HELP = 'when it closes by itself: 2d, 36h, friday 5pm or a date and time in quotes, e.g. "5 jan 17:00"';

/** The arguments of /poll: the question and options are read again from the line (see pollWords). */
const pollArgs = z.object({
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
});

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
    args: pollArgs,
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
      const subcommands = ctx.registry.all().filter((c) => c.name.startsWith('poll ')).map((c) => c.name.slice(5));
      const { question, options } = readPollLine(pollWords(ctx, args.closes), subcommands);
      ctx.services.polls.create({
        question,
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
  ...voteCommands,
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
    name: 'poll reasons',
    summary: 'Read every reason given with the votes of a poll',
    usage: '/poll reasons <poll number>',
    examples: ['/poll reasons 1'],
    args: z.object({ poll: pollNumber }),
    positional: ['poll'],
    handler(ctx, args) {
      const poll = visiblePoll(ctx, args.poll, 'see');
      ctx.reply(ctx.services.polls.reasonsText(poll));
    },
  }),
  defineCommand({
    name: 'poll edit',
    summary: 'Change the question or options of a poll nobody has voted in yet',
    usage: '/poll edit <poll number> "New question?" ["Option A" "Option B" …]',
    examples: ['/poll edit 1 "Which day for the forum?" "Tuesday" "Thursday"', '/poll edit 1 Lunch on Friday? Soup, Salad, Pizza'],
    who: EDITORS,
    args: z.object({ poll: pollNumber, text: rest().optional() }),
    positional: ['poll', 'text*'],
    handler(ctx, args) {
      const words = tokenize(args.text ?? '').map((t) => ({ text: t.text, quoted: t.quoted }));
      if (!words.length) throw new UserError(`Give the new question, and the options if they change. For example: /poll edit ${args.poll} "Which day for the forum?" "Tuesday" "Thursday"`);
      const { question, options } = readPollLine(words, []);
      const poll = ctx.services.pollChanges.edit(args.poll, ctx.actor.personId, question, options, origin(ctx));
      if (!ctx.services.polls.chats(poll).some((c) => c.id === ctx.chat.id)) ctx.reply(`Done: poll #${poll.id} is changed in every chat that shows it.`);
    },
  }),
  defineCommand({
    name: 'poll delete',
    summary: 'Delete a poll (with votes: cancel it, and tell the voters)',
    usage: '/poll delete <poll number>',
    examples: ['/poll delete 1'],
    who: EDITORS,
    args: z.object({ poll: pollNumber, more: list().optional() }),
    positional: ['poll', 'more...'],
    handler(ctx, args) {
      const more = (args.more ?? []).map((w) => {
        if (!/^#?\d{1,9}$/.test(w)) throw new UserError(`Give the poll numbers, e.g. /poll delete ${args.poll}`);
        return Number(w.replace('#', ''));
      });
      // `/poll delete 17 18`: each in turn; a refusal stops before the rest, so nothing is half done.
      for (const id of [args.poll, ...more]) ctx.services.pollChanges.delete(id, ctx.actor.personId, origin(ctx));
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

function visiblePoll(ctx: CommandContext, id: number, doing: string): PollRow {
  const { polls } = ctx.services;
  const poll = polls.require(id);
  polls.checkVisible(poll, { personId: ctx.actor.personId, chat: ctx.chat }, doing);
  return poll;
}

/** The closing time typed after --closes (the registry has already joined `friday 5pm`). */
function closingTime(ctx: CommandContext, text: string): number {
  const at = parseWhen(text, { now: ctx.now, tz: ctx.tz });
  if (at === undefined) {
    throw new UserError(`I can't read "${text.slice(0, 40)}" as a closing time. Try --closes 2d, --closes 36h, --closes friday 5pm or --closes "${exampleMoment(ctx.now, ctx.tz)}".`);
  }
  return at;
}

/**
 * The words of a `/poll` line that are not options or their values, with whether
 * each was quoted (readPollLine needs to know). The flags are the command's own;
 * `closes` is the phrase the registry read (`--closes friday 5pm` is three words).
 */
function pollWords(ctx: CommandContext, closes: string | undefined): Word[] {
  const shape = pollArgs.shape as Record<string, z.ZodType>;
  const isFlag = (f: string) => Object.hasOwn(shape, f) && f !== 'question' && f !== 'options';
  const tokens = tokenize(ctx.event.text.replace(/^\s*\//, '')).slice(1);
  const out: Word[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const flag = flagNameIn(t, isFlag);
    if (flag && isFlag(flag)) {
      if (argInfo(shape[flag]!).kind === 'flag' || inlineFlagValue(t) !== undefined) continue;
      const next = tokens[i + 1];
      i += flag === 'closes' && closes !== undefined && next && !next.quoted ? closes.split(/\s+/).length : 1;
      continue;
    }
    out.push({ text: t.text, quoted: t.quoted });
  }
  return out;
}

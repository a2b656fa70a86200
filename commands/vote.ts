// Voting: /vote (with a reason after the choice), /unvote and /polls.
import { z } from 'zod';
import type { CommandContext } from '../src/core/context.js';
import { recordNumber, rest } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import type { OutMessage } from '../src/model.js';
import { splitReason } from '../src/polls/reasons.js';
import type { VoteReceipt } from '../src/polls/types.js';
import { clip } from '../src/text/format.js';
import { tokenize, unquote } from '../src/text/tokenizer.js';
import { formatMoment } from '../src/time/dates.js';

const pollNumber = recordNumber('poll', 'Give the poll number, e.g. 1');

export const voteCommands = [
  defineCommand({
    name: 'vote',
    summary: 'Vote in a poll (voting again changes your vote)',
    usage: '/vote <poll number> <choice> [-- your reason]',
    examples: ['/vote 1 2', '/vote 1 thursday', '/vote 3 disagree -- it leaves out the under-18s', '/vote 4 3,1,2', '/vote 6 1=4 2=5'],
    args: z.object({ poll: pollNumber.optional(), choices: rest().optional() }),
    positional: ['poll', 'choices*'],
    handler(ctx, { poll, choices }) {
      if (poll === undefined) return ctx.reply(whichPoll(ctx));
      const { choice, reason } = splitReason(choices ?? '');
      const receipt = ctx.services.polls.vote(poll, { personId: ctx.actor.personId, chat: ctx.chat }, choiceWords(choice), reason);
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
];

/**
 * The choices typed after `/vote N`: commas separate choices (`glasgow, edinburgh`,
 * `3,1,2`), else spaces do; quotes group words.
 */
function choiceWords(text: string): string[] {
  if (text.includes(',')) return text.split(',').map((w) => unquote(w)).filter(Boolean);
  return tokenize(text).map((t) => t.text);
}

/** `/vote` alone: the open polls here, each with a complete example. */
function whichPoll(ctx: CommandContext): string {
  const { polls } = ctx.services;
  const open = polls.openPolls(ctx.chat, ctx.actor.personId).slice(0, 5);
  if (!open.length) return 'There are no open polls here to vote in. To ask one: /poll "Lunch on Friday?" Soup, Salad, Pizza';
  const lines = open.map((p) => {
    const first = polls.options(p)[0]!.label.toLowerCase();
    return `#${p.id} ${clip(p.question, 60)} — e.g. /vote ${p.id} ${p.type === 'score' ? '1=4' : first}`;
  });
  return ['Which poll? Type /vote, the poll number and your choice:', ...lines].join('\n');
}

/**
 * A vote cast by a button or a native poll already shows on the platform: its
 * confirmation is an ack, which adapters may show privately or drop (refusals
 * are thrown as UserErrors and never carry it).
 */
function confirmation(ctx: CommandContext, text: string): OutMessage {
  return ctx.event.kind === 'action' ? { text, ack: true } : { text };
}

function voteReply(ctx: CommandContext, r: VoteReceipt): string {
  const id = r.poll.id;
  const name = ctx.actor.name;
  if (r.kind === 'anonymous') {
    // No name: the outbox keeps this message for a while, and names in vote order would date each ballot.
    // One text for every anonymous vote, with or without a reason: the outbox keeps it until delivered.
    return `Thanks: your anonymous vote in poll #${id} is counted, with any reason you gave (shown without your name). It is final: nobody can see it, so it cannot be changed. Results are shown when the poll closes.`;
  }
  const why = r.reason ? ' Your reason is kept with it.' : '';
  if (r.kind === 'same') return `${name}: your vote in poll #${id} is already ${r.ballot}, so nothing changed.${r.reason ? ' Your reason is updated.' : ''}`;
  const head =
    (r.kind === 'changed' ? `${name}: your vote in poll #${id} is now ${r.ballot} (instead of ${r.previous}).` : `Thanks ${name}: your vote in poll #${id} is counted: ${r.ballot}.`) + why;
  if (r.poll.hidden) return `${head} Results stay hidden until the poll closes.`;
  const { result } = r.state;
  const now = result.options.map((o) =>
    r.poll.type === 'score' ? `${o.label} ${o.count ? o.mean!.toFixed(1) : '-'}` : `${o.label} ${o.count}`,
  );
  const what = r.poll.type === 'ranked' ? 'First choices now' : r.poll.type === 'score' ? 'Averages now' : 'Now';
  return `${head}\n${what}: ${now.join(' · ')}`;
}

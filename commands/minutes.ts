import { z } from 'zod';
import { mention, recordNumber, rest } from '../src/core/args.js';
import type { CommandContext } from '../src/core/context.js';
import { defineCommand } from '../src/core/registry.js';
import { tokenize } from '../src/text/tokenizer.js';
import { UserError } from '../src/errors.js';
import { relayText, type MinutesService } from '../src/minutes/service.js';
import { plural } from '../src/text/format.js';
import { quoted } from '../src/text/quote.js';
import { formatDay, formatMoment } from '../src/time/dates.js';
import { termKey } from '../src/elections/terms.js';

const POST_EXAMPLE = '/minutes "CPP board, 3 December" Budget consultation opens in January. Rural transport gaps raised by the sector.';
const number = recordNumber('minutes', 'Use the number of the minutes, e.g. 3');

/** The service decides (the poster stays able to, after they stop being a delegate). */
const WHO_SEES_COMMENTS = 'the delegate who posted the minutes, another delegate to the same body, a lead or an admin';

/** Comments are for the delegate: in a group chat they go by direct message. */
function privately(ctx: CommandContext, text: string, what: string) {
  if (ctx.chat.is_direct) return ctx.reply(text);
  ctx.dm(ctx.actor.personId, text);
  ctx.reply(`${ctx.actor.name}, I've sent you ${what} in a direct message.`);
}

function list(names: string[], max = 10): string {
  return names.slice(0, max).join(', ') + (names.length > max ? ` and ${names.length - max} more` : '');
}

function showMinutes(ctx: CommandContext, minutes: MinutesService, n: number) {
  const m = minutes.get(n);
  ctx.reply(
    `${relayText(m)}\n\n` +
      `Posted ${formatDay(m.created_at, ctx.tz)}; sent to ${plural(m.relays, 'chat')}; ${plural(m.comments, 'comment')} so far.`,
  );
}

export const minutesCommands = [
  defineCommand({
    name: 'delegate add',
    summary: 'Make someone the delegate to a partnership body (they can then post minutes)',
    usage: '/delegate add @name <partnership body>',
    examples: ['/delegate add @dee Community Planning Partnership', '/delegate add @eli Health and Social Care Board'],
    roles: ['lead'],
    args: z.object({ person: mention('@dee'), body: rest(z.string({ message: 'Name the partnership body after the person' })) }),
    positional: ['person', 'body*'],
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const name = ctx.services.people.name(target);
      const { body, previous } = ctx.services.minutes.addDelegate(ctx.actor.personId, target, args.body, ctx.now);
      if (previous === body) return ctx.reply(`${name} is already a delegate to ${body}. Type /delegates to see everyone.`);
      ctx.reply(`Done: ${name} is now a delegate to ${body}${previous ? ` (instead of ${previous})` : ''}. Type /delegates to see everyone.`);
      if (target !== ctx.actor.personId) {
        ctx.dm(
          target,
          `You are now the sector's delegate to ${body}. After each meeting, post short minutes for the sector from any chat, e.g.\n${POST_EXAMPLE}\n` +
            `I'll send them to every chat that receives minutes, and pass their comments back to you here.`,
        );
      }
    },
  }),
  defineCommand({
    name: 'delegate remove',
    summary: 'Stop someone being a delegate (their minutes stay)',
    usage: '/delegate remove @name',
    examples: ['/delegate remove @dee'],
    roles: ['lead'],
    args: z.object({ person: mention('@dee') }),
    positional: ['person'],
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const body = ctx.services.minutes.removeDelegate(ctx.actor.personId, target);
      ctx.reply(`Done: ${ctx.services.people.name(target)} is no longer a delegate${body ? ` to ${body}` : ''}. Their minutes stay, and comments on them still reach them.`);
    },
  }),
  defineCommand({
    name: 'delegates',
    summary: 'Who represents the sector on which partnership body',
    usage: '/delegates',
    examples: ['/delegates'],
    args: z.object({}),
    handler(ctx) {
      const entries = ctx.services.minutes.delegates();
      if (!entries.length) return ctx.reply('There are no delegates yet. A lead can add one, e.g. /delegate add @dee Community Planning Partnership');
      const lines = ['Who represents the sector where:'];
      // Elected delegates show when their term ends (or ended: they stay until the next election decides).
      const terms = ctx.services.elections.terms.termEnds();
      for (const e of entries) {
        if (e.body === null) continue;
        const latest = e.latest ? ` (latest minutes: #${e.latest.id}, ${formatDay(e.latest.created_at, ctx.tz)})` : '';
        const names = e.names.map((n) => {
          const end = terms.get(termKey(e.body!, n));
          return end === undefined ? n : `${n} (term ${end > ctx.now ? 'ends' : 'ended'} ${formatDay(end, ctx.tz)})`;
        });
        lines.push(`• ${e.body}: ${names.join(', ')}${latest}`);
      }
      const unplaced = entries.find((e) => e.body === null);
      if (unplaced) lines.push(`Delegates with no body recorded yet: ${unplaced.names.join(', ')}. A lead can set it, e.g. /delegate add @${unplaced.names[0]} Community Planning Partnership`);
      lines.push('Read their minutes with /minutes.');
      ctx.reply(lines.join('\n'));
    },
  }),
  defineCommand({
    name: 'minutes',
    summary: 'List recent minutes; delegates: post minutes for your partnership body',
    usage: '/minutes ["<meeting title>" <minutes text>]',
    examples: ['/minutes', POST_EXAMPLE],
    args: z.object({ rest: rest().optional() }),
    positional: ['rest*'],
    handler(ctx, { rest }) {
      const { minutes } = ctx.services;
      if (rest && /^#?\d+$/.test(rest.trim())) return showMinutes(ctx, minutes, Number(rest.trim().replace('#', '')));
      if (!rest) {
        const recent = minutes.recent(10);
        if (!recent.length) {
          return ctx.reply('No minutes have been posted yet. Delegates post them with /minutes "<meeting title>" <text>. Type /delegates to see who represents the sector where.');
        }
        const lines = ['Recent minutes:'];
        for (const m of recent) {
          lines.push(`#${m.id} ${m.body}: ${m.meeting} — ${m.delegate}, ${formatDay(m.created_at, ctx.tz)}; ${plural(m.comments, 'comment')}`);
        }
        lines.push(`Read one with /minutes show ${recent[0]!.id}`);
        return ctx.reply(lines.join('\n'));
      }
      minutes.requirePoster(ctx.actor.personId);
      const title = tokenize(rest)[0]!;
      if (!title.quoted) throw new UserError(`Put the meeting title in double quotes, then the minutes.\nFor example: ${POST_EXAMPLE}`);
      if (title.unterminated) throw new UserError(`The meeting title's quote is opened but never closed. Put a " after the title.\nFor example: ${POST_EXAMPLE}`);
      const { minutes: m, sentTo } = minutes.post(ctx.actor.personId, ctx.event.platform, ctx.chat, title.text, rest.slice(title.end));
      if (!sentTo.length) {
        return ctx.reply(
          `Done: minutes #${m.id} are saved, but no chat receives minutes yet, so they went nowhere. ` +
            `A facilitator can type /subscribe minutes in their collab's chat; anyone can read them with /minutes show ${m.id}.`,
        );
      }
      ctx.reply(
        `Done: minutes #${m.id} for ${m.body} are saved and on their way to ${plural(sentTo.length, 'chat')}: ${list(sentTo.map((c) => minutes.chatLabel(c)))}.\n` +
          `Comments will come to you by direct message; /minutes digest ${m.id} sums them up.`,
      );
    },
  }),
  defineCommand({
    name: 'minutes show',
    summary: 'Read one set of minutes',
    usage: '/minutes show <number>',
    examples: ['/minutes show 1'],
    args: z.object({ number }),
    positional: ['number'],
    handler(ctx, args) {
      showMinutes(ctx, ctx.services.minutes, args.number);
    },
  }),
  defineCommand({
    name: 'minutes comments',
    summary: 'See every comment on a set of minutes (sent to you privately)',
    usage: '/minutes comments <number>',
    examples: ['/minutes comments 1'],
    who: WHO_SEES_COMMENTS,
    args: z.object({ number }),
    positional: ['number'],
    handler(ctx, args) {
      const { minutes: m, comments } = ctx.services.minutes.comments(ctx.actor.personId, args.number);
      if (!comments.length) return ctx.reply(`No comments on minutes #${m.id} (${m.meeting}) yet.`);
      const lines = [`Comments on minutes #${m.id} (${m.meeting}): ${comments.length}`];
      comments.forEach((c, i) => {
        const chat = ctx.services.collabs.chat(c.chat_id)!;
        lines.push('', `${i + 1}. ${c.author} in ${ctx.services.minutes.chatLabel(chat)}, ${formatMoment(c.created_at, ctx.tz)}`, quoted(c.text));
      });
      privately(ctx, lines.join('\n'), `the ${plural(comments.length, 'comment')} on minutes #${m.id}`);
    },
  }),
  defineCommand({
    name: 'minutes digest',
    summary: 'One summary of the comments on a set of minutes, by chat (sent to you privately)',
    usage: '/minutes digest <number>',
    examples: ['/minutes digest 1'],
    who: WHO_SEES_COMMENTS,
    args: z.object({ number }),
    positional: ['number'],
    handler(ctx, args) {
      const digest = ctx.services.minutes.digest(ctx.actor.personId, args.number);
      privately(ctx, digest, `the digest of comments on minutes #${args.number}`);
    },
  }),
  defineCommand({
    name: 'comment',
    summary: 'Comment on a set of minutes: it goes to the delegate who posted them',
    usage: '/comment <number> <your comment>',
    examples: ['/comment 1 Please raise the cuts to the 79 bus'],
    args: z.object({ number, text: rest(z.string({ message: 'Write your comment after the number' })) }),
    positional: ['number', 'text*'],
    handler(ctx, args) {
      const { minutes: m, delegate } = ctx.services.minutes.comment(ctx.actor.personId, ctx.chat, args.number, args.text);
      if (m.delegate_id === ctx.actor.personId) return ctx.reply(`Your comment on minutes #${m.id} is saved.`);
      ctx.reply(`Thanks, ${ctx.actor.name}. Your comment on minutes #${m.id} has gone to ${delegate}, the delegate to ${m.body}.`);
    },
  }),
];

import { z } from 'zod';
import type { CommandContext } from '../src/core/context.js';
import { count, list, mention, recordNumber, rest, text } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import { CREATE_EXAMPLE, LIMITS, STAGE_NAMES, type ElectionsService } from '../src/elections/service.js';
import type { ElectionRow } from '../src/elections/repo.js';
import { UserError } from '../src/errors.js';
import { listWords, plural } from '../src/text/format.js';
import { formatMoment, parseDuration } from '../src/time/dates.js';

const election = recordNumber('election', 'Give the election number, e.g. 1 (type /elections to see them)');
const person = mention('@dee');
const STAND_EXAMPLE = '/election stand 1 I chair the Food Network and will report back after every meeting.';
const TERM_UNITS = /^(months?|mo|years?|yrs?|y)$/i;

export const electionCommands = [
  defineCommand({
    name: 'election create',
    summary: 'Open nominations to elect delegates to a partnership body (by the single transferable vote)',
    usage: '/election create "<partnership body>" [--seats N] [--nominations 7d] [--voting 7d] [--term 12 months]',
    examples: [CREATE_EXAMPLE, '/election create "Health and Social Care Board"'],
    roles: ['lead'],
    args: z.object({
      body: text(z.string({ message: 'Name the partnership body in double quotes' })),
      rest: list().optional(),
      seats: count('seats', '--seats 2').optional(),
      nominations: text().optional(),
      voting: text().optional(),
      term: text().optional(),
    }),
    positional: ['body', 'rest...'],
    options: {
      seats: 'how many delegates to elect (default 1)',
      nominations: 'how long nominations stay open (default 7d)',
      voting: 'how long voting lasts, if it is contested (default 7d)',
      term: 'how long the elected serve, in months (default 12 months; 2 years works too)',
    },
    handler(ctx, args) {
      const rest = args.rest ?? [];
      const unit = rest.find((w) => TERM_UNITS.test(w));
      const body = [args.body, ...rest.filter((w) => w !== unit)].join(' ');
      ctx.services.elections.create({
        actor: ctx.actor.personId,
        chat: ctx.chat,
        body,
        seats: args.seats ?? 1,
        nominationsMs: duration('nominations', args.nominations ?? '7d'),
        votingMs: duration('voting', args.voting ?? '7d'),
        termMonths: months(args.term ?? '12', unit),
        messageId: ctx.event.messageId,
      });
    },
  }),
  defineCommand({
    name: 'election stand',
    summary: 'Stand as a candidate, with a short statement (typing it again changes the statement)',
    usage: `/election stand <election number> [a statement of up to ${LIMITS.statement} characters]`,
    examples: [STAND_EXAMPLE, '/election stand 1'],
    args: z.object({ election, statement: rest().optional() }),
    positional: ['election', 'statement*'],
    handler(ctx, args) {
      const { election: e, updated } = ctx.services.elections.stand(args.election, ctx.actor.personId, args.statement ?? '');
      const c = ctx.services.elections.repo.candidate(e.id, ctx.actor.personId)!;
      const statement = c.statement ? `Your statement: ${c.statement}` : `Add a few words about you so voters know who you are, e.g. ${STAND_EXAMPLE.replace(' 1 ', ` ${e.id} `)}`;
      const head = updated ? `Done: your statement in election #${e.id} is updated.` : `Done: ${ctx.actor.name}, you stand in election #${e.id} (${plural(e.seats, 'delegate')} to ${e.body}).`;
      ctx.reply(`${head}\n${statement}\nTo withdraw: /election withdraw ${e.id}`);
    },
  }),
  defineCommand({
    name: 'election nominate',
    summary: 'Nominate someone else; they become a candidate when they accept',
    usage: '/election nominate <election number> @name',
    examples: ['/election nominate 1 @dee'],
    args: z.object({ election, person }),
    positional: ['election', 'person'],
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const e = ctx.services.elections.nominate(args.election, ctx.actor.personId, target, ctx.event.platform);
      const name = ctx.services.people.name(target);
      ctx.reply(`Done: you nominated ${name} in election #${e.id} (${e.body}). I've asked them to accept; they type /election accept ${e.id} to become a candidate.`);
    },
  }),
  defineCommand({
    name: 'election accept',
    summary: 'Accept your nomination and become a candidate, with a short statement',
    usage: `/election accept <election number> [a statement of up to ${LIMITS.statement} characters]`,
    examples: ['/election accept 1 I have sat on the board for two years and will keep the sector informed.'],
    args: z.object({ election, statement: rest().optional() }),
    positional: ['election', 'statement*'],
    handler(ctx, args) {
      const e = ctx.services.elections.accept(args.election, ctx.actor.personId, args.statement ?? '');
      ctx.reply(`Done: ${ctx.actor.name}, you stand in election #${e.id} (${e.body}). To change your statement: /election stand ${e.id} <statement>. To withdraw: /election withdraw ${e.id}`);
    },
  }),
  defineCommand({
    name: 'election withdraw',
    summary: 'Take back your candidacy (or decline a nomination) while nominations are open',
    usage: '/election withdraw <election number>',
    examples: ['/election withdraw 1'],
    args: z.object({ election }),
    positional: ['election'],
    handler(ctx, args) {
      const e = ctx.services.elections.withdraw(args.election, ctx.actor.personId);
      ctx.reply(`Done: ${ctx.actor.name}, you no longer stand in election #${e.id} (${e.body}). To stand again while nominations are open: /election stand ${e.id}`);
    },
  }),
  defineCommand({
    name: 'election candidates',
    summary: 'The candidates in an election and what each says',
    usage: '/election candidates <election number>',
    examples: ['/election candidates 1'],
    args: z.object({ election }),
    positional: ['election'],
    handler(ctx, args) {
      const { elections } = ctx.services;
      const e = elections.require(args.election);
      const { standing, waiting } = elections.candidates(e);
      const lines = [`Election #${e.id}: ${plural(e.seats, 'delegate')} to ${e.body} — ${stage(ctx, elections, e)}.`];
      if (!standing.length) lines.push(e.status === 'nominations' ? `Nobody stands yet. To stand: /election stand ${e.id} and a few words about you.` : 'Nobody stood.');
      else {
        lines.push(`Candidates (${standing.length}):`);
        for (const c of standing) {
          const mark = c.status === 'elected' ? ' (elected)' : '';
          lines.push(`• ${c.name}${mark}: ${c.statement ?? '(no statement)'}`);
        }
      }
      if (waiting.length && e.status === 'nominations') lines.push(`Nominated, waiting to accept: ${listWords(waiting.map((c) => c.name))}.`);
      if (e.status === 'voting' && e.poll_id) lines.push(`To vote, rank them in poll #${e.poll_id}, favourite first: /vote ${e.poll_id} ${standing.map((_, i) => i + 1).join(' ')}`);
      ctx.reply(lines.join('\n'));
    },
  }),
  defineCommand({
    name: 'election close',
    summary: 'End the current stage now: close nominations, or close the vote and count it',
    usage: '/election close <election number>',
    examples: ['/election close 1'],
    roles: ['lead'],
    who: 'a lead or an admin who does not stand in the election',
    args: z.object({ election }),
    positional: ['election'],
    handler(ctx, args) {
      const before = ctx.services.elections.require(args.election);
      const e = ctx.services.elections.close(args.election, ctx.actor.personId);
      const what = before.status === 'voting' ? 'voting' : 'nominations';
      ctx.reply(`Done: ${what} for election #${e.id} closed; it is now ${STAGE_NAMES[e.status]}.`);
    },
  }),
  defineCommand({
    name: 'elections',
    summary: 'List elections and where each one is',
    usage: '/elections',
    examples: ['/elections'],
    args: z.object({}),
    handler(ctx) {
      const { elections } = ctx.services;
      const list = elections.recent(10);
      if (!list.length) return ctx.reply(`There are no elections yet. A lead can start one, e.g. ${CREATE_EXAMPLE}`);
      const lines = ['Elections (latest first):'];
      for (const e of list) lines.push(`#${e.id} ${e.body}, ${plural(e.seats, 'seat')} — ${stage(ctx, elections, e)}`);
      lines.push('Candidates and their statements: /election candidates <number>');
      ctx.reply(lines.join('\n'));
    },
  }),
];

function stage(ctx: CommandContext, elections: ElectionsService, e: ElectionRow): string {
  const tz = elections.tzOf(e);
  switch (e.status) {
    case 'nominations':
      return `nominations open until ${formatMoment(e.nominations_close_at, tz)}`;
    case 'voting': {
      const poll = e.poll_id ? ctx.services.polls.get(e.poll_id) : undefined;
      return `voting in poll #${e.poll_id}${poll?.closes_at ? ` until ${formatMoment(poll.closes_at, tz)}` : ''}`;
    }
    case 'decided': {
      const elected = elections.repo.candidates(e.id).filter((c) => c.status === 'elected');
      const unopposed = e.poll_id === null ? ' unopposed' : '';
      return `decided: ${listWords(elected.map((c) => c.name))} elected${unopposed}`;
    }
    case 'lapsed':
      return 'lapsed (nobody elected)';
  }
}

function duration(flag: string, text: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new UserError(`I can't read "${text.slice(0, 20)}" as a length of time for --${flag}. Try --${flag} 7d, --${flag} 2w or --${flag} 48h. For example: ${CREATE_EXAMPLE}`);
  return ms;
}

/** `12`, `12 months`, `12m`, `2 years`, `1y` → months. */
function months(text: string, unitWord?: string): number {
  const m = /^(\d{1,3})\s*(m|mo|months?|y|yrs?|years?)?$/i.exec(`${text}${unitWord ? ' ' + unitWord : ''}`.trim());
  if (!m) throw new UserError(`I can't read "${text.slice(0, 20)}" as a term. Give it in months or years, e.g. --term 12 months or --term 2 years. For example: ${CREATE_EXAMPLE}`);
  const n = Number(m[1]);
  return /^y/i.test(m[2] ?? '') ? n * 12 : n;
}

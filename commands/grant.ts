import { z } from 'zod';
import { choice, money, recordNumber, rest, text } from '../src/core/args.js';
import { chatDestination } from '../src/collabs/service.js';
import { defineCommand } from '../src/core/registry.js';
import { UserError } from '../src/errors.js';
import { ledgerCsv } from '../src/grants/ledger.js';
import { formatMoney as gbp, plainPounds, readMoney } from '../src/grants/money.js';
import type { FundTotals, GrantListRow, LedgerRow } from '../src/grants/repo.js';
import { capText } from '../src/grants/service.js';
import { GRANT_STATES, isGrantState } from '../src/grants/transitions.js';
import { clip, plural } from '../src/text/format.js';
import { formatMoment } from '../src/time/dates.js';
import { outcomeTag } from './story.js';

const grantNumber = recordNumber('grant', 'The grant number is the number after #, e.g. 1 for grant #1');
const category = text({ max: 30 });

/** At least a few words, so the leads (or funders) know what it is about. */
const wordsOf = (min: number, what: string) =>
  z
    .string()
    .trim()
    .max(2000, `${what} can be at most 2,000 characters`)
    .refine((s) => s.split(/\s+/).filter(Boolean).length >= min && s.length >= 8, `${what} needs at least ${min} words`);

const status = choice(GRANT_STATES, `Choose one of: ${GRANT_STATES.join(', ')}`, { ignoreCase: true });

function fundLine(f: FundTotals): string {
  const how = f.decided_by === 'poll' ? ", decided by the leads' poll" : '';
  const waiting = f.waiting_count ? `; waiting for a decision: ${plural(f.waiting_count, 'request')}, ${gbp(f.waiting)}` : '';
  return `• ${f.name} (${capText(f.cap)}${how}): budget ${gbp(f.budget)}, approved ${gbp(f.approved)}, paid ${gbp(f.paid)}, remaining ${gbp(f.remaining)}${waiting}`;
}

/** ` (1 of 2 approvals)` or ` (leads' poll #3)` while a request waits for the leads. */
function waitingFor(g: Pick<GrantListRow, 'state' | 'poll_id' | 'decided_by' | 'approvals'>, needed: number): string {
  if (g.state !== 'submitted') return '';
  if (g.decided_by === 'poll') return g.poll_id !== null ? ` (leads' poll #${g.poll_id})` : " (the leads' poll)";
  return ` (${g.approvals} of ${needed} approvals)`;
}

function historyLines(rows: LedgerRow[], needed: number, tz: string): string[] {
  let approvals = 0;
  return rows.map((r) => {
    const who = r.actor_name ?? 'someone';
    const note = r.note ? `: ${clip(r.note, 200)}` : '';
    let what: string;
    switch (r.event) {
      case 'requested':
        what = `${who} asked for ${gbp(r.amount ?? 0)}`;
        break;
      case 'approval':
        what = `${who} approved (${++approvals} of ${needed})${note}`;
        break;
      case 'approved':
        what = r.actor_id !== null
          ? `${who} approved (${++approvals} of ${needed})${note}. The grant is approved and ${gbp(r.approved_change)} is reserved`
          : `the ${r.note ?? who}. The grant is approved and ${gbp(r.approved_change)} is reserved`;
        break;
      case 'declined':
        what = r.actor_id !== null ? `${who} declined it${note}` : `declined: the ${r.note ?? who}`;
        break;
      case 'withdrawn':
        what = `${who} withdrew the request`;
        break;
      case 'paid':
        what = `${who} marked it paid (${gbp(r.paid_change)})`;
        break;
      case 'reported':
        what = `${who} reported what happened (${(r.note ?? '').split(':')[0]})`;
        break;
      default:
        what = `${r.event}${note}`;
    }
    return `• ${formatMoment(r.at, tz)} — ${what}`;
  });
}

export const grantCommands = [
  defineCommand({
    name: 'fund',
    summary: 'Show the grant funds: budget, approved, paid and remaining in each category',
    usage: '/fund',
    examples: ['/fund'],
    args: z.object({}),
    handler(ctx) {
      const funds = ctx.services.grants.funds();
      ctx.reply(['Grant funds (approved includes paid; remaining is budget minus approved):', ...funds.map(fundLine)].join('\n'));
    },
  }),
  defineCommand({
    name: 'fund set',
    summary: "Set a category's budget (every change goes to the ledger)",
    usage: '/fund set <discovery|enabling|invest> <amount>',
    examples: ['/fund set discovery 5000', '/fund set enabling £25,000'],
    roles: ['admin'],
    args: z.object({ category, amount: money({ allowZero: true }) }),
    positional: ['category', 'amount'],
    handler(ctx, { category, amount }) {
      const { fund, was, changed } = ctx.services.grants.setBudget(ctx.actor, category, amount);
      if (!changed) return ctx.reply(`The ${fund.name} budget is already ${gbp(fund.budget)}, so nothing changed.`);
      ctx.reply(`Done: the ${fund.name} budget is now ${gbp(fund.budget)} (was ${gbp(was)}). Approved ${gbp(fund.approved)}, remaining ${gbp(fund.remaining)}.`);
    },
  }),
  defineCommand({
    name: 'fund cap',
    summary: 'Set the most one grant in a category may ask for, or none',
    usage: '/fund cap <discovery|enabling|invest> <amount|none>',
    examples: ['/fund cap discovery 1000', '/fund cap invest none'],
    roles: ['admin'],
    args: z.object({ category, cap: text() }),
    positional: ['category', 'cap'],
    handler(ctx, args) {
      let cap: number | null = null;
      if (!/^(none|no|off|no-cap)$/i.test(args.cap)) {
        const r = readMoney(args.cap);
        if (!r.ok) throw new UserError(`${r.message}\nOr type none for no cap, e.g. /fund cap invest none`);
        cap = r.pence;
      }
      const { fund, changed } = ctx.services.grants.setCap(ctx.actor, args.category, cap);
      if (!changed) return ctx.reply(`The ${fund.name} cap is already ${fund.cap === null ? 'none' : gbp(fund.cap)}, so nothing changed.`);
      ctx.reply(fund.cap === null ? `Done: ${fund.name} grants now have no cap.` : `Done: a ${fund.name} grant can now be up to ${gbp(fund.cap)}.`);
    },
  }),
  defineCommand({
    name: 'grant request',
    summary: 'Ask for a grant for this collab',
    usage: '/grant request <discovery|enabling|invest> <amount> <what it is for>',
    examples: ['/grant request discovery £750 Pay two community members to run a consultation on food access'],
    rules:
      'A Discovery grant (up to £1,000) needs approvals from different leads (COLLABOT_GRANT_APPROVALS, 2 unless set). ' +
      "Enabling and Invest grants are decided by a leads' poll: it passes only if at least half of the leads who may vote, and never fewer than that number, " +
      'have voted, nobody blocks, and more agree than disagree. Before its closing time it can be closed only once every lead who may vote has voted, ' +
      'or by an admin (without enough votes, that declines it). The person who asks and whoever facilitates the collab when it asks may not decide it, ' +
      'even if their roles change later. Only admins make or remove leads.',
    where: 'collab',
    // The amount as typed, and the purpose checked here: `/grant request £300 discovery …` is answered as swapped, not as a bad amount.
    args: z.object({ category, amount: money({ asTyped: true }), purpose: rest({ max: 2000 }).optional() }),
    positional: ['category', 'amount', 'purpose*'],
    handler(ctx, { category, amount: typed, purpose: said }) {
      const collab = ctx.requireCollab();
      const amount = readRequestAmount(category, typed, said ?? '');
      const checked = wordsOf(3, 'What the money is for').safeParse(said ?? '');
      if (!checked.success) {
        throw new UserError(`${checked.error.issues[0]!.message}, so the leads know what it is about.\nFor example: /grant request ${category.toLowerCase()} ${typed} Pay two community members to run a consultation on food access`);
      }
      const purpose = checked.data;
      const { grant, fund, byPoll, leadsTold } = ctx.services.grants.request(ctx.actor, collab.id, category, amount, purpose, ctx.event.platform);
      const head = `Grant #${grant.id} requested: ${gbp(grant.amount)} from ${fund.name} for ${collab.name}.`;
      if (byPoll) {
        const poll = grant.poll_id !== null ? ` (poll #${grant.poll_id})` : '';
        return ctx.reply(`${head}\nThe leads decide ${fund.name} grants together by poll${poll}. I'll tell this chat when it closes. To withdraw it meanwhile: /grant withdraw ${grant.id}`);
      }
      const needed = ctx.services.grants.approvalsNeeded;
      const told = leadsTold >= needed
        ? `I've sent the request to ${plural(leadsTold, 'lead')}.`
        : `Only ${plural(leadsTold, 'lead')} can decide it (leads who asked for it or facilitate ${collab.name} can't), so it needs more leads: an admin can add one with /role add @name lead.`;
      ctx.reply(
        `${head}\nIt needs approval from ${plural(needed, 'different lead')}. ${told} A lead types /grant approve ${grant.id}, or /grant decline ${grant.id} <reason>.\n` +
          `Until it is decided you can withdraw it with /grant withdraw ${grant.id}`,
      );
    },
  }),
  defineCommand({
    name: 'grant approve',
    summary: 'Approve a grant request (each request needs several different leads)',
    usage: '/grant approve <number> [note]',
    examples: ['/grant approve 1', '/grant approve 1 A clear plan, well costed'],
    roles: ['lead'],
    adminsToo: false,
    args: z.object({ id: grantNumber, note: rest({ max: 1000 }).optional() }),
    positional: ['id', 'note*'],
    handler(ctx, { id, note }) {
      const { grants } = ctx.services;
      const r = grants.approve(ctx.actor, id, note?.trim() || null);
      if ('waitingForBudget' in r && r.waitingForBudget) {
        return ctx.reply(
          `Thank you, ${ctx.actor.name}: grant #${id} now has all ${r.needed} approvals, but the ${r.fund.name} fund has only ${gbp(r.fund.remaining)} left for its ${gbp(r.grant.amount)}. ` +
            `It waits for budget: when an admin raises it (e.g. /fund set ${r.fund.category} ${plainPounds(r.fund.budget + r.grant.amount - r.fund.remaining)}), it is approved and everyone here is told.`,
        );
      }
      if (!r.approved) {
        const left = r.needed - r.count;
        return ctx.reply(`Thank you, ${ctx.actor.name}: grant #${id} has ${r.count} of ${r.needed} approvals. It needs ${left} more from ${left === 1 ? 'another lead' : 'other leads'}.`);
      }
      const done = `Grant #${id} is approved (${r.count} of ${r.needed} approvals, the last from ${ctx.actor.name}). ${gbp(r.grant.amount)} is reserved from ${r.fund.name}, which has ${gbp(r.fund.remaining)} left.`;
      const next = `Next: an admin marks it paid with /grant paid ${id}`;
      ctx.reply(`${done}\n${next}`);
      grants.announce(r.grant.collab_id, `Good news: grant ${grants.title(r.grant)} is approved by the leads. ${next}`, chatDestination(ctx.chat));
    },
  }),
  defineCommand({
    name: 'grant decline',
    summary: 'Decline a grant request, saying why (one decline ends it)',
    usage: '/grant decline <number> <reason>',
    examples: ['/grant decline 1 Please say who will run the consultation and when'],
    roles: ['lead'],
    adminsToo: false,
    args: z.object({ id: grantNumber, reason: rest(wordsOf(2, 'The reason'), { max: 2000 }) }),
    positional: ['id', 'reason*'],
    handler(ctx, { id, reason }) {
      const { grants } = ctx.services;
      const g = grants.decline(ctx.actor, id, reason);
      ctx.reply(`Grant #${id} is declined. ${ctx.actor.name} said: ${reason}`);
      grants.announce(g.collab_id, `Grant ${grants.title(g)} is declined by ${ctx.actor.name}: ${reason}\nYou can ask again with a new /grant request.`, chatDestination(ctx.chat));
    },
  }),
  defineCommand({
    name: 'grant withdraw',
    summary: 'Withdraw your own grant request before it is decided',
    usage: '/grant withdraw <number>',
    examples: ['/grant withdraw 1'],
    who: 'the person who asked for it',
    args: z.object({ id: grantNumber }),
    positional: ['id'],
    handler(ctx, { id }) {
      ctx.services.grants.withdraw(ctx.actor, id);
      ctx.reply(`Done: grant #${id} is withdrawn.`);
    },
  }),
  defineCommand({
    name: 'grant paid',
    summary: 'Record that an approved grant has been paid',
    usage: '/grant paid <number>',
    examples: ['/grant paid 1'],
    roles: ['admin'],
    args: z.object({ id: grantNumber }),
    positional: ['id'],
    handler(ctx, { id }) {
      const { grants, people } = ctx.services;
      const g = grants.markPaid(ctx.actor, id);
      const ask = `${people.name(g.requested_by)}, when you can, tell everyone what difference it made: /grant report ${id} <what happened>. I'll remind you in 8 weeks.`;
      ctx.reply(`Done: grant #${id} is marked paid (${gbp(g.amount)}).\n${ask}`);
      grants.announce(g.collab_id, `Grant ${grants.title(g)} is paid.\n${ask}`, chatDestination(ctx.chat));
    },
  }),
  defineCommand({
    name: 'grant report',
    summary: 'Say what a paid grant made possible (the requester); it becomes a story',
    usage: '/grant report <number> <what happened> [--outcome <tag>]',
    examples: ['/grant report 1 40 people came to the consultation and we now run a weekly food share --outcome local-need'],
    options: { outcome: 'the outcome it contributed to; /outcomes lists the tags' },
    who: 'the person who asked for it',
    args: z.object({ id: grantNumber, text: rest(), outcome: outcomeTag }),
    positional: ['id', 'text*'],
    handler(ctx, args) {
      const { grants, stories } = ctx.services;
      const typedOutcome = args.outcome;
      const text = wordsOf(3, 'The report').safeParse(args.text);
      if (!text.success) throw new UserError(`Say what happened in a few sentences.\nFor example: /grant report ${args.id} 40 people came to the consultation and we now run a weekly food share`);
      const outcome = typedOutcome ? stories.resolveOutcome(typedOutcome) : null;
      const { storyId } = grants.report(ctx.actor, args.id, text.data, outcome?.slug ?? null);
      ctx.reply(`Thank you, ${ctx.actor.name}! Grant #${args.id} is reported, and your report is story #${storyId}${outcome ? ` (${outcome.name})` : ''}. Type /stories to read the collab's stories.`);
    },
  }),
  defineCommand({
    name: 'grant show',
    summary: "A grant's details and full history: who did what, when",
    usage: '/grant show <number>',
    examples: ['/grant show 1'],
    args: z.object({ id: grantNumber }),
    positional: ['id'],
    handler(ctx, { id }) {
      const { grants, people, collabs } = ctx.services;
      const g = grants.require(id);
      const fund = grants.fund(g.category);
      const approvals = grants.decisions(id).filter((d) => d.decision === 'approve').length;
      const lines = [
        `Grant #${g.id}: ${gbp(g.amount)} ${fund.name} grant for ${collabs.collab(g.collab_id)?.name ?? '?'} — ${g.state}${waitingFor({ ...g, decided_by: fund.decided_by, approvals }, grants.approvalsNeeded)}`,
        `For: ${g.purpose}`,
        `Asked by ${people.name(g.requested_by)}.`,
        'History:',
        ...historyLines(grants.history(id), grants.approvalsNeeded, ctx.tz),
      ];
      ctx.reply(lines.join('\n'));
    },
  }),
  defineCommand({
    name: 'grants',
    summary: 'List grants, newest first, optionally only those in one state',
    usage: `/grants [${GRANT_STATES.join('|')}]`,
    examples: ['/grants', '/grants submitted'],
    args: z.object({ status: status.optional() }),
    positional: ['status'],
    handler(ctx, args) {
      const state = args.status && isGrantState(args.status) ? args.status : null;
      const { grants, total } = ctx.services.grants.list(state);
      if (!grants.length) {
        return ctx.reply(state ? `No grants are ${state}. Type /grants to see them all.` : 'There are no grants yet. A collab asks for one with /grant request, e.g. /grant request discovery £750 Pay two members to run a consultation');
      }
      const needed = ctx.services.grants.approvalsNeeded;
      const lines = grants.map((g) => `• #${g.id} ${g.collab_name} — ${gbp(g.amount)} ${g.fund_name}, ${g.state}${waitingFor(g, needed)}: ${clip(g.purpose, 80)}`);
      const head = `${plural(total, 'grant')}${state ? ` ${state}` : ''}${total > grants.length ? ` (the newest ${grants.length})` : ''}:`;
      ctx.reply([head, ...lines, 'Type /grant show <number> for one grant\'s history.'].join('\n'));
    },
  }),
  defineCommand({
    name: 'grants export',
    summary: 'The grant ledger as CSV for funders, sent to you by direct message',
    usage: '/grants export',
    examples: ['/grants export'],
    roles: ['lead'],
    args: z.object({}),
    handler(ctx) {
      const rows = ctx.services.grants.ledger();
      ctx.dm(ctx.actor.personId, ledgerCsv(rows, ctx.tz));
      if (!ctx.chat.is_direct) ctx.reply(`${ctx.actor.name}, I've sent you the grant ledger (${plural(rows.length, 'entry', 'entries')}) as CSV in a direct message.`);
    },
  }),
];

/** The amount of `/grant request`, noticing the category and the amount typed the other way round. */
function readRequestAmount(category: string, typed: string, purpose: string): number {
  const r = readMoney(typed);
  if (r.ok) return r.pence;
  if (readMoney(category).ok) {
    throw new UserError(
      `The category comes first, then the amount. Type it like this: /grant request ${typed.toLowerCase()} ${category} ${clip(purpose, 60)}`,
    );
  }
  throw new UserError(`${r.message}\nFor example: /grant request discovery £750 ${clip(purpose, 60) || 'Pay two community members to run a consultation'}`);
}

// Shared measures: /measure define|add|show|export and /measures.
import { DateTime } from 'luxon';
import { z } from 'zod';
import { rest } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import { flagName, inlineFlagValue, tokenize } from '../src/text/tokenizer.js';
import { UserError } from '../src/errors.js';
import { figureWithUnit, formatFigure } from '../src/measures/figure.js';
import { periodLabel } from '../src/measures/period.js';
import type { PeriodTotal } from '../src/measures/service.js';
import { plural } from '../src/text/format.js';

const DEFINE_EXAMPLE = '/measure define "People supported" --unit people --outcome involved';

/** Words and `--flag value` pairs, in any order (names may be quoted or not). */
function wordsAndFlags(text: string, allowed: string[], example: string) {
  const words: string[] = [];
  const flags: Record<string, string> = {};
  const tokens = tokenize(text);
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.unterminated) throw new UserError(`A quote is opened but never closed. Put a " at the end of the name.\nFor example: ${example}`);
    const flag = flagName(tok);
    if (!flag) {
      words.push(tok.text);
      continue;
    }
    if (!allowed.includes(flag)) throw new UserError(`I don't know the option --${flag.slice(0, 20)}. This command takes ${allowed.map((a) => '--' + a).join(', ')}.\nFor example: ${example}`);
    const inline = inlineFlagValue(tok);
    const value = inline ?? tokens[++i]?.text;
    if (!value || (inline === undefined && flagName(tokens[i]!))) throw new UserError(`--${flag} needs a value after it.\nFor example: ${example}`);
    flags[flag] = value;
  }
  return { words, flags };
}

function trend(t: PeriodTotal, unit: string): string {
  if (t.previous === null) return '';
  const diff = t.total - t.previous;
  if (diff === 0) return ', same as the period before';
  const pct = t.previous > 0 ? ` (${diff > 0 ? '+' : '-'}${Math.round((Math.abs(diff) / t.previous) * 100)}%)` : '';
  return `, ${diff > 0 ? 'up' : 'down'} ${formatFigure(Math.abs(diff), unit)}${pct} on the period before`;
}

export const measureCommands = [
  defineCommand({
    name: 'measure define',
    summary: 'Define a measure the collective shares (or change its unit, outcome or description)',
    usage: '/measure define "<name>" --unit <unit> --outcome <tag or 1-6> [--description "<text>"] [--decimals yes|no]',
    examples: [DEFINE_EXAMPLE, '/measure define "Volunteer hours" --unit hours --outcome 1 --description "Hours given by volunteers"'],
    options: { unit: 'what the figures count, e.g. people or hours', outcome: 'the outcome it shows: its tag or number (/outcomes)', description: 'a sentence on what to count', decimals: 'yes to allow figures like 12.5' },
    roles: ['lead'],
    args: z.object({ text: rest(z.string().max(400, 'That is too long: a name, a unit, an outcome and a short description.')) }),
    positional: ['text*'],
    handler(ctx, { text }) {
      const { words, flags } = wordsAndFlags(text, ['unit', 'outcome', 'description', 'decimals'], DEFINE_EXAMPLE);
      const name = words.join(' ');
      if (!name) throw new UserError(`Give the measure a name in quotes.\nFor example: ${DEFINE_EXAMPLE}`);
      const existing = ctx.services.measures.repo.byName(name);
      const unit = flags.unit ?? existing?.unit;
      const outcome = flags.outcome ?? existing?.outcome;
      if (!unit) throw new UserError(`Say what "${name.slice(0, 60)}" counts with --unit, e.g. --unit people.\nFor example: ${DEFINE_EXAMPLE}`);
      if (!outcome) throw new UserError(`Say which outcome it shows with --outcome and a tag or number (type /outcomes to see them).\nFor example: ${DEFINE_EXAMPLE}`);
      const description = flags.description?.trim().slice(0, 200) || existing?.description || null;
      const decimals = flags.decimals === undefined ? (existing ? existing.decimals === 1 : undefined) : /^(yes|true|on|1)$/i.test(flags.decimals);
      const { measure, created } = ctx.services.measures.define(ctx.actor.personId, name, unit, outcome, description, decimals);
      const month = DateTime.fromMillis(ctx.now, { zone: ctx.tz }).toFormat('LLLL').toLowerCase();
      ctx.reply(
        `Done: "${measure.name}" ${created ? 'is now a shared measure' : 'is updated'}, counted in ${measure.unit} ` +
          `(${measure.decimals ? 'figures may have decimals' : 'whole numbers'}), for the outcome ${measure.outcome_name}.\n` +
          `Collabs record it with: /measure add "${measure.name}" ${measure.decimals ? '12.5' : '120'} for ${month}`,
      );
    },
  }),
  defineCommand({
    name: 'measures',
    summary: 'List the measures the collective shares',
    usage: '/measures',
    examples: ['/measures'],
    args: z.object({}),
    handler(ctx) {
      const list = ctx.services.measures.list();
      if (!list.length) return ctx.reply(`There are no shared measures yet. A lead can add one, e.g. ${DEFINE_EXAMPLE}`);
      const lines = list.map((m) => `• "${m.name}" in ${m.unit} — outcome ${m.outcome_position}: ${m.outcome_name}${m.description ? `. ${m.description}` : ''}`);
      ctx.reply([`${plural(list.length, 'shared measure')}:`, ...lines, `Record a figure in your collab: /measure add "${list[0]!.name}" 120`].join('\n'));
    },
  }),
  defineCommand({
    name: 'measure add',
    summary: "Record this collab's figure for a measure, for a month, quarter or year (default: this month)",
    usage: '/measure add "<measure>" <figure> [for <month | quarter | year>]',
    examples: ['/measure add "People supported" 120', '/measure add "People supported" 120 for november', '/measure add "People supported" 400 for 2026-Q4'],
    where: 'collab',
    args: z.object({ text: rest({ max: 200 }) }),
    positional: ['text*'],
    handler(ctx, { text }) {
      const collab = ctx.requireCollab();
      const month = DateTime.fromMillis(ctx.now, { zone: ctx.tz }).toFormat('LLLL').toLowerCase();
      const example = `/measure add "People supported" 120 for ${month}`;
      const m = /^(.*?)\s+for\s+(.+)$/i.exec(text.trim());
      const head = m ? m[1]! : text.trim();
      const tokens = tokenize(head);
      const figure = tokens.length >= 2 ? tokens[tokens.length - 1]! : undefined;
      if (!figure || figure.quoted) throw new UserError(`Say which measure and the figure.\nFor example: ${example}`);
      const name = tokens.slice(0, -1).map((t) => t.text).join(' ');
      const r = ctx.services.measures.add(ctx.actor.personId, collab.id, ctx.tz, name, figure.text, m?.[2]);
      const was = r.replaced === null ? '' : r.replaced === r.value ? ' (the same as before)' : ` (it was ${figureWithUnit(r.replaced, r.measure.unit)}; that stays in the history)`;
      ctx.reply(`Done: ${collab.name} recorded ${figureWithUnit(r.value, r.measure.unit)} for "${r.measure.name}" in ${periodLabel(r.period)}${was}. Type /measure show "${r.measure.name}" to see every collab's.`);
    },
  }),
  defineCommand({
    name: 'measure show',
    summary: "Each collab's latest figure for a measure and the collective total per period, with the trend",
    usage: '/measure show "<measure>"',
    examples: ['/measure show "People supported"'],
    args: z.object({ name: rest({ min: 1, max: 80 }) }),
    positional: ['name*'],
    handler(ctx, { name }) {
      const { measures } = ctx.services;
      const measure = measures.require(tokenize(name).map((t) => t.text).join(' '));
      const s = measures.summary(measure);
      const u = measure.unit;
      if (!s.latest.length) {
        return ctx.reply(`No collab has recorded "${measure.name}" yet. In a collab, type e.g. /measure add "${measure.name}" ${measure.decimals ? '12.5' : '120'}`);
      }
      const lines = [`"${measure.name}" (${u}, outcome: ${measure.outcome_name})`, 'Latest figure of each collab:'];
      for (const f of s.latest) lines.push(`• ${f.collab_name}: ${figureWithUnit(f.value, u)} in ${periodLabel(f.period)}`);
      lines.push('Collective total:');
      for (const kind of ['month', 'quarter', 'year'] as const) {
        for (const t of s.totals[kind].slice(-6)) {
          lines.push(`• ${periodLabel(t.period)}: ${figureWithUnit(t.total, u)} from ${plural(t.collabs, 'collab')}${trend(t, u)}`);
        }
      }
      ctx.reply(lines.join('\n'));
    },
  }),
  defineCommand({
    name: 'measure export',
    summary: 'Every recorded figure (and its history) as CSV, sent to you by direct message',
    usage: '/measure export',
    examples: ['/measure export'],
    args: z.object({}),
    handler(ctx) {
      const { csv, rows } = ctx.services.measures.exportCsv(ctx.tz);
      if (!rows) return ctx.reply(`No figures are recorded yet, so there is nothing to export. In a collab, type e.g. /measure add "People supported" 120`);
      ctx.dm(ctx.actor.personId, csv);
      if (!ctx.chat.is_direct) ctx.reply(`${ctx.actor.name}, I've sent you the figures (${plural(rows, 'row')}) as CSV in a direct message.`);
    },
  }),
];

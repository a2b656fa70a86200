import { z } from 'zod';
import { rest } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import { findTopic, HELP_TOPICS } from './help-topics.js';

export const helpCommands = [
  defineCommand({
    name: 'help',
    summary: 'What I can do, one topic at a time',
    usage: '/help [topic or command]',
    examples: ['/help', '/help polls', '/help poll close'],
    args: z.object({ topic: rest({ max: 100 }).optional() }),
    positional: ['topic*'],
    handler(ctx, { topic }) {
      const word = topic?.trim();
      if (!word) return ctx.reply(overview());
      const found = findTopic(word);
      const mine = found ? ctx.registry.all().filter((s) => found.families.includes(s.name.split(' ')[0]!)) : [];
      ctx.reply(mine.length > 1 ? topicHelp(mine, found!.title) : ctx.registry.help(mine[0]?.name ?? word));
    },
  }),
];

/** One phone screen: a line per topic. */
function overview(): string {
  return [
    'Here is what I can do. Type /help and a topic for its commands.',
    ...HELP_TOPICS.map((t) => `${t.title}: ${t.about} — /help ${t.name}`),
    'Example: /help polls',
  ].join('\n');
}

/** A topic's commands, one line each, with how to read more about one. */
function topicHelp(mine: readonly { name: string; summary: string; rules?: string }[], title: string): string {
  const example = mine.find((s) => s.name.includes(' '))?.name ?? mine[0]!.name;
  // The rules that protect decisions (who may approve money, how linking works) are said up front, not one level down.
  const rules = mine.filter((s) => s.rules).map((s) => `Rules of /${s.name}: ${s.rules}`);
  return [`${title}:`, ...mine.map((s) => `/${s.name} — ${s.summary}`), ...rules, `For details and examples, add the command, e.g. /help ${example}`].join('\n');
}

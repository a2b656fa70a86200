import { z } from 'zod';
import { defineCommand } from '../src/core/registry.js';
import { rest, text } from '../src/core/args.js';
import { UserError } from '../src/errors.js';
import { plural } from '../src/text/format.js';
import { formatDay } from '../src/time/dates.js';

/** `--outcome local-need`, before or after the text (the registry reads it at the end too). */
export const outcomeTag = text({
  missing: '--outcome needs a tag after it, e.g. --outcome local-need. Type /outcomes to see the tags.',
}).optional();

const EXAMPLE = '/story Ten families now get fresh food every week --outcome local-need';

export const storyCommands = [
  defineCommand({
    name: 'story',
    summary: 'Record a real-life story of the difference this collab made',
    usage: '/story <what happened> [--outcome <tag>]',
    examples: [EXAMPLE, '/story Our youth forum now sits on the council transport panel'],
    options: { outcome: 'the outcome it shows; /outcomes lists the tags' },
    where: 'collab',
    args: z.object({ text: rest(z.string().max(4000, 'A story can be at most 4,000 characters'), { max: 4000 }), outcome: outcomeTag }),
    positional: ['text*'],
    handler(ctx, args) {
      const collab = ctx.requireCollab();
      const { stories } = ctx.services;
      const typed = args.outcome;
      if (args.text.split(/\s+/).filter(Boolean).length < 3) {
        throw new UserError(`Tell the story in a sentence or more: what happened, and for whom.\nFor example: ${EXAMPLE}`);
      }
      const outcome = typed ? stories.resolveOutcome(typed) : null;
      const id = stories.add(collab.id, ctx.actor.personId, args.text, outcome?.slug ?? null);
      ctx.reply(
        `Thank you! Story #${id} is saved for ${collab.name}${outcome ? ` (${outcome.name})` : ''}. Type /stories to read them.\n` +
          `If ${collab.name} publishes its stories, the public site shows this one as from ${collab.name}. To show your name with it instead, type /story show-name ${id}`,
      );
    },
  }),
  defineCommand({
    name: 'stories',
    summary: "Read this collab's stories (or everyone's, outside a collab), optionally for one outcome",
    usage: '/stories [outcome tag]',
    examples: ['/stories', '/stories local-need'],
    args: z.object({ outcome: text({ max: 60 }).optional() }),
    positional: ['outcome'],
    handler(ctx, args) {
      const { stories } = ctx.services;
      const outcome = args.outcome ? stories.resolveOutcome(args.outcome) : null;
      const { stories: list, total } = stories.list(ctx.collab?.id ?? null, outcome?.slug ?? null);
      const whose = ctx.collab ? ctx.collab.name : 'all collabs';
      if (!list.length) {
        return ctx.reply(`There are no stories${outcome ? ` about ${outcome.name}` : ''} for ${whose} yet. Add one with /story, e.g. ${EXAMPLE}`);
      }
      const lines = list.map((s) => {
        const tags = [s.outcome_name, s.grant_id !== null ? `grant #${s.grant_id}` : null].filter(Boolean).join(', ');
        const where = ctx.collab ? '' : `${s.collab_name}, `;
        return `• #${s.id} ${where}${formatDay(s.created_at, ctx.tz)}, ${s.author_name}${tags ? ` (${tags})` : ''}: ${s.text}`;
      });
      const head = `${plural(total, 'story', 'stories')}${outcome ? ` about ${outcome.name}` : ''} for ${whose}${total > list.length ? ` (the newest ${list.length})` : ''}:`;
      ctx.reply([head, ...lines].join('\n'));
    },
  }),
  defineCommand({
    name: 'outcomes',
    summary: 'The outcome tags stories can have',
    usage: '/outcomes',
    examples: ['/outcomes'],
    args: z.object({}),
    handler(ctx) {
      ctx.reply(`Outcome tags (type the short one, e.g. --outcome local-need):\n${ctx.services.stories.describeOutcomes()}`);
    },
  }),
  defineCommand({
    name: 'outcome add',
    summary: 'Add an outcome tag for stories, or rename one',
    usage: '/outcome add <tag> <full name>',
    examples: ['/outcome add food-access Better access to good food'],
    roles: ['admin'],
    args: z.object({ slug: text({ max: 30 }), name: rest(z.string().trim().min(3, 'Give the tag a full name, e.g. Better access to good food').max(100), { min: 3, max: 100 }) }),
    positional: ['slug', 'name*'],
    handler(ctx, { slug, name }) {
      const done = ctx.services.stories.addOutcome(slug, name);
      ctx.reply(`Done: the outcome tag ${slug.toLowerCase()} is ${done === 'added' ? 'added' : 'now called'}: ${name}.`);
    },
  }),
  defineCommand({
    name: 'outcome remove',
    summary: 'Stop offering an outcome tag (stories that have it keep it)',
    usage: '/outcome remove <tag>',
    examples: ['/outcome remove economy'],
    roles: ['admin'],
    args: z.object({ slug: text({ max: 30 }) }),
    positional: ['slug'],
    handler(ctx, { slug }) {
      const o = ctx.services.stories.retireOutcome(slug);
      ctx.reply(`Done: ${o.slug} (${o.name}) is no longer offered. Stories that have it keep it. To bring it back: /outcome add ${o.slug} ${o.name}`);
    },
  }),
];

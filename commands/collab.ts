import { z } from 'zod';
import { choice, rest, text } from '../src/core/args.js';
import { TOPICS } from '../src/collabs/service.js';
import { isValidTimeZone } from '../src/config.js';
import { defineCommand } from '../src/core/registry.js';
import { unquote } from '../src/text/tokenizer.js';
import { UserError } from '../src/errors.js';
import { listWords, plural } from '../src/text/format.js';

const collabName = rest(
  z.string().trim().min(2, 'A collab name needs at least 2 characters').max(60, 'A collab name can be at most 60 characters'),
  { min: 2, max: 60 },
);

const topicOf = (verb: 'subscribe to' | 'unsubscribe from') =>
  choice(TOPICS, `Choose what to ${verb}: ${listWords([...TOPICS], 'or')}. For example: /${verb.split(' ')[0]} ${TOPICS[0]}`);
const topic = topicOf('subscribe to');

export const collabCommands = [
  defineCommand({
    name: 'collab create',
    summary: 'Turn this chat into a collab (you become its facilitator)',
    usage: '/collab create <name>',
    examples: ['/collab create Food Network'],
    args: z.object({ name: collabName }),
    positional: ['name*'],
    handler(ctx, { name }) {
      const { collabs } = ctx.services;
      const collab = collabs.create(unquote(name), ctx.chat, ctx.actor.personId);
      ctx.reply(
        `Done: this chat is now the collab "${collab.name}", and ${ctx.actor.name} is its facilitator.\n` +
          `Next: type /help to see what the collab can do, or /collab link ${collab.name} in its other chats (Slack, Discord, WhatsApp).`,
      );
    },
  }),
  defineCommand({
    name: 'collab link',
    summary: "Join this chat to an existing collab (e.g. its Slack channel and WhatsApp group)",
    usage: '/collab link <name>',
    examples: ['/collab link Food Network'],
    args: z.object({ name: collabName }),
    positional: ['name*'],
    handler(ctx, { name }) {
      const { collabs, roles } = ctx.services;
      const collab = collabs.require(unquote(name));
      if (!roles.hasAny(ctx.actor.personId, ['facilitator', 'lead'], collab.id)) {
        throw new UserError(`Only a facilitator of ${collab.name}, a lead or an admin can join a chat to it. If you use another account there, type /link first.`);
      }
      collabs.link(collab, ctx.chat);
      collabs.noteMember(collab.id, ctx.actor.personId);
      const chats = collabs.chatsOf(collab.id);
      ctx.reply(`Done: this chat is now part of ${collab.name}. It has ${chats.length} chats: ${chats.map((c) => `${c.name} (${c.platform})`).join(', ')}.`);
    },
  }),
  defineCommand({
    name: 'collab info',
    summary: "Show this chat's collab: chats, facilitators, members",
    usage: '/collab info [name]',
    examples: ['/collab info', '/collab info Food Network'],
    args: z.object({ name: rest({ max: 60 }).optional() }),
    positional: ['name*'],
    handler(ctx, { name }) {
      const { collabs, roles, people } = ctx.services;
      const collab = name ? collabs.require(unquote(name)) : ctx.requireCollab();
      const chats = collabs.chatsOf(collab.id);
      const facilitators = roles.holders('facilitator', collab.id).map((p) => people.name(p));
      const subs = ctx.collab?.id === collab.id ? collabs.topicsOf(ctx.chat.id) : [];
      ctx.reply(
        [
          `${collab.name}`,
          `Facilitators: ${facilitators.join(', ') || 'none yet'}`,
          `Members seen: ${collabs.memberCount(collab.id)}`,
          `Chats: ${chats.map((c) => `${c.name} (${c.platform})`).join(', ')}`,
          `Time zone: ${collabs.timeZone(collab)}`,
          ...(subs.length ? [`This chat receives: ${subs.join(', ')}`] : []),
        ].join('\n'),
      );
    },
  }),
  defineCommand({
    name: 'collab tz',
    summary: "Set the collab's time zone for dates and reminders",
    usage: '/collab tz <time zone>',
    examples: ['/collab tz Europe/London'],
    roles: ['facilitator'],
    where: 'collab',
    args: z.object({ tz: text(z.string().superRefine(checkCityZone)) }),
    positional: ['tz'],
    handler(ctx, { tz }) {
      const collab = ctx.requireCollab();
      ctx.services.collabs.setTimeZone(collab.id, tz);
      ctx.reply(`Done: ${collab.name} now uses the ${tz} time zone.`);
    },
  }),
  defineCommand({
    name: 'collabs',
    summary: 'List every collab',
    usage: '/collabs',
    examples: ['/collabs'],
    args: z.object({}),
    handler(ctx) {
      const list = ctx.services.collabs.list();
      if (!list.length) return ctx.reply('There are no collabs yet. Start one in a group chat with /collab create <name>, e.g. /collab create Food Network');
      ctx.reply([`${plural(list.length, 'collab')}:`, ...list.map((c) => `• ${c.name} — ${plural(c.members, 'member')}, ${plural(c.chats, 'chat')}`)].join('\n'));
    },
  }),
  defineCommand({
    name: 'subscribe',
    summary: "Receive the Collective's minutes, sector-wide polls or delegate elections in this chat",
    usage: '/subscribe minutes|polls|elections',
    examples: ['/subscribe minutes', '/subscribe polls', '/subscribe elections'],
    roles: ['facilitator'],
    args: z.object({ topic }),
    positional: ['topic'],
    handler(ctx, { topic }) {
      if (ctx.chat.is_direct) throw new UserError(`Subscriptions are for group chats. Type this in the group, e.g. /subscribe ${topic}`);
      const added = ctx.services.collabs.subscribe(ctx.chat, topic, ctx.actor.personId);
      ctx.reply(added ? `Done: this chat will now receive ${topic}. To stop, type /unsubscribe ${topic}` : `This chat already receives ${topic}.`);
    },
  }),
  defineCommand({
    name: 'unsubscribe',
    summary: 'Stop receiving minutes or sector-wide polls in this chat',
    usage: '/unsubscribe minutes|polls',
    examples: ['/unsubscribe minutes'],
    roles: ['facilitator'],
    args: z.object({ topic: topicOf('unsubscribe from') }),
    positional: ['topic'],
    handler(ctx, { topic }) {
      const removed = ctx.services.collabs.unsubscribe(ctx.chat, topic);
      ctx.reply(removed ? `Done: this chat will no longer receive ${topic}.` : `This chat does not receive ${topic}, so nothing changed.`);
    },
  }),
];

/**
 * Only zones named after a city (Europe/London), which follow summer time:
 * GMT, BST or UTC would leave every time an hour off for half the year.
 */
function checkCityZone(tz: string, ctx: z.RefinementCtx) {
  if (/^(gmt|bst|utc|ut|z|zulu|uct|wet|west|europe\/london time)([+-]\d+)?$/i.test(tz.trim()) || /^(etc\/|gmt|utc)/i.test(tz.trim())) {
    ctx.addIssue({
      code: 'custom',
      message: `${tz} stays the same all year, so in summer every time would be an hour off. Use the name of a city's zone instead, e.g. /collab tz Europe/London`,
    });
  } else if (!isValidTimeZone(tz) || !tz.includes('/')) {
    ctx.addIssue({ code: 'custom', message: 'That is not a time zone I know. Use a city zone name, e.g. /collab tz Europe/London or /collab tz Europe/Dublin' });
  }
}

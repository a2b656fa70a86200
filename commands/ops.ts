// Running the bot and the members' data rights: /status for admins, /mydata and /forget for everyone.
import { z } from 'zod';
import { UserError } from '../src/errors.js';
import { flag, mention } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import { statusText } from '../src/ops/status.js';
import { listWords, plural } from '../src/text/format.js';


export const opsCommands = [
  defineCommand({
    name: 'status',
    summary: 'How the bot is doing: connections, messages waiting, failures, backups',
    usage: '/status',
    examples: ['/status'],
    roles: ['admin'],
    args: z.object({}),
    handler(ctx) {
      ctx.reply(statusText(ctx.services.ops, ctx.now, ctx.services.config.COLLABOT_TZ));
    },
  }),
  defineCommand({
    name: 'mydata',
    summary: 'Get everything I keep about you, by direct message',
    usage: '/mydata',
    examples: ['/mydata'],
    args: z.object({}),
    handler(ctx) {
      const doc = ctx.services.privacy.export(ctx.actor.personId);
      const json = JSON.stringify(doc, null, 1);
      // The outbox splits a long document into numbered messages in order.
      ctx.dm(ctx.actor.personId, `Here is everything I keep about you (${plural(json.length, 'character')}, JSON):\n${json}`);
      if (!ctx.chat.is_direct) ctx.reply(`${ctx.actor.name}, I've sent you everything I keep about you in a direct message.`);
    },
  }),
  defineCommand({
    name: 'forget',
    summary: 'Erase a person: their name, accounts and private messages (records stay, unnamed)',
    usage: '/forget @name [--confirm]',
    examples: ['/forget @ben', '/forget @ben --confirm'],
    who: 'the person themselves, or an admin',
    args: z.object({ person: mention(), confirm: flag().optional() }),
    positional: ['person'],
    options: { confirm: 'go ahead (without it, I only say what would happen)' },
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const self = target === ctx.actor.personId;
      if (!self && !ctx.can(['admin'])) {
        throw new UserError(`Only ${args.person} themselves or an admin can erase ${args.person}. To erase yourself, type /forget @${ctx.actor.name}`);
      }
      const { privacy, people } = ctx.services;
      const name = people.name(target);
      if (!args.confirm) {
        ctx.reply(
          `This erases ${name} for good: their name becomes "former member", their accounts, direct messages, link codes, roles and personal reminders are removed. ` +
            `Grants, minutes, decisions and named votes stay as records without the name; anonymous ballots are untouched.\n` +
            `To go ahead, type: /forget ${args.person} --confirm`,
        );
        return;
      }
      const { removed, kept } = privacy.forget(target);
      const lines = [
        `Done: ${self ? 'you have' : `${name} has`} been erased. Removed:`,
        `• ${plural(removed.accounts, 'account')} (platform ids) and the name, now "former member"`,
        // Delivered replies are not kept, so this counts only messages still stored.
        ...listed([
          removed.messages && plural(removed.messages, 'stored direct message'),
          removed.linkCodes && plural(removed.linkCodes, 'link code'),
          removed.chats && `the name and id of ${plural(removed.chats, 'direct chat')}`,
        ]),
        `• ${plural(removed.roles, 'role')} and ${plural(removed.memberships, 'collab membership')}`,
        `• ${plural(removed.remindersCancelled, 'personal reminder')} cancelled`,
        'Kept without the name, because the collective and its funders rely on them:',
        `• ${plural(kept.grants, 'grant record')}, ${plural(kept.minutes, 'minutes record')}, ${plural(kept.votes, 'vote')}, ${plural(kept.notes, 'note and action', 'notes and actions')}, ${plural(kept.stories, 'story', 'stories')}`,
        'Anonymous ballots were never linked to anyone and are untouched.',
      ];
      ctx.reply(lines.join('\n'));
    },
  }),
];

/** One bullet naming the parts that are there, e.g. "• 1 link code and the name and id of 1 direct chat"; none if none. */
function listed(parts: (string | 0)[]): string[] {
  const named = parts.filter((p): p is string => !!p);
  if (!named.length) return [];
  return [`• ${listWords(named)}`];
}

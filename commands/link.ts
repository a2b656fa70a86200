import { z } from 'zod';
import { list, mention, text } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import { UserError } from '../src/errors.js';

export const linkCommands = [
  defineCommand({
    name: 'link',
    summary: 'Join your accounts on two different platforms so you count once: get a code here, type it on the other account, then /link confirm here',
    usage: '/link [code]',
    examples: ['/link', '/link 123456'],
    rules:
      'Both accounts must agree: the code is typed on the other account, then confirmed with /link confirm on the account that asked for it. ' +
      'Two accounts on the same platform cannot be linked. After 5 wrong codes, from anyone, every code stops working. ' +
      'An admin is admin only from their listed account, never through a linked one. Within 30 days, /link undo splits a link.',
    args: z.object({ code: list().optional() }),
    positional: ['code...'],
    handler(ctx, args) {
      const { people } = ctx.services;
      // `853 290`: phones and people split a code in two; the digits are the code.
      const code = args.code?.join('').replace(/[\s-]/g, '');
      if (code !== undefined && !/^\d{6}$/.test(code)) {
        throw new UserError(
          'A link code is the 6 digits I sent you by direct message. Type them after /link from your other account.\n' +
            'No code yet? Type /link on its own and I will send you one.',
        );
      }
      if (!code) {
        const fresh = people.createLinkCode(ctx.actor.personId);
        // The code goes by direct message: anyone who saw it could ask to join you.
        ctx.dm(
          ctx.actor.personId,
          `Your link code is ${fresh}. Within 15 minutes, type /link ${fresh} from your other account on another platform (Slack, Discord, WhatsApp…), ` +
            `then come back here and type /link confirm. Don't share the code, and never type a code someone else sends you.`,
        );
        if (!ctx.chat.is_direct) ctx.reply(`${ctx.actor.name}, I've sent you a code in a direct message.`);
        return;
      }
      const claimed = people.claimLinkCode(code, ctx.actor.personId);
      if ('wrong' in claimed) return ctx.reply(claimed.wrong);
      const { owner } = claimed;
      const where = ctx.actor.platform;
      ctx.dm(
        owner,
        `${ctx.actor.name} on ${where} typed your link code. If that account is yours too, type /link confirm to join them. ` +
          `If it is not yours, do nothing: nothing is joined, and the code expires in 15 minutes.`,
      );
      ctx.reply(
        `Almost done. Nothing is joined yet: go to your other account (${people.name(owner)}) and type /link confirm there within 15 minutes.\n` +
          `Only do this with your own accounts: once linked, each account acts with the other's roles.`,
      );
    },
  }),
  defineCommand({
    name: 'link confirm',
    summary: 'Finish linking: confirm from the account that asked for the code',
    usage: '/link confirm',
    examples: ['/link confirm'],
    args: z.object({}),
    handler(ctx) {
      const { people } = ctx.services;
      const { into } = people.confirmLink(ctx.actor.personId);
      const ids = people.identities(into).map((i) => `${i.platform} (${i.display_name})`);
      ctx.reply(
        `Done: your accounts are now one person: ${ids.join(', ')}. Votes and roles count once across them.\n` +
          'Made a mistake? Within 30 days, type /link undo to split them again.',
      );
    },
  }),
  defineCommand({
    name: 'link undo',
    summary: 'Split the accounts you linked in the last 30 days (admins: /link undo @name)',
    usage: '/link undo [@name]',
    examples: ['/link undo', '/link undo @ben'],
    who: 'either of the linked accounts; an admin for anyone (each account gets its own roles back; votes and notes made while linked stay joined)',
    args: z.object({ person: mention('/link undo @ben').optional() }),
    positional: ['person'],
    handler(ctx, { person }) {
      const { people, roles } = ctx.services;
      let whose = ctx.actor.personId;
      if (person) {
        if (!roles.isAdmin(ctx.actor.personId)) {
          ctx.reply('Only an admin can split someone else\'s link. To split your own, type /link undo');
          return;
        }
        whose = ctx.person(person);
      }
      const { identities } = people.undoLink(whose, ctx.actor.personId);
      ctx.reply(
        `Done: the link is undone. ${identities.map(([platform, id]) => `${platform} (${id})`).join(', ')} is a separate account again, with its own roles.`,
      );
    },
  }),
];

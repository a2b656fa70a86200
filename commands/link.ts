import { z } from 'zod';
import { list } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import { UserError } from '../src/errors.js';

export const linkCommands = [
  defineCommand({
    name: 'link',
    summary: 'Join your accounts on two platforms so you count once everywhere',
    usage: '/link [code]',
    examples: ['/link', '/link 123456'],
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
        // The code goes by direct message: anyone who saw it could claim to be you.
        ctx.dm(ctx.actor.personId, `Your link code is ${fresh}. Within 15 minutes, type /link ${fresh} from your other account (on Slack, Discord, WhatsApp…). Don't share it.`);
        if (!ctx.chat.is_direct) ctx.reply(`${ctx.actor.name}, I've sent you a code in a direct message.`);
        return;
      }
      const { into } = people.redeemLinkCode(code, ctx.actor.personId);
      const ids = people.identities(into).map((i) => `${i.platform} (${i.display_name})`);
      ctx.reply(`Done: your accounts are now one person: ${ids.join(', ')}. Votes and roles count once across them.`);
    },
  }),
];

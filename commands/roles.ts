import { z } from 'zod';
import { GRANTABLE_ROLES } from '../src/collabs/roles.js';
import { defineCommand } from '../src/core/registry.js';

const role = z.enum(GRANTABLE_ROLES, { message: `The role must be one of: ${GRANTABLE_ROLES.join(', ')}` });
const mention = z.string().regex(/^@\S+/, 'Say who with @ and their name, e.g. @ben');

export const roleCommands = [
  defineCommand({
    name: 'role add',
    summary: 'Give someone a role: lead, delegate, or facilitator of this collab',
    usage: '/role add @name <lead|delegate|facilitator>',
    examples: ['/role add @ben lead', '/role add @cara facilitator'],
    // Fine-grained rules (who may grant which role) live in the roles service.
    roles: ['lead', 'facilitator'],
    args: z.object({ person: mention, role }),
    positional: ['person', 'role'],
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const { roles, people } = ctx.services;
      const added = roles.grant(ctx.actor.personId, target, args.role, ctx.collab?.id ?? null, ctx.now);
      const where = args.role === 'facilitator' ? ` of ${ctx.collab!.name}` : '';
      ctx.reply(added ? `Done: ${people.name(target)} is now a ${args.role}${where}.` : `${people.name(target)} is already a ${args.role}${where}.`);
    },
  }),
  defineCommand({
    name: 'role remove',
    summary: 'Take a role away from someone',
    usage: '/role remove @name <lead|delegate|facilitator>',
    examples: ['/role remove @ben lead'],
    roles: ['lead', 'facilitator'],
    args: z.object({ person: mention, role }),
    positional: ['person', 'role'],
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const { roles, people } = ctx.services;
      const removed = roles.revoke(ctx.actor.personId, target, args.role, ctx.collab?.id ?? null);
      const where = args.role === 'facilitator' ? ` of ${ctx.collab!.name}` : '';
      ctx.reply(removed ? `Done: ${people.name(target)} is no longer a ${args.role}${where}.` : `${people.name(target)} was not a ${args.role}${where}, so nothing changed.`);
    },
  }),
  defineCommand({
    name: 'roles',
    summary: 'Show who holds which role',
    usage: '/roles',
    examples: ['/roles'],
    args: z.object({}),
    handler(ctx) {
      const list = ctx.services.roles.list();
      if (!list.length) return ctx.reply('Nobody holds a role yet. An admin can give one with /role add @name lead');
      const lines = list.map((r) => {
        if (r.role === 'facilitator') return `• ${r.name}: facilitator of ${r.collab}`;
        if (r.role === 'delegate' && r.detail) return `• ${r.name}: delegate to ${r.detail}`;
        return `• ${r.name}: ${r.role}`;
      });
      ctx.reply(['Roles:', ...lines].join('\n'));
    },
  }),
];

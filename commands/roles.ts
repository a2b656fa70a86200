import { z } from 'zod';
import { choice, mention } from '../src/core/args.js';
import { GRANTABLE_ROLES, type GrantableRole } from '../src/collabs/roles.js';
import type { CommandContext } from '../src/core/context.js';
import { defineCommand } from '../src/core/registry.js';

// Any case (`/role add @frank Lead`): the binder matches choice() keywords ignoring case.
const role = choice(GRANTABLE_ROLES, `The role must be one of: ${GRANTABLE_ROLES.join(', ')}. For example: /role add @frank lead`);
/** `@name <role>`, for giving and taking away. */
const personAndRole = { args: z.object({ person: mention(), role }), positional: ['person', 'role'] };

/** `lead`, or `facilitator of Food Network` (the roles service has already refused a facilitator outside a collab). */
const roleHere = (ctx: CommandContext, role: GrantableRole) => (role === 'facilitator' ? `${role} of ${ctx.collab!.name}` : role);

export const roleCommands = [
  defineCommand({
    name: 'role add',
    summary: 'Give someone a role: lead, delegate, or facilitator of this collab',
    usage: '/role add @name <lead|delegate|facilitator>',
    examples: ['/role add @ben lead', '/role add @cara facilitator'],
    // Fine-grained rules (who may grant which role) live in the roles service.
    roles: ['lead', 'facilitator'],
    ...personAndRole,
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const { roles, people } = ctx.services;
      const added = roles.grant(ctx.actor.personId, target, args.role, ctx.collab?.id ?? null, ctx.now);
      const role = roleHere(ctx, args.role);
      ctx.reply(added ? `Done: ${people.name(target)} is now a ${role}.` : `${people.name(target)} is already a ${role}.`);
    },
  }),
  defineCommand({
    name: 'role remove',
    summary: 'Take a role away from someone',
    usage: '/role remove @name <lead|delegate|facilitator>',
    examples: ['/role remove @ben lead'],
    roles: ['lead', 'facilitator'],
    ...personAndRole,
    handler(ctx, args) {
      const target = ctx.person(args.person);
      const { roles, people } = ctx.services;
      const removed = roles.revoke(ctx.actor.personId, target, args.role, ctx.collab?.id ?? null);
      const role = roleHere(ctx, args.role);
      ctx.reply(removed ? `Done: ${people.name(target)} is no longer a ${role}.` : `${people.name(target)} was not a ${role}, so nothing changed.`);
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

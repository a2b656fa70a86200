// Choices about the public site: /collab publish on|off and a story author's consent to be named.
import { z } from 'zod';
import { choice, recordNumber, rest } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';
import { UserError } from '../src/errors.js';

export const publishCommands = [
  defineCommand({
    name: 'collab publish',
    summary: "Show (or stop showing) this collab's decisions and stories on the Collective's public site",
    usage: '/collab publish on|off',
    examples: ['/collab publish on', '/collab publish off'],
    roles: ['facilitator'],
    where: 'collab',
    args: z.object({ state: choice(['on', 'off'], 'Say on or off, e.g. /collab publish on') }),
    positional: ['state'],
    handler(ctx, { state }) {
      const collab = ctx.requireCollab();
      const changed = ctx.services.publishing.setPublish(collab.id, state === 'on');
      if (state === 'on') {
        ctx.reply(
          changed
            ? `Done: ${collab.name}'s closed polls (results only; anonymous polls as counts) and stories will appear on the public site from its next build. Votes, notes and actions never do. To stop: /collab publish off`
            : `${collab.name} already publishes its decisions and stories. To stop: /collab publish off`,
        );
      } else {
        ctx.reply(
          changed
            ? `Done: ${collab.name}'s decisions and stories will no longer appear on the public site from its next build. Its grants still do, as the Collective decided them. To publish again: /collab publish on`
            : `${collab.name} does not publish, so nothing changed. To publish its decisions and stories: /collab publish on`,
        );
      }
    },
  }),
  defineCommand({
    name: 'collab about',
    summary: 'Say in a sentence what this collab is for (shown on the public site when it publishes)',
    usage: '/collab about <what the collab is for>',
    examples: ['/collab about Food banks and community larders working together on food access'],
    roles: ['facilitator'],
    where: 'collab',
    args: z.object({
      text: rest(
        z.string().trim().min(10, 'Say what the collab is for in a sentence, e.g. /collab about Food banks working together on food access').max(300, 'Keep it to a sentence or two: at most 300 characters'),
      ),
    }),
    positional: ['text*'],
    handler(ctx, { text }) {
      const collab = ctx.requireCollab();
      ctx.services.publishing.setAbout(collab.id, text);
      const publishes = ctx.services.publishing.publishes(collab.id);
      ctx.reply(`Done: ${collab.name} is "${text}".${publishes ? ' The public site shows it from its next build.' : ' The public site shows it once the collab publishes: /collab publish on'}`);
    },
  }),
  defineCommand({
    name: 'grant outcome',
    summary: 'Tag a grant with the outcome it works towards (shown on the public site)',
    usage: '/grant outcome <grant number> <outcome tag or 1-6>',
    examples: ['/grant outcome 7 local-need', '/grant outcome 7 4'],
    who: 'the person who asked for it, a facilitator of its collab, a lead or an admin',
    args: z.object({
      id: recordNumber('grant', 'Give the grant number, e.g. /grant outcome 7 local-need'),
      outcome: rest({ max: 60 }),
    }),
    positional: ['id', 'outcome*'],
    handler(ctx, { id, outcome }) {
      const { grants, measures, grantOutcomes, roles } = ctx.services;
      const grant = grants.require(id);
      const allowed = grant.requested_by === ctx.actor.personId || roles.hasAny(ctx.actor.personId, ['facilitator', 'lead'], grant.collab_id);
      if (!allowed) throw new UserError(`Only the person who asked for grant #${id}, a facilitator of its collab or a lead can tag it. Type /grant show ${id} to see it.`);
      const o = measures.outcome(outcome);
      const changed = grantOutcomes.set(id, o);
      ctx.reply(changed ? `Done: grant #${id} is tagged ${o.slug} (${o.name}).` : `Grant #${id} is already tagged ${o.slug} (${o.name}).`);
    },
  }),
  defineCommand({
    name: 'story show-name',
    summary: 'Show your name with your story on the public site (it shows the collab\'s name until you agree)',
    usage: '/story show-name <story number>',
    examples: ['/story show-name 12'],
    args: z.object({ id: recordNumber('story', 'Give the story number, e.g. /story show-name 12') }),
    positional: ['id'],
    handler(ctx, { id }) {
      const changed = ctx.services.publishing.setStoryNamed(ctx.actor.personId, id, true);
      ctx.reply(changed ? `Done: story #${id} will show your name, ${ctx.actor.name}, on the public site. To take it off: /story hide-name ${id}` : `Story #${id} already shows your name. To take it off: /story hide-name ${id}`);
    },
  }),
  defineCommand({
    name: 'story hide-name',
    summary: "Show the collab's name instead of yours with your story on the public site",
    usage: '/story hide-name <story number>',
    examples: ['/story hide-name 12'],
    args: z.object({ id: recordNumber('story', 'Give the story number, e.g. /story hide-name 12') }),
    positional: ['id'],
    handler(ctx, { id }) {
      const changed = ctx.services.publishing.setStoryNamed(ctx.actor.personId, id, false);
      ctx.reply(changed ? `Done: story #${id} will show the collab's name, not yours, on the public site.` : `Story #${id} already shows the collab's name, not yours.`);
    },
  }),
];

import { z } from 'zod';
import { rest } from '../src/core/args.js';
import { defineCommand } from '../src/core/registry.js';

export const helpCommands = [
  defineCommand({
    name: 'help',
    summary: 'List every command, or explain one',
    usage: '/help [command]',
    examples: ['/help', '/help poll'],
    args: z.object({ topic: rest({ max: 100 }).optional() }),
    positional: ['topic*'],
    handler(ctx, { topic }) {
      ctx.reply(ctx.registry.help(topic || undefined));
    },
  }),
];

// Every command family, in the order /help lists them. A new family is one
// file in this folder and one line here.
import type { CommandSpec } from '../src/core/registry.js';
import { collabCommands } from './collab.js';
import { helpCommands } from './help.js';
import { linkCommands } from './link.js';
import { minutesCommands } from './minutes.js';
import { roleCommands } from './roles.js';

export const allCommands: CommandSpec[] = [
  ...collabCommands,
  ...roleCommands,
  ...linkCommands,
  ...minutesCommands,
  ...helpCommands,
];

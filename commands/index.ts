// Every command family, in the order /help lists them. A new family is one
// file in this folder and one line here.
import type { CommandSpec } from '../src/core/registry.js';
import { collabCommands } from './collab.js';
import { grantCommands } from './grant.js';
import { helpCommands } from './help.js';
import { linkCommands } from './link.js';
import { remindCommands } from './remind.js';
import { pollCommands } from './poll.js';
import { notesCommands } from './notes.js';
import { opsCommands } from './ops.js';
import { minutesCommands } from './minutes.js';
import { electionCommands } from './election.js';
import { roleCommands } from './roles.js';
import { storyCommands } from './story.js';
import { measureCommands } from './measure.js';
import { publishCommands } from './publish.js';

export const allCommands: CommandSpec[] = [
  ...collabCommands,
  ...roleCommands,
  ...linkCommands,
  ...pollCommands,
  ...notesCommands,
  ...grantCommands,
  ...storyCommands,
  ...measureCommands,
  ...publishCommands,
  ...minutesCommands,
  ...electionCommands,
  ...remindCommands,
  ...opsCommands,
  ...helpCommands,
];

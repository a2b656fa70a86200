// `npm run docs`: docs/commands.md generated from the command registry, so the
// reference never drifts from what the bot runs (test/docs.test.ts fails when
// the file is stale). Every command: its arguments, who may use it, examples.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { allCommands } from '../commands/index.js';
import { argInfo, type ArgInfo } from '../src/core/args.js';
import { describeRoles, Registry, type CommandSpec } from '../src/core/registry.js';

export const COMMANDS_MD = join(resolve(fileURLToPath(import.meta.url), '..', '..'), 'docs', 'commands.md');

const INTRO = `# Command reference

[← Collabot README](../README.md)

Generated from the command declarations by \`npm run docs\`: do not edit by hand. In any chat, \`/help\` lists every command and \`/help <command>\` explains one, from the same declarations.

How to type commands: they are case-insensitive; put several words in double quotes (\`"like this"\`; the curly quotes phones type work too); options look like \`--closes 2d\` (a phone's \`—closes\` works too) and may come before or after the other words; a record's number can be typed \`7\` or \`#7\`. On Discord the same commands are slash commands whose options are filled in for you; on Slack, a command whose name Slack keeps for itself is typed after \`/collab\` (e.g. \`/collab remind ...\`).`;

/** What to type for each kind of argument. */
function kindText(a: ArgInfo): string {
  switch (a.kind) {
    case 'recordNumber':
      return `the ${a.what} number, e.g. \`3\` or \`#3\``;
    case 'mention':
      return 'a person: `@name` (on Discord, pick them)';
    case 'when':
      return 'a date or time: `2d`, `36h`, `friday 5pm`, `"2026-12-01 17:00"`';
    case 'money':
      return 'an amount: `750`, `£1,000`';
    case 'choice':
      return `one of: ${a.choices!.map((c) => `\`${c}\``).join(', ')}`;
    case 'count':
      return 'a whole number';
    case 'flag':
      return 'a switch: type it to turn it on';
    case 'rest':
      return 'the rest of the line, as typed';
    case 'list':
      return 'words; put "double quotes" round several words';
    default:
      return 'a word, or several in "double quotes"';
  }
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function commandSection(spec: CommandSpec): string {
  const shape = spec.args.shape as Record<string, z.ZodType>;
  const positional = (spec.positional ?? []).map((p) => p.replace(/(\.\.\.|\*)$/, ''));
  const keys = [...positional, ...Object.keys(shape).filter((k) => !positional.includes(k))];
  const where = spec.where === 'collab' ? ", in a collab's chat" : '';
  const lines = [`### /${spec.name}`, '', spec.summary + '.', '', `Type: \`${spec.usage}\``, '', `Who: ${spec.who ?? describeRoles(spec.roles)}${where}.`, ''];
  // The rules /help <command> states (e.g. who decides a grant, what /link needs).
  if (spec.rules) lines.push(`Rules: ${spec.rules}`, '');
  if (keys.length) {
    lines.push('| argument | what to type | needed? |', '|---|---|---|');
    for (const key of keys) {
      const info = argInfo(shape[key]!);
      const name = positional.includes(key) ? key.replace(/_/g, ' ') : `--${key}`;
      const about = spec.options?.[key] ? `${spec.options[key]}; ${kindText(info)}` : kindText(info);
      lines.push(`| ${cell(name)} | ${cell(about)} | ${info.required ? 'yes' : 'no'} |`);
    }
    lines.push('');
  }
  lines.push(spec.examples.length > 1 ? 'Examples:' : 'Example:', '', ...spec.examples.map((e) => `    ${e}`), '');
  return lines.join('\n');
}

/** The whole page, families in the order /help lists them. */
export function commandsMarkdown(specs: readonly CommandSpec[]): string {
  const registry = new Registry([...specs]);
  const families = registry.families();
  const index = families.map((f) => `[/${f}](#${f})`).join(' · ');
  const parts = [INTRO, '', index, ''];
  for (const family of families) {
    parts.push(`## ${family}`, '');
    for (const spec of registry.all().filter((s) => s.name === family || s.name.startsWith(family + ' '))) parts.push(commandSection(spec));
  }
  return parts.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(COMMANDS_MD, commandsMarkdown(allCommands));
  process.stdout.write(`Wrote ${COMMANDS_MD} (${allCommands.length} commands).\n`);
}

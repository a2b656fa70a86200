// The Discord command set reads each argument's declared kind: record numbers
// are integer options, mentions user pickers, choices come with their list.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { buildDiscordCommands, OptionType, type CommandOptionJSON } from '../../adapters/discord/commands.js';
import { allCommands } from '../../commands/index.js';
import { argInfo } from '../../src/core/args.js';

/** Every leaf's options, by the command line's first words (`poll close`), from the generated JSON. */
function optionsByCommand(): Map<string, CommandOptionJSON[]> {
  const set = buildDiscordCommands(allCommands);
  const out = new Map<string, CommandOptionJSON[]>();
  const walk = (path: string[], options: CommandOptionJSON[] | undefined) => {
    const subs = (options ?? []).filter((o) => o.type === OptionType.Subcommand || o.type === OptionType.SubcommandGroup);
    if (!subs.length) {
      const line = set.toText(nest(path)).text.slice(1);
      out.set(line, options ?? []);
      return;
    }
    for (const s of subs) walk([...path, s.name], s.options);
  };
  for (const c of set.commands) walk([c.name], c.options);
  return out;
}

function nest(path: string[]) {
  let inner: { name: string; type: number; options: unknown[] }[] = [];
  for (let i = path.length - 1; i >= 1; i--) inner = [{ name: path[i]!, type: i === path.length - 1 ? OptionType.Subcommand : OptionType.SubcommandGroup, options: inner }];
  return { name: path[0]!, options: inner as never };
}

describe('argument kinds on Discord', () => {
  const byCommand = optionsByCommand();
  const args = allCommands.flatMap((spec) =>
    Object.entries(spec.args.shape as Record<string, z.ZodType>).map(([key, schema]) => ({ spec, key, info: argInfo(schema) })),
  );

  it('every argument of every command is declared with the vocabulary in src/core/args.ts', () => {
    expect(args.filter((a) => !a.info.declared).map((a) => `/${a.spec.name} ${a.key}`)).toEqual([]);
  });

  it('every record number is an integer option, every mention a user option, every choice has its choices', () => {
    const seen = { recordNumber: 0, mention: 0, choice: 0 };
    for (const { spec, key, info } of args) {
      const option = byCommand.get(spec.name)?.find((o) => o.name === key);
      expect(option, `/${spec.name} ${key}`).toBeDefined();
      if (info.kind === 'recordNumber') {
        seen.recordNumber++;
        expect(option, `/${spec.name} ${key}`).toMatchObject({ type: OptionType.Integer, min_value: 1 });
      } else if (info.kind === 'mention') {
        seen.mention++;
        expect(option!.type, `/${spec.name} ${key}`).toBe(OptionType.User);
      } else if (info.kind === 'choice') {
        seen.choice++;
        expect(option!.choices?.map((c) => c.value), `/${spec.name} ${key}`).toEqual([...info.choices!]);
      } else {
        expect(option!.type, `/${spec.name} ${key}`).not.toBe(OptionType.User);
      }
    }
    // The real registry has all three, so the checks above are not vacuous.
    expect(seen.recordNumber).toBeGreaterThan(20);
    expect(seen.mention).toBeGreaterThan(3);
    expect(seen.choice).toBeGreaterThan(3);
  });

  it('offers the poll type as choices, though it reads any case', () => {
    expect(byCommand.get('poll')!.find((o) => o.name === 'type')!.choices!.map((c) => c.value)).toEqual(['choice', 'proposal', 'ranked', 'score', 'stv']);
  });
});

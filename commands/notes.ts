import { z } from 'zod';
import { list, mention, recordNumber, rest } from '../src/core/args.js';
import type { CommandContext } from '../src/core/context.js';
import { closest, defineCommand } from '../src/core/registry.js';
import { belongsElsewhere } from '../src/collabs/elsewhere.js';
import { UserError } from '../src/errors.js';
import { DONE_SHOWN } from '../src/notes/done-actions.js';
import { ACTION_EXAMPLE } from '../src/notes/action-lines.js';
import { actionLine, dueText } from '../src/notes/format.js';
import { collabMarkdownBlocks, noteMarkdown } from '../src/notes/markdown.js';
import { MATCH_END, MATCH_START, type ActionView, type NoteView } from '../src/notes/repo.js';
import { plural } from '../src/text/format.js';
import { quoted } from '../src/text/quote.js';
import { formatDay, formatMoment } from '../src/time/dates.js';


/** Split what follows `/notes add`: the title, then the body on the next lines or after ` -- `. */
export function splitNote(text: string): { title: string; body: string } {
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  const rest = nl < 0 ? '' : text.slice(nl + 1);
  // Phones turn -- into an em dash.
  const found = /(?:^|\s)(?:--|\u2014)(?:\s|$)/.exec(first);
  // With the note on the next lines, a dash inside the first line belongs to the title ("Youth forum — 10 Dec").
  const after = found ? first.slice(found.index + found[0].length).trim() : '';
  // `--` always splits; a dash as phones and titles write it (—) does when the rest reads like a note.
  const bodyLike = found?.[0].includes('--') || /^action\b/i.test(after) || after.split(/\s+/).length > 4;
  const sep = found && rest.trim() && after && !bodyLike ? null : found;
  const title = (sep ? first.slice(0, sep.index) : first).trim().replace(/^["\u201c](.*)["\u201d]$/, '$1').trim();
  const sameLine = sep ? first.slice(sep.index + sep[0].length).trim() : '';
  return { title, body: [sameLine, rest.trim()].filter(Boolean).join('\n') };
}

/** Markdown export parts stay under this size; adapters split further for their own limits. */
const EXPORT_PART_CHARS = 30_000;

const marked = (s: string) => s.replaceAll(MATCH_START, '*').replaceAll(MATCH_END, '*').replace(/\s+/g, ' ').trim();

function unknownPeople(actions: ActionView[]): string[] {
  return actions
    .filter((a) => a.owner_id === null)
    .map(
      (a) =>
        `I don't know who @${a.owner} is, so action #${a.id} is saved under the name "${a.owner}" and will not be in their /actions mine. ` +
        `To give it to the right person, type /action reassign ${a.id} @name (pick their name from the list your app shows).`,
    );
}

function actionList(ctx: CommandContext, actions: ActionView[], opts: { collab?: boolean } = {}): string[] {
  const { notes } = ctx.services;
  return actions.map((a) => '• ' + actionLine(a, notes.tzOf(a.collab_id), ctx.now, opts));
}

function byline(note: NoteView, tz: string): string {
  const parts = [note.collab_name, `${note.author_name}, ${formatMoment(note.created_at, tz)}`];
  if (note.version > 1 && note.edited_at !== null) {
    parts.push(`edited by ${note.editor_name ?? note.author_name}, ${formatMoment(note.edited_at, tz)} (version ${note.version}; earlier: /notes show ${note.id} --version ${note.version - 1})`);
  }
  return parts.join(' · ');
}

/** A hint for `/notes shwo 3` or `/actions mnie`, since `/notes` and `/actions` alone are commands too. */
/** Something of collab A is not shown in a chat of collab B (a direct message shows it to a member). */
function shownHere(ctx: CommandContext, what: string, collabId: number, collabName: string) {
  if (ctx.chat.is_direct || ctx.chat.collab_id === collabId) return;
  throw new UserError(belongsElsewhere(what, collabName, 'see'));
}

function subcommandHint(ctx: CommandContext, family: string, word: string): never {
  const subs = ctx.registry
    .all()
    .filter((s) => s.name.startsWith(family + ' '))
    .map((s) => s.name.slice(family.length + 1));
  const guess = closest(word.toLowerCase(), subs);
  const example = ctx.registry.get(`${family} ${guess ?? subs[0]}`)?.examples[0];
  throw new UserError(
    (guess ? `Did you mean /${family} ${guess}?` : `/${family} can be followed by: ${subs.join(', ')}.`) +
      (example ? `\nFor example: ${example}` : '') +
      `\nType /help ${family} for details.`,
  );
}

export const notesCommands = [
  defineCommand({
    name: 'notes',
    summary: "List this collab's recent meeting notes",
    usage: '/notes',
    examples: ['/notes'],
    where: 'collab',
    args: z.object({ words: list().optional() }),
    positional: ['words...'],
    handler(ctx, { words }) {
      const first = words?.[0];
      if (first !== undefined) {
        if (/^#?\d{1,9}$/.test(first)) throw new UserError(`To read note ${first.replace(/^#?/, '#')}, type /notes show ${first.replace('#', '')}`);
        subcommandHint(ctx, 'notes', first);
      }
      const collab = ctx.requireCollab();
      const list = ctx.services.notes.recent(collab.id);
      if (!list.length) {
        return ctx.reply(`${collab.name} has no notes yet. Add one with /notes add <title> -- <note>, e.g. /notes add Planning meeting -- we agreed to meet monthly`);
      }
      const lines = list.map((n) => `#${n.id} ${n.title} — ${n.author_name}, ${formatDay(n.created_at, ctx.tz)}${n.open_actions ? ` · ${plural(n.open_actions, 'open action')}` : ''}`);
      ctx.reply([`Recent notes of ${collab.name}, newest first:`, ...lines, `Type /notes show ${list[0]!.id} to read one, or /notes search <words> to find older ones.`].join('\n'));
    },
  }),
  defineCommand({
    name: 'notes add',
    summary: 'Save a meeting note: the title, then the note after -- or on the next lines; ACTION lines become action items',
    usage: '/notes add <title> -- <note>',
    examples: ['/notes add Planning meeting -- we agreed to meet monthly', `/notes add June meeting -- ${ACTION_EXAMPLE}`],
    where: 'collab',
    args: z.object({ text: rest({ min: 1 }) }),
    positional: ['text*'],
    handler(ctx, { text }) {
      const collab = ctx.requireCollab();
      const { title, body } = splitNote(text);
      const { note, actions } = ctx.services.notes.add({
        collabId: collab.id,
        chatId: ctx.chat.id,
        authorId: ctx.actor.personId,
        title,
        body,
        resolve: (name) => ctx.tryPerson(name),
      });
      const lines = [`Saved note #${note.id} "${note.title}" in ${collab.name}.`];
      if (actions.length) lines.push(`${plural(actions.length, 'action')}:`, ...actionList(ctx, actions), ...unknownPeople(actions));
      else lines.push(`Read it again with /notes show ${note.id}. Tip: a line like "${ACTION_EXAMPLE}" becomes an action item.`);
      ctx.reply(lines.join('\n'));
    },
  }),
  defineCommand({
    name: 'notes show',
    summary: 'Show one note with its actions',
    usage: '/notes show <number> [--version <n>]',
    examples: ['/notes show 3', '/notes show 3 --version 1'],
    options: { version: 'an earlier version of the note (notes keep every version when edited)' },
    args: z.object({ note_number: recordNumber('note'), version: recordNumber('version').optional() }),
    positional: ['note_number'],
    handler(ctx, { note_number, version }) {
      const { notes } = ctx.services;
      if (version !== undefined) {
        const { note, ...v } = notes.version(note_number, version, ctx.actor.personId);
        shownHere(ctx, `Note #${note.id}`, note.collab_id, note.collab_name);
        const when = formatMoment(v.at, notes.tzOf(note.collab_id));
        return ctx.reply([`#${note.id} ${v.title} — version ${v.version} of ${note.version}, written by ${v.writer}, ${when}`, '', v.body ? quoted(v.body) : '(no text)'].join('\n'));
      }
      const { note, actions } = notes.noteWithActions(note_number, ctx.actor.personId);
      shownHere(ctx, `Note #${note.id}`, note.collab_id, note.collab_name);
      const lines = [`#${note.id} ${note.title}`, byline(note, notes.tzOf(note.collab_id))];
      if (note.body) lines.push('', quoted(note.body)); // set apart: what the writer typed can't pass for the bot
      if (actions.length) lines.push('', 'Actions:', ...actionList(ctx, actions));
      ctx.reply(lines.join('\n'));
    },
  }),
  defineCommand({
    name: 'notes search',
    summary: 'Find notes in your collabs by words (best match first)',
    usage: '/notes search <words>',
    examples: ['/notes search volunteers', '/notes search hall booking'],
    args: z.object({ words: rest({ min: 1 }) }),
    positional: ['words*'],
    handler(ctx, { words }) {
      const { notes } = ctx.services;
      const { hits, partial, words: used } = notes.search(ctx.actor.personId, words);
      const asked = used.join(' ');
      if (!hits.length) return ctx.reply(`No notes in your collabs have the words: ${asked}\nTry fewer or other words, e.g. /notes search hall`);
      const head = partial
        ? `No note has all the words (${asked}); these have some of them:`
        : `${plural(hits.length, 'note')} with the words: ${asked} (best match first)`;
      const lines = hits.map((h) => {
        const title = h.title_snippet.includes(MATCH_START) ? marked(h.title_snippet) : h.title;
        const where = h.collab_id === ctx.collab?.id ? '' : `${h.collab_name}, `;
        const snippet = marked(h.body_snippet);
        return `#${h.id} ${title} (${where}${formatDay(h.created_at, notes.tzOf(h.collab_id))})` + (snippet ? `\n   ${snippet}` : '');
      });
      ctx.reply([head, ...lines, `Type /notes show ${hits[0]!.id} to read one.`].join('\n'));
    },
  }),
  defineCommand({
    name: 'notes export',
    summary: 'Export one note, or all of this collab’s notes, as Markdown',
    usage: '/notes export [number]',
    examples: ['/notes export 3', '/notes export'],
    args: z.object({ note_number: recordNumber('note').optional() }),
    positional: ['note_number'],
    handler(ctx, { note_number }) {
      const { notes } = ctx.services;
      if (note_number !== undefined) {
        const one = notes.noteWithActions(note_number, ctx.actor.personId);
        return ctx.reply(noteMarkdown(one, notes.tzOf(one.note.collab_id)));
      }
      const collab = ctx.requireCollab();
      const all = notes.allWithActions(collab.id);
      if (!all.length) return ctx.reply(`${collab.name} has no notes to export yet. Add one with /notes add <title> -- <note>`);
      // The whole collab can be long: it goes to the asker privately, in parts at note boundaries.
      const parts: string[] = [];
      for (const block of collabMarkdownBlocks(collab.name, all, ctx.tz, ctx.now)) {
        const last = parts.length - 1;
        if (last >= 0 && parts[last]!.length + block.length + 2 <= EXPORT_PART_CHARS) parts[last] += '\n\n' + block;
        else parts.push(block);
      }
      for (const part of parts) ctx.dm(ctx.actor.personId, part);
      ctx.reply(`I've sent you the ${plural(all.length, 'note')} of ${collab.name} as Markdown in a direct message${parts.length > 1 ? ` (${parts.length} parts)` : ''}.`);
    },
  }),
  defineCommand({
    name: 'notes edit',
    summary: "Replace a note's text, after -- or on the next lines (its author or a facilitator); earlier versions are kept",
    usage: '/notes edit <number> -- <new note>',
    examples: ['/notes edit 3 -- we agreed to meet every second Tuesday', `/notes edit 3 -- we agreed to meet monthly. ${ACTION_EXAMPLE}`],
    args: z.object({ note_number: recordNumber('note'), body: rest().optional() }),
    positional: ['note_number', 'body*'],
    handler(ctx, { note_number, body }) {
      const text = (body ?? '').replace(/^(?:--|\u2014)(?=\s|$)/, '');
      const { note, kept, added, dropped } = ctx.services.notes.edit(note_number, ctx.actor.personId, text, (name) => ctx.tryPerson(name));
      const lines = [`Updated note #${note.id} "${note.title}" (version ${note.version}; the earlier text is kept: /notes show ${note.id} --version ${note.version - 1}).`];
      if (kept.length) lines.push(`Unchanged ACTION lines keep their actions: ${kept.map((a) => `#${a.id}`).join(', ')}.`);
      if (added.length) lines.push(`New ${added.length === 1 ? 'action' : 'actions'}:`, ...actionList(ctx, added), ...unknownPeople(added));
      if (dropped.length) lines.push(`Taken out (their lines are gone): ${dropped.map((a) => `#${a.id} ${a.text}`).join('; ')}.`);
      ctx.reply(lines.join('\n'));
    },
  }),

  defineCommand({
    name: 'actions',
    summary: "List this collab's open action items, overdue first",
    usage: '/actions',
    examples: ['/actions'],
    where: 'collab',
    args: z.object({ words: list().optional() }),
    positional: ['words...'],
    handler(ctx, { words }) {
      if (words?.[0] !== undefined) subcommandHint(ctx, 'actions', words[0]);
      const collab = ctx.requireCollab();
      const list = ctx.services.notes.openActions(collab.id);
      if (!list.length) return ctx.reply(`${collab.name} has no open actions. A line like "${ACTION_EXAMPLE}" in a note (/notes add) makes one.`);
      ctx.reply([`Open actions of ${collab.name}:`, ...actionList(ctx, list), `When one is finished, type /action done ${list[0]!.id}`].join('\n'));
    },
  }),
  defineCommand({
    name: 'actions done',
    summary: "List this collab's finished action items, latest first",
    usage: '/actions done',
    examples: ['/actions done'],
    where: 'collab',
    args: z.object({}),
    handler(ctx) {
      const collab = ctx.requireCollab();
      const list = ctx.services.notes.doneActions(collab.id);
      if (!list.length) return ctx.reply(`${collab.name} has no finished actions yet. When one is done, type /action done <number>; /actions lists the open ones.`);
      const head = list.length >= DONE_SHOWN ? `The latest ${DONE_SHOWN} finished actions of ${collab.name}:` : `Finished actions of ${collab.name}:`;
      ctx.reply([head, ...actionList(ctx, list), `If one is not finished after all: /action reopen ${list[0]!.id}`].join('\n'));
    },
  }),
  defineCommand({
    name: 'actions mine',
    summary: 'List your open action items in every collab',
    usage: '/actions mine',
    examples: ['/actions mine'],
    args: z.object({}),
    handler(ctx) {
      const list = ctx.services.notes.actionsOf(ctx.actor.personId);
      if (!list.length) return ctx.reply('You have no open actions. Nice!');
      ctx.reply([`Your open actions (${list.length}):`, ...actionList(ctx, list, { collab: true }), `When one is finished, type /action done ${list[0]!.id}`].join('\n'));
    },
  }),
  defineCommand({
    name: 'action done',
    summary: 'Mark an action item as done',
    usage: '/action done <number>',
    examples: ['/action done 7'],
    args: z.object({ action_number: recordNumber('action') }),
    positional: ['action_number'],
    handler(ctx, { action_number }) {
      const a = ctx.services.notes.done(action_number, ctx.actor.personId);
      ctx.reply(`Done: action #${a.id} (${a.text}) is closed. Closed by mistake? Type /action reopen ${a.id}`);
    },
  }),
  defineCommand({
    name: 'action reopen',
    summary: 'Open a done action item again',
    usage: '/action reopen <number>',
    examples: ['/action reopen 7'],
    args: z.object({ action_number: recordNumber('action') }),
    positional: ['action_number'],
    handler(ctx, { action_number }) {
      const a = ctx.services.notes.reopen(action_number, ctx.actor.personId);
      ctx.reply(`Action #${a.id} (${a.text}) is open again.`);
    },
  }),
  defineCommand({
    name: 'action reassign',
    summary: 'Give an action item to someone else',
    usage: '/action reassign <number> @name',
    examples: ['/action reassign 7 @cara'],
    args: z.object({ action_number: recordNumber('action'), person: mention() }),
    positional: ['action_number', 'person'],
    handler(ctx, { action_number, person }) {
      const a = ctx.services.notes.reassign(action_number, ctx.actor.personId, ctx.person(person));
      ctx.reply(`Done: action #${a.id} (${a.text}) is now ${a.owner}'s.`);
    },
  }),
  defineCommand({
    name: 'action due',
    summary: 'Set or change when an action item is due',
    usage: '/action due <number> <date>',
    examples: ['/action due 7 friday', '/action due 7 2026-12-05'],
    args: z.object({ action_number: recordNumber('action'), date: rest({ min: 1 }) }),
    positional: ['action_number', 'date*'],
    handler(ctx, { action_number, date }) {
      const { notes } = ctx.services;
      const a = notes.setDue(action_number, ctx.actor.personId, date);
      ctx.reply(
        `Done: action #${a.id} (${a.text}) is now due ${dueText(a, notes.tzOf(a.collab_id))}.` +
          (notes.reminderAt(a.id) !== undefined ? ` ${a.owner} will be reminded in the chat the day before.` : ''),
      );
    },
  }),
];

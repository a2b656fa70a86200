// Notes as Markdown, for /notes export: one note, or every note of a collab.
import { plural } from '../text/format.js';
import { formatDay, formatMoment } from '../time/dates.js';
import { dueText } from './format.js';
import type { ActionView, NoteView } from './repo.js';

export interface NoteWithActions {
  note: NoteView;
  actions: ActionView[];
}

function actionItem(a: ActionView, tz: string): string {
  const due = dueText(a, tz);
  return `- [${a.status === 'done' ? 'x' : ' '}] #${a.id} **${a.owner}**: ${a.text}${due ? ` (due ${due})` : ''}`;
}

/** One note: its title as a heading, its number and who wrote it when, the body, its actions. */
export function noteMarkdown({ note, actions }: NoteWithActions, tz: string, level = 1): string {
  const h = '#'.repeat(level);
  const byline = [`Note #${note.id}`, note.collab_name, `written by ${note.author_name} on ${formatMoment(note.created_at, tz)}`];
  if (note.version > 1 && note.edited_at !== null) byline.push(`edited by ${note.editor_name ?? note.author_name} on ${formatMoment(note.edited_at, tz)} (version ${note.version})`);
  const out = [`${h} ${note.title}`, '', `_${byline.join(' · ')}_`];
  if (note.body) out.push('', note.body);
  if (actions.length) out.push('', `${h}# Actions`, '', ...actions.map((a) => actionItem(a, tz)));
  return out.join('\n');
}

/** Every note of a collab, oldest first, under one title: the title block, then one block per note (join with a blank line). */
export function collabMarkdownBlocks(collabName: string, notes: NoteWithActions[], tz: string, now: number): string[] {
  const head = `# ${collabName}: meeting notes\n\n_${plural(notes.length, 'note')}, exported ${formatDay(now, tz)}_`;
  return [head, ...notes.map((n) => noteMarkdown(n, tz, 2))];
}

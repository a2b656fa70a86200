// The rules for meeting notes and action items: who may see and change what,
// how ACTION lines become actions (and what an edit does to them), search
// scoped to the asker's collabs, and the reminder the day before an action is due.
import { DateTime } from 'luxon';
import type { Clock } from '../clock.js';
import type { RolesService } from '../collabs/roles.js';
import type { ChatRow } from '../collabs/repo.js';
import { chatDestination, type CollabsService } from '../collabs/service.js';
import type { Config } from '../config.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Outbox } from '../outbox/outbox.js';
import type { PeopleService } from '../people/service.js';
import type { Job, Scheduler } from '../scheduler/scheduler.js';
import type { DB } from '../storage/db.js';
import type { DueDigest } from '../outbox/due-digest.js';
import { checkActionCount, findActionLines, parseActionLines, readLine, requireDue, type ActionLine } from './action-lines.js';
import { dueText } from './format.js';
import { ftsQuery, searchWords } from './fts-query.js';
import { DoneActionsRepo } from './done-actions.js';
import { NotesRepo, type ActionStatus, type ActionView, type NoteView, type SearchHit } from './repo.js';

export const ACTION_DUE_JOB = 'notes.remind-due';
/** Reminders go out at this hour (collab's zone) on the day before an action is due. */
export const REMINDER_HOUR = 9;
export const MAX_TITLE_CHARS = 120;
/**
 * Up to this many collabs, a search is narrowed to the asker's collabs inside
 * the full-text index (fast however common the words are); beyond it the index
 * is searched whole and other collabs' notes are filtered out afterwards.
 */
const SCOPE_IN_INDEX_MAX = 40;

/** Which status may follow which: open ⇄ done; open → dropped (its line was removed by an edit). */
const TRANSITIONS: Record<ActionStatus, ActionStatus[]> = { open: ['done', 'dropped'], done: ['open'], dropped: [] };

/** Finds the person a name in an ACTION line means, or undefined when nobody is recognised. */
export type PersonResolver = (name: string) => number | undefined;

export interface NotesDeps {
  db: DB;
  clock: Clock;
  config: Pick<Config, 'COLLABOT_TZ' | 'COLLABOT_MISSED_GRACE'>;
  log: Logger;
  outbox: Outbox;
  /** Action nudges due in the same minute for the same chat go out as one message. */
  digest: DueDigest;
  scheduler: Scheduler;
  people: PeopleService;
  collabs: CollabsService;
  roles: RolesService;
}

export interface AddNote {
  collabId: number;
  chatId: number | null;
  authorId: number;
  title: string;
  body: string;
  resolve: PersonResolver;
}

export interface EditResult {
  note: NoteView;
  kept: ActionView[];
  added: ActionView[];
  /** Open actions whose line is gone from the note. */
  dropped: ActionView[];
}

export interface SearchResult {
  words: string[];
  hits: SearchHit[];
  /** No note had every word, so these have some of them. */
  partial: boolean;
}

interface DuePayload {
  actionId: number;
  dueDate: string;
}

/** 09:00 (REMINDER_HOUR) in the zone on the day before `date` (YYYY-MM-DD). */
export function reminderAt(date: string, tz: string): number {
  return DateTime.fromISO(date, { zone: tz }).minus({ days: 1 }).set({ hour: REMINDER_HOUR, minute: 0, second: 0, millisecond: 0 }).toMillis();
}

export class NotesService {
  private readonly repo: NotesRepo;

  constructor(private d: NotesDeps) {
    this.repo = new NotesRepo(d.db);
    d.scheduler.register<DuePayload>(ACTION_DUE_JOB, (job) => this.remind(job));
  }
  /** Two accounts became one person (/link): their records move to the one kept. */
  mergePerson(from: number, to: number) {
    this.repo.mergePerson(from, to);
  }


  /** The collab's time zone, or COLLABOT_TZ. */
  tzOf(collabId: number): string {
    return this.d.collabs.timeZone(collabId);
  }

  // ---- notes ----

  /** Save a note and the actions in its ACTION lines. Nothing is saved if any line is bad. */
  add(input: AddNote): { note: NoteView; actions: ActionView[] } {
    const title = input.title.trim();
    const body = input.body.trim();
    if (!title) throw new UserError('Give the note a title, e.g. /notes add Planning meeting -- we agreed to meet monthly');
    if (title.length > MAX_TITLE_CHARS) {
      throw new UserError(
        `A title can be at most ${MAX_TITLE_CHARS} characters. Put a short title on the first line and the note on the lines after it, or after --, e.g. /notes add Planning meeting -- we agreed to meet monthly`,
      );
    }
    const now = this.d.clock.now();
    checkActionCount(findActionLines(body).length, 'add Planning meeting --');
    const lines = parseActionLines(body, { now, tz: this.tzOf(input.collabId) });
    const noteId = this.repo.insertNote({ collabId: input.collabId, chatId: input.chatId, title, body, authorId: input.authorId, createdAt: now });
    const actions = lines.map((l) => this.createAction(noteId, input.collabId, l, input.resolve, now));
    return { note: this.repo.note(noteId)!, actions };
  }

  /** A note the asker may see: one of a collab they are a member of. */
  note(noteId: number, asker: number): NoteView {
    const note = this.repo.note(noteId);
    if (!note || !this.d.collabs.isMember(note.collab_id, asker)) {
      throw new UserError(`There is no note #${noteId} in your collabs. Type /notes to see this collab's notes, or /notes search <words> to find one.`);
    }
    return note;
  }

  /** A note and its actions (the ones an edit dropped are left out). */
  noteWithActions(noteId: number, asker: number): { note: NoteView; actions: ActionView[] } {
    const note = this.note(noteId, asker);
    return { note, actions: this.actionsOfNote(note.id) };
  }

  actionsOfNote(noteId: number): ActionView[] {
    return this.repo.actionsOfNote(noteId).filter((a) => a.status !== 'dropped');
  }

  /** An earlier version (or the current one) of a note the asker may see. */
  version(noteId: number, version: number, asker: number) {
    const note = this.note(noteId, asker);
    if (version === note.version) {
      return { note, title: note.title, body: note.body, version, writer: note.editor_name ?? note.author_name, at: note.edited_at ?? note.created_at };
    }
    const v = version < note.version ? this.repo.version(noteId, version) : undefined;
    if (!v) {
      throw new UserError(
        note.version === 1
          ? `Note #${noteId} has not been edited, so it has only version 1. Type /notes show ${noteId}`
          : `Note #${noteId} has versions 1 to ${note.version}. For example: /notes show ${noteId} --version 1`,
      );
    }
    return { note, title: v.title, body: v.body, version, writer: v.writer_name, at: v.written_at };
  }

  recent(collabId: number, limit = 10) {
    return this.repo.recent(collabId, limit);
  }

  /** Every note of a collab, oldest first, with its actions. */
  allWithActions(collabId: number): { note: NoteView; actions: ActionView[] }[] {
    return this.repo.ofCollab(collabId).map((note) => ({ note, actions: this.actionsOfNote(note.id) }));
  }

  mayEdit(asker: number, note: NoteView): boolean {
    return note.author_id === asker || this.d.roles.hasAny(asker, ['facilitator'], note.collab_id);
  }

  /**
   * Replace a note's body (the author, a facilitator of its collab, or an admin),
   * keeping the previous version. ACTION lines: an unchanged line keeps its action
   * as it is (done, reassigned, re-dated); a new or changed line becomes a new
   * action; an open action whose line is gone is dropped. Done actions stay done.
   */
  edit(noteId: number, asker: number, body: string, resolve: PersonResolver): EditResult {
    const note = this.note(noteId, asker);
    if (!this.mayEdit(asker, note)) {
      throw new UserError(`Only the note's author (${note.author_name}), a facilitator of ${note.collab_name} or an admin can edit note #${note.id}. To add to it, start a new note: /notes add <title>`);
    }
    const newBody = body.trim();
    if (!newBody) throw new UserError(`Put the new text of the note after the number, e.g. /notes edit ${note.id} -- we agreed to meet monthly`);
    if (newBody === note.body) throw new UserError(`That is what note #${note.id} already says, so nothing changed.`);

    const now = this.d.clock.now();
    const tz = this.tzOf(note.collab_id);
    const existing = this.actionsOfNote(note.id);
    const found = findActionLines(newBody);
    checkActionCount(found.length, `edit ${note.id} --`);
    // Match unchanged lines first (each existing action at most once); read the dates of
    // the new lines only, so an old line's "friday" is not moved to next week.
    const keptIds = new Set<number>();
    const fresh: ActionLine[] = [];
    const kept: ActionView[] = [];
    for (const f of found) {
      const same = existing.find((a) => a.source === f.source && !keptIds.has(a.id));
      if (same) {
        keptIds.add(same.id);
        kept.push(same);
      } else fresh.push(readLine(f, { now, tz }));
    }
    this.repo.replaceBody(note, newBody, asker, now);
    const added = fresh.map((l) => this.createAction(note.id, note.collab_id, l, resolve, now));
    const dropped: ActionView[] = [];
    for (const a of existing) {
      if (keptIds.has(a.id) || a.status !== 'open') continue;
      this.transition(a, 'dropped', asker, now);
      dropped.push(a);
    }
    return { note: this.repo.note(note.id)!, kept, added, dropped };
  }

  /**
   * Full-text search (stemmed English, best match first) over the notes of every
   * collab the asker is a member of. When no note has every word, notes with any
   * of them are returned instead (marked partial).
   */
  search(asker: number, text: string, limit = 8): SearchResult {
    const words = searchWords(text);
    if (!words.length) throw new UserError('Type the words to look for after /notes search, e.g. /notes search volunteers');
    const collabIds = this.d.collabs.collabIdsOf(asker);
    if (!collabIds.length) return { words, hits: [], partial: false };
    const scope = collabIds.length <= SCOPE_IN_INDEX_MAX ? collabIds : undefined;
    const hits = this.repo.search(ftsQuery(words, { collabIds: scope }), collabIds, limit);
    if (hits.length || words.length === 1) return { words, hits, partial: false };
    return { words, hits: this.repo.search(ftsQuery(words, { collabIds: scope, any: true }), collabIds, limit), partial: true };
  }

  // ---- actions ----

  /** Open actions of a collab: overdue first, then by due date, then those without one. */
  openActions(collabId: number): ActionView[] {
    return this.repo.openOfCollab(collabId);
  }

  /** A collab's finished actions, latest first (/actions done). */
  doneActions(collabId: number): ActionView[] {
    return (this.doneRepo ??= new DoneActionsRepo(this.d.db)).ofCollab(collabId);
  }
  private doneRepo?: DoneActionsRepo;

  /** A person's open actions across every collab. */
  actionsOf(personId: number): ActionView[] {
    return this.repo.openOfOwner(personId);
  }

  /** Open actions whose deadline is at or before `t` (ms), soonest first; optionally of one collab. */
  actionsDueBy(t: number, collabId?: number): ActionView[] {
    return this.repo.dueBy(t, collabId);
  }

  /** An action the asker may see (of a collab they are a member of). */
  action(actionId: number, asker: number): ActionView {
    const a = this.repo.action(actionId);
    if (!a || !this.d.collabs.isMember(a.collab_id, asker)) {
      throw new UserError(`There is no action #${actionId} in your collabs. Type /actions to see this collab's open actions, or /actions mine for yours.`);
    }
    if (a.status === 'dropped') {
      throw new UserError(`Action #${a.id} was taken out of note #${a.note_id} when the note was edited. To bring it back, add its ACTION line to the note again with /notes edit ${a.note_id}`);
    }
    return a;
  }

  done(actionId: number, asker: number): ActionView {
    const a = this.changeable(actionId, asker);
    if (a.status === 'done') throw new UserError(`Action #${a.id} is already done. To open it again, type /action reopen ${a.id}`);
    return this.transition(a, 'done', asker, this.d.clock.now());
  }

  reopen(actionId: number, asker: number): ActionView {
    const a = this.changeable(actionId, asker);
    if (a.status === 'open') throw new UserError(`Action #${a.id} is still open, so there is nothing to reopen. When it is finished, type /action done ${a.id}`);
    return this.transition(a, 'open', asker, this.d.clock.now());
  }

  reassign(actionId: number, asker: number, personId: number): ActionView {
    const a = this.open(this.changeable(actionId, asker));
    if (a.owner_id === personId) throw new UserError(`Action #${a.id} is already ${a.owner}'s, so nothing changed.`);
    this.repo.setOwner(a.id, personId, this.d.people.name(personId));
    return this.repo.action(a.id)!;
  }

  /** Set an open action's due date from what was typed (`friday`, `5 dec`, …), moving its reminder. */
  setDue(actionId: number, asker: number, text: string): ActionView {
    const a = this.open(this.changeable(actionId, asker));
    const due = requireDue(text, { now: this.d.clock.now(), tz: this.tzOf(a.collab_id) });
    this.repo.setDue(a.id, due.date, due.at, due.hasTime);
    const updated = this.repo.action(a.id)!;
    this.syncReminder(updated);
    return updated;
  }

  /** Who may change an action: its owner, the note's author, a facilitator of the collab, an admin. */
  mayChange(asker: number, a: ActionView): boolean {
    return a.owner_id === asker || a.note_author_id === asker || this.d.roles.hasAny(asker, ['facilitator'], a.collab_id);
  }

  private changeable(actionId: number, asker: number): ActionView {
    const a = this.action(actionId, asker);
    if (!this.mayChange(asker, a)) {
      throw new UserError(`Only ${a.owner} (who owns action #${a.id}), the author of note #${a.note_id}, a facilitator of ${a.collab_name} or an admin can change it.`);
    }
    return a;
  }

  private open(a: ActionView): ActionView {
    if (a.status !== 'open') throw new UserError(`Action #${a.id} is done. To change it, open it again first: /action reopen ${a.id}`);
    return a;
  }

  private transition(a: ActionView, to: ActionStatus, by: number, now: number): ActionView {
    if (!TRANSITIONS[a.status].includes(to)) throw new Error(`action ${a.id}: ${a.status} → ${to} is not allowed`);
    this.repo.setStatus(a.id, to, by, now);
    const updated = this.repo.action(a.id)!;
    this.syncReminder(updated);
    return updated;
  }

  private createAction(noteId: number, collabId: number, line: ActionLine, resolve: PersonResolver, now: number): ActionView {
    const ownerId = resolve(line.name) ?? null;
    const id = this.repo.insertAction({
      noteId,
      collabId,
      source: line.source,
      ownerId,
      ownerName: ownerId ? this.d.people.name(ownerId) : line.name,
      text: line.text,
      dueDate: line.due?.date ?? null,
      dueAt: line.due?.at ?? null,
      dueHasTime: line.due?.hasTime ?? false,
      createdAt: now,
    });
    const a = this.repo.action(id)!;
    this.syncReminder(a);
    return a;
  }

  // ---- reminders ----

  static reminderKey(actionId: number) {
    return `action:${actionId}:due`;
  }

  /** When the pending reminder for an action goes out, if there is one. */
  reminderAt(actionId: number): number | undefined {
    return this.d.scheduler.pendingAt(NotesService.reminderKey(actionId));
  }

  /** One pending reminder per open action with a due date, at 09:00 the day before; none otherwise. */
  private syncReminder(a: ActionView) {
    const key = NotesService.reminderKey(a.id);
    const dueDate = a.status === 'open' ? a.due_date : null;
    const at = dueDate ? reminderAt(dueDate, this.tzOf(a.collab_id)) : undefined;
    // Added after the reminder time (due tomorrow, written this afternoon): the reply was the reminder.
    if (!dueDate || at === undefined || at <= this.d.clock.now()) {
      this.d.scheduler.cancel(key);
      return;
    }
    this.d.scheduler.schedule(ACTION_DUE_JOB, at, { actionId: a.id, dueDate } satisfies DuePayload, key);
  }

  private remind(job: Job<DuePayload>) {
    const a = this.repo.action(job.payload.actionId);
    if (!a || a.status !== 'open' || a.due_date !== job.payload.dueDate) return;
    if (job.lateMs > this.d.config.COLLABOT_MISSED_GRACE) {
      this.d.log.info({ actionId: a.id, lateMs: job.lateMs }, 'action reminder skipped: missed while the bot was down');
      return;
    }
    const chat = this.reminderChat(a);
    if (!chat) return;
    const tz = this.tzOf(a.collab_id);
    const text = `Reminder for ${a.owner}: action #${a.id} is due ${dueText(a, tz)}: ${a.text}\n(from note #${a.note_id} "${a.note_title}") When it is done, type /action done ${a.id}`;
    this.d.digest.send(chatDestination(chat), text, { idemKey: `action:${a.id}:due:${a.due_date}`, origin: `action:${a.id}` });
  }

  /** The note's chat if the owner is on its platform, else a chat of the collab where they are, else the note's chat. */
  private reminderChat(a: ActionView): ChatRow | undefined {
    const chats = this.d.collabs.chatsOf(a.collab_id).filter((c) => !c.is_direct);
    const noteChat = chats.find((c) => c.id === a.note_chat_id);
    const platforms = a.owner_id ? new Set(this.d.people.identities(a.owner_id).map((i) => i.platform)) : undefined;
    const ordered = noteChat ? [noteChat, ...chats] : chats;
    return ordered.find((c) => !platforms || platforms.has(c.platform)) ?? ordered[0];
  }
}

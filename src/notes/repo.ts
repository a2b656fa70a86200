// Notes, note versions and action items: every SQL statement of the feature.
import type { DB } from '../storage/db.js';

export interface NoteRow {
  id: number;
  collab_id: number;
  chat_id: number | null;
  title: string;
  body: string;
  author_id: number;
  created_at: number;
  version: number;
  edited_by: number | null;
  edited_at: number | null;
}

/** A note with the names people see. */
export interface NoteView extends NoteRow {
  author_name: string;
  editor_name: string | null;
  collab_name: string;
}

export interface NoteListItem extends NoteView {
  open_actions: number;
}

export interface VersionRow {
  note_id: number;
  version: number;
  title: string;
  body: string;
  written_by: number;
  written_at: number;
  writer_name: string;
}

export type ActionStatus = 'open' | 'done' | 'dropped';

export interface ActionRow {
  id: number;
  note_id: number;
  collab_id: number;
  source: string;
  owner_id: number | null;
  owner_name: string;
  text: string;
  due_date: string | null;
  due_at: number | null;
  due_has_time: number;
  status: ActionStatus;
  created_at: number;
  closed_at: number | null;
  closed_by: number | null;
}

/** An action with the names people see. */
export interface ActionView extends ActionRow {
  /** The person's current name, or the name as written when nobody was recognised. */
  owner: string;
  collab_name: string;
  note_title: string;
  note_author_id: number;
  /** The chat the note was written in (its reminders go back there). */
  note_chat_id: number | null;
}

export interface NewNote {
  collabId: number;
  chatId: number | null;
  title: string;
  body: string;
  authorId: number;
  createdAt: number;
}

export interface NewAction {
  noteId: number;
  collabId: number;
  source: string;
  ownerId: number | null;
  ownerName: string;
  text: string;
  dueDate: string | null;
  dueAt: number | null;
  dueHasTime: boolean;
  createdAt: number;
}

export interface SearchHit {
  id: number;
  collab_id: number;
  collab_name: string;
  title: string;
  created_at: number;
  author_name: string;
  /** Snippets with matches between \u0001 and \u0002. */
  title_snippet: string;
  body_snippet: string;
}

/** A search ranks at most this many matching notes, the newest (see NotesRepo.search). */
export const SEARCH_RANKED = 250;

/** Marks around matched words in search snippets (control characters never stored in notes). */
export const MATCH_START = '\u0001';
export const MATCH_END = '\u0002';

const NOTE_VIEW = `SELECT n.*, a.display_name AS author_name, e.display_name AS editor_name, c.name AS collab_name
  FROM notes n JOIN people a ON a.id = n.author_id LEFT JOIN people e ON e.id = n.edited_by JOIN collabs c ON c.id = n.collab_id`;

export const ACTION_VIEW = `SELECT x.*, COALESCE(p.display_name, x.owner_name) AS owner, c.name AS collab_name, n.title AS note_title, n.author_id AS note_author_id, n.chat_id AS note_chat_id
  FROM actions x JOIN notes n ON n.id = x.note_id JOIN collabs c ON c.id = x.collab_id LEFT JOIN people p ON p.id = x.owner_id`;

// Open actions: those with a due date first, soonest (so overdue) first, then the rest by number.
const OPEN_ORDER = 'ORDER BY x.due_at IS NULL, x.due_at, x.id';

export class NotesRepo {
  private s;
  constructor(private db: DB) {
    this.s = {
      insertNote: db.prepare<[number, number | null, string, string, number, number]>(
        'INSERT INTO notes (collab_id, chat_id, title, body, author_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      note: db.prepare<[number], NoteView>(`${NOTE_VIEW} WHERE n.id = ?`),
      recent: db.prepare<[number, number], NoteListItem>(
        `SELECT v.*, (SELECT COUNT(*) FROM actions x WHERE x.note_id = v.id AND x.status = 'open') AS open_actions
         FROM (${NOTE_VIEW} WHERE n.collab_id = ? ORDER BY n.id DESC LIMIT ?) v ORDER BY v.id DESC`,
      ),
      ofCollab: db.prepare<[number], NoteView>(`${NOTE_VIEW} WHERE n.collab_id = ? ORDER BY n.id`),
      saveVersion: db.prepare<[number, number, string, string, number, number]>(
        'INSERT INTO note_versions (note_id, version, title, body, written_by, written_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      replaceBody: db.prepare<[string, number, number, number]>(
        'UPDATE notes SET body = ?, version = version + 1, edited_by = ?, edited_at = ? WHERE id = ?',
      ),
      version: db.prepare<[number, number], VersionRow>(
        `SELECT v.*, p.display_name AS writer_name FROM note_versions v JOIN people p ON p.id = v.written_by WHERE v.note_id = ? AND v.version = ?`,
      ),

      insertAction: db.prepare<[number, number, string, number | null, string, string, string | null, number | null, number, number]>(
        `INSERT INTO actions (note_id, collab_id, source, owner_id, owner_name, text, due_date, due_at, due_has_time, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      action: db.prepare<[number], ActionView>(`${ACTION_VIEW} WHERE x.id = ?`),
      actionsOfNote: db.prepare<[number], ActionView>(`${ACTION_VIEW} WHERE x.note_id = ? ORDER BY x.id`),
      setStatus: db.prepare<[ActionStatus, number | null, number | null, number]>('UPDATE actions SET status = ?, closed_at = ?, closed_by = ? WHERE id = ?'),
      setOwner: db.prepare<[number, string, number]>('UPDATE actions SET owner_id = ?, owner_name = ? WHERE id = ?'),
      setDue: db.prepare<[string, number, number, number]>('UPDATE actions SET due_date = ?, due_at = ?, due_has_time = ? WHERE id = ?'),
      openOfCollab: db.prepare<[number], ActionView>(`${ACTION_VIEW} WHERE x.collab_id = ? AND x.status = 'open' ${OPEN_ORDER}`),
      openOfOwner: db.prepare<[number], ActionView>(`${ACTION_VIEW} WHERE x.owner_id = ? AND x.status = 'open' ${OPEN_ORDER}`),
      dueBy: db.prepare<[number], ActionView>(`${ACTION_VIEW} WHERE x.status = 'open' AND x.due_at <= ? ORDER BY x.due_at, x.id`),
      dueByInCollab: db.prepare<[number, number], ActionView>(
        `${ACTION_VIEW} WHERE x.collab_id = ? AND x.status = 'open' AND x.due_at <= ? ORDER BY x.due_at, x.id`,
      ),

      // FTS5 reads the index in rank order (the ORDER BY is consumed by the index),
      // so rows stream best first and the snippets are made only for the rows returned.
      // The collab_id test is what keeps other collabs' notes out: the scope terms in
      // the MATCH only narrow the search, since a note's own text may contain a scope mark.
      search: db.prepare<[string, number, string, number], SearchHit>(
        `SELECT n.id, n.collab_id, c.name AS collab_name, n.title, n.created_at, a.display_name AS author_name,
                snippet(notes_fts, 1, char(1), char(2), '…', 12) AS title_snippet,
                snippet(notes_fts, 2, char(1), char(2), '…', 16) AS body_snippet
         FROM notes_fts
         JOIN notes n ON n.id = notes_fts.rowid
         JOIN collabs c ON c.id = n.collab_id
         JOIN people a ON a.id = n.author_id
         WHERE notes_fts MATCH ? AND notes_fts.rowid >= ? AND n.collab_id IN (SELECT value FROM json_each(?))
         ORDER BY notes_fts.rank
         LIMIT ?`,
      ),
      // The oldest of the newest `limit` matches: FTS5 reads its index newest first
      // and stops there, without ranking anything.
      searchFloor: db.prepare<[string, number], { floor: number | null }>(
        `SELECT MIN(rowid) AS floor FROM (SELECT rowid FROM notes_fts WHERE notes_fts MATCH ? ORDER BY rowid DESC LIMIT ?)`,
      ),

      mergeAuthor: db.prepare<[number, number]>('UPDATE notes SET author_id = ? WHERE author_id = ?'),
      mergeEditor: db.prepare<[number, number]>('UPDATE notes SET edited_by = ? WHERE edited_by = ?'),
      mergeWriter: db.prepare<[number, number]>('UPDATE note_versions SET written_by = ? WHERE written_by = ?'),
      mergeOwner: db.prepare<[number, number]>('UPDATE actions SET owner_id = ? WHERE owner_id = ?'),
      mergeCloser: db.prepare<[number, number]>('UPDATE actions SET closed_by = ? WHERE closed_by = ?'),
    };
  }

  insertNote(n: NewNote): number {
    return Number(this.s.insertNote.run(n.collabId, n.chatId, n.title, n.body, n.authorId, n.createdAt).lastInsertRowid);
  }

  /**
   * Many notes in one transaction (the search index is kept by triggers), for
   * benchmarks and imports. Returns the first and last new note numbers.
   */
  insertMany(notes: Iterable<NewNote>): { first: number; last: number } {
    return this.db.transaction(() => {
      let first = 0;
      let last = 0;
      for (const n of notes) {
        last = this.insertNote(n);
        if (!first) first = last;
      }
      return { first, last };
    })();
  }

  note(id: number) {
    return this.s.note.get(id);
  }
  recent(collabId: number, limit: number) {
    return this.s.recent.all(collabId, limit);
  }
  ofCollab(collabId: number) {
    return this.s.ofCollab.all(collabId);
  }
  /** Keep the current version of a note, then replace its body. */
  replaceBody(note: NoteRow, body: string, by: number, now: number) {
    this.s.saveVersion.run(note.id, note.version, note.title, note.body, note.edited_by ?? note.author_id, note.edited_at ?? note.created_at);
    this.s.replaceBody.run(body, by, now, note.id);
  }
  version(noteId: number, version: number) {
    return this.s.version.get(noteId, version);
  }

  insertAction(a: NewAction): number {
    return Number(
      this.s.insertAction.run(a.noteId, a.collabId, a.source, a.ownerId, a.ownerName, a.text, a.dueDate, a.dueAt, a.dueHasTime ? 1 : 0, a.createdAt)
        .lastInsertRowid,
    );
  }
  action(id: number) {
    return this.s.action.get(id);
  }
  actionsOfNote(noteId: number) {
    return this.s.actionsOfNote.all(noteId);
  }
  setStatus(id: number, status: ActionStatus, by: number | null, now: number | null) {
    this.s.setStatus.run(status, status === 'open' ? null : now, status === 'open' ? null : by, id);
  }
  setOwner(id: number, personId: number, name: string) {
    this.s.setOwner.run(personId, name, id);
  }
  setDue(id: number, date: string, at: number, hasTime: boolean) {
    this.s.setDue.run(date, at, hasTime ? 1 : 0, id);
  }
  openOfCollab(collabId: number) {
    return this.s.openOfCollab.all(collabId);
  }
  openOfOwner(personId: number) {
    return this.s.openOfOwner.all(personId);
  }
  dueBy(t: number, collabId?: number) {
    return collabId === undefined ? this.s.dueBy.all(t) : this.s.dueByInCollab.all(collabId, t);
  }

  /**
   * Full-text search: `match` is an FTS5 expression (see fts-query.ts), limited to
   * `collabIds`; best match first among the newest SEARCH_RANKED (or `limit`, if
   * more) matching notes. Ranking
   * (bm25) every match made common words cost thousands of scores per search; a
   * word in fewer notes than that is ranked over all of them, as before.
   */
  search(match: string, collabIds: number[], limit: number): SearchHit[] {
    const floor = this.s.searchFloor.get(match, Math.max(SEARCH_RANKED, limit))?.floor;
    if (floor === null || floor === undefined) return [];
    return this.s.search.all(match, floor, JSON.stringify(collabIds), limit);
  }

  /** The search statement's text, for checking its query plan. */
  get searchSql(): string {
    return this.s.search.source;
  }

  mergePerson(from: number, to: number) {
    this.s.mergeAuthor.run(to, from);
    this.s.mergeEditor.run(to, from);
    this.s.mergeWriter.run(to, from);
    this.s.mergeOwner.run(to, from);
    this.s.mergeCloser.run(to, from);
  }
}

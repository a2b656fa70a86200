-- Meeting notes, their earlier versions, the action items found in them, and
-- the full-text index used by /notes search.

CREATE TABLE notes (
  id INTEGER PRIMARY KEY,                      -- the #N people type
  collab_id INTEGER NOT NULL REFERENCES collabs(id),
  chat_id INTEGER REFERENCES chats(id),        -- where it was written (reminders go back there)
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  author_id INTEGER NOT NULL REFERENCES people(id),
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1,
  edited_by INTEGER REFERENCES people(id),     -- who wrote the current version (NULL: never edited)
  edited_at INTEGER
);
CREATE INDEX notes_collab ON notes(collab_id, id);
CREATE INDEX notes_author ON notes(author_id);

-- Every earlier version of a note, kept when /notes edit replaces the body.
CREATE TABLE note_versions (
  note_id INTEGER NOT NULL REFERENCES notes(id),
  version INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  written_by INTEGER NOT NULL REFERENCES people(id),
  written_at INTEGER NOT NULL,
  PRIMARY KEY (note_id, version)
) WITHOUT ROWID;
CREATE INDEX note_versions_writer ON note_versions(written_by);

-- One row per ACTION line. The owner is a person when the name was recognised,
-- otherwise only the name as written.
CREATE TABLE actions (
  id INTEGER PRIMARY KEY,                      -- the #M people type
  note_id INTEGER NOT NULL REFERENCES notes(id),
  collab_id INTEGER NOT NULL REFERENCES collabs(id),
  source TEXT NOT NULL,                        -- the ACTION line as written (matched on edit)
  owner_id INTEGER REFERENCES people(id),
  owner_name TEXT NOT NULL,
  text TEXT NOT NULL,
  due_date TEXT,                               -- calendar date in the collab's zone, YYYY-MM-DD
  due_at INTEGER,                              -- the deadline: the end of due_date, or the time given
  due_has_time INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'dropped')),
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  closed_by INTEGER REFERENCES people(id),
  CHECK ((due_date IS NULL) = (due_at IS NULL))
);
CREATE INDEX actions_collab_open ON actions(collab_id, status, due_at);
CREATE INDEX actions_owner_open ON actions(owner_id, status, due_at);
CREATE INDEX actions_due ON actions(status, due_at);
CREATE INDEX actions_note ON actions(note_id);
CREATE INDEX actions_closed_by ON actions(closed_by);

-- Full-text index over the notes (external content: the text is stored once,
-- in notes, and read through the view below). Porter stemming: "volunteering"
-- finds "volunteers". The scope column holds the collab as one token, U+E000
-- (a private-use character nobody types; searches strip it) followed by the
-- collab id, so a search is narrowed to the asker's collabs inside the index,
-- and no searched word can ever match it (so no column filter is needed, which
-- would make every search slower). It has weight 0 in the ranking.
CREATE VIEW notes_fts_content AS SELECT id, char(57344) || collab_id AS scope, title, body FROM notes;
CREATE VIRTUAL TABLE notes_fts USING fts5(
  scope, title, body,
  content = 'notes_fts_content', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
-- bm25 weights per column: a word in the title counts four times a word in the body.
INSERT INTO notes_fts (notes_fts, rank) VALUES ('rank', 'bm25(0.0, 4.0, 1.0)');

CREATE TRIGGER notes_fts_insert AFTER INSERT ON notes BEGIN
  INSERT INTO notes_fts (rowid, scope, title, body) VALUES (new.id, char(57344) || new.collab_id, new.title, new.body);
END;
CREATE TRIGGER notes_fts_delete AFTER DELETE ON notes BEGIN
  INSERT INTO notes_fts (notes_fts, rowid, scope, title, body) VALUES ('delete', old.id, char(57344) || old.collab_id, old.title, old.body);
END;
CREATE TRIGGER notes_fts_update AFTER UPDATE OF collab_id, title, body ON notes BEGIN
  INSERT INTO notes_fts (notes_fts, rowid, scope, title, body) VALUES ('delete', old.id, char(57344) || old.collab_id, old.title, old.body);
  INSERT INTO notes_fts (rowid, scope, title, body) VALUES (new.id, char(57344) || new.collab_id, new.title, new.body);
END;

-- Reminders: what to say, to whom, and when. The pending occurrence of an
-- active reminder is one scheduler job keyed 'reminder:<id>', due at next_at.

CREATE TABLE reminders (
  id INTEGER PRIMARY KEY,
  chat_id INTEGER NOT NULL REFERENCES chats(id),     -- where it was set; a chat reminder is sent here
  collab_id INTEGER REFERENCES collabs(id),          -- the collab of that chat, if any (whose facilitators may manage it)
  person_id INTEGER REFERENCES people(id),           -- set for /remind me: a direct message to this person
  created_by INTEGER NOT NULL REFERENCES people(id),
  text TEXT NOT NULL,
  when_text TEXT NOT NULL,                           -- as the person typed it, e.g. 'every monday at 10:00'
  cron TEXT,                                         -- 5-field cron for a repeating reminder; NULL for a one-off
  tz TEXT NOT NULL,                                  -- the zone its times are read in
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'done', 'cancelled')),
  next_at INTEGER,                                   -- the next occurrence (kept while paused; NULL once done or cancelled)
  last_at INTEGER,                                   -- the last occurrence sent or skipped
  sent INTEGER NOT NULL DEFAULT 0,                   -- occurrences delivered so far
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  CHECK ((status IN ('active', 'paused')) = (next_at IS NOT NULL))
);
CREATE INDEX reminders_chat ON reminders(chat_id, status);
CREATE INDEX reminders_person ON reminders(person_id, status);

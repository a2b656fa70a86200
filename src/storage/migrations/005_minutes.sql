-- Delegates' minutes, where they were relayed, and the sector's comments on them.
-- Who is a delegate, and for which partnership body, is the roles table
-- (role 'delegate', the body in `detail`).

CREATE TABLE minutes (
  id INTEGER PRIMARY KEY,                       -- the N in "minutes #N"
  body TEXT NOT NULL,                           -- the partnership body, as it was when posted
  meeting TEXT NOT NULL,
  text TEXT NOT NULL,
  delegate_id INTEGER NOT NULL REFERENCES people(id),
  platform TEXT NOT NULL,                       -- where the delegate posted them: their direct messages go there
  chat_id INTEGER NOT NULL REFERENCES chats(id),
  created_at INTEGER NOT NULL
);

-- The chats the minutes were sent to (one outbox row each, key minutes:N:platform:chat).
CREATE TABLE minutes_relays (
  minutes_id INTEGER NOT NULL REFERENCES minutes(id),
  chat_id INTEGER NOT NULL REFERENCES chats(id),
  PRIMARY KEY (minutes_id, chat_id)
) WITHOUT ROWID;

CREATE TABLE minutes_comments (
  id INTEGER PRIMARY KEY,
  minutes_id INTEGER NOT NULL REFERENCES minutes(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  chat_id INTEGER NOT NULL REFERENCES chats(id),
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX minutes_comments_by_minutes ON minutes_comments(minutes_id, id);
CREATE INDEX minutes_comments_by_person ON minutes_comments(person_id);
CREATE INDEX minutes_by_delegate ON minutes(delegate_id);

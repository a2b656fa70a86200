-- Core: people and their platform identities, collabs and their chats, roles,
-- subscriptions, inbound event record, outbox and scheduled jobs.

CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  display_name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  merged_into INTEGER REFERENCES people(id)   -- set when /link joined this person into another
);

-- A person is one or more (platform, user id) identities, joined with /link.
CREATE TABLE identities (
  platform TEXT NOT NULL,
  user_id TEXT NOT NULL,
  person_id INTEGER NOT NULL REFERENCES people(id),
  display_name TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (platform, user_id)
);
CREATE INDEX identities_person ON identities(person_id);
CREATE INDEX identities_name ON identities(platform, display_name COLLATE NOCASE);

CREATE TABLE link_codes (
  code TEXT PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  expires_at INTEGER NOT NULL
);

CREATE TABLE collabs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL COLLATE NOCASE UNIQUE,
  tz TEXT,
  created_by INTEGER REFERENCES people(id),
  created_at INTEGER NOT NULL
);

CREATE TABLE chats (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  name TEXT NOT NULL,
  is_direct INTEGER NOT NULL DEFAULT 0,
  collab_id INTEGER REFERENCES collabs(id),
  UNIQUE (platform, chat_id)
);
CREATE INDEX chats_collab ON chats(collab_id);

-- Anyone seen in one of a collab's chats is a member of it.
CREATE TABLE members (
  collab_id INTEGER NOT NULL REFERENCES collabs(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  first_seen INTEGER NOT NULL,
  PRIMARY KEY (collab_id, person_id)
) WITHOUT ROWID;
CREATE INDEX members_person ON members(person_id);

-- Admins come from configuration and are not stored here.
CREATE TABLE roles (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  role TEXT NOT NULL CHECK (role IN ('lead', 'delegate', 'facilitator')),
  collab_id INTEGER REFERENCES collabs(id),
  detail TEXT,
  granted_by INTEGER REFERENCES people(id),
  granted_at INTEGER NOT NULL,
  CHECK ((role = 'facilitator') = (collab_id IS NOT NULL))
);
CREATE UNIQUE INDEX roles_unique ON roles(person_id, role, IFNULL(collab_id, 0));

-- A chat's opt-in to collective-wide traffic: 'minutes', 'polls'.
CREATE TABLE subscriptions (
  chat_id INTEGER NOT NULL REFERENCES chats(id),
  topic TEXT NOT NULL,
  created_by INTEGER REFERENCES people(id),
  created_at INTEGER NOT NULL,
  PRIMARY KEY (chat_id, topic)
) WITHOUT ROWID;
CREATE INDEX subscriptions_topic ON subscriptions(topic);

-- Every handled inbound event, so a re-delivery is handled once.
CREATE TABLE inbound_events (
  platform TEXT NOT NULL,
  event_id TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;
CREATE INDEX inbound_events_received ON inbound_events(received_at);

-- Every outgoing message, written in the transaction that caused it.
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,
  dest TEXT NOT NULL,              -- 'c:<chat id>' or 'u:<user id>'
  body TEXT NOT NULL,              -- JSON OutMessage
  idem_key TEXT UNIQUE,            -- at most one message per key, ever
  origin TEXT,                     -- what caused it, e.g. 'minutes:3', for failure reports
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER,
  message_id TEXT
);
CREATE INDEX outbox_queue ON outbox(platform, status, dest, id);

-- Platform message ids of messages that can be edited in place (live poll counts).
CREATE TABLE message_refs (
  platform TEXT NOT NULL,
  dest TEXT NOT NULL,
  edit_key TEXT NOT NULL,
  message_id TEXT NOT NULL,
  PRIMARY KEY (platform, dest, edit_key)
) WITHOUT ROWID;

-- The scheduler's single timeline: one row per future job, of a registered kind.
CREATE TABLE jobs (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  key TEXT UNIQUE,
  due_at INTEGER NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'cancelled', 'failed')),
  created_at INTEGER NOT NULL,
  done_at INTEGER,
  late_ms INTEGER
);
CREATE INDEX jobs_due ON jobs(status, due_at);

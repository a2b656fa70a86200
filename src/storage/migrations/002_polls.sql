-- Polls and decisions. A poll's id is its number (#N), unique across collabs,
-- because a sector-wide poll is shown in chats of many collabs.

CREATE TABLE polls (
  id INTEGER PRIMARY KEY,
  collab_id INTEGER REFERENCES collabs(id),   -- where it was asked; its chats show it
  question TEXT NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('choice', 'proposal', 'ranked', 'score')),
  multi INTEGER NOT NULL DEFAULT 1 CHECK (multi >= 1),   -- up to K choices (choice polls)
  anonymous INTEGER NOT NULL DEFAULT 0 CHECK (anonymous IN (0, 1)),
  hidden INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
  everywhere INTEGER NOT NULL DEFAULT 0 CHECK (everywhere IN (0, 1)),
  quorum INTEGER CHECK (quorum > 0),
  voter_role TEXT CHECK (voter_role IN ('lead')),   -- only holders of this role may vote
  origin TEXT,                                      -- what it decides, e.g. 'grant:7'
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closes_at INTEGER,
  created_by INTEGER REFERENCES people(id),
  created_at INTEGER NOT NULL,
  closed_at INTEGER,
  closed_by INTEGER REFERENCES people(id),          -- NULL when it closed at its closing time
  outcome TEXT,
  outcome_by INTEGER REFERENCES people(id),
  outcome_at INTEGER,
  -- Anonymous ballots of one person who voted from two accounts before linking
  -- them: the ballots cannot be told apart, so both stay and the results say so.
  linked_double_votes INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX polls_collab_open ON polls(collab_id, status);
CREATE INDEX polls_origin ON polls(origin) WHERE origin IS NOT NULL;

-- An anonymous poll stays anonymous.
CREATE TRIGGER polls_anonymous_is_fixed BEFORE UPDATE OF anonymous ON polls
WHEN NEW.anonymous <> OLD.anonymous
BEGIN SELECT RAISE(ABORT, 'an anonymous poll cannot stop being anonymous'); END;

CREATE TABLE poll_options (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  idx INTEGER NOT NULL,              -- 1, 2, 3 … as shown
  label TEXT NOT NULL,
  PRIMARY KEY (poll_id, idx)
) WITHOUT ROWID;

-- The chats a poll was posted to (its live view is refreshed there).
CREATE TABLE poll_chats (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  chat_id INTEGER NOT NULL REFERENCES chats(id),
  PRIMARY KEY (poll_id, chat_id)
) WITHOUT ROWID;
CREATE INDEX poll_chats_chat ON poll_chats(chat_id);

-- Who has voted: one row per person and poll, so nobody votes twice. For named
-- polls `ballot` says which ballot is theirs (so a re-vote replaces it); for
-- anonymous polls it is NULL, and there is no time either, so nothing links a
-- voter to a ballot.
CREATE TABLE poll_voters (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  ballot TEXT,
  voted_at INTEGER,
  PRIMARY KEY (poll_id, person_id)
) WITHOUT ROWID;

CREATE TRIGGER poll_voters_anonymous_insert BEFORE INSERT ON poll_voters
WHEN (NEW.ballot IS NOT NULL OR NEW.voted_at IS NOT NULL) AND (SELECT anonymous FROM polls WHERE id = NEW.poll_id) = 1
BEGIN SELECT RAISE(ABORT, 'anonymous polls keep no link from voter to ballot'); END;
CREATE TRIGGER poll_voters_anonymous_update BEFORE UPDATE ON poll_voters
WHEN (NEW.ballot IS NOT NULL OR NEW.voted_at IS NOT NULL) AND (SELECT anonymous FROM polls WHERE id = NEW.poll_id) = 1
BEGIN SELECT RAISE(ABORT, 'anonymous polls keep no link from voter to ballot'); END;

-- Ballots, one row per option marked. `ballot` is a random token (so rows are
-- stored in random order, not in voting order); it names no person.
-- value: 1 for a choice, the rank (1 = favourite) for ranked, 0..5 for score.
CREATE TABLE poll_ballots (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  ballot TEXT NOT NULL,
  option_idx INTEGER NOT NULL,
  value INTEGER NOT NULL,
  PRIMARY KEY (poll_id, ballot, option_idx)
) WITHOUT ROWID;
-- Tallies are one covering-index scan: counts, means and first preferences per option.
CREATE INDEX poll_ballots_tally ON poll_ballots(poll_id, option_idx, value);

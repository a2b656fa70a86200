-- Polls counted by the single transferable vote (`--type stv --seats N`). They
-- are stored as ranked polls (their ballots are rankings, loaded like any
-- ranked poll's); this table adds the seats to fill and the seed of the draw by
-- lot, so a recount gives the same result.
CREATE TABLE poll_stv (
  poll_id INTEGER PRIMARY KEY REFERENCES polls(id),
  seats INTEGER NOT NULL CHECK (seats >= 1),
  seed TEXT NOT NULL
);

-- Delegate elections: nominations, then (if contested) an anonymous stv poll.
CREATE TABLE elections (
  id INTEGER PRIMARY KEY,                   -- the E in /election stand E
  body TEXT NOT NULL,                       -- the partnership body, as /delegate add spells it
  seats INTEGER NOT NULL CHECK (seats >= 1),
  status TEXT NOT NULL DEFAULT 'nominations' CHECK (status IN ('nominations', 'voting', 'decided', 'lapsed')),
  nominations_close_at INTEGER NOT NULL,
  voting_ms INTEGER NOT NULL,               -- how long voting lasts once nominations close
  term_months INTEGER NOT NULL CHECK (term_months >= 1),
  poll_id INTEGER REFERENCES polls(id),
  collab_id INTEGER REFERENCES collabs(id),
  chat_id INTEGER NOT NULL REFERENCES chats(id),   -- where it was made: announcements and the term reminder go there
  created_by INTEGER NOT NULL REFERENCES people(id),
  created_at INTEGER NOT NULL,
  decided_at INTEGER
);
CREATE INDEX elections_body ON elections(body COLLATE NOCASE);

CREATE TABLE election_candidates (
  election_id INTEGER NOT NULL REFERENCES elections(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  -- nominated: waiting for them to accept; standing: a candidate; withdrawn; elected; not_elected.
  status TEXT NOT NULL CHECK (status IN ('nominated', 'standing', 'withdrawn', 'elected', 'not_elected')),
  option_idx INTEGER,                       -- their option in the election poll
  statement TEXT,
  nominated_by INTEGER NOT NULL REFERENCES people(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (election_id, person_id)
) WITHOUT ROWID;
CREATE INDEX election_candidates_person ON election_candidates(person_id);

-- Terms of elected delegates. The delegate role itself stays in `roles`; a term
-- belongs to the role granted at `starts_at` (a delegate later appointed by hand
-- has a role granted at another time, so no term).
CREATE TABLE delegate_terms (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  body TEXT NOT NULL,
  election_id INTEGER NOT NULL REFERENCES elections(id),
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  ended_at INTEGER                          -- set when they stopped being a delegate at the term's end
);
CREATE INDEX delegate_terms_person ON delegate_terms(person_id);
CREATE INDEX delegate_terms_body ON delegate_terms(body COLLATE NOCASE, ends_at);

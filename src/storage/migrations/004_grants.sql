-- Grants (Discovery, Enabling, Invest), the leads' decisions on them, an
-- append-only ledger of every state change and money movement, and impact
-- stories with their outcome tags. Money is always integer pence (GBP).

-- One row per category: its budget, the most one grant may ask for (NULL: no
-- cap), and how the leads decide: by approvals from different leads, or by poll.
CREATE TABLE grant_funds (
  category TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  budget INTEGER NOT NULL DEFAULT 0 CHECK (budget >= 0),
  cap INTEGER CHECK (cap IS NULL OR cap > 0),
  decided_by TEXT NOT NULL CHECK (decided_by IN ('approvals', 'poll')),
  updated_at INTEGER
);
INSERT INTO grant_funds (category, name, position, cap, decided_by) VALUES
  ('discovery', 'Discovery', 1, 100000, 'approvals'),
  ('enabling', 'Enabling', 2, 1000000, 'poll'),
  ('invest', 'Invest', 3, NULL, 'poll');

CREATE TABLE grants (
  id INTEGER PRIMARY KEY,
  collab_id INTEGER NOT NULL REFERENCES collabs(id),
  category TEXT NOT NULL REFERENCES grant_funds(category),
  amount INTEGER NOT NULL CHECK (amount > 0),
  purpose TEXT NOT NULL,
  requested_by INTEGER NOT NULL REFERENCES people(id),
  state TEXT NOT NULL DEFAULT 'submitted'
    CHECK (state IN ('submitted', 'approved', 'declined', 'withdrawn', 'paid', 'reported')),
  -- The leads' proposal poll, for categories decided by poll.
  poll_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX grants_state ON grants(state, category);
CREATE INDEX grants_collab ON grants(collab_id);

-- Each lead's approval or decline of a request (one per lead per grant).
CREATE TABLE grant_decisions (
  grant_id INTEGER NOT NULL REFERENCES grants(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'decline')),
  note TEXT,
  decided_at INTEGER NOT NULL,
  PRIMARY KEY (grant_id, person_id)
) WITHOUT ROWID;

-- The ledger: one row per state change or money movement, never changed.
-- The *_change columns are signed pence; their sums per category are the
-- fund's budget, approved (reserved, including paid) and paid totals.
CREATE TABLE grant_ledger (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  category TEXT NOT NULL REFERENCES grant_funds(category),
  grant_id INTEGER REFERENCES grants(id),
  event TEXT NOT NULL,      -- 'budget set', 'cap set', 'requested', 'approval', 'approved', 'declined', 'withdrawn', 'paid', 'reported'
  from_state TEXT,
  to_state TEXT,            -- set when the grant's state changed
  amount INTEGER,           -- pence: the grant's amount, or the new budget or cap
  budget_change INTEGER NOT NULL DEFAULT 0,
  approved_change INTEGER NOT NULL DEFAULT 0,
  paid_change INTEGER NOT NULL DEFAULT 0,
  actor_id INTEGER REFERENCES people(id),
  actor_name TEXT,          -- the name at the time, as funders will read it
  note TEXT
);
CREATE INDEX grant_ledger_grant ON grant_ledger(grant_id, id);

CREATE TRIGGER grant_ledger_no_update BEFORE UPDATE ON grant_ledger
BEGIN
  SELECT RAISE(ABORT, 'grant_ledger is append-only');
END;
CREATE TRIGGER grant_ledger_no_delete BEFORE DELETE ON grant_ledger
BEGIN
  SELECT RAISE(ABORT, 'grant_ledger is append-only');
END;

-- Outcome tags for stories. Admins add and retire tags; retired tags stay on old stories.
CREATE TABLE story_outcomes (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  position INTEGER NOT NULL,
  retired_at INTEGER
);
-- The six outcomes of the sector interface's agreement with the Scottish Government.
INSERT INTO story_outcomes (slug, name, position) VALUES
  ('involved', 'More involved communities', 1),
  ('collaboration', 'Cross-sector collaboration', 2),
  ('shared-agendas', 'Leading shared agendas', 3),
  ('local-need', 'Responding to local need', 4),
  ('decisions', 'Third sector input to decisions', 5),
  ('economy', 'Inclusive local social economy', 6);

-- Real-life stories of difference made; a grant's report is one too.
CREATE TABLE stories (
  id INTEGER PRIMARY KEY,
  collab_id INTEGER NOT NULL REFERENCES collabs(id),
  author_id INTEGER NOT NULL REFERENCES people(id),
  text TEXT NOT NULL,
  outcome TEXT REFERENCES story_outcomes(slug),
  grant_id INTEGER REFERENCES grants(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX stories_collab ON stories(collab_id, id);

-- /link needs both accounts: the account that typed the code is recorded here
-- until the account that asked for the code confirms.
ALTER TABLE link_codes ADD COLUMN claimed_by INTEGER REFERENCES people(id);

-- Wrong codes typed by anyone: five in a code's lifetime, from any accounts,
-- and every live code dies (so no code can be found by trying).
CREATE TABLE link_wrong_tries (at INTEGER NOT NULL);

-- Each link made, so /link undo can split it within 30 days: which identities
-- came from which person, and each side's own roles at that moment.
CREATE TABLE person_links (
  id INTEGER PRIMARY KEY,
  into_person INTEGER NOT NULL REFERENCES people(id),
  from_person INTEGER NOT NULL REFERENCES people(id),
  identities TEXT NOT NULL,      -- JSON [[platform, user_id], ...] moved from from_person
  into_roles TEXT NOT NULL,      -- JSON [[role, collab_id, detail], ...]
  from_roles TEXT NOT NULL,
  linked_at INTEGER NOT NULL,
  undone_at INTEGER,
  undone_by INTEGER REFERENCES people(id)
);
CREATE INDEX person_links_into ON person_links(into_person, linked_at);

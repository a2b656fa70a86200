-- Conflicts of interest are fixed when a grant is requested: the requester and
-- whoever facilitates the requesting collab at that moment stay conflicted for
-- that grant (and its leads' poll), whatever roles change later. Before this,
-- a lead could drop their facilitator role and then approve.
CREATE TABLE grant_conflicts (
  grant_id INTEGER NOT NULL REFERENCES grants(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  reason TEXT NOT NULL CHECK (reason IN ('requester', 'facilitator')),
  PRIMARY KEY (grant_id, person_id)
) WITHOUT ROWID;
CREATE INDEX grant_conflicts_person ON grant_conflicts(person_id);

-- Requests made before this: their requester, and the collab's facilitators now.
INSERT OR IGNORE INTO grant_conflicts (grant_id, person_id, reason) SELECT id, requested_by, 'requester' FROM grants;
INSERT OR IGNORE INTO grant_conflicts (grant_id, person_id, reason)
SELECT g.id, r.person_id, 'facilitator' FROM grants g JOIN roles r ON r.role = 'facilitator' AND r.collab_id = g.collab_id;

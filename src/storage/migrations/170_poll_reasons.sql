-- Reasons given with votes (`/vote 3 block -- it ignores under-18s`). A reason
-- belongs to a ballot, not to a person: `ballot` is the ballot's random token,
-- so a reason in an anonymous poll is as unlinkable as the ballot itself. The
-- option it explains is the ballot's first choice (stored for display only).
CREATE TABLE poll_reasons (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  ballot TEXT NOT NULL,
  option_idx INTEGER NOT NULL,
  reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  PRIMARY KEY (poll_id, ballot)
) WITHOUT ROWID;

-- A changed or withdrawn vote takes its reason with it.
CREATE TRIGGER poll_reasons_follow_ballot AFTER DELETE ON poll_ballots
BEGIN DELETE FROM poll_reasons WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot; END;

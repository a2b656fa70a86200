-- Anonymous ballots, unlinkable even to someone holding the database files.
-- One row per anonymous poll holds all its ballots as a JSON list in random
-- order; each new ballot goes in at a random place and the row is rewritten, so
-- neither the order of cells in a page nor the list gives away who voted when.
-- (Rows in poll_ballots were in random key order, but their cells sat in the
-- page in the order they were written.) The service also turns secure_delete on
-- and truncates the WAL after each anonymous vote, and anonymous polls keep no
-- running tallies: they are counted from this list when shown or closed.
CREATE TABLE poll_anonymous_ballots (
  poll_id INTEGER PRIMARY KEY REFERENCES polls(id),
  ballots TEXT NOT NULL DEFAULT '[]'   -- [[[option, value], ...], ...]
);

INSERT INTO poll_anonymous_ballots (poll_id, ballots)
SELECT poll_id, json_group_array(json(entries)) FROM (
  SELECT b.poll_id, b.ballot, json_group_array(json_array(b.option_idx, b.value)) AS entries
  FROM poll_ballots b JOIN polls p ON p.id = b.poll_id AND p.anonymous = 1
  GROUP BY b.poll_id, b.ballot
) GROUP BY poll_id;

DELETE FROM poll_ballots WHERE poll_id IN (SELECT id FROM polls WHERE anonymous = 1);
DELETE FROM poll_tallies WHERE poll_id IN (SELECT id FROM polls WHERE anonymous = 1);

CREATE TRIGGER poll_ballots_not_anonymous BEFORE INSERT ON poll_ballots
WHEN (SELECT anonymous FROM polls WHERE id = NEW.poll_id) = 1
BEGIN SELECT RAISE(ABORT, 'anonymous ballots go in poll_anonymous_ballots'); END;

-- Each ranked ballot's ranking packed in one row, kept by triggers on
-- poll_ballots: one character per option, favourite first (char(48 + option
-- index)). Instant-runoff needs every ranking; reading 100,000 of these rows is
-- several times quicker than 350,000 per-option rows. poll_ballots stays the
-- record (and feeds the running tallies); this is derived and can be rebuilt.
CREATE TABLE poll_rankings (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  ballot TEXT NOT NULL,
  ranking TEXT NOT NULL,
  PRIMARY KEY (poll_id, ballot)
) WITHOUT ROWID;

INSERT INTO poll_rankings (poll_id, ballot, ranking)
SELECT b.poll_id, b.ballot, group_concat(char(48 + b.option_idx), '' ORDER BY b.value)
FROM poll_ballots b JOIN polls p ON p.id = b.poll_id
WHERE p.type = 'ranked'
GROUP BY b.poll_id, b.ballot;

CREATE TRIGGER poll_rankings_add AFTER INSERT ON poll_ballots
WHEN (SELECT type FROM polls WHERE id = NEW.poll_id) = 'ranked' BEGIN
  INSERT OR REPLACE INTO poll_rankings (poll_id, ballot, ranking)
  SELECT NEW.poll_id, NEW.ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = NEW.poll_id AND ballot = NEW.ballot;
END;

CREATE TRIGGER poll_rankings_change AFTER UPDATE ON poll_ballots
WHEN (SELECT type FROM polls WHERE id = NEW.poll_id) = 'ranked' BEGIN
  DELETE FROM poll_rankings WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot;
  INSERT INTO poll_rankings (poll_id, ballot, ranking)
  SELECT poll_id, ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot GROUP BY poll_id, ballot;
  INSERT OR REPLACE INTO poll_rankings (poll_id, ballot, ranking)
  SELECT NEW.poll_id, NEW.ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = NEW.poll_id AND ballot = NEW.ballot;
END;

CREATE TRIGGER poll_rankings_remove AFTER DELETE ON poll_ballots
WHEN (SELECT type FROM polls WHERE id = OLD.poll_id) = 'ranked' BEGIN
  DELETE FROM poll_rankings WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot;
  INSERT INTO poll_rankings (poll_id, ballot, ranking)
  SELECT poll_id, ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot GROUP BY poll_id, ballot;
END;

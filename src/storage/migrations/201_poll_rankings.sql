-- Each ranked ballot's ranking packed in one row, kept by triggers on
-- poll_ballots: one character per option, favourite first (char(48 + option
-- index)); and per poll, how many ballots have each different ranking.
-- Instant-runoff needs every ranking: with 100,000 ballots it now reads a few
-- thousand counted rankings instead of 350,000 per-option rows. poll_ballots
-- stays the record (and feeds the running tallies); these are derived and can
-- be rebuilt. The counts name no ballot and no person.
CREATE TABLE poll_rankings (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  ballot TEXT NOT NULL,
  ranking TEXT NOT NULL,
  PRIMARY KEY (poll_id, ballot)
) WITHOUT ROWID;

CREATE TABLE poll_ranking_counts (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  ranking TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (poll_id, ranking)
) WITHOUT ROWID;

CREATE TRIGGER poll_ranking_counts_add AFTER INSERT ON poll_rankings BEGIN
  INSERT OR IGNORE INTO poll_ranking_counts (poll_id, ranking, n) VALUES (NEW.poll_id, NEW.ranking, 0);
  UPDATE poll_ranking_counts SET n = n + 1 WHERE poll_id = NEW.poll_id AND ranking = NEW.ranking;
END;
CREATE TRIGGER poll_ranking_counts_remove AFTER DELETE ON poll_rankings BEGIN
  UPDATE poll_ranking_counts SET n = n - 1 WHERE poll_id = OLD.poll_id AND ranking = OLD.ranking;
END;

INSERT INTO poll_rankings (poll_id, ballot, ranking)
SELECT b.poll_id, b.ballot, group_concat(char(48 + b.option_idx), '' ORDER BY b.value)
FROM poll_ballots b JOIN polls p ON p.id = b.poll_id
WHERE p.type = 'ranked'
GROUP BY b.poll_id, b.ballot;

-- Any change to a ballot's rows: its packed ranking is written again (the
-- counts follow through the triggers above). Delete then insert, never
-- REPLACE, which would skip the delete trigger.
CREATE TRIGGER poll_rankings_add AFTER INSERT ON poll_ballots
WHEN (SELECT type FROM polls WHERE id = NEW.poll_id) = 'ranked' BEGIN
  DELETE FROM poll_rankings WHERE poll_id = NEW.poll_id AND ballot = NEW.ballot;
  INSERT INTO poll_rankings (poll_id, ballot, ranking)
  SELECT poll_id, ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = NEW.poll_id AND ballot = NEW.ballot GROUP BY poll_id, ballot;
END;

CREATE TRIGGER poll_rankings_change AFTER UPDATE ON poll_ballots
WHEN (SELECT type FROM polls WHERE id = NEW.poll_id) = 'ranked' BEGIN
  DELETE FROM poll_rankings WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot;
  INSERT INTO poll_rankings (poll_id, ballot, ranking)
  SELECT poll_id, ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot GROUP BY poll_id, ballot;
  DELETE FROM poll_rankings WHERE poll_id = NEW.poll_id AND ballot = NEW.ballot;
  INSERT INTO poll_rankings (poll_id, ballot, ranking)
  SELECT poll_id, ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = NEW.poll_id AND ballot = NEW.ballot GROUP BY poll_id, ballot;
END;

CREATE TRIGGER poll_rankings_remove AFTER DELETE ON poll_ballots
WHEN (SELECT type FROM polls WHERE id = OLD.poll_id) = 'ranked' BEGIN
  DELETE FROM poll_rankings WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot;
  INSERT INTO poll_rankings (poll_id, ballot, ranking)
  SELECT poll_id, ballot, group_concat(char(48 + option_idx), '' ORDER BY value)
  FROM poll_ballots WHERE poll_id = OLD.poll_id AND ballot = OLD.ballot GROUP BY poll_id, ballot;
END;

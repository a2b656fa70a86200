-- Running tallies, kept by triggers on the ballots and voters tables, so the
-- live count after each vote reads a few rows per poll instead of aggregating
-- every ballot (10,000 voters made every vote recount the whole poll). The
-- ballots stay the record; these are derived and can always be rebuilt.
CREATE TABLE poll_tallies (
  poll_id INTEGER NOT NULL REFERENCES polls(id),
  option_idx INTEGER NOT NULL,
  n INTEGER NOT NULL,        -- ballots that mark the option
  total INTEGER NOT NULL,    -- sum of their values (score polls: mean = total / n)
  firsts INTEGER NOT NULL,   -- those with value 1 (ranked polls: first preferences)
  PRIMARY KEY (poll_id, option_idx)
) WITHOUT ROWID;

INSERT INTO poll_tallies (poll_id, option_idx, n, total, firsts)
SELECT poll_id, option_idx, COUNT(*), SUM(value), SUM(value = 1) FROM poll_ballots GROUP BY poll_id, option_idx;

CREATE TRIGGER poll_ballots_tally_add AFTER INSERT ON poll_ballots BEGIN
  INSERT OR IGNORE INTO poll_tallies (poll_id, option_idx, n, total, firsts) VALUES (NEW.poll_id, NEW.option_idx, 0, 0, 0);
  UPDATE poll_tallies SET n = n + 1, total = total + NEW.value, firsts = firsts + (NEW.value = 1)
  WHERE poll_id = NEW.poll_id AND option_idx = NEW.option_idx;
END;
CREATE TRIGGER poll_ballots_tally_remove AFTER DELETE ON poll_ballots BEGIN
  UPDATE poll_tallies SET n = n - 1, total = total - OLD.value, firsts = firsts - (OLD.value = 1)
  WHERE poll_id = OLD.poll_id AND option_idx = OLD.option_idx;
END;
CREATE TRIGGER poll_ballots_tally_change AFTER UPDATE ON poll_ballots BEGIN
  UPDATE poll_tallies SET n = n - 1, total = total - OLD.value, firsts = firsts - (OLD.value = 1)
  WHERE poll_id = OLD.poll_id AND option_idx = OLD.option_idx;
  INSERT OR IGNORE INTO poll_tallies (poll_id, option_idx, n, total, firsts) VALUES (NEW.poll_id, NEW.option_idx, 0, 0, 0);
  UPDATE poll_tallies SET n = n + 1, total = total + NEW.value, firsts = firsts + (NEW.value = 1)
  WHERE poll_id = NEW.poll_id AND option_idx = NEW.option_idx;
END;

-- How many people have voted in each poll.
ALTER TABLE polls ADD COLUMN voters INTEGER NOT NULL DEFAULT 0;
UPDATE polls SET voters = (SELECT COUNT(*) FROM poll_voters v WHERE v.poll_id = polls.id);
CREATE TRIGGER poll_voters_count_add AFTER INSERT ON poll_voters BEGIN
  UPDATE polls SET voters = voters + 1 WHERE id = NEW.poll_id;
END;
CREATE TRIGGER poll_voters_count_remove AFTER DELETE ON poll_voters BEGIN
  UPDATE polls SET voters = voters - 1 WHERE id = OLD.poll_id;
END;

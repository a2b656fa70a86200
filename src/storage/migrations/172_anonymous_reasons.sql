-- Reasons given with anonymous votes: a second shuffled list beside the poll's
-- ballots (each new reason goes in at a random place, and the row is rewritten),
-- never in poll_reasons, whose cells would sit in the order they were written.
ALTER TABLE poll_anonymous_ballots ADD COLUMN reasons TEXT NOT NULL DEFAULT '[]'; -- [[option, reason], ...]

-- Running tallies (poll_tallies, migration 010) replaced the covering index the
-- tallies used to scan; it still cost a page write on every vote. Only the
-- list of who blocked a proposal (option 4) reads ballots by option, so only
-- those entries are indexed now.
DROP INDEX poll_ballots_tally;
CREATE INDEX poll_ballots_blocks ON poll_ballots (poll_id, ballot) WHERE option_idx = 4;

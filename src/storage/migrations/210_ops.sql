-- Operations (issue 21): the backups taken, so /status can say when the last one
-- was and whether it checked clean; and when an editable message's id was saved,
-- so retention can forget old ones.
CREATE TABLE backups (
  id INTEGER PRIMARY KEY,
  file TEXT NOT NULL,               -- the backup's file name (in the backup folder)
  started_at INTEGER NOT NULL,
  finished_at INTEGER NOT NULL,
  bytes INTEGER,
  ok INTEGER NOT NULL CHECK (ok IN (0, 1)),   -- 1: copied and integrity_check said ok
  detail TEXT                        -- why it failed, in plain words
);
CREATE INDEX backups_started ON backups(started_at);

ALTER TABLE message_refs ADD COLUMN saved_at INTEGER NOT NULL DEFAULT 0;
-- Refs saved before this column existed count from now, so open polls keep their live counts.
UPDATE message_refs SET saved_at = CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER);

-- Messages that failed for good, by chat: /status reports the last 24 hours and
-- the admins are told when one chat keeps failing.
CREATE TABLE delivery_failures (
  id INTEGER PRIMARY KEY,
  platform TEXT NOT NULL,
  dest TEXT NOT NULL,
  failed_at INTEGER NOT NULL,
  error TEXT
);
CREATE INDEX delivery_failures_dest ON delivery_failures(platform, dest, failed_at);
CREATE INDEX delivery_failures_at ON delivery_failures(failed_at);

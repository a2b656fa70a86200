-- Which process runs the bot on this database: one at a time, because two
-- would share one outbox and could send a message twice.
CREATE TABLE instance_lock (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  pid INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  heartbeat_at INTEGER NOT NULL
);

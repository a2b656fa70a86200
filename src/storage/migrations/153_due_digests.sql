-- Reminders and action nudges that fall due in the same minute for the same
-- chat go out as one message listing them (one member's note with hundreds of
-- actions must not become hundreds of messages). Each item is recorded with the
-- outbox row that carries it, so a job run twice adds its item once.
CREATE TABLE due_digest_items (
  idem_key TEXT PRIMARY KEY,
  outbox_id INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
  text TEXT NOT NULL
);
CREATE INDEX due_digest_items_outbox ON due_digest_items(outbox_id);

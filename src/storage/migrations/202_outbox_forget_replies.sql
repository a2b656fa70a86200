-- A plain reply (no origin, no idempotency key) is deleted once delivered:
-- nothing later needs it, and deleting it frees whole pages for new rows,
-- where a slimmed row kept its room. What the admins' alerts need from
-- delivered messages, "has anything reached this chat since", is kept here,
-- one row per chat.
CREATE TABLE outbox_last_sent (
  platform TEXT NOT NULL,
  dest TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (platform, dest)
) WITHOUT ROWID;

INSERT INTO outbox_last_sent (platform, dest, sent_at)
SELECT platform, dest, MAX(sent_at) FROM outbox WHERE status = 'sent' AND sent_at IS NOT NULL GROUP BY platform, dest;

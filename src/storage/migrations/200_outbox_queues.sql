-- The outbox's queue heads, kept by triggers: one row per chat with pending
-- messages, pointing at its oldest one. The sender used to find each chat's
-- head with a subquery over every pending row, on every command and every
-- completed send, so draining a backlog took time that grew with the square of
-- its size; reading heads from here costs the same however long the queues are.
CREATE TABLE outbox_queues (
  platform TEXT NOT NULL,
  dest TEXT NOT NULL,
  head_id INTEGER NOT NULL,   -- the chat's oldest pending outbox row
  next_at INTEGER NOT NULL,   -- when that row is due (retries push it back)
  PRIMARY KEY (platform, dest)
) WITHOUT ROWID;
CREATE INDEX outbox_queues_order ON outbox_queues (platform, head_id, next_at);
CREATE INDEX outbox_queues_due ON outbox_queues (platform, next_at);

-- Only pending rows need the queue index; delivered ones no longer grow it.
DROP INDEX outbox_queue;
CREATE INDEX outbox_pending ON outbox (platform, dest, id) WHERE status = 'pending';

INSERT INTO outbox_queues (platform, dest, head_id, next_at)
SELECT o.platform, o.dest, o.id, o.next_at FROM outbox o
WHERE o.status = 'pending'
  AND o.id = (SELECT MIN(p.id) FROM outbox p WHERE p.platform = o.platform AND p.status = 'pending' AND p.dest = o.dest);

CREATE TRIGGER outbox_queue_add AFTER INSERT ON outbox WHEN NEW.status = 'pending' BEGIN
  INSERT OR IGNORE INTO outbox_queues (platform, dest, head_id, next_at) VALUES (NEW.platform, NEW.dest, NEW.id, NEW.next_at);
END;

-- A row leaves the queue (sent or failed): its chat's next pending row, if any, becomes the head.
CREATE TRIGGER outbox_queue_done AFTER UPDATE OF status ON outbox WHEN OLD.status = 'pending' AND NEW.status <> 'pending' BEGIN
  DELETE FROM outbox_queues WHERE platform = OLD.platform AND dest = OLD.dest AND head_id = OLD.id;
  INSERT OR IGNORE INTO outbox_queues (platform, dest, head_id, next_at)
  SELECT platform, dest, id, next_at FROM outbox WHERE platform = OLD.platform AND dest = OLD.dest AND status = 'pending' ORDER BY id LIMIT 1;
END;

CREATE TRIGGER outbox_queue_delete AFTER DELETE ON outbox WHEN OLD.status = 'pending' BEGIN
  DELETE FROM outbox_queues WHERE platform = OLD.platform AND dest = OLD.dest AND head_id = OLD.id;
  INSERT OR IGNORE INTO outbox_queues (platform, dest, head_id, next_at)
  SELECT platform, dest, id, next_at FROM outbox WHERE platform = OLD.platform AND dest = OLD.dest AND status = 'pending' ORDER BY id LIMIT 1;
END;

CREATE TRIGGER outbox_queue_retry AFTER UPDATE OF next_at ON outbox WHEN NEW.status = 'pending' BEGIN
  UPDATE outbox_queues SET next_at = NEW.next_at WHERE platform = NEW.platform AND dest = NEW.dest AND head_id = NEW.id;
END;

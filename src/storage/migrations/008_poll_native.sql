-- A poll asked for as the platform's own poll (`/poll ... --native`): Discord
-- posts it as a Discord poll where its limits allow. Kept with the poll, because
-- every later view (after each vote, on closing) must say the same.
ALTER TABLE polls ADD COLUMN native INTEGER NOT NULL DEFAULT 0 CHECK (native IN (0, 1));

-- `/poll delete N`: a poll nobody voted in is deleted (kept as a row, so its
-- number is never given to another poll, but shown nowhere); one with votes is
-- cancelled: closed without results, and its voters are told.
ALTER TABLE polls ADD COLUMN deleted_at INTEGER;
ALTER TABLE polls ADD COLUMN cancelled_at INTEGER;
ALTER TABLE polls ADD COLUMN cancelled_by INTEGER REFERENCES people(id);

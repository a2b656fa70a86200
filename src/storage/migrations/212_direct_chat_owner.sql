-- Whose a direct chat is. On Slack and Discord a direct chat's id is a channel
-- id, not the person's id; /forget used to find a person's direct chats by
-- their name, which could also match someone else's ("ben" in "DM with Benjamin").
-- Set from the author of each direct message; NULL for chats not seen since.
ALTER TABLE chats ADD COLUMN direct_user_id TEXT;

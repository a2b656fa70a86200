-- A group chat's life as the platform reports it (issue 22): whether the bot is
-- still in the chat, and whether it has said hello there. No row: the bot is in
-- the chat as far as anyone knows.
CREATE TABLE chat_life (
  platform TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  greeted_at INTEGER,   -- when the bot said hello on being added
  removed_at INTEGER,   -- set while the bot is out of the chat (removed, or the chat deleted); nothing is queued for it
  PRIMARY KEY (platform, chat_id)
) WITHOUT ROWID;

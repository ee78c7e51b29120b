-- Tokens bound to an actor: an admin (anyone with the database) makes one per agent or person with
-- `backlog token create --actor ai:claude`; a request to `backlog web` that presents it is that actor.
-- Only the SHA-256 of the secret is kept (lowercase hex): the secret is shown once, at creation. A
-- table of its own, so the original tool (which does not know it) still reads the database.
CREATE TABLE IF NOT EXISTS api_tokens (
  id           TEXT PRIMARY KEY,
  actor        TEXT NOT NULL,
  name         TEXT NOT NULL DEFAULT '',
  hash         TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  created_by   TEXT NOT NULL DEFAULT '',
  revoked_at   INTEGER,
  last_used_at INTEGER
);
CREATE INDEX IF NOT EXISTS idx_api_tokens_actor ON api_tokens(actor, created_at);

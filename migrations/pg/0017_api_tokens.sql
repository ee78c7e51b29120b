-- PostgreSQL twin of ../0017_api_tokens.sql: tokens bound to an actor, stored as the SHA-256 of the
-- secret (nanosecond timestamps BIGINT).
CREATE TABLE IF NOT EXISTS api_tokens (
  id           TEXT PRIMARY KEY,
  actor        TEXT NOT NULL,
  name         TEXT NOT NULL DEFAULT '',
  hash         TEXT NOT NULL UNIQUE,
  created_at   BIGINT NOT NULL,
  created_by   TEXT NOT NULL DEFAULT '',
  revoked_at   BIGINT,
  last_used_at BIGINT
);
CREATE INDEX IF NOT EXISTS idx_api_tokens_actor ON api_tokens(actor, created_at);

-- Many agents, one queue: every task write bumps `version` (optimistic concurrency); a claim holds
-- a lease (`lease_expires_at`) and a token; dependencies say which task blocks which.
ALTER TABLE tasks ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE tasks ADD COLUMN claim_token TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN claimed_at BIGINT;
ALTER TABLE tasks ADD COLUMN lease_expires_at BIGINT;
CREATE INDEX IF NOT EXISTS idx_tasks_ready ON tasks(status, priority, created_at);

CREATE TABLE IF NOT EXISTS task_deps (
  task_id    TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  blocked_by TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
  actor_kind TEXT NOT NULL DEFAULT 'human' CHECK(actor_kind IN ('human','ai')),
  actor_name TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  PRIMARY KEY(task_id, blocked_by),
  CHECK(task_id <> blocked_by)
);
CREATE INDEX IF NOT EXISTS idx_task_deps_blocked_by ON task_deps(blocked_by);

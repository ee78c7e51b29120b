-- Runs: every claim is a measured attempt. A run starts with a claim and ends when its holder moves
-- the task to done or releases it, when its lease runs out, or when someone else takes the task
-- over; the holder may report usage (tokens, cost, model) with any write it makes under the claim.
-- A table of its own, so the original tool (which does not know it) still reads the database.
CREATE TABLE IF NOT EXISTS task_runs (
  id               TEXT PRIMARY KEY,
  -- NULL once the task is deleted: its runs stay in the report, described by the copies below.
  task_id          TEXT REFERENCES tasks(id) ON DELETE SET NULL,
  task_ref         TEXT NOT NULL DEFAULT '',
  task_title       TEXT NOT NULL DEFAULT '',
  task_type        TEXT NOT NULL DEFAULT '',
  project_id       TEXT NOT NULL DEFAULT '',
  project_alias    TEXT NOT NULL DEFAULT '',
  holder           TEXT NOT NULL,
  started_at       INTEGER NOT NULL,
  ended_at         INTEGER,
  lease_expires_at INTEGER,
  renewals         INTEGER NOT NULL DEFAULT 0,
  outcome          TEXT NOT NULL DEFAULT 'open'
                   CHECK(outcome IN ('open','done','released','expired','taken_over')),
  ended_by         TEXT NOT NULL DEFAULT '',
  input_tokens     INTEGER NOT NULL DEFAULT 0,
  output_tokens    INTEGER NOT NULL DEFAULT 0,
  cost_usd         REAL NOT NULL DEFAULT 0,
  model            TEXT
);
CREATE INDEX IF NOT EXISTS idx_task_runs_task ON task_runs(task_id, started_at);
CREATE INDEX IF NOT EXISTS idx_task_runs_started ON task_runs(started_at);
CREATE INDEX IF NOT EXISTS idx_task_runs_outcome ON task_runs(outcome, ended_at);

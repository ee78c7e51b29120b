-- Runs: every claim is a measured attempt. A run starts with a claim and ends when its holder moves
-- the task to done or releases it, when its lease runs out, or when someone else takes the task
-- over; the holder may report usage (tokens, cost, model) with any write it makes under the claim.
-- A table of its own, so the original tool (which does not know it) still reads the database.
CREATE TABLE IF NOT EXISTS task_runs (
  id               TEXT PRIMARY KEY,
  task_id          TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
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

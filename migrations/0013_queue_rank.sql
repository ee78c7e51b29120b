-- The queue's ranking lives in the database: `unblocks` is how many open tasks each open task
-- unblocks, directly or transitively (through open tasks only); `blockers_open` is how many of a
-- task's direct blockers are open (0 = ready to work on). Both are kept up to date in the same
-- transaction as every write that changes them (dependency added/removed, a task opened, closed,
-- archived, restored or deleted, a project deleted, an import), so `next` reads the best ready
-- task straight from an index instead of walking the dependency graph on every claim. Closed
-- tasks' `unblocks` are not used and are recomputed when they reopen. The original ignores both.
ALTER TABLE tasks ADD COLUMN unblocks INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN blockers_open INTEGER NOT NULL DEFAULT 0;
-- Partial indexes over live todo tasks only: a claim removes one entry and a close touches none,
-- instead of moving entries between distant pages (every dirty page is written at commit).
CREATE INDEX IF NOT EXISTS idx_tasks_queue
  ON tasks(blockers_open, priority, unblocks DESC, created_at, task_seq)
  WHERE status = 'todo' AND archived_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_tasks_queue_project
  ON tasks(project_id, blockers_open, priority, unblocks DESC, created_at, task_seq)
  WHERE status = 'todo' AND archived_at IS NULL;

UPDATE tasks SET blockers_open = (SELECT COUNT(*) FROM task_deps d JOIN tasks b ON b.id = d.blocked_by
  WHERE d.task_id = tasks.id AND b.status <> 'done' AND b.archived_at IS NULL)
WHERE id IN (SELECT task_id FROM task_deps);

WITH RECURSIVE reach(root, id) AS (
  SELECT d.blocked_by, d.task_id FROM task_deps d
    JOIN tasks r ON r.id = d.blocked_by AND r.status <> 'done' AND r.archived_at IS NULL
    JOIN tasks o ON o.id = d.task_id AND o.status <> 'done' AND o.archived_at IS NULL
  UNION
  SELECT r.root, d.task_id FROM reach r JOIN task_deps d ON d.blocked_by = r.id
    JOIN tasks o ON o.id = d.task_id AND o.status <> 'done' AND o.archived_at IS NULL
),
counts(root, n) AS MATERIALIZED (SELECT root, COUNT(*) FROM reach GROUP BY root)
UPDATE tasks SET unblocks = (SELECT n FROM counts WHERE counts.root = tasks.id)
WHERE id IN (SELECT root FROM counts);
-- idx_tasks_queue serves the queue idx_tasks_ready (ours, 0010) served; one index fewer to rewrite
-- on every status change.
DROP INDEX IF EXISTS idx_tasks_ready;
-- Lease-expired claims are found by range, not by reading every task in progress.
CREATE INDEX IF NOT EXISTS idx_tasks_lease ON tasks(status, lease_expires_at) WHERE status = 'doing';

-- The full-text index only changes with the text: re-indexing title and description on every
-- status change or claim rewrote FTS pages in every queue transaction. Same trigger name and body
-- as before, narrowed to the columns it indexes (the original's writes keep the index correct).
DROP TRIGGER IF EXISTS tasks_au;
CREATE TRIGGER tasks_au AFTER UPDATE OF title, description ON tasks BEGIN
  INSERT INTO tasks_fts(tasks_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
  INSERT INTO tasks_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
END;

-- Page totals without counting rows: live/archived tasks per project and status, kept by triggers
-- so every writer (this tool, an import, the original) keeps them exact. A plain list's total
-- (project, status, archived) reads these few rows instead of counting 100,000 index entries.
CREATE TABLE IF NOT EXISTS task_counts (
  project_id TEXT NOT NULL,
  status     TEXT NOT NULL,
  archived   INTEGER NOT NULL,
  n          INTEGER NOT NULL,
  PRIMARY KEY (project_id, status, archived)
) WITHOUT ROWID;
INSERT INTO task_counts (project_id, status, archived, n)
  SELECT project_id, status, archived_at IS NOT NULL, COUNT(*) FROM tasks GROUP BY 1, 2, 3;
CREATE TRIGGER IF NOT EXISTS task_counts_ai AFTER INSERT ON tasks BEGIN
  INSERT INTO task_counts (project_id, status, archived, n)
    VALUES (new.project_id, new.status, new.archived_at IS NOT NULL, 1)
    ON CONFLICT (project_id, status, archived) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS task_counts_ad AFTER DELETE ON tasks BEGIN
  UPDATE task_counts SET n = n - 1
    WHERE project_id = old.project_id AND status = old.status AND archived = (old.archived_at IS NOT NULL);
END;
CREATE TRIGGER IF NOT EXISTS task_counts_au AFTER UPDATE OF project_id, status, archived_at ON tasks
  WHEN old.project_id IS NOT new.project_id OR old.status IS NOT new.status
    OR (old.archived_at IS NULL) <> (new.archived_at IS NULL)
BEGIN
  UPDATE task_counts SET n = n - 1
    WHERE project_id = old.project_id AND status = old.status AND archived = (old.archived_at IS NOT NULL);
  INSERT INTO task_counts (project_id, status, archived, n)
    VALUES (new.project_id, new.status, new.archived_at IS NOT NULL, 1)
    ON CONFLICT (project_id, status, archived) DO UPDATE SET n = n + 1;
END;

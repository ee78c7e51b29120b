-- PostgreSQL twin of ../0013_queue_rank.sql: the queue's ranking columns (`unblocks`, `blockers_open`)
-- and their indexes, filled the same way; per-(project, status, archived) task counts kept by a trigger.
-- The FTS trigger needs no change here: tasks_fts_sync already fires only on title/description.
ALTER TABLE tasks ADD COLUMN unblocks BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN blockers_open BIGINT NOT NULL DEFAULT 0;
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
DROP INDEX IF EXISTS idx_tasks_ready;
CREATE INDEX IF NOT EXISTS idx_tasks_lease ON tasks(status, lease_expires_at) WHERE status = 'doing';

-- Page totals without counting rows (SQLite: triggers task_counts_ai/ad/au; here one trigger function).
CREATE TABLE IF NOT EXISTS task_counts (
  project_id TEXT NOT NULL,
  status     TEXT NOT NULL,
  archived   BIGINT NOT NULL,
  n          BIGINT NOT NULL,
  PRIMARY KEY (project_id, status, archived)
);
INSERT INTO task_counts (project_id, status, archived, n)
  SELECT project_id, status, (archived_at IS NOT NULL)::int, COUNT(*) FROM tasks GROUP BY 1, 2, 3;
CREATE OR REPLACE FUNCTION backlog_task_counts() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE task_counts SET n = n - 1
      WHERE project_id = OLD.project_id AND status = OLD.status AND archived = (OLD.archived_at IS NOT NULL)::int;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO task_counts (project_id, status, archived, n)
      VALUES (NEW.project_id, NEW.status, (NEW.archived_at IS NOT NULL)::int, 1)
      ON CONFLICT (project_id, status, archived) DO UPDATE SET n = task_counts.n + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER task_counts_sync AFTER INSERT OR DELETE ON tasks
  FOR EACH ROW EXECUTE FUNCTION backlog_task_counts();
CREATE TRIGGER task_counts_sync_update AFTER UPDATE OF project_id, status, archived_at ON tasks
  FOR EACH ROW WHEN (OLD.project_id IS DISTINCT FROM NEW.project_id OR OLD.status IS DISTINCT FROM NEW.status
    OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL))
  EXECUTE FUNCTION backlog_task_counts();

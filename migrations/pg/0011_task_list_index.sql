-- The default task list (live tasks by priority, newest first), with and without a project, served
-- straight from an index; the same indexes make the page total an index-only count.
CREATE INDEX IF NOT EXISTS idx_tasks_list ON tasks(project_id, archived_at, priority, created_at DESC);
CREATE INDEX IF NOT EXISTS idx_tasks_live ON tasks(archived_at, priority, created_at DESC);

-- Workspace-global TASK-N numbers; existing rows numbered by creation order.
ALTER TABLE tasks ADD COLUMN task_seq BIGINT;
UPDATE tasks SET task_seq = (
  SELECT n FROM (SELECT id, ROW_NUMBER() OVER (ORDER BY created_at, id) AS n FROM tasks) AS numbered
  WHERE numbered.id = tasks.id
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_tasks_task_seq ON tasks(task_seq);

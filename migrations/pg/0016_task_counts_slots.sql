-- Page totals without a hot row. task_counts held one row per (project, status, archived), and every
-- status change updated two of them: claims on every server queued on the project's todo/doing rows
-- (row locks held to commit) and concurrent SERIALIZABLE writes (done, release) failed each other.
-- Now each key's total is spread over up to 32 rows, one per `slot`; a writer adds its ±1 to the slot
-- of its own connection (backend pid mod 32), so two transactions touch the same row only when their
-- connections share a slot. Readers sum the slots (they always summed: SUM(n) ... GROUP BY). The two
-- rows a status change touches are written in key order, so two writers sharing a slot cannot
-- deadlock (claim: todo → doing, release: doing → todo). doctor repair folds everything into slot 0.
ALTER TABLE task_counts ADD COLUMN slot BIGINT NOT NULL DEFAULT 0;
ALTER TABLE task_counts DROP CONSTRAINT task_counts_pkey;
ALTER TABLE task_counts ADD PRIMARY KEY (project_id, status, archived, slot);

CREATE OR REPLACE FUNCTION backlog_task_counts_add(p TEXT, s TEXT, a BIGINT, d BIGINT) RETURNS void
  LANGUAGE sql AS $$
  INSERT INTO task_counts (project_id, status, archived, slot, n) VALUES (p, s, a, pg_backend_pid() % 32, d)
    ON CONFLICT (project_id, status, archived, slot) DO UPDATE SET n = task_counts.n + EXCLUDED.n;
$$;

CREATE OR REPLACE FUNCTION backlog_task_counts() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  oa BIGINT;
  na BIGINT;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM backlog_task_counts_add(NEW.project_id, NEW.status, (NEW.archived_at IS NOT NULL)::int, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM backlog_task_counts_add(OLD.project_id, OLD.status, (OLD.archived_at IS NOT NULL)::int, -1);
  ELSE
    oa := (OLD.archived_at IS NOT NULL)::int;
    na := (NEW.archived_at IS NOT NULL)::int;
    IF (OLD.project_id, OLD.status, oa) < (NEW.project_id, NEW.status, na) THEN
      PERFORM backlog_task_counts_add(OLD.project_id, OLD.status, oa, -1);
      PERFORM backlog_task_counts_add(NEW.project_id, NEW.status, na, 1);
    ELSE
      PERFORM backlog_task_counts_add(NEW.project_id, NEW.status, na, 1);
      PERFORM backlog_task_counts_add(OLD.project_id, OLD.status, oa, -1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

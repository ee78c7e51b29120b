-- Cheaper per-write trigger work on the claim path (issues 13 and 14); no table changes, so
-- ../0018_claim_triggers.sql is a no-op.
--
-- task_counts: the trigger did its upserts through backlog_task_counts_add, an SQL function, which
-- PostgreSQL parses and plans on every call (twice per status change). The upserts now sit in the
-- PL/pgSQL trigger itself, whose statements are planned once per connection. Same rows, same order
-- (key order, so writers that share a slot cannot deadlock: see 0016_task_counts_slots.sql).
CREATE OR REPLACE FUNCTION backlog_task_counts() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  my_slot BIGINT := pg_backend_pid() % 32;
  oa BIGINT;
  na BIGINT;
  k1 TEXT[];
  k2 TEXT[];
  d1 BIGINT;
  d2 BIGINT;
BEGIN
  IF TG_OP = 'INSERT' THEN
    k1 := ARRAY[NEW.project_id, NEW.status, (NEW.archived_at IS NOT NULL)::int::text];
    d1 := 1;
  ELSIF TG_OP = 'DELETE' THEN
    k1 := ARRAY[OLD.project_id, OLD.status, (OLD.archived_at IS NOT NULL)::int::text];
    d1 := -1;
  ELSE
    oa := (OLD.archived_at IS NOT NULL)::int;
    na := (NEW.archived_at IS NOT NULL)::int;
    IF (OLD.project_id, OLD.status, oa) < (NEW.project_id, NEW.status, na) THEN
      k1 := ARRAY[OLD.project_id, OLD.status, oa::text];
      d1 := -1;
      k2 := ARRAY[NEW.project_id, NEW.status, na::text];
      d2 := 1;
    ELSE
      k1 := ARRAY[NEW.project_id, NEW.status, na::text];
      d1 := 1;
      k2 := ARRAY[OLD.project_id, OLD.status, oa::text];
      d2 := -1;
    END IF;
  END IF;
  INSERT INTO task_counts (project_id, status, archived, slot, n) VALUES (k1[1], k1[2], k1[3]::bigint, my_slot, d1)
    ON CONFLICT (project_id, status, archived, slot) DO UPDATE SET n = task_counts.n + EXCLUDED.n;
  IF k2 IS NOT NULL THEN
    INSERT INTO task_counts (project_id, status, archived, slot, n) VALUES (k2[1], k2[2], k2[3]::bigint, my_slot, d2)
      ON CONFLICT (project_id, status, archived, slot) DO UPDATE SET n = task_counts.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;

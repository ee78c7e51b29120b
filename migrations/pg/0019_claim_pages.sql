-- SQLite's 0019 (../0019_claim_pages.sql) writes fewer pages per claim. The index it drops served no
-- read here either (lists walk idx_tasks_list / idx_tasks_live, the queue its partial indexes, page
-- totals task_counts), and every status change inserted an entry into it (a claim is never a HOT
-- update: status is indexed), so it goes here too and the two engines keep the same indexes.
-- idx_activity_project_created keeps its order here: the change there is about how SQLite balances
-- pages (PostgreSQL splits a full page in half wherever the insert lands).
DROP INDEX IF EXISTS idx_tasks_project_status;

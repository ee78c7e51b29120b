-- PostgreSQL spreads each page total over per-connection slots so concurrent writers on many
-- servers do not queue on one counter row (pg/0016_task_counts_slots.sql). SQLite has one writer at
-- a time: its task_counts keeps one row per project, status and archived, and nothing changes here;
-- this file keeps the two engines' version numbers in step.
SELECT 1;

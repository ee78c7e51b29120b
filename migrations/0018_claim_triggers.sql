-- PostgreSQL's twin (pg/0018_claim_triggers.sql) makes its claim-path triggers cheaper; SQLite has
-- nothing to change. This file keeps the two engines' version numbers in step.
SELECT 1;

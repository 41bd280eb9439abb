-- Nothing to change on SQLite. On PostgreSQL this migration adds the checks a write transaction sends with its
-- commit (a subnet still at a revision, the change log still ending where the instance last saw it). SQLite has
-- one writer, which knows where the log ends without checking, and sends no statement ahead of its answer.
SELECT 1;

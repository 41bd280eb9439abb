-- Nothing to change on SQLite: it has no log-end check. On PostgreSQL this migration moves the check's reads of
-- other instances' allocations back into the check itself, planned once all the same.
SELECT 1;

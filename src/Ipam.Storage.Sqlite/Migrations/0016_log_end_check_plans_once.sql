-- Nothing to change on SQLite: it has no log-end check. On PostgreSQL this migration keeps the check's reads of
-- other instances' allocations from being planned again at every call.
SELECT 1;

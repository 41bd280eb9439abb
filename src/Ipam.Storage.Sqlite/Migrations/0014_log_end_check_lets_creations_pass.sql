-- Nothing to change on SQLite: its one writer knows where the log ends without checking. On PostgreSQL this
-- migration lets the log-end check of 0013 pass over allocations other instances created.
SELECT 1;

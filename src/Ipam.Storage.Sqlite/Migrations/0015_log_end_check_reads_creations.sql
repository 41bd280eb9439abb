-- Nothing to change on SQLite: its one writer knows where the log ends without checking. On PostgreSQL this
-- migration makes the log-end check read other instances' allocations in the same statement.
SELECT 1;

-- Nothing to change on SQLite: its commits send no checks. On PostgreSQL this migration adds the function that the
-- plain statement holding a subnet at its revision calls to fail.
SELECT 1;

-- Nothing to change on SQLite: its commits send no checks. On PostgreSQL this migration adds the function that the
-- commit's log-end check calls to fail when a change past the presumed end freed an address.
SELECT 1;

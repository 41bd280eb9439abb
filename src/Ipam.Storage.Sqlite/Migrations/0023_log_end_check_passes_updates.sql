-- Nothing to change on SQLite: it has no log-end check. On PostgreSQL this migration lets an allocation.updated
-- past a presumed log end pass the commit's check, as a creation does: neither frees an address.
SELECT 1;

-- The owner index on allocations was one more page in every commit of an allocation with an owner, beside the
-- allocation's own page and its change row: on SQLite each page a commit touches is a WAL frame written and synced.
-- The owners are kept in a table of their own instead, written by the background fold (UsageFolder.cs) from the change
-- log in the transaction that moves the fold's position, like the usage counters (0012):
--
-- * allocation_owners holds (owner, subnet, address) for every allocation with an owner as of the fold's position;
--   for an address that no change past the position touches, that is what the allocations hold now;
-- * a list by owner reads its entries and the addresses the log past the position touches, and keeps those whose
--   allocation has that owner now (SqliteSql.cs). At most one entry per such address can be out of date, so a page
--   of n reads at most n plus the length of that tail of entries.
--
-- Filled from the allocations as they are: the state at the end of the log, which for an address touched past the
-- fold's position is as good as any (the lists check those against the allocations, and the fold sets them again).
CREATE TABLE allocation_owners (
    owner     TEXT NOT NULL,
    subnet_id TEXT NOT NULL,
    ip        BLOB NOT NULL,
    PRIMARY KEY (owner, subnet_id, ip)
) WITHOUT ROWID;

INSERT INTO allocation_owners (owner, subnet_id, ip) SELECT owner, subnet_id, ip FROM allocations WHERE owner IS NOT NULL;

DROP INDEX allocations_owner;

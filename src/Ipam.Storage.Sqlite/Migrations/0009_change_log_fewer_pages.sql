-- Every allocation commits one change row; each B-tree that row touches is one more page in the WAL at every
-- commit. So the log keeps only what reads need:
-- * no AUTOINCREMENT: its sqlite_sequence row was a page written by every commit. seq is still never reused,
--   because retention never deletes the newest row (max(seq) + 1 is what SQLite hands out next);
-- * no index of every row by subnet: instances catch up by seq across all subnets. What is still read by
--   subnet, the releases within a reuse cooldown, has a partial index over the ends of allocations only.
CREATE TABLE changes_next (
    seq         INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    type        TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    tenant_id   TEXT    NULL,
    subnet_id   TEXT    NULL,
    resource_id TEXT    NULL,
    ip_address  TEXT    NULL,
    cidr        TEXT    NULL,
    reason      TEXT    NULL,
    held_since  TEXT    NULL,
    before      TEXT    NULL,
    after       TEXT    NULL
);

INSERT INTO changes_next (seq, at, type, actor, tenant_id, subnet_id, resource_id, ip_address, cidr, reason, held_since, before, after)
SELECT seq, at, type, actor, tenant_id, subnet_id, resource_id, ip_address, cidr, reason, held_since, before, after FROM changes;

DROP TABLE changes;
ALTER TABLE changes_next RENAME TO changes;

CREATE INDEX changes_address ON changes (ip_address, seq) WHERE type IN ('allocation.released', 'allocation.expired');
CREATE INDEX changes_subnet_ends ON changes (subnet_id, seq) WHERE type IN ('allocation.released', 'allocation.expired');

-- The change log: one row per change, written by the transaction that makes the change. A single writer
-- commits one transaction at a time, so seq order is commit order and a reader that asks for seq > n
-- never misses a row committed later with a smaller seq.
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
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

-- Instances catch up with a subnet's changes since they last looked; history is read per address.
CREATE INDEX changes_subnet ON changes (subnet_id, seq);
CREATE INDEX changes_address ON changes (ip_address, seq) WHERE ip_address IS NOT NULL;

ALTER TABLE allocations ADD COLUMN created_by TEXT NULL;
ALTER TABLE subnets ADD COLUMN reuse_cooldown_seconds INTEGER NOT NULL DEFAULT 0;

-- Owner first: one index serves an owner's allocations in one subnet and across all of them.
DROP INDEX allocations_owner;
CREATE INDEX allocations_owner ON allocations (owner, subnet_id, ip) WHERE owner IS NOT NULL;

-- The subnets that contain an address are found by their network at each prefix length.
CREATE INDEX subnets_network ON subnets (network, prefix_length);

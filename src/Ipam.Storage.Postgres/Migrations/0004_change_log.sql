-- The change log: one row per change, written by the transaction that makes the change. Transactions
-- commit concurrently here, and a sequence hands out values in the order they are asked for, not the
-- order their transactions commit. So each transaction appends its changes last, after taking a
-- transaction-scoped advisory lock that it holds until its commit is visible: seq order is commit order,
-- and a reader that asks for seq > n never misses a row committed later with a smaller seq.
CREATE TABLE changes (
    seq         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    type        text        NOT NULL,
    actor       text        NOT NULL,
    tenant_id   text        NULL,
    subnet_id   uuid        NULL,
    resource_id uuid        NULL,
    ip_address  text        NULL,
    cidr        text        NULL,
    reason      text        NULL,
    held_since  timestamptz NULL,
    before      text        NULL,
    after       text        NULL
);

-- Instances catch up with a subnet's changes since they last looked; history is read per address.
CREATE INDEX changes_subnet ON changes (subnet_id, seq);
CREATE INDEX changes_address ON changes (ip_address, seq) WHERE ip_address IS NOT NULL;

ALTER TABLE allocations ADD COLUMN created_by text NULL;
ALTER TABLE subnets ADD COLUMN reuse_cooldown_seconds integer NOT NULL DEFAULT 0;

-- Owner first: one index serves an owner's allocations in one subnet and across all of them.
DROP INDEX allocations_owner;
CREATE INDEX allocations_owner ON allocations (owner, subnet_id, ip) WHERE owner IS NOT NULL;

-- The subnets that contain an address are found by their network at each prefix length.
CREATE INDEX subnets_network ON subnets (network, prefix_length);

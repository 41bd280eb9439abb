-- Addresses are 16-byte big-endian BLOBs (IPv4 in the low 4 bytes), so byte order is numeric order
-- within a family and range queries use the primary key index.
CREATE TABLE subnets (
    id                TEXT    NOT NULL PRIMARY KEY,
    cidr              TEXT    NOT NULL,
    ip_version        INTEGER NOT NULL CHECK (ip_version IN (4, 6)),
    network           BLOB    NOT NULL CHECK (length(network) = 16),
    prefix_length     INTEGER NOT NULL CHECK (prefix_length BETWEEN 0 AND 128),
    gateway           BLOB    NULL CHECK (gateway IS NULL OR length(gateway) = 16),
    ipv6_address_mode TEXT    NULL,
    name              TEXT    NULL,
    tenant_id         TEXT    NULL,
    subnet_pool_id    TEXT    NULL,
    created_at        TEXT    NOT NULL,
    revision          INTEGER NOT NULL DEFAULT 1
);

CREATE INDEX subnets_tenant ON subnets (tenant_id);
CREATE INDEX subnets_subnet_pool ON subnets (subnet_pool_id);

CREATE TABLE allocation_pools (
    subnet_id TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    first_ip  BLOB NOT NULL CHECK (length(first_ip) = 16),
    last_ip   BLOB NOT NULL CHECK (length(last_ip) = 16),
    PRIMARY KEY (subnet_id, first_ip),
    CHECK (first_ip <= last_ip)
) WITHOUT ROWID;

-- The primary key makes a duplicate allocation impossible whatever the code does.
CREATE TABLE allocations (
    subnet_id   TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    ip          BLOB NOT NULL CHECK (length(ip) = 16),
    owner       TEXT NULL,
    description TEXT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NULL,
    PRIMARY KEY (subnet_id, ip)
) WITHOUT ROWID;

CREATE INDEX allocations_owner ON allocations (subnet_id, owner);
CREATE INDEX allocations_expiry ON allocations (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE idempotency_keys (
    key         TEXT NOT NULL PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    response    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Address scopes, subnet pools and their prefixes. A pool's prefixes are stored merged (the minimal CIDR
-- list), one row per CIDR, with both ends as 16-byte big-endian BLOBs for range comparisons.
CREATE TABLE address_scopes (
    id         TEXT    NOT NULL PRIMARY KEY,
    name       TEXT    NOT NULL,
    ip_version INTEGER NOT NULL CHECK (ip_version IN (4, 6)),
    tenant_id  TEXT    NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE subnet_pools (
    id                TEXT    NOT NULL PRIMARY KEY,
    name              TEXT    NOT NULL,
    ip_version        INTEGER NOT NULL CHECK (ip_version IN (4, 6)),
    default_prefixlen INTEGER NOT NULL,
    min_prefixlen     INTEGER NOT NULL,
    max_prefixlen     INTEGER NOT NULL,
    default_quota     INTEGER NULL CHECK (default_quota IS NULL OR default_quota >= 0),
    address_scope_id  TEXT    NULL REFERENCES address_scopes (id),
    tenant_id         TEXT    NULL,
    created_at        TEXT    NOT NULL,
    revision          INTEGER NOT NULL DEFAULT 1,
    CHECK (0 <= min_prefixlen AND min_prefixlen <= default_prefixlen AND default_prefixlen <= max_prefixlen AND max_prefixlen <= 128)
);

CREATE INDEX subnet_pools_address_scope ON subnet_pools (address_scope_id);

CREATE TABLE subnet_pool_prefixes (
    subnet_pool_id TEXT    NOT NULL REFERENCES subnet_pools (id) ON DELETE CASCADE,
    cidr           TEXT    NOT NULL,
    first_ip       BLOB    NOT NULL CHECK (length(first_ip) = 16),
    last_ip        BLOB    NOT NULL CHECK (length(last_ip) = 16),
    prefix_length  INTEGER NOT NULL CHECK (prefix_length BETWEEN 0 AND 128),
    PRIMARY KEY (subnet_pool_id, first_ip),
    CHECK (first_ip <= last_ip)
) WITHOUT ROWID;

-- Subnets allocated from a pool, by address: the overlap check before every insert is two lookups here.
-- It supersedes the single-column index of 0001.
DROP INDEX subnets_subnet_pool;
CREATE INDEX subnets_pool_network ON subnets (subnet_pool_id, network);

-- Quota accounting: a tenant's subnets in a pool, counted per prefix length.
CREATE INDEX subnets_pool_tenant ON subnets (subnet_pool_id, tenant_id, prefix_length);

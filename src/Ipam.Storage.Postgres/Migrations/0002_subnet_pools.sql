-- Address scopes, subnet pools and their prefixes. A pool's prefixes are stored merged (the minimal CIDR
-- list), one row per CIDR, with both ends as 16-byte big-endian keys for range comparisons.
CREATE TABLE address_scopes (
    id         uuid        NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    ip_version smallint    NOT NULL CHECK (ip_version IN (4, 6)),
    tenant_id  text        NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE subnet_pools (
    id                uuid        NOT NULL PRIMARY KEY,
    name              text        NOT NULL,
    ip_version        smallint    NOT NULL CHECK (ip_version IN (4, 6)),
    default_prefixlen smallint    NOT NULL,
    min_prefixlen     smallint    NOT NULL,
    max_prefixlen     smallint    NOT NULL,
    default_quota     bigint      NULL CHECK (default_quota IS NULL OR default_quota >= 0),
    address_scope_id  uuid        NULL REFERENCES address_scopes (id),
    tenant_id         text        NULL,
    created_at        timestamptz NOT NULL,
    revision          bigint      NOT NULL DEFAULT 1,
    CHECK (0 <= min_prefixlen AND min_prefixlen <= default_prefixlen AND default_prefixlen <= max_prefixlen AND max_prefixlen <= 128)
);

CREATE INDEX subnet_pools_address_scope ON subnet_pools (address_scope_id);

CREATE TABLE subnet_pool_prefixes (
    subnet_pool_id uuid     NOT NULL REFERENCES subnet_pools (id) ON DELETE CASCADE,
    cidr           cidr     NOT NULL,
    first_ip       bytea    NOT NULL CHECK (octet_length(first_ip) = 16),
    last_ip        bytea    NOT NULL CHECK (octet_length(last_ip) = 16),
    prefix_length  smallint NOT NULL CHECK (prefix_length BETWEEN 0 AND 128),
    PRIMARY KEY (subnet_pool_id, first_ip),
    CHECK (first_ip <= last_ip)
);

-- Subnets allocated from a pool, by address: the overlap check before every insert is two lookups here.
DROP INDEX subnets_subnet_pool;
CREATE INDEX subnets_pool_network ON subnets (subnet_pool_id, network);

-- Quota accounting: a tenant's subnets in a pool, counted per prefix length.
CREATE INDEX subnets_pool_tenant ON subnets (subnet_pool_id, tenant_id, prefix_length);

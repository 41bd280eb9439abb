-- Addresses are 16-byte big-endian bytea keys (IPv4 in the low 4 bytes): bytea compares bytewise, so key
-- order is numeric order within a family and range queries use the primary key index.
CREATE TABLE subnets (
    id                uuid        NOT NULL PRIMARY KEY,
    cidr              cidr        NOT NULL,
    ip_version        smallint    NOT NULL CHECK (ip_version IN (4, 6)),
    network           bytea       NOT NULL CHECK (octet_length(network) = 16),
    prefix_length     smallint    NOT NULL CHECK (prefix_length BETWEEN 0 AND 128),
    gateway           bytea       NULL CHECK (gateway IS NULL OR octet_length(gateway) = 16),
    ipv6_address_mode text        NULL,
    name              text        NULL,
    tenant_id         text        NULL,
    subnet_pool_id    uuid        NULL,
    created_at        timestamptz NOT NULL,
    revision          bigint      NOT NULL DEFAULT 1
);

CREATE INDEX subnets_tenant ON subnets (tenant_id);
CREATE INDEX subnets_subnet_pool ON subnets (subnet_pool_id);

CREATE TABLE allocation_pools (
    subnet_id uuid  NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    first_ip  bytea NOT NULL CHECK (octet_length(first_ip) = 16),
    last_ip   bytea NOT NULL CHECK (octet_length(last_ip) = 16),
    PRIMARY KEY (subnet_id, first_ip),
    CHECK (first_ip <= last_ip)
);

-- The primary key makes a duplicate allocation impossible whatever the code does.
CREATE TABLE allocations (
    subnet_id   uuid        NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    ip          bytea       NOT NULL CHECK (octet_length(ip) = 16),
    owner       text        NULL,
    description text        NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NULL,
    PRIMARY KEY (subnet_id, ip)
);

CREATE INDEX allocations_owner ON allocations (subnet_id, owner);
CREATE INDEX allocations_expiry ON allocations (expires_at) WHERE expires_at IS NOT NULL;

CREATE TABLE idempotency_keys (
    key         text        NOT NULL PRIMARY KEY,
    fingerprint text        NOT NULL,
    response    text        NOT NULL,
    created_at  timestamptz NOT NULL
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

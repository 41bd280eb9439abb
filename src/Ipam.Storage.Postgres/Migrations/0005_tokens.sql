-- API tokens. Only the SHA-256 of a token's secret is stored; callers are looked up by id (the primary key),
-- on every request, so a revocation holds on every instance from the next request on.
CREATE TABLE tokens (
    id          uuid        NOT NULL PRIMARY KEY,
    name        text        NULL,
    role        text        NOT NULL CHECK (role IN ('admin', 'member', 'reader')),
    tenant_id   text        NULL,
    secret_hash bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NULL,
    revoked_at  timestamptz NULL,
    created_by  text        NOT NULL
);

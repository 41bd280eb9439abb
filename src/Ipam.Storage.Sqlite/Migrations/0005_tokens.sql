-- API tokens. Only the SHA-256 of a token's secret is stored; callers are looked up by id (the primary key),
-- on every request, so a revocation holds from the next request on.
CREATE TABLE tokens (
    id          TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NULL,
    role        TEXT    NOT NULL CHECK (role IN ('admin', 'member', 'reader')),
    tenant_id   TEXT    NULL,
    secret_hash BLOB    NOT NULL,
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NULL,
    revoked_at  TEXT    NULL,
    created_by  TEXT    NOT NULL
);

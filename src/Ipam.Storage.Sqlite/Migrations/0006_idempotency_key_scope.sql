-- An idempotency key belongs to one subnet and one caller: the same key on another subnet or from another
-- caller is another request (and no caller learns which keys others used), and a subnet's keys are deleted
-- with it, in the same transaction, so a retry after the delete finds no subnet instead of an old answer.
-- Existing keys were all sent anonymously; each keeps the subnet of the allocations it answered with, and
-- keys of subnets already deleted are dropped.
CREATE TABLE idempotency_keys_scoped (
    subnet_id   TEXT NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    actor       TEXT NOT NULL,
    key         TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    response    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (subnet_id, actor, key)
) WITHOUT ROWID;

INSERT INTO idempotency_keys_scoped (subnet_id, actor, key, fingerprint, response, created_at)
SELECT s.id, 'anonymous', k.key, k.fingerprint, k.response, k.created_at
FROM idempotency_keys k JOIN subnets s ON s.id = json_extract(k.response, '$[0].SubnetId');

DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_scoped RENAME TO idempotency_keys;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

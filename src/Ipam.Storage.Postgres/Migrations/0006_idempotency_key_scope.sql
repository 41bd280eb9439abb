-- An idempotency key belongs to one subnet and one caller: the same key on another subnet or from another
-- caller is another request (and no caller learns which keys others used), and a subnet's keys are deleted
-- with it, in the same transaction, so a retry after the delete finds no subnet instead of an old answer.
-- Existing keys were all sent anonymously; each keeps the subnet of the allocations it answered with, and
-- keys of subnets already deleted are dropped.
ALTER TABLE idempotency_keys
    ADD COLUMN subnet_id uuid NULL REFERENCES subnets (id) ON DELETE CASCADE,
    ADD COLUMN actor text NOT NULL DEFAULT 'anonymous';

UPDATE idempotency_keys k SET subnet_id = s.id
FROM subnets s WHERE s.id::text = k.response::jsonb -> 0 ->> 'SubnetId';

DELETE FROM idempotency_keys WHERE subnet_id IS NULL;

ALTER TABLE idempotency_keys
    ALTER COLUMN subnet_id SET NOT NULL,
    ALTER COLUMN actor DROP DEFAULT,
    DROP CONSTRAINT idempotency_keys_pkey,
    ADD PRIMARY KEY (subnet_id, actor, key);

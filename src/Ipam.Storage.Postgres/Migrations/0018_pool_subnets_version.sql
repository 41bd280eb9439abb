-- How many times the subnets of a pool have changed (one allocated from it, one deleted), bumped in the same
-- transaction. Each instance keeps a pool's free prefixes for the pool's revision plus this number, so a subnet
-- another instance deleted makes every other instance rebuild the pool's prefix index before its next pick, as a
-- subnet it allocated already did (through the overlap check).
ALTER TABLE subnet_pools ADD COLUMN subnets_version bigint NOT NULL DEFAULT 0;

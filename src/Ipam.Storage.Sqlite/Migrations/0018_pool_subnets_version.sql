-- How many times the subnets of a pool have changed (one allocated from it, one deleted), bumped in the same
-- transaction. Each process keeps a pool's free prefixes for the pool's revision plus this number; see the
-- PostgreSQL migration of the same number, where several instances share the database.
ALTER TABLE subnet_pools ADD COLUMN subnets_version INTEGER NOT NULL DEFAULT 0;

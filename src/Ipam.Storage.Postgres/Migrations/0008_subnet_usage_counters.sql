-- Usage counters: per subnet, how many addresses are allocated, and how many of them lie inside the
-- allocation pools, so that reading a subnet's usage is a sum over a few rows instead of a count over its
-- allocations. A statement trigger keeps them in the statement that inserts or deletes allocations, on
-- every path that does (cascades included), so the application cannot forget one. A pool change recounts
-- in its own transaction (SqlSession.UpdateSubnetAsync).
--
-- Contention: each transaction adds to one shard row (its transaction id modulo 16), so concurrent allocations
-- on one subnet do not queue behind one hot row; readers sum the shards. By transaction, not by backend: two
-- transactions that share a shard and lock a subnet in opposite orders (a batch that allocates, then deletes
-- the subnet, against one that allocates in it) deadlock, and a retry must draw another shard, not the same.
-- Counts of a shard may go negative (a release counted on another shard than its allocation); only the sum
-- means anything.
CREATE TABLE subnet_usage (
    subnet_id uuid     NOT NULL REFERENCES subnets (id) ON DELETE CASCADE,
    shard     smallint NOT NULL,
    allocated bigint   NOT NULL,
    in_pools  bigint   NOT NULL,
    PRIMARY KEY (subnet_id, shard)
);

INSERT INTO subnet_usage (subnet_id, shard, allocated, in_pools)
SELECT s.id, 0,
       (SELECT count(*) FROM allocations a WHERE a.subnet_id = s.id),
       (SELECT count(*) FROM allocation_pools p
        JOIN allocations a ON a.subnet_id = p.subnet_id AND a.ip BETWEEN p.first_ip AND p.last_ip
        WHERE p.subnet_id = s.id)
FROM subnets s;

-- Pools are disjoint: an address is inside them when the last pool starting at or below it reaches it.
-- Rows of a subnet deleted by this statement's cascade are not counted (its counters go with it).
CREATE FUNCTION count_allocations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    sign bigint := CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END;
BEGIN
    INSERT INTO subnet_usage AS u (subnet_id, shard, allocated, in_pools)
    SELECT c.subnet_id, (pg_current_xact_id()::text::bigint % 16)::smallint, sign * count(*),
           sign * count(*) FILTER (WHERE (
               SELECT p.last_ip >= c.ip FROM allocation_pools p
               WHERE p.subnet_id = c.subnet_id AND p.first_ip <= c.ip
               ORDER BY p.first_ip DESC LIMIT 1))
    FROM changed c
    WHERE EXISTS (SELECT 1 FROM subnets s WHERE s.id = c.subnet_id)
    GROUP BY c.subnet_id
    ON CONFLICT (subnet_id, shard) DO UPDATE
    SET allocated = u.allocated + excluded.allocated, in_pools = u.in_pools + excluded.in_pools;
    RETURN NULL;
END
$$;

CREATE TRIGGER allocations_counted_insert AFTER INSERT ON allocations
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION count_allocations();
CREATE TRIGGER allocations_counted_delete AFTER DELETE ON allocations
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION count_allocations();

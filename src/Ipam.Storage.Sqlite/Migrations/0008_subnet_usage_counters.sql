-- Usage counters: per subnet, how many addresses are allocated, and how many of them lie inside the
-- allocation pools, so that reading a subnet's usage is one row instead of a count over its allocations.
-- Triggers keep them in the transaction (and the statement) that inserts or deletes an allocation, on
-- every path that does, so the application cannot forget one. A pool change recounts in_pools in its own
-- transaction (SqlSession.UpdateSubnetAsync). One narrow row per subnet: a group-committed batch writes
-- its page once, whatever the number of allocations in it.
CREATE TABLE subnet_usage (
    subnet_id TEXT    NOT NULL PRIMARY KEY REFERENCES subnets (id) ON DELETE CASCADE,
    allocated INTEGER NOT NULL DEFAULT 0,
    in_pools  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

INSERT INTO subnet_usage (subnet_id, allocated, in_pools)
SELECT s.id,
       (SELECT count(*) FROM allocations a WHERE a.subnet_id = s.id),
       (SELECT count(*) FROM allocation_pools p
        JOIN allocations a ON a.subnet_id = p.subnet_id AND a.ip BETWEEN p.first_ip AND p.last_ip
        WHERE p.subnet_id = s.id)
FROM subnets s;

CREATE TRIGGER subnets_usage_row AFTER INSERT ON subnets
BEGIN
    INSERT INTO subnet_usage (subnet_id) VALUES (NEW.id);
END;

-- Pools are disjoint: an address is inside them when the last pool starting at or below it reaches it.
CREATE TRIGGER allocations_counted_insert AFTER INSERT ON allocations
BEGIN
    UPDATE subnet_usage
    SET allocated = allocated + 1,
        in_pools = in_pools + coalesce((
            SELECT p.last_ip >= NEW.ip FROM allocation_pools p
            WHERE p.subnet_id = NEW.subnet_id AND p.first_ip <= NEW.ip
            ORDER BY p.first_ip DESC LIMIT 1), 0)
    WHERE subnet_id = NEW.subnet_id;
END;

CREATE TRIGGER allocations_counted_delete AFTER DELETE ON allocations
BEGIN
    UPDATE subnet_usage
    SET allocated = allocated - 1,
        in_pools = in_pools - coalesce((
            SELECT p.last_ip >= OLD.ip FROM allocation_pools p
            WHERE p.subnet_id = OLD.subnet_id AND p.first_ip <= OLD.ip
            ORDER BY p.first_ip DESC LIMIT 1), 0)
    WHERE subnet_id = OLD.subnet_id;
END;

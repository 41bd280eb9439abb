-- Usage counters are folded from the change log instead of written by every commit: each allocation's commit
-- already writes its change row (created, released, expired), which says the same as a +1 or -1 on its subnet's
-- counter, and the counter statement was most of what the change log cost an allocation. A subnet's usage is
-- now its counters plus the net of the log's allocation changes past the fold (UsageFolder.cs), so it is exact at
-- every commit; a background fold adds the log to the counters in bounded batches and moves its position in the
-- same transaction. With one folder at a time nothing contends for a counter row, so the shards go: one row
-- per subnet, made with the subnet.
--
-- * changes.ip: the address as the allocations and pools store it, so that the fold can tell whether it lies
--   inside the subnet's pools;
-- * usage_fold.position: the last change folded into the counters (every change at or below it is counted);
-- * subnet_usage.counted_through: the counters of this subnet also count every change at or below it, because
--   they were set from its rows when the log stood there (a pool change or a repair recounts at its commit,
--   a new subnet starts at the end of the log). Changes of an earlier subnet with the same id lie below it.
ALTER TABLE changes ADD COLUMN ip bytea NULL;

CREATE TABLE usage_fold (
    id       smallint PRIMARY KEY CHECK (id = 1),
    position bigint   NOT NULL
);

LOCK TABLE subnets, subnet_usage, changes IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE subnet_usage_folded (
    subnet_id       uuid   NOT NULL PRIMARY KEY REFERENCES subnets (id) ON DELETE CASCADE,
    allocated       bigint NOT NULL DEFAULT 0,
    in_pools        bigint NOT NULL DEFAULT 0,
    counted_through bigint NOT NULL DEFAULT 0
);

INSERT INTO subnet_usage_folded (subnet_id, allocated, in_pools)
SELECT s.id, coalesce(sum(u.allocated), 0), coalesce(sum(u.in_pools), 0)
FROM subnets s LEFT JOIN subnet_usage u ON u.subnet_id = s.id
GROUP BY s.id;

DROP TABLE subnet_usage;
ALTER TABLE subnet_usage_folded RENAME TO subnet_usage;
ALTER TABLE subnet_usage RENAME CONSTRAINT subnet_usage_folded_pkey TO subnet_usage_pkey;

INSERT INTO usage_fold (id, position) VALUES (1, coalesce((SELECT max(seq) FROM changes), 0));

-- Volatile: its query sees every change committed before it runs, also when the insert waited for the delete
-- of an earlier subnet with the same id.
CREATE FUNCTION make_subnet_usage_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO subnet_usage (subnet_id, counted_through) VALUES (NEW.id, coalesce((SELECT max(seq) FROM changes), 0));
    RETURN NULL;
END
$$;

CREATE TRIGGER subnets_usage_row AFTER INSERT ON subnets FOR EACH ROW EXECUTE FUNCTION make_subnet_usage_row();

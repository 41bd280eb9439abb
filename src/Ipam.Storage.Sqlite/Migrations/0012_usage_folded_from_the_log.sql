-- Usage counters are folded from the change log instead of written by every commit: each allocation's commit
-- already writes its change row (created, released, expired), which says the same as a +1 or -1 on its subnet's
-- counter, and the counter row was one more page for every commit. A subnet's usage is now its counters plus
-- the net of the log's allocation changes past the fold (UsageFolder.cs), so it is exact at every commit; a
-- background fold adds the log to the counters in bounded batches and moves its position in the same
-- transaction.
--
-- * changes.ip: the address as the allocations and pools store it, so that the fold can tell whether it lies
--   inside the subnet's pools;
-- * usage_fold.position: the last change folded into the counters (every change at or below it is counted);
-- * subnet_usage.counted_through: the counters of this subnet also count every change at or below it, because
--   they were set from its rows when the log stood there (a pool change or a repair recounts at its commit,
--   a new subnet starts at the end of the log). Changes of an earlier subnet with the same id lie below it.
ALTER TABLE changes ADD COLUMN ip BLOB NULL;
ALTER TABLE subnet_usage ADD COLUMN counted_through INTEGER NOT NULL DEFAULT 0;

CREATE TABLE usage_fold (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL
);

INSERT INTO usage_fold (id, position) VALUES (1, coalesce((SELECT max(seq) FROM changes), 0));

DROP TRIGGER subnets_usage_row;
CREATE TRIGGER subnets_usage_row AFTER INSERT ON subnets
BEGIN
    INSERT INTO subnet_usage (subnet_id, counted_through) VALUES (NEW.id, coalesce((SELECT max(seq) FROM changes), 0));
END;

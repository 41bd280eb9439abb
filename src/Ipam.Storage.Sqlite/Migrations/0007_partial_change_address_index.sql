-- History reads the log by address only for the ends of allocations (released, expired). Every other row,
-- above all the allocation.created row every allocation writes, needs no entry there: each entry is one
-- more index page that an allocation's commit writes.
DROP INDEX changes_address;
CREATE INDEX changes_address ON changes (ip_address, seq) WHERE type IN ('allocation.released', 'allocation.expired');

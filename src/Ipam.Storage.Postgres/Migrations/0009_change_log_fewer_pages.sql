-- Instances catch up by seq across all subnets, so every row no longer needs an entry by subnet: each entry
-- was one more index page written by every allocation. What is still read by subnet, the releases within a
-- reuse cooldown, has a partial index over the ends of allocations only.
DROP INDEX changes_subnet;
CREATE INDEX changes_subnet_ends ON changes (subnet_id, seq) WHERE type IN ('allocation.released', 'allocation.expired');

-- Most allocations have no owner, so the full owner index of 0001 cost every insert an extra B-tree write
-- for rows no query looks up by owner. It becomes partial: only rows with an owner are indexed, and
-- listing by owner (WHERE subnet_id = ? AND owner = ?, which implies owner IS NOT NULL) still uses it.
-- The address is a key column so a listing walks the index in address order, the order it returns.
DROP INDEX allocations_owner;
CREATE INDEX allocations_owner ON allocations (subnet_id, owner, ip) WHERE owner IS NOT NULL;

-- Subnet ids can be chosen by callers, so once a subnet is deleted its id can be taken again, by anyone: another
-- tenant, the same one, an admin. A subnet's address history and its reuse cooldown are read from the log by subnet
-- id, and cover only the subnet as it exists now: the changes logged after the last delete of its id. Nothing of an
-- earlier subnet with that id follows its delete in the log (a forced delete logs the ends of its allocations before
-- it, in the same transaction, and any other change of the subnet's rows commits before the delete can take them),
-- and the next subnet under that id is created after it. This index finds that delete: one entry per subnet deleted, so
-- that an allocation's commit writes no page of it.
CREATE INDEX changes_subnet_deletes ON changes (subnet_id, seq) WHERE type = 'subnet.deleted';

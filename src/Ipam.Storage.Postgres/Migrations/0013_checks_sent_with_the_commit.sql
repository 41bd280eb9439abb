-- Checks a write transaction sends with its commit, in the same round trip, instead of reading first and
-- deciding (see the store's DeferredInserts). Each raises an error when it fails, so that the server skips the
-- rest of the batch, COMMIT included, and the transaction's requests run again the careful way.

-- The subnet is still at the revision its cached copy has, and stays there until the transaction ends (a share
-- lock: a pool or gateway update, or a delete, waits). SQLSTATE IP001 when it is not, or is gone.
CREATE FUNCTION ipam_hold_subnet(subnet uuid, expected bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM subnets WHERE id = subnet AND revision = expected FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subnet % is no longer at revision %', subnet, expected USING ERRCODE = 'IP001';
    END IF;
END
$$;

-- No allocation change was committed to the log after position expected: the instance acted on indexes caught up
-- to there without reading the log (changes without an address, a subnet's update say, do not concern the indexes;
-- the subnet's revision is held by ipam_hold_subnet). Takes the lock that orders the log's appends first, held until
-- the commit ends, and (a volatile function) queries after it, so every append committed before is seen and none can
-- commit before this transaction's own. Returns where the log ends, right before this transaction's own changes.
-- SQLSTATE IP002 when an allocation change lies past expected.
-- The usual answer (nothing after expected) costs one descent of the primary key; rows past expected are looked at
-- only when there are some, bounded on both sides so that the plan is a range scan of the key whatever it estimates.
CREATE FUNCTION ipam_expect_log_end(expected bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    last bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(30390193029121);
    SELECT max(seq) INTO last FROM changes;
    IF last > expected AND EXISTS (SELECT 1 FROM changes WHERE seq > expected AND seq <= last AND ip_address IS NOT NULL) THEN
        RAISE EXCEPTION 'the change log has allocation changes past %', expected USING ERRCODE = 'IP002';
    END IF;
    RETURN greatest(expected, coalesce(last, 0));
END
$$;

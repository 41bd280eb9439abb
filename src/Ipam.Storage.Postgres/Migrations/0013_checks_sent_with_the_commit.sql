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

-- Nothing was committed to the change log after position expected: the instance acted on an index caught up to
-- there without reading the log. Takes the lock that orders the log's appends first, held until the commit ends,
-- and (a volatile function) queries after it, so every append committed before is seen and none can commit before
-- this transaction's own. SQLSTATE IP002 when the log moved.
CREATE FUNCTION ipam_expect_log_end(expected bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(30390193029121);
    IF EXISTS (SELECT 1 FROM changes WHERE seq > expected) THEN
        RAISE EXCEPTION 'the change log moved past %', expected USING ERRCODE = 'IP002';
    END IF;
END
$$;
